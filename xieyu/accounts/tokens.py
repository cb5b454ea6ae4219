"""API bearer tokens: the plain token is shown once; only its SHA-256 digest is stored."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from xieyu.audit.services import audit_record

from .models import ApiToken, User

PREFIX = "xy_"


def _digest(plain: str) -> str:
    return hashlib.sha256(plain.encode()).hexdigest()


@transaction.atomic
def token_create(*, actor: User, user: User, name: str) -> tuple[ApiToken, str]:
    plain = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, digest=_digest(plain))
    audit_record(actor=actor, action="api_token.create", target=token, changes={"name": [None, name]})
    return token, plain


@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken) -> None:
    audit_record(actor=actor, action="api_token.revoke", target=token)
    token.delete()


def user_for_token(plain: str) -> User | None:
    """The active user a bearer token belongs to, or None."""
    if not plain or not plain.startswith(PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(digest=_digest(plain), user__is_active=True).first()
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
