"""Every family reached: SMS for those who do not read in time, a print list for families without a phone,
hand delivery ticked off by the head teacher, and a notice sent at a set time."""

import datetime

import time_machine
from django.utils import timezone

from xieyu.accounts.models import User
from xieyu.notices.models import Delivery, Notice, NoticePolicy
from xieyu.notices.receipts import channel_counts, counts
from xieyu.notices.tasks import send_scheduled_notices, sms_fallback_sweep

NEVER_LOGGED_IN = {"13800001031": "黄丽", "13800001032": "刘军", "13800001033": "陈梅", "13800001034": "周强"}


def test_sms_goes_to_unread_guardians_after_the_county_default_hours(cast, send_notice, client_for, outbox):
    NoticePolicy.objects.create(county=cast.county, sms_after_hours=12)
    notice = send_notice("head_teacher_li", classes=[cast.class_a1.pk])
    User.objects.filter(pk=cast.parent_zhang.pk).update(last_login=timezone.now())  # 张伟 uses the app…
    client_for("grandma_zhao").get(f"/notices/{notice.pk}/")  # …赵秀英 has read it
    start = timezone.now()
    with time_machine.travel(start + datetime.timedelta(hours=11, minutes=50), tick=False):
        assert sms_fallback_sweep() == 0
    assert outbox == []
    with time_machine.travel(start + datetime.timedelta(hours=12, minutes=1), tick=False):
        assert sms_fallback_sweep() == 5
        assert sms_fallback_sweep() == 0  # nothing doubled
    texts = dict(outbox)
    assert set(texts) == set(NEVER_LOGGED_IN) | {"13800000031"}
    # Those who never logged in get the whole notice; 张伟, who uses the app, a nudge to open it.
    for phone in NEVER_LOGGED_IN:
        assert "本周五下午三点" in texts[phone]
    assert "本周五下午三点" not in texts["13800000031"] and notice.title in texts["13800000031"]
    assert channel_counts(notice)["sms"] == 5
    # 钱桂花 has no phone: still not reached, waiting on the print list.
    unreached = Delivery.objects.filter(notice=notice, read_at__isnull=True, sms_sent_at__isnull=True)
    assert list(unreached.values_list("guardian__name", flat=True)) == ["钱桂花"]


def test_a_notice_may_set_its_own_hours(cast, send_notice, outbox):
    notice = send_notice("head_teacher_li", classes=[cast.class_a1.pk], sms_after_hours=2)
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=1), tick=False):
        sms_fallback_sweep()
    assert outbox == []
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=2, minutes=5), tick=False):
        sms_fallback_sweep()
    assert len(outbox) == 6 and notice.pk


def test_a_failed_sms_leaves_the_guardian_unreached(cast, send_notice, settings, outbox):
    settings.SMS_SENDER = "xieyu.notices.tests.test_channels.BrokenSender"
    notice = send_notice("head_teacher_li", students=[cast.students["zhou_jie"].pk], sms_after_hours=1)
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=2), tick=False):
        assert sms_fallback_sweep() == 0
    delivery = Delivery.objects.get(notice=notice)
    assert delivery.sms_error == "网关拒收" and channel_counts(notice)["sms"] == 0 and counts(notice).unread == 1


class BrokenSender:
    def send(self, phone, text):
        raise RuntimeError("网关拒收")


def test_the_print_list_holds_the_families_without_a_phone(cast, send_notice, client_for):
    notice = send_notice(
        "head_teacher_li", receipt_mode="choice", choices=["参加", "不参加"], classes=[cast.class_a1.pk]
    )
    client = client_for("head_teacher_li")
    html = client.get(f"/notices/{notice.pk}/classes/{cast.class_a1.pk}/print/").content.decode()
    assert html.count('class="slip"') == 1
    assert "钱多多" in html and "钱桂花" in html and "本周五下午三点" in html and "□ 参加" in html
    for other in ("张小明", "刘小宇", "周杰", "赵秀英", "周强"):
        assert other not in html


def test_the_head_teacher_ticks_off_families_reached_by_hand(cast, send_notice, client_for):
    notice = send_notice("county_admin_chen", counties=[cast.county.pk])
    qian = Delivery.objects.get(notice=notice, guardian__name="钱桂花")
    sun = Delivery.objects.get(notice=notice, guardian__name="孙丽")
    client = client_for("head_teacher_li")  # not the sender: her class's page only
    url = f"/notices/{notice.pk}/classes/{cast.class_a1.pk}/"
    client.post(url, {"handed": [qian.pk, sun.pk]})  # 孙丽 is not in her class: ignored
    qian.refresh_from_db()
    sun.refresh_from_db()
    assert qian.handed_at is not None and qian.handed_by == cast.head_teacher_li
    assert sun.handed_at is None
    assert channel_counts(notice)["handed"] == 1
    html = client.get(url).content.decode()
    assert html.index("张小明") < html.index("钱多多")  # reached families move down
    assert client_for("head_teacher_wang").post(url, {"handed": [qian.pk]}).status_code == 404
    # Ids that are no ids (a superscript digit, a huge number) are ignored, not a server error.
    assert client.post(url, {"handed": ["²", "99999999999999999999", "-1", "abc"]}).status_code == 302
    assert channel_counts(notice)["handed"] == 1


def test_a_notice_sent_at_a_set_time(cast, send_notice, run_tasks):
    at = timezone.now() + datetime.timedelta(hours=3)
    notice = send_notice("head_teacher_li", classes=[cast.class_a1.pk], send_at=at)
    assert notice.status == Notice.Status.SCHEDULED and not notice.deliveries.exists()
    assert send_scheduled_notices() == []
    with time_machine.travel(at + datetime.timedelta(seconds=5), tick=False):
        assert send_scheduled_notices() == [notice.pk]
        assert send_scheduled_notices() == []  # started once
    run_tasks()
    notice.refresh_from_db()
    assert notice.status == Notice.Status.SENT and notice.deliveries.count() == 7


def test_the_deferred_job_starts_a_scheduled_notice_on_its_own(cast, send_notice, run_tasks):
    at = timezone.now() + datetime.timedelta(minutes=30)
    notice = send_notice("head_teacher_li", classes=[cast.class_a1.pk], send_at=at)
    with time_machine.travel(at + datetime.timedelta(seconds=5), tick=False):
        run_tasks()  # the job was enqueued with run_after = send_at
    notice.refresh_from_db()
    assert notice.status == Notice.Status.SENT and notice.deliveries.count() == 7


def test_a_scheduled_notice_withdrawn_before_its_time_is_never_sent(cast, send_notice, run_tasks):
    from xieyu.notices.services import notice_retract

    at = timezone.now() + datetime.timedelta(minutes=30)
    notice = send_notice("head_teacher_li", classes=[cast.class_a1.pk], send_at=at)
    notice_retract(actor=cast.head_teacher_li, notice=notice, note="取消")
    with time_machine.travel(at + datetime.timedelta(seconds=5), tick=False):
        run_tasks()
        assert send_scheduled_notices() == []
    assert not notice.deliveries.exists()
