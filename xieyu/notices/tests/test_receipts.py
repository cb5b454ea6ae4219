"""The sender's receipts: live figures, unreached families by class, remind, withdraw, export, who may see them."""

import datetime
import io

import pytest
import time_machine
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from xieyu.notices import receipts
from xieyu.notices.models import Delivery, Notice
from xieyu.notices.services import delivery_respond


def respond(cast, notice, persona):
    delivery = Delivery.objects.select_related("notice").get(notice=notice, guardian__user=getattr(cast, persona))
    delivery_respond(actor=getattr(cast, persona), delivery=delivery)


def test_counts_follow_reads_and_confirmations(cast, send_notice):
    notice = send_notice("head_teacher_li", receipt_mode="confirm", classes=[cast.class_a1.pk])
    assert receipts.counts(notice) == {
        "sent": 7, "read": 0, "responded": 0, "sms": 0, "handed": 0, "unreached": 7, "no_phone": 1,
    }  # fmt: skip
    respond(cast, notice, "grandma_zhao")
    c = receipts.counts(notice)
    assert (c["read"], c["responded"], c["unreached"]) == (1, 1, 6)


def test_the_live_figures_are_a_partial_that_polls(cast, send_notice, client_for):
    notice = send_notice("head_teacher_li", receipt_mode="confirm", classes=[cast.class_a1.pk])
    client = client_for("head_teacher_li")
    page = client.get(f"/notices/{notice.pk}/receipts/").content.decode()
    assert 'hx-trigger="every 5s"' in page and 'data-figure="responded">0<' in page
    respond(cast, notice, "grandma_zhao")
    partial = client.get(f"/notices/{notice.pk}/receipts/counts/", headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith('<section id="counts"') and 'data-figure="responded">1<' in partial


@pytest.mark.parametrize(
    "persona, status",
    [
        ("head_teacher_li", 200),  # the sender
        ("school_admin_liu", 200),  # above her
        ("county_admin_chen", 200),  # above everyone in the county
        ("school_admin_wang", 404),  # another school
        ("head_teacher_wang", 404),
        ("teacher_he", 404),
        ("grandma_zhao", 404),  # a recipient, not the sender
        (None, 302),
    ],
)
def test_receipts_are_seen_by_the_sender_and_those_above(cast, send_notice, client_for, persona, status):
    notice = send_notice("head_teacher_li", classes=[cast.class_a1.pk])
    client = client_for(persona)
    for url in ("receipts/", "receipts/counts/", "receipts/export.xlsx"):
        assert client.get(f"/notices/{notice.pk}/{url}").status_code == status


def test_a_school_admin_notice_is_not_seen_by_the_head_teacher(cast, send_notice, client_for):
    notice = send_notice("school_admin_liu", schools=[cast.school_a.pk])
    assert client_for("head_teacher_li").get(f"/notices/{notice.pk}/receipts/").status_code == 404
    assert client_for("county_admin_chen").get(f"/notices/{notice.pk}/receipts/").status_code == 200
    # …but she sees her own class's families and print list.
    assert client_for("head_teacher_li").get(f"/notices/{notice.pk}/classes/{cast.class_a1.pk}/").status_code == 200
    assert client_for("head_teacher_li").get(f"/notices/{notice.pk}/classes/{cast.class_a2.pk}/").status_code == 404


def test_unread_families_by_class(cast, send_notice, client_for):
    notice = send_notice("head_teacher_li", receipt_mode="confirm", classes=[cast.class_a1.pk])
    respond(cast, notice, "grandma_zhao")
    families = receipts.families(notice, cast.class_a1)
    assert [f.student.name for f in families if not f.reached] == ["钱多多", "张小明", "周杰"]
    assert [f.student.name for f in families if f.reached] == ["刘小宇"]  # one of three guardians is enough
    html = client_for("head_teacher_li").get(f"/notices/{notice.pk}/classes/{cast.class_a1.pk}/").content.decode()
    assert html.index("钱多多") < html.index("刘小宇")
    overview = list(receipts.by_class(notice))
    assert overview[0]["sent"] == 7 and overview[0]["unreached"] == 6 and overview[0]["no_phone"] == 1


def test_remind_the_unread_once_per_hour(cast, send_notice, client_for, run_tasks, outbox):
    notice = send_notice("head_teacher_li", classes=[cast.class_a1.pk])
    client = client_for("grandma_zhao")
    client.get(f"/notices/{notice.pk}/")
    teacher = client_for("head_teacher_li")
    response = teacher.post(f"/notices/{notice.pk}/remind/", follow=True)
    assert _("The guardians who have not read it are being reminded.") in response.content.decode()
    run_tasks()
    # Every unread guardian with a phone is texted; 赵秀英 has read it, 钱桂花 has no phone.
    assert sorted(phone for phone, _text in outbox) == sorted(
        ["13800000031", "13800001031", "13800001032", "13800001033", "13800001034"]
    )
    reminded = Delivery.objects.filter(notice=notice, reminded_at__isnull=False)
    assert "赵秀英" not in set(reminded.values_list("guardian__name", flat=True))
    again = teacher.post(f"/notices/{notice.pk}/remind/", follow=True).content.decode()
    assert "13800000031" not in again
    notice.refresh_from_db()
    last = timezone.localtime(notice.last_reminded_at).strftime("%H:%M")
    assert last in again  # "… reminded at 10:00; you may remind them again after 11:00."
    outbox.clear()
    run_tasks()
    assert outbox == []
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=61)):
        teacher.post(f"/notices/{notice.pk}/remind/")
        run_tasks()
    assert len(outbox) == 5


def test_withdraw_with_a_note_to_those_who_had_it(cast, send_notice, client_for, run_tasks, outbox):
    notice = send_notice("head_teacher_li", classes=[cast.class_a1.pk], sms_after_hours=1)
    from xieyu.notices.tasks import sms_fallback_sweep

    with time_machine.travel(timezone.now() + datetime.timedelta(hours=2)):
        sms_fallback_sweep()
    texted = {phone for phone, _text in outbox}
    outbox.clear()
    response = client_for("head_teacher_li").post(f"/notices/{notice.pk}/retract/", {"note": "家长会改期到下周"})
    assert response.status_code == 302
    run_tasks()
    notice.refresh_from_db()
    assert notice.status == Notice.Status.RETRACTED and notice.retract_note == "家长会改期到下周"
    assert {phone for phone, _text in outbox} == texted and all("家长会改期到下周" in t for _p, t in outbox)
    page = client_for("grandma_zhao").get(f"/notices/{notice.pk}/").content.decode()
    assert "家长会改期到下周" in page and "本周五下午三点" not in page
    assert client_for("grandma_zhao").get("/notices/").content.decode().count(notice.title) == 1
    # No second withdrawal, no reminders after it.
    response = client_for("head_teacher_li").post(f"/notices/{notice.pk}/retract/", {"note": "再撤"}, follow=True)
    assert _("This notice has already been withdrawn.") in response.content.decode()


def test_only_the_sender_and_those_above_may_withdraw_or_remind(cast, send_notice, client_for):
    notice = send_notice("head_teacher_li", classes=[cast.class_a1.pk])
    for persona in ("grandma_zhao", "school_admin_wang", "head_teacher_wang"):
        client = client_for(persona)
        assert client.post(f"/notices/{notice.pk}/retract/", {"note": "x"}).status_code == 404
        assert client.post(f"/notices/{notice.pk}/remind/").status_code == 404
    notice.refresh_from_db()
    assert notice.status == Notice.Status.SENT and notice.last_reminded_at is None


def test_the_export_is_a_spreadsheet_with_formulas_neutralised(cast, send_notice, client_for):
    notice = send_notice("head_teacher_li", receipt_mode="reply", classes=[cast.class_a1.pk])
    delivery = Delivery.objects.select_related("notice").get(notice=notice, guardian__user=cast.parent_zhang)
    delivery_respond(actor=cast.parent_zhang, delivery=delivery, reply='=HYPERLINK("http://evil","点我")')
    response = client_for("head_teacher_li").get(f"/notices/{notice.pk}/receipts/export.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    body = rows[2:]
    assert len(body) == 7
    zhang = next(r for r in body if r[3] == "张伟")
    assert zhang[2] == "张小明" and zhang[4] == "138****0031"
    assert zhang[8] == '\'=HYPERLINK("http://evil","点我")'
    assert all(not (isinstance(c, str) and c[:1] in "=+-@") for r in body for c in r)


@pytest.mark.parametrize("value, expected", [("=1+1", "'=1+1"), ("+86", "'+86"), ("-2", "'-2"), ("@x", "'@x"),
                                             ("好", "好"), (3, 3)])  # fmt: skip
def test_safe_cell(value, expected):
    assert receipts.safe_cell(value) == expected


@pytest.mark.parametrize("size", [1, 25])
def test_the_receipts_page_runs_a_fixed_number_of_queries(cast, client_for, django_assert_max_num_queries, size):
    from xieyu.directory.models import Guardian

    notice = Notice.objects.create(
        sender=cast.county_admin_chen, sender_role="county_admin", county=cast.county, title="全县通知", body="内容",
        status="sent",
    )  # fmt: skip
    guardians = Guardian.objects.bulk_create([Guardian(name=f"家长{i}", phone=f"139{i:08d}") for i in range(size * 20)])
    Delivery.objects.bulk_create(
        [Delivery(notice=notice, guardian=g, school_class=cast.class_a1, school=cast.school_a) for g in guardians]
    )
    client = client_for("county_admin_chen")
    client.get(f"/notices/{notice.pk}/receipts/")
    with django_assert_max_num_queries(11):
        assert client.get(f"/notices/{notice.pk}/receipts/").status_code == 200


@pytest.mark.parametrize("extra", [0, 30])
def test_the_class_page_and_print_sheet_run_a_fixed_number_of_queries(
    cast, send_notice, client_for, django_assert_max_num_queries, extra
):
    from xieyu.directory.models import Guardian, Guardianship, Student

    students = Student.objects.bulk_create(
        [Student(name=f"学生{i}", gender="F", birth_date="2017-01-01", student_number=f"X{i:04d}",
                 school=cast.school_a, school_class=cast.class_a1) for i in range(extra)]
    )  # fmt: skip
    guardians = Guardian.objects.bulk_create([Guardian(name=f"家长{i}", phone=None) for i in range(extra)])
    Guardianship.objects.bulk_create(
        [Guardianship(student=s, guardian=g, relationship="mother") for s, g in zip(students, guardians, strict=True)]
    )
    notice = send_notice("head_teacher_li", classes=[cast.class_a1.pk])
    assert notice.deliveries.count() == 7 + extra
    client = client_for("head_teacher_li")
    for url in (
        f"/notices/{notice.pk}/classes/{cast.class_a1.pk}/",
        f"/notices/{notice.pk}/classes/{cast.class_a1.pk}/print/",
    ):
        client.get(url)
        with django_assert_max_num_queries(13):
            assert client.get(url).status_code == 200
