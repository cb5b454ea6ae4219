"""Overdue referrals: the deadline engine's escalation (the agency's staff, then the county's admins) becomes a
message for each person it names."""

from __future__ import annotations

from django.dispatch import receiver

from xieyu.deadlines.signals import deadline_escalated

from .services import referral_escalation_notify

TARGET_TYPE = "care.referral"


@receiver(deadline_escalated, dispatch_uid="care.referral_escalation")
def referral_escalated(sender, deadline, role, user_ids, due_kind="", **kwargs) -> None:
    if deadline.target_type != TARGET_TYPE or not user_ids:
        return
    referral_escalation_notify(referral_id=int(deadline.target_id), role=role, user_ids=user_ids, due_kind=due_kind)
