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


def read(cast, notice, persona):
    Delivery.objects.filter(notice=notice, guardian__user=getattr(cast, persona)).update(read_at=timezone.now())


def test_counts_are_of_families_and_follow_reads_and_confirmations(cast, send_notice):
    """三年级1班: four families. 钱多多's grandmother has neither an account nor a phone: no channel."""
    notice = send_notice("head_teacher_li", receipt_mode="confirm", classes=[cast.class_a1.pk])
    assert receipts.counts(notice).as_dict() == {
        "families": 4, "unread": 3, "read": 0, "confirmed": 0, "unreached": 1,
    }  # fmt: skip
    read(cast, notice, "parent_zhang")  # one of 张小明's two guardians: the family has read it
    assert receipts.counts(notice).as_dict() == {
        "families": 4, "unread": 2, "read": 1, "confirmed": 0, "unreached": 1,
    }  # fmt: skip
    respond(cast, notice, "grandma_zhao")  # one of 刘小宇's three guardians confirms for the family
    assert receipts.counts(notice).as_dict() == {
        "families": 4, "unread": 1, "read": 1, "confirmed": 1, "unreached": 1,
    }  # fmt: skip
    assert receipts.channel_counts(notice) == {"sent": 7, "sms": 0, "handed": 0, "no_phone": 1}


def test_a_family_handed_the_notice_on_paper_has_read_it(cast, send_notice):
    from xieyu.notices.services import deliveries_mark_handed

    notice = send_notice("head_teacher_li", classes=[cast.class_a1.pk])
    qian = Delivery.objects.get(notice=notice, guardian__name="钱桂花")
    deliveries_mark_handed(actor=cast.head_teacher_li, notice=notice, delivery_ids=[qian.pk])
    c = receipts.counts(notice)
    assert (c.read, c.unreached, c.unread) == (1, 0, 3)


def test_a_guardian_with_two_children_counts_once_in_each_family_of_the_audience(cast, send_notice):
    """李娜 is a mother in 全南二中 七年级1班; a county notice counts 李果果's family there, once."""
    notice = send_notice("county_admin_chen", counties=[cast.county.pk])
    by_class = {row.school_class.pk: row.counts for row in receipts.by_class(notice)}
    assert by_class[cast.class_b1.pk].families == 2 and by_class[cast.class_a1.pk].families == 4
    assert receipts.counts(notice).families == sum(c.families for c in by_class.values())


def test_the_same_notice_gives_the_same_family_counts_everywhere(cast, send_notice, client_for):
    """The receipts page, the sent list, the class page, the print sheet and the API agree: a family of two
    guardians where one has read counts as one read family, and 钱多多's family, without any channel, as unreached."""
    import re

    from xieyu.accounts.tokens import token_create
    from xieyu.directory.models import Guardian, Guardianship

    # 周杰's family gets a second guardian without a phone or account: still a family with a channel (周强).
    Guardianship.objects.create(
        student=cast.students["zhou_jie"], guardian=Guardian.objects.create(name="周奶奶"), relationship="grandmother"
    )
    notice = send_notice("head_teacher_li", receipt_mode="confirm", classes=[cast.class_a1.pk])
    read(cast, notice, "parent_zhang")  # 张伟 read, 黄丽 did not: 张小明's family has read it
    respond(cast, notice, "grandma_zhao")
    expected = {"families": 4, "unread": 1, "read": 1, "confirmed": 1, "unreached": 1}
    assert receipts.counts(notice).as_dict() == expected

    def figures(html: str, scope: str = "") -> dict[str, int]:
        if scope:
            html = html[html.index(scope) :]
        html = html[html.index("data-family-counts") :]
        html = html[: html.index("</dl>")]
        return {k: int(v) for k, v in re.findall(r'data-figure="(\w+)">(\d+)<', html)}

    teacher = client_for("head_teacher_li")
    assert figures(teacher.get(f"/notices/{notice.pk}/receipts/").content.decode()) == expected
    partial = teacher.get(f"/notices/{notice.pk}/receipts/counts/", headers={"HX-Request": "true"})
    assert figures(partial.content.decode()) == expected
    sent = teacher.get("/notices/sent/").content.decode()
    assert figures(sent, f'data-notice="{notice.pk}"') == expected
    class_page = teacher.get(f"/notices/{notice.pk}/classes/{cast.class_a1.pk}/").content.decode()
    assert figures(class_page) == expected
    assert figures(teacher.get(f"/notices/{notice.pk}/classes/{cast.class_a1.pk}/print/").content.decode()) == expected
    states = {f.student.name: f.state for f in receipts.families(notice, cast.class_a1)}
    assert states == {"张小明": "read", "刘小宇": "confirmed", "周杰": "unread", "钱多多": "unreached"}
    # The words the head teacher reads.
    assert all(w in class_page for w in ("未读", "已读", "已确认", "未触达(无任何渠道)"))
    assert "未送达" not in class_page

    _token, plain = token_create(actor=None, user=cast.head_teacher_li, name="app")
    api = client_for(None).get(f"/api/v1/notices/{notice.pk}/receipts", HTTP_AUTHORIZATION=f"Bearer {plain}").json()
    assert api["families"] == {"total": 4, "unread": 1, "read": 1, "confirmed": 1, "unreached": 1}
    assert api["recipients"]["sent"] == 8


def test_the_sent_list_runs_a_fixed_number_of_queries(cast, send_notice, client_for, django_assert_max_num_queries):
    client = client_for("head_teacher_li")
    send_notice("head_teacher_li", classes=[cast.class_a1.pk])
    client.get("/notices/sent/")
    with django_assert_max_num_queries(12) as small:
        client.get("/notices/sent/")
    for i in range(5):
        send_notice("head_teacher_li", title=f"通知{i}", receipt_mode="confirm", classes=[cast.class_a1.pk])
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get("/notices/sent/").status_code == 200


def test_the_live_figures_are_a_partial_that_polls(cast, send_notice, client_for):
    notice = send_notice("head_teacher_li", receipt_mode="confirm", classes=[cast.class_a1.pk])
    client = client_for("head_teacher_li")
    page = client.get(f"/notices/{notice.pk}/receipts/").content.decode()
    assert 'hx-trigger="every 5s"' in page and 'data-figure="confirmed">0<' in page
    respond(cast, notice, "grandma_zhao")
    partial = client.get(f"/notices/{notice.pk}/receipts/counts/", headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith('<section id="counts"') and 'data-figure="confirmed">1<' in partial


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
    assert [(f.student.name, f.state) for f in families] == [
        ("钱多多", "unreached"), ("张小明", "unread"), ("周杰", "unread"), ("刘小宇", "confirmed"),
    ]  # one of three guardians is enough  # fmt: skip
    html = client_for("head_teacher_li").get(f"/notices/{notice.pk}/classes/{cast.class_a1.pk}/").content.decode()
    assert html.index("钱多多") < html.index("刘小宇")
    [overview] = receipts.by_class(notice)
    assert overview.school_class == cast.class_a1
    assert overview.counts.as_dict() == {"families": 4, "unread": 2, "read": 0, "confirmed": 1, "unreached": 1}


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


def test_the_sender_opening_her_notice_gets_its_receipts(cast, send_notice, client_for):
    notice = send_notice("head_teacher_li", classes=[cast.class_a1.pk])
    response = client_for("head_teacher_li").get(f"/notices/{notice.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/notices/{notice.pk}/receipts/"
    assert client_for("head_teacher_wang").get(f"/notices/{notice.pk}/").status_code == 404
