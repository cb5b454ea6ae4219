"""Every write to users, memberships and one-time login codes."""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from xieyu.audit.services import audit_record

from .models import ROLE_SCOPE, LoginCode, Membership, Role, User
from .scope import forget_scope
from .sms import get_sender

# At most one code per number a minute, ten a day (the county's SMS budget and the number's owner both
# deserve protection from a script).
CODE_SEND_INTERVAL_SECONDS = 60
CODE_DAILY_LIMIT = 10


@transaction.atomic
def user_create(*, actor, phone: str, name: str, password: str | None = None) -> User:
    user = User.objects.create_user(phone=phone, name=name, password=password)
    audit_record(actor=actor, action="user.create", target=user)
    return user


@transaction.atomic
def user_sign_up(*, phone: str, name: str, password: str) -> User:
    """A person creates their own account after proving the mobile number is theirs (SMS code)."""
    user = User.objects.create_user(phone=phone, name=name.strip(), password=password)
    audit_record(actor=user, action="user.sign_up", target=user, changes={"name": [None, user.name]})
    return user


@transaction.atomic
def user_set_password(*, actor, user: User, password: str) -> User:
    """Set a new password (the caller has validated it against AUTH_PASSWORD_VALIDATORS)."""
    had_password = user.has_usable_password()
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(actor=actor, action="user.password_change" if had_password else "user.password_set", target=user)
    return user


@transaction.atomic
def user_set_care_mode(*, actor, user: User, on: bool) -> User:
    """Remember the large-text, high-contrast view (关怀版) for this user on every device."""
    if user.care_mode != on:
        user.care_mode = on
        user.save(update_fields=["care_mode"])
        audit_record(actor=actor, action="user.care_mode", target=user, changes={"care_mode": [not on, on]})
    return user


@transaction.atomic
def membership_grant(*, actor, user: User, role: Role, unit) -> Membership:
    """Give a user a role in an org unit (the unit's kind follows the role: ROLE_SCOPE)."""
    scope_field = ROLE_SCOPE[Role(role)]
    membership, created = Membership.objects.get_or_create(user=user, role=role, **{scope_field: unit})
    if not created and membership.is_active:
        return membership
    membership.is_active = True
    membership.save()
    audit_record(
        actor=actor,
        action="membership.grant",
        target=membership,
        changes={"role": [None, str(role)], scope_field: [None, unit.pk]},
    )
    forget_scope(user)
    return membership


@transaction.atomic
def membership_revoke(*, actor, membership: Membership) -> Membership:
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    audit_record(actor=actor, action="membership.revoke", target=membership, changes={"is_active": [True, False]})
    forget_scope(membership.user)
    return membership


# --- One-time SMS codes ---------------------------------------------------------------------------------


class CodeRefused(Exception):
    """No code was sent; the message says why, in words a guardian understands."""


@dataclass(frozen=True)
class CodeCheck:
    ok: bool
    error: str = ""


def _code_hash(phone: str, code: str) -> str:
    return salted_hmac("xieyu.accounts.login_code", f"{phone}:{code}", algorithm="sha256").hexdigest()


def _start_of_local_day(now: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)


def code_limits_check(codes: QuerySet, *, now: datetime.datetime, daily_message: str = "") -> None:
    """Refuse another one-time code for a number past the limits (one a minute, CODE_DAILY_LIMIT a day): `codes` are
    the number's codes (LoginCode, or any model with `created_at`). Raises CodeRefused with the reason."""
    last = codes.order_by("-created_at").first()
    if last is not None:
        wait = CODE_SEND_INTERVAL_SECONDS - int((now - last.created_at).total_seconds())
        if wait > 0:
            raise CodeRefused(
                ngettext(
                    "A code was sent less than a minute ago. Please wait %(seconds)d second before asking again.",
                    "A code was sent less than a minute ago. Please wait %(seconds)d seconds before asking again.",
                    wait,
                )
                % {"seconds": wait}
            )
    if codes.filter(created_at__gte=_start_of_local_day(now)).count() >= CODE_DAILY_LIMIT:
        raise CodeRefused(
            (
                daily_message
                or _(
                    "This number has asked for %(limit)d codes today, the most allowed. "
                    "Please try again tomorrow or log in with your password."
                )
            )
            % {"limit": CODE_DAILY_LIMIT}
        )


def code_check(codes: QuerySet, *, code_hash: str, now: datetime.datetime) -> CodeCheck:
    """Check a code (as its hash) against the latest unused one of `codes` (LoginCode, or any model with the same
    `code_hash`, `expires_at`, `attempts` and `used_at`): right, unused, in time, fewer than the allowed wrong tries.
    A wrong try is counted; the right code is used up."""
    limit = settings.LOGIN_CODE_MAX_ATTEMPTS
    latest = codes.filter(used_at__isnull=True).order_by("-created_at").first()
    if latest is None or latest.expires_at <= now:
        return CodeCheck(False, _("The code has expired or was never sent. Please ask for a new code."))
    if latest.attempts >= limit:
        return CodeCheck(False, _("The code was entered wrongly too many times. Please ask for a new code."))
    rows = type(latest).objects.filter(pk=latest.pk)
    if not constant_time_compare(code_hash, latest.code_hash):
        rows.update(attempts=F("attempts") + 1)
        left = limit - latest.attempts - 1
        if left <= 0:
            return CodeCheck(False, _("The code was entered wrongly too many times. Please ask for a new code."))
        return CodeCheck(
            False,
            ngettext(
                "The code is wrong. You may try %(left)d more time.",
                "The code is wrong. You may try %(left)d more times.",
                left,
            )
            % {"left": left},
        )
    if not rows.filter(used_at__isnull=True).update(used_at=now):
        return CodeCheck(False, _("The code has expired or was never sent. Please ask for a new code."))
    return CodeCheck(True)


@transaction.atomic
def login_code_create(*, phone: str) -> str:
    """A new six-digit code for this number (only its hash is stored); raises CodeRefused past the limits."""
    now = timezone.now()
    code_limits_check(LoginCode.objects.filter(phone=phone), now=now)
    code = f"{secrets.randbelow(10**6):06d}"
    LoginCode.objects.create(
        phone=phone,
        code_hash=_code_hash(phone, code),
        created_at=now,
        expires_at=now + datetime.timedelta(seconds=settings.LOGIN_CODE_TTL_SECONDS),
    )
    return code


def login_code_send(*, phone: str, deliver: bool = True) -> None:
    """Issue a code and text it to the number. With deliver=False the code is issued and thrown away, so a
    number without an account meets the same limits and answers as one with an account, and gets no SMS.
    """

    code = login_code_create(phone=phone)  # committed before the gateway is called
    if deliver:
        minutes = settings.LOGIN_CODE_TTL_SECONDS // 60
        text = _(
            "[XieYu] Your verification code is %(code)s, valid for %(minutes)d minutes. Do not tell it to anyone."
        ) % {"code": code, "minutes": minutes}
        get_sender().send(phone, text)


@transaction.atomic
def login_code_verify(*, phone: str, code: str) -> CodeCheck:
    """Check the latest code sent to this number (code_check)."""
    return code_check(
        LoginCode.objects.filter(phone=phone), code_hash=_code_hash(phone, (code or "").strip()), now=timezone.now()
    )
