"""Overdue questions and unopened urgent alerts: the deadline engine's escalation becomes an in-app alert for each
person it tells (for an urgent alert, with an SMS at once)."""

from __future__ import annotations

from django.dispatch import receiver

from xieyu.deadlines.signals import deadline_escalated

from .services import ALERT_TARGET, alerts_for_escalation, alerts_for_unopened

TARGET_TYPE = "questions.question"


@receiver(deadline_escalated, dispatch_uid="questions.alert_on_escalation")
def alert_on_escalation(sender, deadline, user_ids, **kwargs) -> None:
    if not user_ids:
        return
    if deadline.target_type == ALERT_TARGET:  # an urgent alert nobody opened within the hour
        alerts_for_unopened(alert_id=int(deadline.target_id), user_ids=list(user_ids))
        return
    if deadline.target_type != TARGET_TYPE:
        return
    alerts_for_escalation(question_id=int(deadline.target_id), user_ids=list(user_ids))
