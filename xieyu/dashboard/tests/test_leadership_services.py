"""Leadership groups, arrangements and tasks: the rules the services hold, and bad input refused with a Chinese
message that changes nothing."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from xieyu.audit.models import AuditEvent
from xieyu.dashboard.leadership import access, services
from xieyu.dashboard.leadership.models import LeadershipMember, TaskEvidence, WorkPlan, WorkTask
from xieyu.deadlines.models import Deadline
from xieyu.deadlines.services import deadline_for, deadline_sweep
from xieyu.notices.models import Delivery

from .leadership_fixtures import *  # noqa: F403
from .leadership_fixtures import PDF, due_date, event_of, notice_of, soon, year_end

pytestmark = pytest.mark.django_db


def _county_task(cast, county_plan, **kw):
    args = {"title": "开展家庭教育宣传周活动", "due_on": due_date(20), "owner_member": county_plan["member"],
            "schools": [cast.school_a, cast.school_b]}  # fmt: skip
    args.update(kw)
    return services.task_create(actor=cast.county_admin_chen, plan=county_plan["plan"], **args)


def test_a_county_task_assigned_to_every_school_gives_each_its_own_instance_on_the_clock(cast, county_plan):
    task = _county_task(cast, county_plan)
    instances = list(WorkTask.objects.filter(parent=task).order_by("school__name"))
    assert {i.school_id for i in instances} == {cast.school_a.pk, cast.school_b.pk}
    assert all(i.plan.school_id == i.school_id and i.plan.year == task.plan.year for i in instances)
    d = deadline_for(task)
    assert d is not None and d.owner_id is None and d.policy.name == "dashboard.task"  # 钟德育 has no account
    assert {deadline_for(i).school_id for i in instances} == {cast.school_a.pk, cast.school_b.pk}
    # assigning again skips the schools that have it
    assert services.task_assign(actor=cast.county_admin_chen, task=task, schools=[cast.school_a]) == []


def test_the_leader_seat_is_linked_to_the_account_of_its_phone_and_owns_the_clock(cast, county_plan):
    assert county_plan["leader"].user == cast.county_admin_chen and county_plan["leader"].name == "陈建国"
    task = _county_task(cast, county_plan, owner_member=county_plan["leader"], schools=None)
    assert deadline_for(task).owner == cast.county_admin_chen


def test_a_new_task_due_in_the_past_is_refused_and_nothing_is_written(cast, county_plan):
    before = (WorkTask.objects.count(), Deadline.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as exc:
        _county_task(cast, county_plan, due_on=soon(-1))
    assert "截止日期已过" in " ".join(exc.value.messages)
    assert (WorkTask.objects.count(), Deadline.objects.count(), AuditEvent.objects.count()) == before


def test_a_due_date_after_the_academic_year_is_refused(cast, county_plan):
    plan = county_plan["plan"]
    with pytest.raises(ValidationError) as exc:
        _county_task(cast, county_plan, due_on=datetime.date(plan.year + 1, 9, 1))
    assert "学年" in " ".join(exc.value.messages)


def test_an_owner_from_another_group_is_refused(cast, county_plan, school_plan):
    other = LeadershipMember.objects.filter(group=school_plan["group"]).first()
    with pytest.raises(ValidationError) as exc:
        _county_task(cast, county_plan, owner_member=other)
    assert "领导小组" in " ".join(exc.value.messages)
    assert not WorkTask.objects.exists()


def test_completing_without_evidence_is_refused_and_the_task_stays_open(cast, county_plan):
    instance = WorkTask.objects.get(parent=_county_task(cast, county_plan), school=cast.school_a)
    with pytest.raises(ValidationError) as exc:
        services.task_complete(actor=cast.school_admin_liu, task=instance)
    assert "证明材料" in " ".join(exc.value.messages)
    instance.refresh_from_db()
    assert instance.status == WorkTask.Status.NOT_STARTED and deadline_for(instance).is_open


def test_evidence_from_another_schools_event_or_notice_is_refused(cast, county_plan):
    instance = WorkTask.objects.get(parent=_county_task(cast, county_plan), school=cast.school_a)
    theirs = event_of(cast, cast.school_b)
    with pytest.raises(ValidationError) as exc:
        services.evidence_add(actor=cast.school_admin_liu, task=instance, kind="event", event=theirs)
    assert "活动" in " ".join(exc.value.messages)
    their_notice = notice_of(cast, cast.school_b, cast.school_admin_wang)
    with pytest.raises(ValidationError):
        services.evidence_add(actor=cast.school_admin_liu, task=instance, kind="notice", notice=their_notice)
    assert not TaskEvidence.objects.exists()
    assert theirs not in access.evidence_events_for(instance) and their_notice not in access.evidence_notices_for(
        instance
    )


def test_a_document_outside_the_allow_list_is_refused(cast, county_plan):
    instance = WorkTask.objects.get(parent=_county_task(cast, county_plan), school=cast.school_a)
    page = SimpleUploadedFile("总结.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")
    with pytest.raises(ValidationError):
        services.evidence_add(actor=cast.school_admin_liu, task=instance, kind="document", file=page)
    assert not TaskEvidence.objects.exists()


def test_the_school_completes_its_instance_with_its_own_event_and_the_clock_resolves(cast, county_plan):
    task = _county_task(cast, county_plan)
    instance = WorkTask.objects.get(parent=task, school=cast.school_a)
    services.evidence_add(actor=cast.school_admin_liu, task=instance, kind="event", event=event_of(cast, cast.school_a))
    assert instance.status == WorkTask.Status.IN_PROGRESS
    services.evidence_add(actor=cast.school_admin_liu, task=instance, kind="document",
                          file=SimpleUploadedFile("宣传周总结.pdf", PDF))  # fmt: skip
    services.task_complete(actor=cast.school_admin_liu, task=instance)
    instance.refresh_from_db()
    assert instance.status == WorkTask.Status.DONE and instance.done_by == cast.school_admin_liu
    assert deadline_for(instance).state == Deadline.State.RESOLVED
    with pytest.raises(ValidationError):
        services.task_status_set(actor=cast.school_admin_liu, task=instance, status="in_progress")
    row = {r["school_id"]: r for r in access.task_progress_by_school(cast.county, task.plan.year)}
    assert row[cast.school_a.pk]["done"] == 1 and row[cast.school_b.pk]["open"] == 1
    progress = access.county_task_progress(cast.county, task.plan.year).get(pk=task.pk)
    assert (progress.n_schools, progress.n_done, progress.n_open, progress.n_late) == (2, 1, 1, 0)


def test_late_schools_are_reminded_by_the_county_and_escalated_by_the_engine(cast, county_plan,
                                                                              django_capture_on_commit_callbacks):  # fmt: skip
    task = _county_task(cast, county_plan, due_on=due_date(3))
    instance_b = WorkTask.objects.get(parent=task, school=cast.school_b)
    d = deadline_for(instance_b)

    def messages_to(user, topic, task=None):
        rows = Delivery.objects.filter(user=user, notice__topic=topic)
        return (rows.filter(notice__link=services.task_url(task)) if task else rows).count()

    with pytest.raises(ValidationError):  # nobody is late yet
        services.task_remind_late(actor=cast.county_admin_chen, task=task)
    with time_machine.travel(d.resolution_due + datetime.timedelta(days=1), tick=False):
        assert {i.school_id for i in access.late_instances(task)} == {cast.school_a.pk, cast.school_b.pk}
        assert services.task_remind_late(actor=cast.county_admin_chen, task=task) == 2
        with django_capture_on_commit_callbacks(execute=True):
            deadline_sweep()
    assert messages_to(cast.school_admin_wang, services.REMINDER_TOPIC) == 1
    assert messages_to(cast.school_admin_liu, services.REMINDER_TOPIC) == 1
    # the instance has no owner: the first rung is skipped, the school's admins are told
    assert messages_to(cast.school_admin_wang, services.ESCALATION_TOPIC) == 1
    assert messages_to(cast.county_admin_chen, services.ESCALATION_TOPIC, instance_b) == 0
    assert messages_to(cast.county_admin_chen, services.ESCALATION_TOPIC, task) == 1  # the county's own task
    with time_machine.travel(d.resolution_due + datetime.timedelta(days=12), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            deadline_sweep()
    assert messages_to(cast.county_admin_chen, services.ESCALATION_TOPIC, instance_b) == 1


def test_one_leader_at_a_time_and_ended_seats_stay_in_the_history(cast, county_plan):
    group = county_plan["group"]
    with pytest.raises(ValidationError) as exc:
        services.member_add(actor=cast.county_admin_chen, group=group, name="刘副局长", post="leader",
                            term_start=soon(-1), term_end=year_end())  # fmt: skip
    assert "组长" in " ".join(exc.value.messages)
    services.member_end(actor=cast.county_admin_chen, member=county_plan["leader"], note="工作调动")
    assert county_plan["leader"] not in access.current_members(group)
    assert county_plan["leader"] in access.past_members(group)
    services.member_add(actor=cast.county_admin_chen, group=group, name="刘副局长", post="leader",
                        term_start=soon(0), term_end=year_end())  # fmt: skip


@pytest.mark.parametrize("field, value, words", [
    ("term_end", "before", "早于"), ("phone", "abc", "电话"), ("post", "boss", "职务"),
])  # fmt: skip
def test_bad_member_input_is_refused_in_chinese(cast, county_plan, field, value, words):
    args = {"name": "新成员", "post": "member", "term_start": soon(0), "term_end": year_end(), "phone": ""}
    args[field] = soon(-10) if value == "before" else value
    n = LeadershipMember.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.member_add(actor=cast.county_admin_chen, group=county_plan["group"], **args)
    assert words in " ".join(exc.value.messages)
    assert LeadershipMember.objects.count() == n


def test_one_group_and_one_arrangement_per_unit_and_year(cast, county_plan):
    with pytest.raises(ValidationError):
        services.group_create(actor=cast.county_admin_chen, county_id=cast.county.pk, name="又一个")
    with pytest.raises(ValidationError):
        services.plan_create(actor=cast.county_admin_chen, county_id=cast.county.pk, year=county_plan["plan"].year)
    assert WorkPlan.objects.count() == 1
