"""On every login: a roster guardian with the user's mobile number becomes theirs (their children appear)."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver


@receiver(user_logged_in, dispatch_uid="xieyu.accounts.link_roster_guardian")
def link_roster_guardian(sender, request, user, **kwargs) -> None:
    from xieyu.directory.services import guardian_link_user

    guardian_link_user(actor=user, user=user)
