"""Writing audit and access records. Called from other domains' services, inside their transactions."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
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
    return {f: _plain(getattr(obj, obj._meta.get_field(f).attname)) for f in fields}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def audit_record(
    *, actor, action: str, target: models.Model, changes: dict[str, list[Any]] | None = None
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_repr=str(target)[:200],
        changes=changes or {},
    )


def audit_bulk(*, actor, action: str, targets: Iterable[models.Model], changes_for=None) -> None:
    """One audit row per target, written with one bulk insert (imports)."""
    actor_id = getattr(actor, "pk", None)
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                actor_id=actor_id,
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


def access_record(*, actor, target: models.Model, purpose: str, request=None) -> AccessEvent:
    ip = client_address(request) if request is not None else None
    return AccessEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        purpose=purpose,
        ip=ip,
    )
