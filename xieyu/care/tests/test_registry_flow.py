"""The registry's story: a head teacher proposes (from the roster's suggestion), the school admin confirms, the
review runs on the deadline engine and escalates when late; every change keeps who and why; bad input changes
nothing."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from xieyu.audit.models import AuditEvent
from xieyu.care.models import AbsentParent, CarerSurvey, RegistryCategory, RegistryChange, RegistryEntry, RegistryReview
from xieyu.care.registry import services
from xieyu.deadlines.models import Deadline, Escalation
from xieyu.deadlines.services import deadline_for, deadline_sweep
from xieyu.deadlines.workcalendar import TZ

from .registry_helpers import AWAY, propose_liu, register_liu


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=TZ)


def local(value: datetime.datetime) -> str:
    return value.astimezone(TZ).strftime("%Y-%m-%d %H:%M")


def sweep(when, capture):
    with time_machine.travel(at(when), tick=False), capture(execute=True):
        return deadline_sweep(actor=None)


def escalated_to(d):
    return list(Escalation.objects.filter(deadline=d).order_by("level", "user_id").values_list("role", "user__name"))


@pytest.mark.parametrize(
    "day, end",
    [("2026-02-01", "2026-07-31"), ("2026-07-31", "2026-07-31"), ("2026-08-01", "2027-01-31"),
     ("2026-12-31", "2027-01-31"), ("2027-01-15", "2027-01-31")],
)  # fmt: skip
def test_a_semester_ends_on_31_july_or_31_january(day, end):
    assert services.semester_end(datetime.date.fromisoformat(day)).isoformat() == end


def test_the_head_teacher_proposes_from_the_roster_and_the_school_admin_confirms(cast, client_for):
    li = client_for("head_teacher_li")
    page = li.get("/care/registry/").content.decode()
    liu = cast.students["liu_xiaoyu"]
    assert f'data-suggestion="{liu.pk}"' in page and "父母都在外" in page
    assert f'data-suggestion="{cast.students["zhou_jie"].pk}"' not in page  # his father lives with him
    form = li.get(f"/care/registry/propose/?student={liu.pk}&category=left_behind_both&source=head_teacher")
    html = form.content.decode()
    assert 'value="赵秀英"' in html and 'value="13800000032"' in html  # the carer, from the roster
    assert '<option value="left_behind_both" selected>' in html
    r = li.post("/care/registry/propose/", {
        "student": liu.pk, "category": "left_behind_both", "source": "head_teacher", "detail": "父母在东莞务工",
        "carer_name": "赵秀英", "carer_relationship": "奶奶", "carer_type": "grandparent", "carer_phone": "13800000032",
        "village": "龙下乡雅溪村",
    })  # fmt: skip
    assert r.status_code == 302
    entry = RegistryEntry.objects.get(student=liu)
    assert (entry.state, entry.county, entry.school, entry.proposed_by) == (
        "proposed",
        cast.county,
        cast.school_a,
        cast.head_teacher_li,
    )
    assert sorted(AbsentParent.objects.filter(entry=entry).values_list("who", "name")) == [
        ("father", "刘军"),
        ("mother", "陈梅"),
    ]
    assert f'data-suggestion="{liu.pk}"' not in li.get("/care/registry/").content.decode()

    admin = client_for("school_admin_liu")
    detail = admin.get(f"/care/registry/{entry.pk}/").content.decode()
    assert "已提请,待确认" in detail and "确认登记" in detail
    admin.post(f"/care/registry/{entry.pk}/confirm/")
    entry.refresh_from_db()
    assert entry.state == "confirmed" and entry.decided_by == cast.school_admin_liu
    assert entry.next_review_on == services.semester_end(datetime.date.today())
    history = client_for("head_teacher_li").get(f"/care/registry/{entry.pk}/").content.decode()
    assert "李娜 (班主任)" in history and "刘芳 (学校管理员)" in history and "提请建档" in history


def test_a_confirmed_entry_gets_a_review_at_the_semester_end_that_escalates_when_overdue(
    cast, django_capture_on_commit_callbacks
):
    cap = django_capture_on_commit_callbacks
    with time_machine.travel(at("2026-03-10 10:00"), tick=False):
        entry = register_liu(cast)
    review = RegistryReview.objects.get(entry=entry)
    assert review.due_on == datetime.date(2026, 7, 31) and entry.next_review_on == review.due_on
    d = deadline_for(review)
    assert d.policy.name == "care.review" and d.owner == cast.head_teacher_li and d.school_id == cast.school_a.pk
    assert local(d.resolution_due) == "2026-07-31 17:30"  # the engine's due is the semester's last working day

    assert sweep("2026-07-30 12:00", cap).overdue == 0
    result = sweep("2026-07-31 17:30", cap)
    assert result.overdue == 1
    assert escalated_to(d) == [("owner", "李娜")]
    sweep("2026-08-07 17:30", cap)  # five working days later: the school
    assert escalated_to(d)[-1] == ("school_admin", "刘芳")
    sweep("2026-08-14 17:30", cap)
    assert escalated_to(d)[-1] == ("county_admin", "陈建国")


def test_recording_the_review_resolves_its_deadline_and_opens_the_next(cast, client_for):
    with time_machine.travel(at("2026-03-10 10:00"), tick=False):
        entry = register_liu(cast)
        first = RegistryReview.objects.get(entry=entry)
    with time_machine.travel(at("2026-06-20 10:00"), tick=False):
        r = client_for("head_teacher_li").post(
            f"/care/registry/{entry.pk}/review/", {"note": "奶奶身体好,孩子按时完成作业"}
        )
    assert r.status_code == 302
    first.refresh_from_db()
    assert first.done_by == cast.head_teacher_li and first.note == "奶奶身体好,孩子按时完成作业"
    assert deadline_for(first).state == Deadline.State.RESOLVED
    nxt = RegistryReview.objects.get(entry=entry, done_at__isnull=True)
    assert nxt.due_on == datetime.date(2027, 1, 31)
    assert deadline_for(nxt).state == Deadline.State.RUNNING
    entry.refresh_from_db()
    assert entry.next_review_on == datetime.date(2027, 1, 31)
    assert RegistryChange.objects.filter(entry=entry, action="review").exists()


def test_a_late_review_sets_the_next_at_the_end_of_the_current_semester():
    assert services.next_review_due(datetime.date(2026, 7, 31), datetime.date(2026, 9, 3)) == datetime.date(2027, 1, 31)
    assert services.next_review_due(datetime.date(2026, 7, 31), datetime.date(2026, 7, 1)) == datetime.date(2027, 1, 31)
    assert services.next_review_due(datetime.date(2026, 1, 31), datetime.date(2026, 8, 3)) == datetime.date(2027, 1, 31)


def test_every_change_keeps_who_when_and_why(cast):
    entry = register_liu(cast)
    services.entry_update_facts(actor=cast.head_teacher_li, entry=entry, changes={"village": "龙下乡雅溪村三组"},
                                reason="家访核实住址")  # fmt: skip
    change = RegistryChange.objects.filter(entry=entry, action="update").get()
    assert (change.actor, change.actor_role, change.reason) == (cast.head_teacher_li, "head_teacher", "家访核实住址")
    assert change.changes == {"village": ["龙下乡雅溪村", "龙下乡雅溪村三组"]}
    audit = AuditEvent.objects.filter(action="care.registry.update").get()
    assert audit.changes == change.changes
    row = RegistryCategory.objects.get(entry=entry)
    services.category_end(actor=cast.school_admin_liu, category=row, reason="父亲已返乡")
    row.refresh_from_db()
    assert row.ended_on == datetime.date.today()
    assert list(RegistryChange.objects.filter(entry=entry).values_list("action", flat=True)[:2]) == [
        "category_end", "update"]  # fmt: skip


def _nothing_changed(before):
    assert RegistryEntry.objects.count() == before["entries"]
    assert RegistryChange.objects.count() == before["changes"]
    assert AuditEvent.objects.filter(action__startswith="care.registry").count() == before["audit"]


def _counts():
    return {
        "entries": RegistryEntry.objects.count(),
        "changes": RegistryChange.objects.count(),
        "audit": AuditEvent.objects.filter(action__startswith="care.registry").count(),
    }


@pytest.mark.parametrize(
    "override, message",
    [
        ({"categories": [{"category": "lonely", "source": "school_survey"}]}, "未知的建档类别"),
        ({"categories": []}, "请至少选择一个建档类别"),
        ({"categories": [{**AWAY, "source": "gossip"}]}, "请选择信息来源"),
        ({"carer": {"carer_phone": "1380000003"}}, "照护人手机号必须是以 1 开头的 11 位手机号"),
        ({"carer": {"carer_type": "robot"}}, "请从列表中选择照护人类型"),
    ],
)
def test_bad_proposals_are_refused_with_the_reason_and_nothing_changes(cast, override, message):
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        propose_liu(cast, **override)
    assert message in " ".join(exc.value.messages)
    _nothing_changed(before)


def test_the_propose_page_names_the_bad_field(cast, client_for):
    li = client_for("head_teacher_li")
    liu = cast.students["liu_xiaoyu"].pk
    r = li.post("/care/registry/propose/", {"student": liu, "category": "lonely", "source": "head_teacher"})
    assert r.status_code == 422 and "请从列表中选择“类别”" in r.content.decode()
    r = li.post("/care/registry/propose/",
                {"student": liu, "category": "left_behind_one", "source": "head_teacher", "carer_phone": "12345"})  # fmt: skip
    assert r.status_code == 422 and "照护人手机号必须是以 1 开头的 11 位手机号" in r.content.decode()
    assert not RegistryEntry.objects.exists()


def test_a_second_open_entry_is_refused_but_a_declined_child_can_be_proposed_again(cast, client_for):
    entry = propose_liu(cast)
    before = _counts()
    with pytest.raises(ValidationError, match="已在建档名册中"):
        propose_liu(cast)
    _nothing_changed(before)
    r = client_for("school_admin_liu").post(f"/care/registry/{entry.pk}/decline/", {"reason": ""}, follow=True)
    assert "请填写“原因”" in r.content.decode()
    entry.refresh_from_db()
    assert entry.state == "proposed"
    client_for("school_admin_liu").post(f"/care/registry/{entry.pk}/decline/", {"reason": "父母已返乡"})
    entry.refresh_from_db()
    assert (entry.state, entry.decision_note) == ("declined", "父母已返乡")
    again = propose_liu(cast)
    assert again.pk == entry.pk and again.state == "proposed"
    assert RegistryCategory.objects.filter(entry=entry, ended_on__isnull=True).count() == 1


def test_a_closed_entry_cannot_be_confirmed_or_changed(cast):
    entry = register_liu(cast)
    with pytest.raises(ValidationError, match="只有待确认的提请才能确认"):
        services.entry_confirm(actor=cast.school_admin_liu, entry=entry)
    with pytest.raises(ValidationError, match="请说明原因"):
        services.entry_update_facts(actor=cast.head_teacher_li, entry=entry, changes={"village": "x"}, reason="")
    with pytest.raises(ValidationError, match="这条记录已有"):
        services.category_add(
            actor=cast.head_teacher_li, entry=entry, category="left_behind_both", source="head_teacher"
        )
    entry.refresh_from_db()
    assert entry.village == "龙下乡雅溪村"


def test_removing_a_child_stops_the_review_clock(cast, client_for):
    entry = register_liu(cast)
    review = RegistryReview.objects.get(entry=entry)
    d = deadline_for(review)
    r = client_for("school_admin_liu").post(f"/care/registry/{entry.pk}/remove/", {"reason": "转学到外省"})
    assert r.status_code == 302
    entry.refresh_from_db()
    d.refresh_from_db()
    assert (entry.state, entry.next_review_on, d.state) == ("removed", None, Deadline.State.CANCELLED)
    assert client_for("head_teacher_li").get(f"/care/registry/{entry.pk}/edit/").status_code == 404


def test_the_carer_survey_is_recorded_by_the_womens_federation(cast, client_for):
    entry = register_liu(cast)
    r = client_for("partner_wu").post(f"/care/registry/{entry.pk}/survey/", {
        "needs": ["study", "parent_contact"], "parent_contact": "weekly", "carer_age": "68", "carer_reads": "0",
        "note": "希望有人教她用手机视频",
    })  # fmt: skip
    assert r.status_code == 302
    survey = CarerSurvey.objects.get(entry=entry)
    assert (survey.needs, survey.parent_contact, survey.carer_age, survey.carer_reads) == (
        ["study", "parent_contact"],
        "weekly",
        68,
        False,
    )
    page = client_for("head_teacher_li").get(f"/care/registry/{entry.pk}/").content.decode()
    assert "帮助孩子完成作业和学习" in page or "希望有人教她用手机视频" in page
    r = client_for("partner_wu").post(
        f"/care/registry/{entry.pk}/survey/", {"parent_contact": "weekly", "carer_age": "7"}
    )
    assert r.status_code == 422 and "照护人年龄应在 14 至 110 岁之间" in r.content.decode()
    assert CarerSurvey.objects.count() == 1
