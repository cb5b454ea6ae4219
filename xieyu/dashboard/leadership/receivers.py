"""Overdue tasks: the deadline engine's escalation (the owner, the school's admins, then the county's) becomes a
message for each person it names."""

from __future__ import annotations

from django.dispatch import receiver

from xieyu.deadlines.signals import deadline_escalated

from .services import task_escalation_notify

TASK_TARGET = "dashboard.worktask"


@receiver(deadline_escalated, dispatch_uid="dashboard.task_escalated")
def task_escalated(sender, deadline, user_ids, **kwargs) -> None:
    if deadline.target_type == TASK_TARGET and user_ids:
        task_escalation_notify(task_id=int(deadline.target_id), user_ids=list(user_ids))
