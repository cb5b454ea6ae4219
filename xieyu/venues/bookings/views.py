"""Booking pages: the list (a school's bookings, a venue contact's requests to answer, the county's overview), asking
for a class visit from a venue's page, a booking's page with confirming, declining and cancelling, and posting a
family day.

Reads and authorisation through access.py (missing and forbidden answer 404 alike), writes through services.py.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieyu.core.forms import form_errors_text
from xieyu.core.viewhelpers import error_text, run_service
from xieyu.deadlines.workcalendar import TZ

from ..catalogue import access as catalogue_access
from . import access, services
from .access import ANSWER, CANCEL
from .forms import BookingForm, CancelForm, DeclineForm, FamilyDayForm
from .models import Booking

PAGE_SIZE = 20


def _detail_url(booking) -> str:
    return reverse("venues:booking_detail", args=[booking.pk])


@login_required
def booking_list(request):
    user = request.user
    if not access.sees_bookings(user):
        raise Http404("no bookings for this user")
    status = request.GET.get("status", "")
    page = Paginator(access.booking_list(access.bookings_visible_to(user), status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "venues/bookings/list.html", {
        "page": page, "awaiting": list(access.awaiting_answer(user)[:20]), "status": status,
        "statuses": Booking.Status.choices, "can_book": access.can_book(user),
    })  # fmt: skip


@login_required
@require_POST
def booking_create(request, pk):
    venue = catalogue_access.get_venue_for(request.user, pk)
    back = reverse("venues:detail", args=[venue.pk])
    classes = list(access.classes_bookable_by(request.user))
    if not classes:
        raise Http404("no class to book for")
    form = BookingForm(request.POST, classes=classes)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect(back)
    d = form.cleaned_data
    school_class = access.get_class_to_book(request.user, d["school_class"])
    try:
        booking = services.booking_create(actor=request.user, venue=venue, school_class=school_class, date=d["date"],
                                          part=d["part"], group_size=d["group_size"], note=d["note"])  # fmt: skip
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect(back)
    messages.success(request, _("The visit is asked for: the venue will confirm it."))
    return redirect(_detail_url(booking))


@login_required
def booking_detail(request, pk):
    user = request.user
    booking = access.get_booking_for(user, pk)
    can_answer, can_cancel = access.may(user, booking, ANSWER), access.may(user, booking, CANCEL)
    return render(request, "venues/bookings/detail.html", {
        "booking": booking, "can_answer": can_answer and booking.status == Booking.Status.PENDING,
        "can_cancel": can_cancel and booking.is_live, "decline_form": DeclineForm(), "cancel_form": CancelForm(),
        "left": booking.venue.capacity - access.places_taken(booking.venue, booking.date, booking.part),
    })  # fmt: skip


@login_required
@require_POST
def booking_confirm(request, pk):
    booking = access.get_booking_for(request.user, pk, action=ANSWER)
    return run_service(request, lambda: services.booking_confirm(actor=request.user, booking=booking),
                _("The visit is confirmed: the class's families see it as an event."), _detail_url(booking))  # fmt: skip


@login_required
@require_POST
def booking_decline(request, pk):
    booking = access.get_booking_for(request.user, pk, action=ANSWER)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect(_detail_url(booking))
    return run_service(request, lambda: services.booking_decline(actor=request.user, booking=booking,
                                                          reason=form.cleaned_data["reason"]),
                _("The visit is declined: the school is told why."), _detail_url(booking))  # fmt: skip


@login_required
@require_POST
def booking_cancel(request, pk):
    booking = access.get_booking_for(request.user, pk, action=CANCEL)
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect(_detail_url(booking))
    return run_service(request, lambda: services.booking_cancel(actor=request.user, booking=booking,
                                                         reason=form.cleaned_data["reason"]),
                _("The visit is cancelled: its places are free again."), _detail_url(booking))  # fmt: skip


@login_required
@require_POST
def family_day_create(request, pk):
    venue = catalogue_access.get_venue_for(request.user, pk)
    if not access.can_post_family_day(request.user, venue):
        raise Http404("not this venue's")
    back = reverse("venues:detail", args=[venue.pk])
    form = FamilyDayForm(request.POST, towns=catalogue_access.towns_for(request.user).filter(county=venue.county_id))
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect(back)
    d = form.cleaned_data
    starts_at = datetime.datetime.combine(d["date"], d["start"], tzinfo=TZ)
    ends_at = datetime.datetime.combine(d["date"], d["end"], tzinfo=TZ)
    return run_service(request, lambda: services.family_day_create(
        actor=request.user, venue=venue, title=d["title"], starts_at=starts_at, ends_at=ends_at,
        capacity=d["capacity"], town=d["town"], description=d["description"]),
        _("The family day is open: families of the county can register on the events page."), back)  # fmt: skip
