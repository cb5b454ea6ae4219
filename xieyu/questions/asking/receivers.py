"""Overdue questions: the deadline engine's escalation becomes an in-app alert for each person it tells."""

from __future__ import annotations

from django.dispatch import receiver

from xieyu.deadlines.signals import deadline_escalated

from .services import alerts_for_escalation

TARGET_TYPE = "questions.question"


@receiver(deadline_escalated, dispatch_uid="questions.alert_on_escalation")
def alert_on_escalation(sender, deadline, user_ids, **kwargs) -> None:
    if deadline.target_type != TARGET_TYPE or not user_ids:
        return
    alerts_for_escalation(question_id=int(deadline.target_id), user_ids=list(user_ids))
