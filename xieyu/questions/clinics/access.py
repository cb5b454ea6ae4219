"""Who may see, book and handle which clinic (教育义诊). Missing and forbidden both answer 404.

A clinic is open to the families of its county (guardians of enrolled children there); a booking is read by the
family that holds it (never the outcome), and by the slot's expert and the county admins and counsellors of the
clinic's county (the outcome too, each read logged by the edge). Only the slot's expert writes the outcome:
`may_write_clinic_outcome` answers yes or no (the appointment page's forms), `check_may_*` refuse with the reason.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from xieyu.accounts.models import Role
from xieyu.accounts.scope import scope_of
from xieyu.directory.access import children_of
from xieyu.directory.models import Student
from xieyu.events.models import Event
from xieyu.questions.asking.access import children_for_asking, handles_questions

from .models import ClinicBooking, ClinicSlot


def _live_bookings() -> QuerySet[ClinicBooking]:
    return ClinicBooking.objects.filter(status=ClinicBooking.Status.BOOKED)


def clinics_open_to(user) -> QuerySet:
    """Published clinics of the counties the user's enrolled children live in that have not ended, soonest first."""
    if not getattr(user, "is_authenticated", False):
        return Event.objects.none()
    counties = children_for_asking(user).values("school__county")
    return Event.objects.filter(
        kind=Event.Kind.CLINIC, status=Event.Status.PUBLISHED, county__in=counties, ends_at__gt=timezone.now()
    ).order_by("starts_at", "pk")


def get_clinic_for(user, pk):
    clinic = clinics_open_to(user).filter(pk=pk).first()
    if clinic is None:
        raise Http404("clinic not found")
    return clinic


def slots_of(clinic) -> QuerySet:
    """A clinic's slots (the clinic came from get_clinic_for), each with `booked` (live bookings): one query."""
    booked = Count("bookings", filter=Q(bookings__status="booked"))
    return ClinicSlot.objects.filter(event=clinic).annotate(booked=booked).order_by("starts_at", "pk")


def slots_of_clinics(clinics) -> QuerySet:
    """The slots of several clinics (from clinics_open_to), with `booked`: one query."""
    booked = Count("bookings", filter=Q(bookings__status="booked"))
    return (
        ClinicSlot.objects.filter(event__in=[c.pk for c in clinics]).annotate(booked=booked).order_by("starts_at", "pk")
    )


def get_slot_for(user, pk):
    """A slot of a clinic open to the user's families."""
    slot = (
        ClinicSlot.objects.filter(pk=pk, event__in=clinics_open_to(user).values("pk")).select_related("event").first()
    )
    if slot is None:
        raise Http404("slot not found")
    return slot


def bookings_of(user) -> QuerySet:
    """The live bookings of the user's families (whoever of the family booked), soonest first. Never the outcome's
    text: callers show slot, clinic and topic only."""
    if not getattr(user, "is_authenticated", False):
        return _live_bookings().none()
    return (
        _live_bookings()
        .filter(student__in=children_of(user).values("pk"))
        .select_related("slot", "slot__event", "student")
        .defer("outcome")
        .order_by("slot__starts_at", "pk")
    )


def get_own_booking(user, pk):
    booking = bookings_of(user).filter(pk=pk).first()
    if booking is None:
        raise Http404("booking not found")
    return booking


def clinic_bookings_handled_by(user) -> QuerySet:
    """Bookings whose outcome the user may read and write: the slot's expert, and the county admins and counsellors
    of the clinic's county (those above the expert). No guardian, whatever their own bookings."""
    scope = scope_of(user)
    if not handles_questions(user):
        return ClinicBooking.objects.none()
    q = Q(slot__expert=user, slot__event__county__in=scope.counties(Role.EXPERT))
    if above := scope.counties(Role.COUNTY_ADMIN, Role.COUNSELLOR):
        q |= Q(slot__event__county__in=above)
    return ClinicBooking.objects.filter(q).select_related("slot", "slot__event", "student", "booked_by")


def get_clinic_booking_for_expert(user, pk):
    booking = clinic_bookings_handled_by(user).filter(pk=pk).first()
    if booking is None:
        raise Http404("booking not found")
    return booking


def may_write_clinic_outcome(user, booking) -> bool:
    """Only the expert who held the slot writes the outcome and opens a follow-up question (those above read it)."""
    expert_counties = scope_of(user).counties(Role.EXPERT)
    return booking.slot.expert_id == getattr(user, "pk", None) and booking.slot.event.county_id in expert_counties


def check_may_record_outcome(user, booking) -> None:
    if not may_write_clinic_outcome(user, booking):
        raise PermissionDenied(_("Only the expert who held the appointment may record its outcome."))


def check_may_open_follow_up(user, booking) -> None:
    if not may_write_clinic_outcome(user, booking):
        raise PermissionDenied(_("Only the expert who held the appointment may open a follow-up question."))


# --- the expert's side ------------------------------------------------------------------------------------------


def clinic_county_of(user) -> int | None:
    """The county an expert publishes clinics in (the first of their expert counties); None for anyone else."""
    counties = scope_of(user).counties(Role.EXPERT)
    return min(counties) if counties else None


def clinics_published_by(user) -> QuerySet:
    """The clinics an expert published ("my clinics"), latest first, each with `slots_count` and `booked_count`
    (live bookings): one query. Nobody else's, and none for a user who is not an expert of the county."""
    expert_counties = scope_of(user).counties(Role.EXPERT)
    if not expert_counties:
        return Event.objects.none()
    slots = ClinicSlot.objects.filter(event=OuterRef("pk")).order_by().values("event")
    booked = (
        ClinicBooking.objects.filter(slot__event=OuterRef("pk"), status=ClinicBooking.Status.BOOKED)
        .order_by()
        .values("slot__event")
    )
    return (
        Event.objects.filter(kind=Event.Kind.CLINIC, created_by=user, county__in=expert_counties)
        .annotate(
            slots_count=Subquery(slots.annotate(n=Count("pk")).values("n")[:1]),
            booked_count=Subquery(booked.annotate(n=Count("pk")).values("n")[:1]),
        )
        .order_by("-starts_at", "-pk")
    )


def clinics_handled_by(user) -> QuerySet:
    """Clinics whose bookings the user may read: the expert who holds their slots, and the county admins and
    counsellors of the clinic's county (as clinic_bookings_handled_by)."""
    scope = scope_of(user)
    if not handles_questions(user):
        return Event.objects.none()
    own = Exists(ClinicSlot.objects.filter(event=OuterRef("pk"), expert=user))
    q = Q(own, county__in=scope.counties(Role.EXPERT))
    if above := scope.counties(Role.COUNTY_ADMIN, Role.COUNSELLOR):
        q |= Q(county__in=above)
    return Event.objects.filter(q, kind=Event.Kind.CLINIC)


def get_clinic_to_handle(user, pk):
    clinic = clinics_handled_by(user).filter(pk=pk).first()
    if clinic is None:
        raise Http404("clinic not found")
    return clinic


def live_bookings_of_clinic(user, clinic) -> QuerySet:
    """The live bookings of a clinic the user handles (from get_clinic_to_handle), with the guardian who booked:
    one query. The outcome's text is not loaded (its reads are logged one booking at a time); `outcome_at` tells
    whether there is one."""
    return (
        clinic_bookings_handled_by(user)
        .filter(slot__event=clinic, status=ClinicBooking.Status.BOOKED)
        .defer("outcome")
        .order_by("slot__starts_at", "pk")
    )


def clinic_students_for(user, clinic) -> list[Student]:
    """The user's enrolled children who may have an appointment at this clinic (children of its county)."""
    return list(children_for_asking(user).filter(school__county=clinic.county_id))


def get_clinic_student_for(user, clinic, pk) -> Student:
    """One of the user's children, for a booking at this clinic: 404 alike for a missing child and another family's;
    refused with the reason for the user's own child who lives in another county."""
    child = children_for_asking(user).filter(pk=pk).first()
    if child is None:
        raise Http404("student not found")
    if child.school.county_id != clinic.county_id:
        raise PermissionDenied(_("You can only book for your own children."))
    return child


def family_bookings_in(user, clinic_ids) -> list[tuple[int, int, int]]:
    """(slot, clinic, child) of the live bookings the user's families hold in these clinics (one query). A family
    holds at most one slot per clinic, so a child listed here may book no other slot of that clinic."""
    return list(
        bookings_of(user)
        .filter(slot__event__in=list(clinic_ids))
        .order_by()
        .values_list("slot_id", "slot__event_id", "student_id")
    )


def upcoming_bookings_of(user, limit: int) -> list[ClinicBooking]:
    """The family's live bookings whose slot has not ended, soonest first: one query, at most `limit` rows."""
    return list(bookings_of(user).filter(slot__ends_at__gte=timezone.now())[:limit])
