"""On every login: a roster guardian with the user's mobile number becomes theirs (their children appear)."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .services import guardian_link_user


@receiver(user_logged_in, dispatch_uid="xieyu.directory.link_roster_guardian")
def link_roster_guardian(sender, request, user, **kwargs) -> None:
    guardian_link_user(actor=user, user=user)
