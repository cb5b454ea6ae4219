"""Writing audit and access records. Called from other domains' services, inside their transactions.

Each row carries a snapshot of its actor (id, name, staff roles) so it reads the same after the user is deleted.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from django.db import models

from xieyu.core.clientip import client_address

from .models import AccessEvent, AuditEvent


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """Field values (foreign keys as ids) to diff against after a change."""
    return {f: _plain(getattr(obj, _concrete(obj, f).attname)) for f in fields}


def _concrete(obj: models.Model, name: str) -> models.Field:
    field = obj._meta.get_field(name)
    if not isinstance(field, models.Field):  # a reverse relation or a generic key holds no value on the row
        raise TypeError(f"{name} is not a column of {obj._meta.label}")
    return field


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


# The staff roles a user holds now, as "role:unit id" strings. Accounts (a layer above) fills it from the one scope
# when it loads; until then rows record no roles.
_roles_of: Callable[[Any], list[str]] = lambda actor: []  # noqa: E731


def register_roles_of(fn: Callable[[Any], list[str]]) -> None:
    global _roles_of
    _roles_of = fn


def actor_snapshot(actor) -> dict[str, Any]:
    """The actor as an audit row keeps it: id, name and the staff roles held now ("role:unit id", comma-joined).

    The roles come from the one scope (no query when this request has already asked who the user is; one when it
    has not). A missing actor, an anonymous user or the system gives blanks.
    """
    if not getattr(actor, "pk", None):
        return {"actor": None, "actor_name": "", "actor_roles": ""}
    roles = _roles_of(actor)
    return {
        "actor": actor,
        "actor_name": (getattr(actor, "name", "") or "")[:100],
        "actor_roles": ",".join(dict.fromkeys(roles))[:200],
    }


def audit_record(
    *, actor, action: str, target: models.Model, changes: dict[str, list[Any]] | None = None
) -> AuditEvent:
    return AuditEvent.objects.create(
        **actor_snapshot(actor),
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_repr=str(target)[:200],
        changes=changes or {},
    )


def audit_bulk(*, actor, action: str, targets: Iterable[models.Model], changes_for=None) -> None:
    """One audit row per target, written with one bulk insert (imports)."""
    who = actor_snapshot(actor)
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                **who,
                action=action,
                target_type=t._meta.label_lower,
                target_id=str(t.pk),
                target_repr=str(t)[:200],
                changes=changes_for(t) if changes_for else {},
            )
            for t in targets
        ],
        batch_size=1000,
    )


def access_record(
    *, actor, target: models.Model, purpose: str, request=None, detail: dict[str, Any] | None = None
) -> AccessEvent:
    ip = client_address(request) if request is not None else None
    return AccessEvent.objects.create(
        **actor_snapshot(actor),
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        purpose=purpose,
        detail=detail,
        ip=ip,
    )


def access_bulk(*, actor, targets: Iterable[models.Model], purpose: str, request=None) -> None:
    """access_record for several targets shown at once (one insert)."""
    ip = client_address(request) if request is not None else None
    who = actor_snapshot(actor)
    AccessEvent.objects.bulk_create(
        [
            AccessEvent(**who, target_type=t._meta.label_lower, target_id=str(t.pk), purpose=purpose, ip=ip)
            for t in targets
        ]
    )
