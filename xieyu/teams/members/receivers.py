"""A background check's clock (teams.check_expiry) becomes messages: due soon, the person is reminded; overdue, the
person and then the county's admins are told."""

from __future__ import annotations

from django.dispatch import receiver

from xieyu.deadlines.signals import deadline_due_soon, deadline_escalated

from .services import CHECK_TARGET, check_reminder_notify


@receiver(deadline_due_soon, dispatch_uid="teams.check_due_soon")
def check_due_soon(sender, deadline, user_ids, **kwargs) -> None:
    if deadline.target_type == CHECK_TARGET and user_ids:
        check_reminder_notify(check_id=int(deadline.target_id), user_ids=user_ids, escalated=False)


@receiver(deadline_escalated, dispatch_uid="teams.check_escalated")
def check_escalated(sender, deadline, user_ids, **kwargs) -> None:
    if deadline.target_type == CHECK_TARGET and user_ids:
        check_reminder_notify(check_id=int(deadline.target_id), user_ids=user_ids, escalated=True)
