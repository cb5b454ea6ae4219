"""A deadline's life: start, respond, pause across a holiday, resume, resolve, and every change in its history."""

import pytest
import time_machine

from xieyu.deadlines.models import CalendarDay, Deadline, DeadlineEvent, DeadlinePolicy
from xieyu.deadlines.services import (
    UnknownPolicy,
    calendar_day_add,
    calendar_day_remove,
    deadline_for,
    deadline_pause,
    deadline_recompute,
    deadline_resolve,
    deadline_respond,
    deadline_resume,
    deadline_start,
)

from .helpers import at, day, local


def start(cast, when, policy="question.default", target=("questions.question", "1"), **kw):
    with time_machine.travel(at(when), tick=False):
        return deadline_start(
            actor=cast.parent_zhang, target=target, policy=policy, school_class=cast.class_a1,
            owner=cast.head_teacher_li, title="孩子写作业到很晚怎么办", **kw,
        )  # fmt: skip


def kinds(d):
    return list(d.events.values_list("kind", flat=True))


def test_default_policies_exist(db):
    names = set(DeadlinePolicy.objects.values_list("name", flat=True))
    assert {"question.default", "question.urgent", "inquiry.default"} <= names


def test_a_question_before_national_day(cast):
    # Wednesday 30 Sep 2026 15:00: first answer within 2 working days, settled within 5.
    d = start(cast, "2026-09-30 15:00")
    assert d.school == cast.school_a and d.county == cast.county
    assert local(d.first_response_due) == "2026-10-09 17:30"
    assert local(d.resolution_due) == "2026-10-13 17:30"  # 8, 9, 10 (Saturday, 调休), 12, 13 Oct
    assert d.current_due_kind == "first_response" and d.current_due == d.first_response_due
    assert local(d.due_soon_from) == "2026-10-09 13:30"
    assert kinds(d) == ["started"]


def test_starting_twice_is_idempotent_and_deadline_for_finds_it(cast):
    d1 = start(cast, "2026-11-16 09:00")
    d2 = start(cast, "2026-11-17 09:00")
    assert d1.pk == d2.pk
    assert deadline_for(("questions.question", 1)) == d1
    assert deadline_for(cast.school_a) is None
    with pytest.raises(UnknownPolicy):
        start(cast, "2026-11-16 09:00", policy="nope", target=("x.y", "2"))


def test_respond_then_resolve(cast):
    d = start(cast, "2026-11-13 15:00", policy="question.urgent")  # 4 working hours, settled in 1 working day
    assert local(d.first_response_due) == "2026-11-16 09:30"  # 2.5 h on Friday, 1.5 h on Monday
    assert local(d.resolution_due) == "2026-11-16 17:30"
    with time_machine.travel(at("2026-11-16 09:00"), tick=False):
        d = deadline_respond(actor=cast.head_teacher_li, deadline=d)
    assert d.current_due_kind == "resolution" and d.current_due == d.resolution_due
    with time_machine.travel(at("2026-11-16 16:00"), tick=False):
        d = deadline_resolve(actor=cast.head_teacher_li, deadline=d)
    assert d.state == Deadline.State.RESOLVED and d.current_due is None and d.next_check_at is None
    assert kinds(d) == ["started", "responded", "resolved"]
    assert DeadlineEvent.objects.get(deadline=d, kind="resolved").data == {"late": False}


def test_a_pause_spanning_national_day_moves_the_dues_by_the_paused_working_time(cast):
    d = start(cast, "2026-09-28 09:00", policy="question.urgent")  # first response due Mon 13:00
    assert local(d.first_response_due) == "2026-09-28 13:00"
    with time_machine.travel(at("2026-09-28 10:00"), tick=False):
        d = deadline_respond(actor=cast.head_teacher_li, deadline=d)
    assert local(d.resolution_due) == "2026-09-29 17:30"
    # Waiting for the parent from Tuesday 10:00 until the Thursday after the holiday, 10:00.
    with time_machine.travel(at("2026-09-29 10:00"), tick=False):
        d = deadline_pause(actor=cast.head_teacher_li, deadline=d, reason="等待家长回复")
    assert d.state == "paused" and d.current_due is None and d.next_check_at is None
    with time_machine.travel(at("2026-10-08 10:00"), tick=False):
        d = deadline_resume(actor=cast.parent_zhang, deadline=d)
    # Paused: 29 Sep 10:00–17:30 (7.5 h) + 30 Sep (9.5 h) + 8 Oct 08:00–10:00 (2 h) = 19 h; holidays not counted.
    assert d.paused_seconds == 19 * 3600
    # 7.5 working hours were left at the pause; they run from the resume: 8 Oct 10:00 + 7.5 h.
    assert local(d.resolution_due) == "2026-10-08 17:30"
    assert d.state == "running" and d.current_due == d.resolution_due
    resumed = d.events.get(kind="resumed")
    assert resumed.data["paused_seconds"] == 19 * 3600
    assert resumed.data["before"]["resolution_due"].startswith("2026-09-29T17:30")
    assert kinds(d) == ["started", "responded", "paused", "resumed"]
    assert resumed.actor == cast.parent_zhang


def test_pausing_twice_or_resuming_a_running_deadline_changes_nothing(cast):
    d = start(cast, "2026-11-16 09:00")
    d = deadline_resume(actor=None, deadline=d)
    d = deadline_pause(actor=None, deadline=d)
    d = deadline_pause(actor=None, deadline=d)
    assert kinds(d) == ["started", "paused"]


def test_county_entered_days_change_a_running_due_time(cast, run_tasks):
    d = start(cast, "2026-11-13 10:00")  # first answer by the close of Tue 17 Nov
    assert local(d.first_response_due) == "2026-11-17 17:30"
    with time_machine.travel(at("2026-11-13 11:00"), tick=False):
        day_off = calendar_day_add(
            actor=cast.county_admin_chen, county=cast.county, date=day("2026-11-16"), kind=CalendarDay.Kind.DAY_OFF
        )
        run_tasks()  # the recompute job, with the real worker
    d.refresh_from_db()
    assert local(d.first_response_due) == "2026-11-18 17:30"
    assert d.current_due == d.first_response_due
    recomputed = d.events.get(kind="recomputed")
    assert recomputed.data["before"]["first_response_due"].startswith("2026-11-17T17:30")
    assert recomputed.data["after"]["first_response_due"].startswith("2026-11-18T17:30")
    # Running it again changes nothing and records nothing.
    deadline_recompute(actor=None, deadline=d)
    assert d.events.filter(kind="recomputed").count() == 1
    # The county takes the day back: the due returns.
    calendar_day_remove(actor=cast.county_admin_chen, day=day_off)
    run_tasks()
    d.refresh_from_db()
    assert local(d.first_response_due) == "2026-11-17 17:30"


def test_a_2027_deadline_falls_back_and_is_marked(cast):
    d = start(cast, "2027-02-04 15:00")  # Thursday before the Spring Festival of 2027
    assert d.used_fallback
    assert local(d.first_response_due) == "2027-02-10 17:30"  # 5–8 Feb statutory days off, 9 and 10 work
    d2 = start(cast, "2026-11-16 09:00", target=("questions.question", "2"))
    assert not d2.used_fallback


def test_entering_the_2027_schedule_corrects_running_deadlines(cast, run_tasks):
    d = start(cast, "2027-02-04 15:00")
    chen = cast.county_admin_chen
    with time_machine.travel(at("2027-01-10 09:00"), tick=False):
        # Suppose the State Council gives 9–12 Feb off: the county enters the days, then confirms the year.
        for date in ("2027-02-09", "2027-02-10", "2027-02-11", "2027-02-12"):
            calendar_day_add(actor=chen, county=cast.county, date=day(date), kind=CalendarDay.Kind.DAY_OFF)
        calendar_day_add(actor=chen, county=cast.county, date=day("2027-02-20"), kind=CalendarDay.Kind.WORKDAY)
        from xieyu.deadlines.services import calendar_year_confirm

        calendar_year_confirm(actor=chen, county=cast.county, year=2027)
        run_tasks()
    d.refresh_from_db()
    assert local(d.first_response_due) == "2027-02-16 17:30"
    assert not d.used_fallback


def test_a_row_changed_during_the_county_recompute_is_recomputed_again(cast, monkeypatch):
    from django.db.models import F

    from xieyu.deadlines import services

    d = start(cast, "2026-11-13 10:00")
    with time_machine.travel(at("2026-11-13 11:00"), tick=False):
        calendar_day_add(actor=cast.county_admin_chen, county=cast.county, date=day("2026-11-16"), kind="day_off")
    real = services._recompute
    calls = []

    def racing(row, cal, now):
        if not calls:  # someone answers the question just as the batch computes the row
            Deadline.objects.filter(pk=row.pk).update(version=F("version") + 1)
        calls.append(row.pk)
        return real(row, cal, now)

    monkeypatch.setattr(services, "_recompute", racing)
    assert services.deadline_recompute_county(actor=None, county_id=cast.county.pk) == 1
    d.refresh_from_db()
    assert local(d.first_response_due) == "2026-11-18 17:30"
    assert d.events.filter(kind="recomputed").count() == 1


def test_a_policy_chain_names_known_levels_only(db):
    from django.core.exceptions import ValidationError

    policy = DeadlinePolicy.objects.get(name="question.default")
    policy.escalation_chain = ["owner", "principal"]
    with pytest.raises(ValidationError):
        policy.clean()
    policy.escalation_chain = ["owner", "county_admin"]
    policy.clean()
