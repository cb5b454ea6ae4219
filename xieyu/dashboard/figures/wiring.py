"""What the figures connect when the app loads: the nightly rollup of every county, and the on-write refresh.

On write: a save of one of a few key rows (an attendance, a parent-school session or school, a rated or answered
question, a topic request, an inquiry tally, a registry entry, a venue booking, a survey answer) marks its county's
area dirty once (a cache key that lives for the debounce window) and, after the transaction commits, enqueues one
refresh of that area's metrics in that county to run when the window ends. A burst of writes (a session's check-in of
300 families) costs one recomputation of one area, not 300 of the whole board; bulk imports that skip `save()` are
caught by the nightly run."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone

NIGHTLY_SECONDS = 24 * 60 * 60
DEBOUNCE_SECONDS = 5 * 60


def county_touched(county_id: int | None, area: str) -> None:
    """Ask for one refresh of the area's figures in the county at the end of the debounce window (once per window)."""
    if not county_id:
        return
    from .tasks import DIRTY_KEY, dashboard_refresh_county

    if not cache.add(DIRTY_KEY % (county_id, area), 1, DEBOUNCE_SECONDS):
        return
    run_after = timezone.now() + datetime.timedelta(seconds=DEBOUNCE_SECONDS)
    transaction.on_commit(lambda: dashboard_refresh_county.using(run_after=run_after).enqueue(county_id, area))


_SCHOOL_COUNTY: dict[int, int] = {}  # a school never changes county: remembered per process
_EVENT_COUNTY: dict[int, int] = {}


def _cached_county(instance, field: str) -> int | None:
    """The county of a related row already loaded on the instance (created with `event=event`): no query."""
    related = instance._state.fields_cache.get(field)
    county_id = getattr(related, "county_id", None)
    return int(county_id) if county_id else None


def _county_of(instance) -> int | None:
    """The county of a saved row, without a query where the row carries it or has its event or school loaded; else
    one small query per event or school and process (remembered: neither ever changes county)."""
    if getattr(instance, "county_id", None):
        return int(instance.county_id)
    event_id = getattr(instance, "event_id", None)
    if event_id:
        if event_id not in _EVENT_COUNTY:
            from xieyu.events.models import Event

            _EVENT_COUNTY[event_id] = _cached_county(instance, "event") or (
                Event.objects.filter(pk=event_id).values_list("county_id", flat=True).first() or 0
            )
        return _EVENT_COUNTY[event_id] or None
    school_id = getattr(instance, "school_id", None)
    if school_id is None and getattr(instance, "parent_school_id", None):
        school_id = instance.parent_school.school_id
    if school_id:
        if school_id not in _SCHOOL_COUNTY:
            from xieyu.directory.models import School

            _SCHOOL_COUNTY[school_id] = _cached_county(instance, "school") or (
                School.objects.filter(pk=school_id).values_list("county_id", flat=True).first() or 0
            )
        return _SCHOOL_COUNTY[school_id] or None
    return None


_AREA_OF: dict[Any, str] = {}  # the model saved → the area whose metrics read it (filled in connect)


def _on_save(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        county_touched(_county_of(instance), _AREA_OF[sender])


def connect() -> None:
    from xieyu.care.registry.models import RegistryEntry
    from xieyu.committees.inquiries.models import InquiryTally
    from xieyu.core.scheduler import register
    from xieyu.events.models import Attendance
    from xieyu.parentschool.models import ParentSchool, Session
    from xieyu.questions.asking.models import Question
    from xieyu.questions.topics.models import TopicRequest
    from xieyu.surveys.models import Response
    from xieyu.venues.bookings.models import Booking

    from . import evaluation  # noqa: F401  registers the family evaluation's metrics
    from .tasks import dashboard_refresh_all

    register("dashboard.nightly", every=NIGHTLY_SECONDS, enqueue=dashboard_refresh_all.enqueue)
    _AREA_OF.update({
        Attendance: "parentschool", Session: "parentschool", ParentSchool: "parentschool", Question: "questions",
        TopicRequest: "questions", InquiryTally: "committees", RegistryEntry: "care", Booking: "community",
        Response: "evaluation",
    })  # fmt: skip
    for model in _AREA_OF:
        post_save.connect(_on_save, sender=model, dispatch_uid=f"dashboard.figures.{model._meta.label_lower}")
