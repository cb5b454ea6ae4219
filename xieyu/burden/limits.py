"""The national limits a child's day is read against, by grade level (primary 1–6, junior 7–9, senior 10–12).

Sources (REQUIREMENTS.md, "Policy numbers"): written homework — 双减意见 (2021) item 5: none at home in grades 1–2,
an average of at most 60 minutes a day in grades 3–6 and 90 in junior middle school; sleep and bedtime —
教基厅函〔2021〕11号: primary 10 h and 21:20, junior 9 h and 22:00, senior 8 h and 23:00; physical activity — the
2021 physical-health notice: one hour outside school; phones — the 2021-01 notice: not brought into school in
principle. Kindergartens have no homework limit here (no written homework at all is the rule; the diary does not
ask them). Senior middle school has no national homework number; only sleep and bedtime apply.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Metric(models.TextChoices):
    """What a diary reports about yesterday, each read against its limit."""

    HOMEWORK = "homework", _("written homework")
    SLEEP = "sleep", _("sleep")
    BEDTIME = "bedtime", _("bedtime")
    SCREEN = "screen", _("phone and screen time")
    PHONE_TO_SCHOOL = "phone_to_school", _("phone taken to school")
    OUTDOOR = "outdoor", _("outdoor activity")
    READING = "reading", _("reading")


@dataclass(frozen=True)
class Limits:
    """The limits of one grade level. None: no national number for this level."""

    homework_minutes: int | None  # at most (0: none at home)
    sleep_minutes: int  # at least
    bedtime: datetime.time  # at the latest
    outdoor_minutes: int = 60  # at least, outside school
    phone_to_school: bool = False  # allowed in principle?


PRIMARY_LOWER = Limits(homework_minutes=0, sleep_minutes=600, bedtime=datetime.time(21, 20))
PRIMARY_UPPER = Limits(homework_minutes=60, sleep_minutes=600, bedtime=datetime.time(21, 20))
JUNIOR = Limits(homework_minutes=90, sleep_minutes=540, bedtime=datetime.time(22, 0))
SENIOR = Limits(homework_minutes=None, sleep_minutes=480, bedtime=datetime.time(23, 0))


def limits_for(level: int) -> Limits | None:
    """The limits of a grade level (1 = primary grade one … 12 = senior three); None for kindergartens."""
    if level <= 0:
        return None
    if level <= 2:
        return PRIMARY_LOWER
    if level <= 6:
        return PRIMARY_UPPER
    if level <= 9:
        return JUNIOR
    return SENIOR
