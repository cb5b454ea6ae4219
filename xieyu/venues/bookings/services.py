"""Every write to bookings and family days.

A booking holds places from the moment it is asked for (pending) until it is declined or cancelled: the places of a
half-day are counted across ALL live bookings of that venue, date and half-day, under a lock on the venue's row, so
two schools asking for the last places at once cannot both win. A confirmed visit becomes an event of the school
for the class (kind venue_visit), so attendance and feedback run on the events engine and it counts among the
school's activities; cancelling frees the places and cancels the event.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xieyu.accounts.models import Role
from xieyu.accounts.scope import holders
from xieyu.audit.services import audit_record
from xieyu.deadlines.workcalendar import TZ
from xieyu.directory.models import SchoolClass, Town
from xieyu.events.models import Event
from xieyu.events.services import event_cancel, event_create, staff_add
from xieyu.notices.messages import message_send

from ..catalogue.models import PART_TIMES, WEEKDAYS, Part, Venue, VenueSlot
from .access import places_taken
from .models import Booking, FamilyDay

TOPIC = "venues.booking"
FAMILY_DAY_MAX = 5000
REASON_MAX = 200


def _link(booking: Booking) -> str:
    return reverse("venues:booking_detail", args=[booking.pk])


def _when(booking: Booking) -> str:
    return f"{booking.date:%Y-%m-%d} {Part(booking.part).label}"


def _class_name(school_class: SchoolClass) -> str:
    return f"{school_class.grade.name}{school_class.name}"


def _tell_venue(*, actor, booking: Booking, title: str, body: str) -> None:
    """The venue's contacts (or, when it names none, the county admins) hear of a request or a cancellation."""
    venue = booking.venue
    people = list(venue.contacts.order_by("pk")) or list(holders(Role.COUNTY_ADMIN, county_id=venue.county_id))
    for person in people:
        message_send(actor=actor, county_id=venue.county_id, to_user=person, title=title, body=body,
                     link=_link(booking), topic=TOPIC, sender_unit=booking.school.name)  # fmt: skip


def _tell_school(*, actor, booking: Booking, title: str, body: str) -> None:
    if booking.requested_by is None:
        return
    message_send(actor=actor, county_id=booking.venue.county_id, to_user=booking.requested_by, title=title,
                 body=body, link=_link(booking), topic=TOPIC, sender_unit=booking.venue.name)  # fmt: skip


def slot_times(date: datetime.date, part: str) -> tuple[datetime.datetime, datetime.datetime]:
    start, end = PART_TIMES[Part(part)]
    return datetime.datetime.combine(date, start, tzinfo=TZ), datetime.datetime.combine(date, end, tzinfo=TZ)


def check_booking_rules(venue: Venue, *, date, part: str, group_size, today: datetime.date) -> None:
    """The venue's rules for one request (not the places left: those need the lock)."""
    if not isinstance(date, datetime.date):
        raise ValidationError(_("Choose the date of the visit."), code="date")
    if date < today:
        raise ValidationError(_("The date %(date)s has passed.") % {"date": f"{date:%Y-%m-%d}"}, code="date")
    earliest = today + datetime.timedelta(days=venue.min_days_ahead)
    if date < earliest:
        raise ValidationError(
            _("%(venue)s takes bookings at least %(n)s days ahead: the earliest date is %(date)s.")
            % {"venue": venue.name, "n": venue.min_days_ahead, "date": f"{earliest:%Y-%m-%d}"},
            code="date",
        )
    if part not in Part.values:
        raise ValidationError(_("Choose the morning or the afternoon."), code="part")
    if not VenueSlot.objects.filter(venue=venue, weekday=date.weekday(), part=part).exists():
        raise ValidationError(
            _("%(venue)s does not take visits on %(weekday)s %(part)s.")
            % {"venue": venue.name, "weekday": dict(WEEKDAYS)[date.weekday()], "part": Part(part).label},
            code="part",
        )
    if not isinstance(group_size, int) or isinstance(group_size, bool) or not 1 <= group_size <= venue.max_group:
        raise ValidationError(
            _("The group size must be between 1 and %(n)s (the venue's largest group).") % {"n": venue.max_group},
            code="group_size",
        )


@transaction.atomic
def booking_create(
    *,
    actor,
    venue: Venue,
    school_class: SchoolClass,
    date: datetime.date,
    part: str,
    group_size: int,
    note: str = "",
    today: datetime.date | None = None,
) -> Booking:
    """A school admin (or the class's head teacher) asks for a class visit; the edge checked the class is theirs."""
    venue = Venue.objects.select_for_update().get(pk=venue.pk)  # the lock: one request at a time per venue
    if not venue.published:
        raise ValidationError(_("The venue is not open for bookings."), code="venue")
    school = school_class.school
    if school.county_id != venue.county_id:
        raise ValidationError(_("The venue lies in another county: book a venue of your county."), code="venue")
    note = (note or "").strip()
    if len(note) > REASON_MAX:
        raise ValidationError(_("The note is too long: at most %(n)s characters.") % {"n": REASON_MAX}, code="note")
    check_booking_rules(venue, date=date, part=part, group_size=group_size, today=today or timezone.localdate())
    left = venue.capacity - places_taken(venue, date, part)
    if group_size > left:
        raise ValidationError(
            _("Only %(left)s places are left at %(venue)s on %(date)s %(part)s; your group is %(n)s.")
            % {
                "left": max(left, 0),
                "venue": venue.name,
                "date": f"{date:%Y-%m-%d}",
                "part": Part(part).label,
                "n": group_size,
            },  # fmt: skip
            code="group_size",
        )
    booking = Booking.objects.create(venue=venue, school=school, school_class=school_class, date=date, part=part,
                                     group_size=group_size, note=note, requested_by=actor)  # fmt: skip
    audit_record(actor=actor, action="venues.booking_create", target=booking,
                 changes={"status": [None, booking.status], "group_size": [None, group_size]})  # fmt: skip
    _tell_venue(
        actor=actor, booking=booking, title=_("A class visit to confirm"),
        body=_("%(school)s asks to bring %(class)s (%(n)s people) to %(venue)s on %(when)s.")
        % {"school": school.name, "class": _class_name(school_class), "n": group_size, "venue": venue.name,
           "when": _when(booking)},
    )  # fmt: skip
    return booking


def _lock(booking: Booking) -> Booking:
    return (
        Booking.objects.select_for_update().select_related("venue", "school", "school_class__grade").get(pk=booking.pk)
    )


@transaction.atomic
def booking_confirm(*, actor, booking: Booking) -> Booking:
    """The venue's contact (or the county admin) confirms: the visit becomes the school's event for the class."""
    booking = _lock(booking)
    if booking.status != Booking.Status.PENDING:
        raise ValidationError(_("Only a booking awaiting the venue can be confirmed."), code="status")
    venue = booking.venue
    starts_at, ends_at = slot_times(booking.date, booking.part)
    event = event_create(
        actor=actor, kind=Event.Kind.VENUE_VISIT, title=(_("Visit to %(venue)s") % {"venue": venue.name})[:80],
        starts_at=starts_at, ends_at=ends_at, audience=Event.Audience.CLASS, school=booking.school,
        audience_class=booking.school_class, place=f"{venue.name}({venue.address})"[:200],
        description="\n".join(t for t in (venue.terms_text, booking.note) if t), publish=True,
    )  # fmt: skip
    for contact in venue.contacts.order_by("pk"):
        staff_add(actor=actor, event=event, user=contact, role="guide", source=f"venues.booking:{booking.pk}")
    booking.status, booking.event = Booking.Status.CONFIRMED, event
    booking.answered_by, booking.answered_at = actor, timezone.now()
    booking.save(update_fields=["status", "event", "answered_by", "answered_at"])
    audit_record(actor=actor, action="venues.booking_confirm", target=booking,
                 changes={"status": [Booking.Status.PENDING, booking.status]})  # fmt: skip
    _tell_school(
        actor=actor, booking=booking, title=_("Your class visit is confirmed"),
        body=_("%(venue)s confirmed the visit of %(class)s on %(when)s.")
        % {"venue": venue.name, "class": _class_name(booking.school_class), "when": _when(booking)},
    )  # fmt: skip
    return booking


@transaction.atomic
def booking_decline(*, actor, booking: Booking, reason: str) -> Booking:
    booking = _lock(booking)
    if booking.status != Booking.Status.PENDING:
        raise ValidationError(_("Only a booking awaiting the venue can be declined."), code="status")
    reason = (reason or "").strip()
    if not reason or len(reason) > REASON_MAX:
        raise ValidationError(_("Give the school a reason (at most %(n)s characters).") % {"n": REASON_MAX},
                              code="reason")  # fmt: skip
    booking.status, booking.reason = Booking.Status.DECLINED, reason
    booking.answered_by, booking.answered_at = actor, timezone.now()
    booking.save(update_fields=["status", "reason", "answered_by", "answered_at"])
    audit_record(actor=actor, action="venues.booking_decline", target=booking,
                 changes={"status": [Booking.Status.PENDING, booking.status]})  # fmt: skip
    _tell_school(
        actor=actor, booking=booking, title=_("Your class visit was declined"),
        body=_("%(venue)s declined the visit on %(when)s: %(reason)s")
        % {"venue": booking.venue.name, "when": _when(booking), "reason": reason},
    )  # fmt: skip
    return booking


@transaction.atomic
def booking_cancel(*, actor, booking: Booking, reason: str = "") -> Booking:
    """The school (or the county admin) calls the visit off: its places are free again and its event cancelled."""
    booking = _lock(booking)
    if booking.status not in Booking.LIVE:
        raise ValidationError(_("The booking is no longer live."), code="status")
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise ValidationError(_("The reason is too long: at most %(n)s characters.") % {"n": REASON_MAX},
                              code="reason")  # fmt: skip
    old = booking.status
    booking.status, booking.cancelled_at = Booking.Status.CANCELLED, timezone.now()
    if reason:
        booking.reason = reason
    booking.save(update_fields=["status", "cancelled_at", "reason"])
    if booking.event_id:
        event_cancel(actor=actor, event=booking.event)  # type: ignore[arg-type]
    audit_record(actor=actor, action="venues.booking_cancel", target=booking,
                 changes={"status": [old, booking.status]})  # fmt: skip
    _tell_venue(
        actor=actor, booking=booking, title=_("A class visit was cancelled"),
        body=_("%(school)s cancelled the visit of %(class)s on %(when)s.")
        % {"school": booking.school.name, "class": _class_name(booking.school_class), "when": _when(booking)},
    )  # fmt: skip
    return booking


# --- family days ----------------------------------------------------------------------------------------------------


@transaction.atomic
def family_day_create(
    *,
    actor,
    venue: Venue,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    capacity: int,
    town: Town | None = None,
    description: str = "",
) -> FamilyDay:
    """The venue's contact or the county admin opens a day for families: an event for the county (or one town) with
    registration by families on the events engine."""
    if starts_at is None or starts_at < timezone.now():
        raise ValidationError(_("A family day must be in the future."), code="starts_at")
    if capacity is None or not 1 <= capacity <= FAMILY_DAY_MAX:
        raise ValidationError(_("Give the number of families, between 1 and %(n)s.") % {"n": FAMILY_DAY_MAX},
                              code="capacity")  # fmt: skip
    if town is not None and town.county_id != venue.county_id:
        raise ValidationError(_("Choose a town of the venue's county."), code="town")
    event = event_create(
        actor=actor, kind=Event.Kind.VENUE_VISIT, title=title, starts_at=starts_at, ends_at=ends_at,
        audience=Event.Audience.TOWN if town else Event.Audience.COUNTY, county=venue.county, audience_town=town,
        place=f"{venue.name}({venue.address})"[:200], capacity=capacity, description=description, publish=True,
        organiser=Event.Organiser.COUNTY,
    )  # fmt: skip
    day = FamilyDay.objects.create(venue=venue, event=event, created_by=actor)
    for contact in venue.contacts.order_by("pk"):
        staff_add(actor=actor, event=event, user=contact, role="host", source=f"venues.family_day:{day.pk}")
    audit_record(actor=actor, action="venues.family_day_create", target=venue, changes={"event": [None, event.pk]})
    return day
