"""Clinic pages (教育义诊): upcoming clinics, booking and the family's bookings for guardians; my clinics, publishing,
a clinic's bookings and the appointment (its private outcome and follow-up question) for experts and those above.

Every read and every authorisation goes through access.py (missing and forbidden both answer 404; an action the
user may not take on a booking they see is refused with a message); every write through services.py.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieyu.audit.services import access_record
from xieyu.core.viewhelpers import error_text
from xieyu.questions.asking.access import children_for_asking
from xieyu.questions.viewhelpers import form_errors, page_of, question_url

from . import access, services
from .forms import ClinicBookForm, ClinicFollowUpForm, ClinicOutcomeForm, ClinicPublishForm

# --- the guardian's side ----------------------------------------------------------------------------------------

CLINICS_PAGE = 10


@login_required
def clinic_list(request):
    """Upcoming clinics open to the user's families (the API's audience rule), each with its slots. A family books
    one slot per clinic: once every child of the user who may come has a slot there, the clinic's other slots show
    no booking button."""
    page = page_of(request, access.clinics_open_to(request.user), CLINICS_PAGE)
    clinics = list(page.object_list)
    by_clinic: dict[int, list] = {c.pk: [] for c in clinics}
    slots = list(access.slots_of_clinics(clinics)) if clinics else []
    held = access.family_bookings_in(request.user, by_clinic) if clinics else []
    children = list(children_for_asking(request.user)) if clinics else []
    mine = {slot_id for slot_id, _clinic, _child in held}
    booked_children: dict[int, set[int]] = {c.pk: set() for c in clinics}
    for _slot, clinic_id, child_id in held:
        booked_children[clinic_id].add(child_id)
    for c in clinics:
        may_come = {ch.pk for ch in children if ch.school.county_id == c.county_id}
        c.family_done = bool(booked_children[c.pk]) and not (may_come - booked_children[c.pk])
    done = {c.pk for c in clinics if c.family_done}
    now = timezone.now()
    for s in slots:
        s.free = max(s.capacity - s.booked, 0)
        s.mine = s.pk in mine
        s.started = s.starts_at <= now
        s.bookable = s.free > 0 and not s.mine and not s.started and s.event_id not in done
        by_clinic[s.event_id].append(s)
    for c in clinics:
        c.slot_list = by_clinic[c.pk]
    return render(request, "questions/clinics.html", {"page": page, "clinics": clinics})


@login_required
def clinic_book(request, pk):
    slot = access.get_slot_for(request.user, pk)
    children = access.clinic_students_for(request.user, slot.event)
    if not children:
        raise Http404("no child in the clinic's county")
    form = ClinicBookForm(request.POST or None, children=children)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.clinic_book(
                actor=request.user, slot=slot, student=form.children[form.cleaned_data["student"]],
                topic=form.cleaned_data["topic"],
            )  # fmt: skip
        except ValidationError as exc:
            error = error_text(exc)
        else:
            messages.success(request, _("Booked. Please come on time; you can cancel on this page if plans change."))
            return redirect("questions:clinic_bookings")
    status = 422 if request.method == "POST" else 200
    return render(request, "questions/clinic_book.html", {"slot": slot, "form": form, "error": error}, status=status)


@login_required
def clinic_bookings(request):
    """My families' live bookings (never the expert's outcome), soonest first, each with a cancel button."""
    page = page_of(request, access.bookings_of(request.user))
    return render(request, "questions/clinic_bookings.html", {"page": page})


@login_required
@require_POST
def clinic_cancel(request, pk):
    booking = access.get_own_booking(request.user, pk)
    try:
        services.clinic_cancel(actor=request.user, booking=booking)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The booking is cancelled; the slot is free for another family."))
    return redirect("questions:clinic_bookings")


# --- the expert's side ------------------------------------------------------------------------------------------


@login_required
def clinic_mine(request):
    if access.clinic_county_of(request.user) is None:
        raise Http404("not an expert")
    page = page_of(request, access.clinics_published_by(request.user))
    return render(request, "questions/clinic_mine.html", {"page": page, "now": timezone.now()})


@login_required
def clinic_publish(request):
    county_id = access.clinic_county_of(request.user)
    if county_id is None:
        raise Http404("not an expert")
    form = ClinicPublishForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            clinic = services.clinic_publish(
                actor=request.user, county_id=county_id, title=data["title"], starts_at=data["starts_at"],
                slot_minutes=data["slot_minutes"], slots=data["slots"], place=data["place"],
                online_url=data["online_url"], description=data["description"],
            )  # fmt: skip
        except ValidationError as exc:
            error = error_text(exc)
        else:
            messages.success(request, _("The clinic is published; families of the county can book its slots."))
            return redirect("questions:clinic_detail", pk=clinic.pk)
    elif request.method == "POST":
        error = " ".join(map(str, form.non_field_errors()))
    status = 422 if request.method == "POST" else 200
    return render(request, "questions/clinic_publish.html", {"form": form, "error": error}, status=status)


@login_required
def clinic_detail(request, pk):
    """The clinic's slots and who booked each: guardian, masked phone, what they want to discuss."""
    clinic = access.get_clinic_to_handle(request.user, pk)
    slots = list(access.slots_of(clinic))
    by_slot: dict[int, list] = {s.pk: [] for s in slots}
    for b in access.live_bookings_of_clinic(request.user, clinic):
        by_slot.setdefault(b.slot_id, []).append(b)
    for s in slots:
        s.booking_list = by_slot[s.pk]
    return render(request, "questions/clinic_detail.html", {"clinic": clinic, "slots": slots})


# Templates that apps above add to an appointment page (given `b`, the booking, and `may_write`): the care app's
# "ask the counsellors for a case" (care/cases/wiring.py).
APPOINTMENT_ACTIONS: list[str] = []


def register_appointment_action(template: str) -> None:
    if template not in APPOINTMENT_ACTIONS:
        APPOINTMENT_ACTIONS.append(template)


def _appointment_url(booking) -> str:
    return reverse("questions:clinic_appointment", args=[booking.pk])


@login_required
def clinic_appointment(request, pk):
    """One booking for the expert (and those above): the private outcome, and the follow-up question. Each view of
    the outcome is logged."""
    booking = access.get_clinic_booking_for_expert(request.user, pk)
    access_record(actor=request.user, target=booking.student, purpose="clinic.outcome.view", request=request)
    may_write = access.may_write_clinic_outcome(request.user, booking)
    title = _("Clinic follow-up: %(topic)s") % {"topic": booking.topic}
    return render(
        request,
        "questions/clinic_appointment.html",
        {
            "b": booking,
            "may_write": may_write and booking.status == booking.Status.BOOKED,
            "outcome_form": ClinicOutcomeForm(initial={"outcome": booking.outcome}),
            "follow_form": ClinicFollowUpForm(initial={"title": title[:60]}),
            "appointment_actions": APPOINTMENT_ACTIONS,
        },
    )


@login_required
@require_POST
def clinic_outcome(request, pk):
    booking = access.get_clinic_booking_for_expert(request.user, pk)
    form = ClinicOutcomeForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect(_appointment_url(booking))
    try:
        access.check_may_record_outcome(request.user, booking)
        services.clinic_record_outcome(actor=request.user, booking=booking, outcome=form.cleaned_data["outcome"])
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Outcome saved. Only you and the county's staff can read it."))
    return redirect(_appointment_url(booking))


@login_required
@require_POST
def clinic_follow_up(request, pk):
    booking = access.get_clinic_booking_for_expert(request.user, pk)
    form = ClinicFollowUpForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect(_appointment_url(booking))
    try:
        access.check_may_open_follow_up(request.user, booking)
        question = services.clinic_follow_up_question(actor=request.user, booking=booking, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
        return redirect(_appointment_url(booking))
    messages.success(request, _("The follow-up question is open and assigned to you; the family can read it."))
    return redirect(question_url(question))
