"""Every write of after-school service: a school's weekly schedule, and the county's off-work time (which re-reads
every schedule of the county against it)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xieyu.audit.services import audit_record
from xieyu.directory.models import Region, School

from .models import DEFAULT_OFF_WORK, MIN_MINUTES, WEEKDAYS, AfterschoolSchedule, AfterschoolSetting

EARLIEST = datetime.time(12, 0)
LATEST = datetime.time(22, 0)
NOTES_CHARS = 500
DAY_NAMES = dict(WEEKDAYS)


def off_work_time_of(county_id: int) -> datetime.time:
    setting = AfterschoolSetting.objects.filter(county_id=county_id).first()
    return setting.off_work_time if setting else DEFAULT_OFF_WORK


def _minutes(t: datetime.time) -> int:
    return t.hour * 60 + t.minute


def _parse(value: str) -> datetime.time:
    return datetime.time.fromisoformat(value)


def _derive(schedule: AfterschoolSchedule, off_work: datetime.time) -> None:
    held = [d for d in schedule.days if d["held"]]
    lengths = [_minutes(_parse(d["end"])) - _minutes(_parse(d["start"])) for d in held]
    ends = [_parse(d["end"]) for d in held]
    schedule.days_held = len(held)
    schedule.shortest_minutes = min(lengths) if lengths else None
    schedule.earliest_end = min(ends) if ends else None
    schedule.is_short = any(n < MIN_MINUTES for n in lengths)
    schedule.not_every_day = len(held) < len(WEEKDAYS)
    schedule.ends_early = any(e < off_work for e in ends)
    schedule.meets_rule = not (schedule.is_short or schedule.not_every_day or schedule.ends_early)


def _clean_days(days: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_day = {d.get("day"): d for d in days}
    cleaned = []
    for number, name in WEEKDAYS:
        d = by_day.get(number) or {"held": False}
        held = bool(d.get("held"))
        start, end = d.get("start"), d.get("end")
        for t in (start, end):
            if t is not None and not isinstance(t, datetime.time):
                raise ValidationError(_("%(day)s: give times like 16:30.") % {"day": name})
        if held and (start is None or end is None):
            raise ValidationError(
                _("%(day)s: a day the service is held needs a start and an end time.") % {"day": name}
            )
        for t in (start, end):
            if t is not None and not EARLIEST <= t <= LATEST:
                raise ValidationError(_("%(day)s: times must lie between 12:00 and 22:00.") % {"day": name})
        if start is not None and end is not None and end <= start:
            raise ValidationError(_("%(day)s: the end time must be after the start time.") % {"day": name})
        cleaned.append({
            "day": number, "held": held,
            "start": start.strftime("%H:%M") if start else "", "end": end.strftime("%H:%M") if end else "",
        })  # fmt: skip
    return cleaned


@transaction.atomic
def schedule_save(*, actor, school: School, days: list[dict[str, Any]], notes: str = "") -> AfterschoolSchedule:
    """Save a school's weekly schedule. `days`: {"day": 1..5, "held": bool, "start": time|None, "end": time|None}."""
    cleaned = _clean_days(days)
    notes = (notes or "").strip()
    if len(notes) > NOTES_CHARS or "\x00" in notes:
        raise ValidationError(_("Notes: at most %(n)s characters, plain text.") % {"n": NOTES_CHARS})
    schedule = AfterschoolSchedule.objects.select_for_update().filter(school=school).first()
    old = schedule.days if schedule else None
    if schedule is None:
        schedule = AfterschoolSchedule(school=school, county_id=school.county_id)
    schedule.days, schedule.notes, schedule.updated_by, schedule.updated_at = cleaned, notes, actor, timezone.now()
    _derive(schedule, off_work_time_of(school.county_id))
    schedule.save()
    audit_record(actor=actor, action="afterschool.schedule.save", target=schedule, changes={"days": [old, cleaned]})
    return schedule


@transaction.atomic
def off_work_time_set(*, actor, county: Region, off_work_time: datetime.time) -> AfterschoolSetting:
    if not isinstance(off_work_time, datetime.time) or not EARLIEST <= off_work_time <= LATEST:
        raise ValidationError(_("Off-work time: give a time between 12:00 and 22:00, like 17:30."))
    setting, _created = AfterschoolSetting.objects.select_for_update().get_or_create(county=county)
    old = setting.off_work_time
    setting.off_work_time, setting.updated_by, setting.updated_at = off_work_time, actor, timezone.now()
    setting.save()
    schedules = list(AfterschoolSchedule.objects.filter(county=county))
    for s in schedules:
        _derive(s, off_work_time)
    AfterschoolSchedule.objects.bulk_update(
        schedules, ["days_held", "shortest_minutes", "earliest_end", "is_short", "not_every_day", "ends_early",
                    "meets_rule"], batch_size=500,
    )  # fmt: skip
    audit_record(actor=actor, action="afterschool.off_work.set", target=setting,
                 changes={"off_work_time": [old.strftime("%H:%M"), off_work_time.strftime("%H:%M")]})  # fmt: skip
    return setting
