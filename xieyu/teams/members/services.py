"""Every write of the members subdomain."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xieyu.audit.services import audit_record

from ..models import BackgroundCheck

CHECK_MAX_YEARS = 3  # a check older than this cannot be recorded as valid


@transaction.atomic
def background_check_record(
    *, actor, user, checked_on: datetime.date, checking_unit: str, valid_until: datetime.date, reference: str = ""
) -> BackgroundCheck:
    """Attest a 入职查询 of a person: the coordinator saw the checking unit's result. The edge has checked that the
    actor coordinates a team (or a school's talent pool) the person belongs to."""
    today = timezone.localdate()
    checking_unit, reference = (checking_unit or "").strip(), (reference or "").strip()
    if not checking_unit:
        raise ValidationError(_("Name the unit that ran the check."), code="checking_unit")
    if len(checking_unit) > 80 or len(reference) > 60:
        raise ValidationError(_("The checking unit or the reference number is too long."), code="checking_unit")
    if checked_on is None or checked_on > today:
        raise ValidationError(_("The date of the check cannot be in the future."), code="checked_on")
    if valid_until is None or valid_until <= checked_on:
        raise ValidationError(_("The check must be valid until a date after it was run."), code="valid_until")
    if valid_until > checked_on.replace(year=checked_on.year + CHECK_MAX_YEARS):
        raise ValidationError(
            _("A check is valid for at most %(years)s years.") % {"years": CHECK_MAX_YEARS}, code="valid_until"
        )
    check = BackgroundCheck.objects.create(
        user=user, checked_on=checked_on, checking_unit=checking_unit, reference=reference, valid_until=valid_until,
        attested_by=actor,
    )  # fmt: skip
    audit_record(
        actor=actor, action="teams.check_record", target=check,
        changes={"user": [None, user.pk], "valid_until": [None, valid_until.isoformat()]},
    )  # fmt: skip
    return check
