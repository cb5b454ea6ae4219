"""API bearer tokens: the plain token is shown once; only its SHA-256 digest is stored.

A token works for settings.API_TOKEN_DAYS (XIEYU_API_TOKEN_DAYS) after its creation and ends with a password
change, however the password was changed (the profile page, the admin, a management command): it remembers a
digest of the password hash it was created under and is refused once that no longer matches.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from xieyu.audit.services import audit_record

from .models import ApiToken, User

PREFIX = "xy_"


def _digest(plain: str) -> str:
    return hashlib.sha256(plain.encode()).hexdigest()


def password_stamp(user: User) -> str:
    """A digest of the user's stored password hash: it changes whenever the password does."""
    return hashlib.sha256((user.password or "").encode()).hexdigest()


def token_is_live(token: ApiToken, now: datetime.datetime | None = None) -> bool:
    """Not expired, its user active, and the user's password the one it was created under."""
    now = now or timezone.now()
    return (
        token.user.is_active
        and token.created_at > now - datetime.timedelta(days=settings.API_TOKEN_DAYS)
        and constant_time_compare(token.password_stamp, password_stamp(token.user))
    )


@transaction.atomic
def token_create(*, actor: User, user: User, name: str) -> tuple[ApiToken, str]:
    plain = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, digest=_digest(plain), password_stamp=password_stamp(user))
    audit_record(actor=actor, action="api_token.create", target=token, changes={"name": [None, name]})
    return token, plain


@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken) -> None:
    audit_record(actor=actor, action="api_token.revoke", target=token)
    token.delete()


def user_for_token(plain: str) -> User | None:
    """The active user a live bearer token belongs to, or None (unknown, revoked, expired or ended)."""
    if not plain or not plain.startswith(PREFIX) or len(plain) > 200:
        return None
    token = ApiToken.objects.select_related("user").filter(digest=_digest(plain)).first()
    now = timezone.now()
    if token is None or not token_is_live(token, now):
        return None
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
