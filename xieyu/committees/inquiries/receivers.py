"""Overdue inquiries and concerns: the deadline engine's escalation (the school's admins, then the county's) becomes
a message for each person it names."""

from __future__ import annotations

from django.dispatch import receiver

from xieyu.deadlines.signals import deadline_escalated

from .services import concern_escalation_notify, inquiry_escalation_notify

ROUND_TARGET = "committees.round"
CONCERN_TARGET = "committees.concern"


@receiver(deadline_escalated, dispatch_uid="committees.inquiry_escalation")
def inquiry_escalated(sender, deadline, user_ids, **kwargs) -> None:
    if not user_ids:
        return
    if deadline.target_type == ROUND_TARGET:
        inquiry_escalation_notify(round_id=int(deadline.target_id), user_ids=list(user_ids))
    elif deadline.target_type == CONCERN_TARGET:
        concern_escalation_notify(concern_id=int(deadline.target_id), user_ids=list(user_ids))
