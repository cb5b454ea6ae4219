"""Who may see, book, answer and cancel which class visit, and see which family day.

- A school admin sees and books for her school's classes; a head teacher for her class only.
- A venue contact sees and answers the bookings of the venues that name her; the county admin sees her county's
  bookings (the overview) and may answer them too.
- Guardians see no bookings (a confirmed visit reaches them as the class's event).
Missing and forbidden both answer 404.
"""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from xieyu.accounts.models import Role
from xieyu.accounts.scope import scope_of
from xieyu.core.viewhelpers import parse_id
from xieyu.directory.models import SchoolClass
from xieyu.events import access as events_access
from xieyu.events.models import Event

from ..catalogue.access import admin_counties, venues_visible_to
from ..catalogue.models import Venue
from .models import Booking, FamilyDay

VIEW, ANSWER, CANCEL = "view", "answer", "cancel"


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _contact_venues(user):
    return Venue.contacts.through.objects.filter(user=user).values("venue")


def _school_side_q(user) -> Q:
    scope = scope_of(user)
    q = Q(pk__in=[])
    if schools := scope.whole_schools(Role.SCHOOL_ADMIN):
        q |= Q(school__in=schools)
    if classes := scope.classes(Role.HEAD_TEACHER):
        q |= Q(school_class__in=classes)
    return q


def _answer_q(user) -> Q:
    q = Q(pk__in=[])
    if counties := admin_counties(user):
        q |= Q(venue__county__in=counties)
    if scope_of(user).has(Role.VENUE_CONTACT):
        q |= Q(venue__in=_contact_venues(user))
    return q


def bookings_visible_to(user) -> QuerySet[Booking]:
    if not _authenticated(user):
        return Booking.objects.none()
    return Booking.objects.filter(_school_side_q(user) | _answer_q(user))


def bookings_answerable_by(user) -> QuerySet[Booking]:
    if not _authenticated(user):
        return Booking.objects.none()
    return Booking.objects.filter(_answer_q(user))


def bookings_cancellable_by(user) -> QuerySet[Booking]:
    """The school side (school admin, head teacher of the class) and the county admin."""
    if not _authenticated(user):
        return Booking.objects.none()
    q = _school_side_q(user)
    if counties := admin_counties(user):
        q |= Q(venue__county__in=counties)
    return Booking.objects.filter(q)


def get_booking_for(user, pk, *, action: str = VIEW) -> Booking:
    qs = {VIEW: bookings_visible_to, ANSWER: bookings_answerable_by, CANCEL: bookings_cancellable_by}[action](user)
    booking = (
        qs.select_related("venue", "venue__county", "venue__town", "school", "school_class__grade", "requested_by")
        .filter(pk=parse_id(pk) or 0)
        .first()
    )
    if booking is None:
        raise Http404("booking not found")
    return booking


def may(user, booking: Booking, action: str) -> bool:
    qs = {ANSWER: bookings_answerable_by, CANCEL: bookings_cancellable_by}[action](user)
    return qs.filter(pk=booking.pk).exists()


def sees_bookings(user) -> bool:
    scope = scope_of(user)
    return scope.has(Role.SCHOOL_ADMIN, Role.HEAD_TEACHER, Role.COUNTY_ADMIN, Role.VENUE_CONTACT)


def classes_bookable_by(user) -> QuerySet[SchoolClass]:
    """The classes the user may book visits for: a school admin's school's, a head teacher's own."""
    if not _authenticated(user):
        return SchoolClass.objects.none()
    scope = scope_of(user)
    q = Q(pk__in=[])
    if schools := scope.whole_schools(Role.SCHOOL_ADMIN):
        q |= Q(school__in=schools)
    if classes := scope.classes(Role.HEAD_TEACHER):
        q |= Q(pk__in=classes)
    return SchoolClass.objects.filter(q).select_related("school", "grade").order_by("school", "grade__level", "name")


def can_book(user) -> bool:
    scope = scope_of(user)
    return bool(scope.whole_schools(Role.SCHOOL_ADMIN) or scope.classes(Role.HEAD_TEACHER))


def get_class_to_book(user, pk) -> SchoolClass:
    school_class = classes_bookable_by(user).filter(pk=parse_id(pk) or 0).first()
    if school_class is None:
        raise Http404("class not found")
    return school_class


def booking_list(qs: QuerySet[Booking], *, status: str = "") -> QuerySet[Booking]:
    if status in Booking.Status.values:
        qs = qs.filter(status=status)
    return qs.select_related("venue", "school", "school_class__grade").order_by("-date", "part", "-pk")


def awaiting_answer(user) -> QuerySet[Booking]:
    """Pending requests the user answers, soonest visit first."""
    return (
        bookings_answerable_by(user)
        .filter(status=Booking.Status.PENDING, date__gte=timezone.localdate())
        .select_related("venue", "school", "school_class__grade")
        .order_by("date", "part", "pk")
    )


def upcoming_confirmed(user) -> QuerySet[Booking]:
    return (
        bookings_answerable_by(user)
        .filter(status=Booking.Status.CONFIRMED, date__gte=timezone.localdate())
        .select_related("venue", "school", "school_class__grade")
        .order_by("date", "part", "pk")
    )


def places_taken(venue: Venue, date: datetime.date, part: str) -> int:
    """Places held by the live bookings of the venue on that half-day."""
    total = Booking.objects.filter(venue=venue, date=date, part=part, status__in=Booking.LIVE).aggregate(
        n=Sum("group_size")
    )["n"]
    return int(total or 0)


# --- family days ----------------------------------------------------------------------------------------------------


def can_post_family_day(user, venue: Venue) -> bool:
    return venue.county_id in admin_counties(user) or venue.contacts.filter(pk=user.pk).exists()


def family_days_of(venue: Venue, user) -> QuerySet[Event]:
    """The venue's coming family days the user may see (on the events engine), with their counts."""
    ids = FamilyDay.objects.filter(venue=venue).values("event")
    qs = events_access.events_visible_to(user).filter(pk__in=ids, ends_at__gte=timezone.now())
    return events_access.with_counts(qs.exclude(status=Event.Status.CANCELLED)).order_by("starts_at", "pk")


def family_days_managed_by(user) -> QuerySet[FamilyDay]:
    """Coming family days of the venues the user answers for."""
    if not _authenticated(user):
        return FamilyDay.objects.none()
    q = Q(pk__in=[])
    if counties := admin_counties(user):
        q |= Q(venue__county__in=counties)
    if scope_of(user).has(Role.VENUE_CONTACT):
        q |= Q(venue__in=_contact_venues(user))
    return (
        FamilyDay.objects.filter(q, event__ends_at__gte=timezone.now())
        .exclude(event__status=Event.Status.CANCELLED)
        .select_related("venue", "event")
        .order_by("event__starts_at", "pk")
    )


def family_days_near(user) -> QuerySet[Event]:
    """Coming family days offered to the guardian's families (the events engine's audience), soonest first."""
    if not _authenticated(user):
        return Event.objects.none()
    ids = FamilyDay.objects.filter(venue__in=venues_visible_to(user).values("pk")).values("event")
    return events_access.upcoming_for_guardian(user).filter(pk__in=ids)
