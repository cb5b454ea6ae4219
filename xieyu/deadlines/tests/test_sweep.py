"""The sweep: due soon, overdue, one escalation level per overdue working-time step, each person told once."""

import pytest
import time_machine

from xieyu.deadlines import services
from xieyu.deadlines.models import Deadline, DeadlineEvent, Escalation
from xieyu.deadlines.services import deadline_respond, deadline_start, deadline_sweep
from xieyu.deadlines.signals import deadline_due_soon, deadline_escalated
from xieyu.deadlines.tasks import sweep_deadlines

from .helpers import at


@pytest.fixture
def heard():
    """Every deadline signal sent, as (kind, deadline id, role, user ids)."""
    log = []

    def on_due_soon(sender, deadline, user_ids, **kw):
        log.append(("due_soon", deadline.pk, None, sorted(user_ids)))

    def on_escalated(sender, deadline, role, user_ids, **kw):
        log.append(("escalated", deadline.pk, role, sorted(user_ids)))

    deadline_due_soon.connect(on_due_soon)
    deadline_escalated.connect(on_escalated)
    yield log
    deadline_due_soon.disconnect(on_due_soon)
    deadline_escalated.disconnect(on_escalated)


def question(cast, n=1, when="2026-11-16 09:00", owner="teacher_he", school_class=None, policy="question.default"):
    with time_machine.travel(at(when), tick=False):
        return deadline_start(
            actor=cast.parent_zhang, target=("questions.question", str(n)), policy=policy,
            school_class=school_class or cast.class_a1, owner=getattr(cast, owner) if owner else None,
        )  # fmt: skip


def sweep(when, capture):
    """Sweep at a moment, running the after-commit signals as a committed transaction would."""
    with time_machine.travel(at(when), tick=False), capture(execute=True):
        return deadline_sweep(actor=None)


def escalated_to(d):
    return list(Escalation.objects.filter(deadline=d).order_by("level", "user_id").values_list("role", "user__name"))


def test_a_late_answer_climbs_the_organisation_one_level_per_working_day(
    cast, heard, django_capture_on_commit_callbacks
):
    cap = django_capture_on_commit_callbacks
    d = question(cast)  # first answer due Wed 18 Nov 17:30; due soon from 13:30; a step is one working day
    he, li, liu, chen = (
        getattr(cast, p).pk for p in ("teacher_he", "head_teacher_li", "school_admin_liu", "county_admin_chen")
    )

    assert sweep("2026-11-18 13:00", cap).as_dict()["checked"] == 0
    assert sweep("2026-11-18 14:00", cap).due_soon == 1
    assert heard == [("due_soon", d.pk, None, [he])]
    assert sweep("2026-11-18 15:00", cap).checked == 0

    result = sweep("2026-11-18 17:30", cap)
    assert (result.overdue, result.escalations) == (1, 1)
    assert escalated_to(d) == [("owner", "何静")]
    assert sweep("2026-11-19 17:29", cap).checked == 0
    sweep("2026-11-19 17:30", cap)
    assert escalated_to(d)[-1] == ("head_teacher", "李娜")
    # Friday 17:30, then the weekend does not count: the next step is Monday 17:30.
    sweep("2026-11-20 17:30", cap)
    assert escalated_to(d)[-1] == ("school_admin", "刘芳")
    assert sweep("2026-11-22 12:00", cap).checked == 0
    sweep("2026-11-23 17:30", cap)
    assert escalated_to(d)[-1] == ("county_admin", "陈建国")
    d.refresh_from_db()
    assert d.next_check_at is None  # the chain is spent
    assert sweep("2026-12-01 09:00", cap).checked == 0

    assert heard == [
        ("due_soon", d.pk, None, [he]),
        ("escalated", d.pk, "owner", [he]),
        ("escalated", d.pk, "head_teacher", [li]),
        ("escalated", d.pk, "school_admin", [liu]),
        ("escalated", d.pk, "county_admin", [chen]),
    ]
    assert list(d.events.values_list("kind", flat=True)) == [
        "started", "due_soon", "overdue", "escalated", "escalated", "escalated", "escalated",
    ]  # fmt: skip


def test_sweeping_again_and_again_changes_nothing(cast, heard, django_capture_on_commit_callbacks):
    cap = django_capture_on_commit_callbacks
    ds = [question(cast, n) for n in range(5)]
    # The sweep missed a week: everything happens at once, each person once.
    first = sweep("2026-11-25 18:00", cap)
    assert (first.overdue, first.escalations) == (5, 20)
    rows = (DeadlineEvent.objects.count(), Escalation.objects.count(), len(heard))
    for _ in range(3):
        again = sweep("2026-11-25 18:00", cap)
        assert again.checked == 0
    assert (DeadlineEvent.objects.count(), Escalation.objects.count(), len(heard)) == rows
    for d in ds:
        assert Escalation.objects.filter(deadline=d).count() == 4


def test_a_sweep_that_read_stale_rows_writes_nothing(cast, heard, django_capture_on_commit_callbacks):
    """Two sweeps at once: B reads the due rows, A finishes first; B's conditional updates all miss."""
    cap = django_capture_on_commit_callbacks
    for n in range(3):
        question(cast, n)
    now = at("2026-11-18 18:00")
    stale = list(Deadline.objects.filter(state="running", next_check_at__lte=now))
    assert len(stale) == 3
    sweep("2026-11-18 18:00", cap)
    rows = (DeadlineEvent.objects.count(), Escalation.objects.count(), len(heard))
    late = services.SweepResult()
    with cap(execute=True):
        services._sweep_batch(stale, now, late)
    assert (late.checked, late.conflicts, late.escalations) == (3, 3, 0)
    assert (DeadlineEvent.objects.count(), Escalation.objects.count(), len(heard)) == rows


def test_a_level_nobody_new_holds_is_passed_over(cast, django_capture_on_commit_callbacks):
    # The owner is the head teacher: the second step goes straight to the school admin.
    d = question(cast, owner="head_teacher_li")
    sweep("2026-11-18 17:30", django_capture_on_commit_callbacks)
    sweep("2026-11-19 17:30", django_capture_on_commit_callbacks)
    assert escalated_to(d) == [("owner", "李娜"), ("school_admin", "刘芳")]
    skipped = d.events.filter(kind="escalated").last().data["skipped"]
    assert skipped == ["head_teacher"]


def test_escalation_follows_the_deadlines_own_school(cast, django_capture_on_commit_callbacks):
    d = question(cast, owner=None, school_class=cast.class_b1)
    sweep("2026-11-25 18:00", django_capture_on_commit_callbacks)
    assert escalated_to(d) == [("head_teacher", "王敏"), ("school_admin", "王强"), ("county_admin", "陈建国")]


def test_after_a_late_answer_the_resolution_clock_escalates_from_where_it_stopped(
    cast, django_capture_on_commit_callbacks
):
    cap = django_capture_on_commit_callbacks
    d = question(cast)
    sweep("2026-11-18 17:30", cap)  # the owner is told
    with time_machine.travel(at("2026-11-19 09:00"), tick=False):
        d = deadline_respond(actor=cast.teacher_he, deadline=d)
    assert d.current_due_kind == "resolution" and d.overdue_at is None and d.escalation_steps == 0
    # Resolution due Mon 23 Nov 17:30 (5 working days from Mon 16 Nov).
    assert sweep("2026-11-23 17:30", cap).overdue == 1
    assert escalated_to(d) == [("owner", "何静"), ("head_teacher", "李娜")]


def test_the_sweep_reads_only_rows_whose_time_has_come(
    cast, django_assert_num_queries, django_capture_on_commit_callbacks
):
    for n in range(30):
        question(cast, n, when="2026-12-01 09:00")  # not due for days
    with time_machine.travel(at("2026-12-01 10:00"), tick=False), django_assert_num_queries(1):
        assert deadline_sweep(actor=None).checked == 0


def test_a_batch_costs_a_fixed_number_of_queries_plus_one_update_per_row(cast, django_assert_max_num_queries):
    for n in range(12):
        question(cast, n)
    with time_machine.travel(at("2026-11-25 18:00"), tick=False):
        # calendar stamp (1) + select batch (1) + people (1) + notified (1) + 12 updates + events + escalations
        # + the empty next batch (1), and savepoints.
        with django_assert_max_num_queries(12 + 10):
            result = deadline_sweep(actor=None, batch_size=50)
    assert result.checked == 12 and result.escalations == 48


def test_small_batches_cover_every_due_row(cast, django_capture_on_commit_callbacks):
    for n in range(7):
        question(cast, n)
    with time_machine.travel(at("2026-11-18 17:30"), tick=False):
        result = deadline_sweep(actor=None, batch_size=2)
    assert result.overdue == 7 and Escalation.objects.count() == 7


def test_the_sweep_task_runs_in_the_real_worker(cast, run_tasks):
    d = question(cast)
    with time_machine.travel(at("2026-11-18 17:31"), tick=False):
        sweep_deadlines.enqueue()
        run_tasks()
    assert escalated_to(d) == [("owner", "何静")]


def test_paused_and_resolved_deadlines_are_not_swept(cast, django_capture_on_commit_callbacks):
    d1, d2 = question(cast, 1), question(cast, 2)
    with time_machine.travel(at("2026-11-17 09:00"), tick=False):
        services.deadline_pause(actor=None, deadline=d1)
        services.deadline_resolve(actor=None, deadline=d2)
    assert sweep("2026-11-30 09:00", django_capture_on_commit_callbacks).checked == 0
    assert not Escalation.objects.exists()
