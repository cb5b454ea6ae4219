"""Logging in by a proven mobile number, shared by the SMS-code login page and signing up to join a class."""

from __future__ import annotations

import time

from axes.utils import reset
from django.contrib.auth import login as auth_login

from . import hooks
from .models import User

VERIFIED_PHONE_KEY = "verified_phone"
VERIFIED_PHONE_SECONDS = 15 * 60


def login_verified(request, user: User) -> None:
    """Log in a user who proved their mobile number; it also lifts a password lockout on that number."""
    auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    reset(username=user.phone)


def active_user_for_phone(phone: str) -> User | None:
    return User.objects.filter(phone=phone, is_active=True).first()


def may_receive_login_code(phone: str) -> bool:
    """Whether a login code is really texted: an account, or a guardian the roster recorded with the number."""
    return active_user_for_phone(phone) is not None or hooks.directory.phone_on_roster(phone)


def account_for_proven_phone(phone: str) -> User | None:
    """The account of someone who just proved this number: theirs, or a new one for a guardian on the roster."""
    return active_user_for_phone(phone) or hooks.directory.claim_account(phone)


def remember_verified_phone(request, phone: str) -> None:
    request.session[VERIFIED_PHONE_KEY] = {"phone": phone, "at": int(time.time())}


def verified_phone(request) -> str | None:
    """A number this browser proved in the last 15 minutes and has not yet signed up with."""
    entry = request.session.get(VERIFIED_PHONE_KEY) or {}
    if entry and time.time() - entry.get("at", 0) <= VERIFIED_PHONE_SECONDS:
        return entry.get("phone")
    return None


def forget_verified_phone(request) -> None:
    request.session.pop(VERIFIED_PHONE_KEY, None)
