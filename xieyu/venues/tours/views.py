"""Lecture tour pages: the county's tours, a tour's page (its stops in order, each with its staff and families, and
the tour's reach summed), creating and editing a tour, adding and cancelling a stop (the county admin).

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
from xieyu.core.viewhelpers import error_text, id_or_404
from xieyu.deadlines.workcalendar import TZ

from ..catalogue import access as catalogue_access
from . import access, services
from .forms import StopForm, TourForm

PAGE_SIZE = 20


def _detail_url(tour) -> str:
    return reverse("venues:tour_detail", args=[tour.pk])


def _stop_form(tour, data=None) -> StopForm:
    return StopForm(data, schools=access.schools_for_stops(tour.county),
                    communities=access.communities_for_stops(tour.county))  # fmt: skip


@login_required
def tour_list(request):
    if not access.sees_tours(request.user):
        raise Http404("no tours for this user")
    page = Paginator(access.tour_list(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    can_create = bool(catalogue_access.admin_counties(request.user))
    return render(request, "venues/tours/list.html", {"page": page, "form": TourForm() if can_create else None})


@login_required
def tour_create(request):
    county = catalogue_access.county_to_create_in(request.user)
    if county is None:
        raise Http404("no county to run tours in")
    form = TourForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                tour = services.tour_create(actor=request.user, county=county, **form.cleaned_data)
            except ValidationError as exc:
                messages.error(request, error_text(exc))
            else:
                messages.success(request, _("The tour is created: now add its stops."))
                return redirect(_detail_url(tour))
        else:
            messages.error(request, form_errors_text(form))
    return render(request, "venues/tours/form.html", {"form": form, "tour": None})


@login_required
def tour_edit(request, pk):
    tour = access.get_tour_for(request.user, pk, write=True)
    initial = {"title": tour.title, "theme": tour.theme, "description": tour.description}
    form = TourForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.tour_update(actor=request.user, tour=tour, **form.cleaned_data)
            except ValidationError as exc:
                messages.error(request, error_text(exc))
            else:
                messages.success(request, _("The tour is saved."))
                return redirect(_detail_url(tour))
        else:
            messages.error(request, form_errors_text(form))
    return render(request, "venues/tours/form.html", {"form": form, "tour": tour})


@login_required
def tour_detail(request, pk):
    tour = access.get_tour_for(request.user, pk)
    stops = access.stops_of(tour)
    can_manage = access.can_manage(request.user, tour)
    return render(request, "venues/tours/detail.html", {
        "tour": tour, "stops": stops, "reach": access.reach_of(stops), "can_manage": can_manage,
        "stop_form": _stop_form(tour) if can_manage else None,
    })  # fmt: skip


@login_required
@require_POST
def stop_add(request, pk):
    tour = access.get_tour_for(request.user, pk, write=True)
    form = _stop_form(tour, request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect(_detail_url(tour))
    d = form.cleaned_data
    school = access.get_school_of(tour.county, d["school"]) if d["school"] else None
    community = access.get_community_of(tour.county, d["community"]) if d["community"] else None
    starts_at = datetime.datetime.combine(d["date"], d["start"], tzinfo=TZ)
    ends_at = datetime.datetime.combine(d["date"], d["end"], tzinfo=TZ)
    try:
        services.stop_add(actor=request.user, tour=tour, starts_at=starts_at, ends_at=ends_at, place=d["place"],
                          school=school, community=community, people=d["people"], capacity=d["capacity"])  # fmt: skip
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The stop is added and its staff need posted to dispatch."))
    return redirect(_detail_url(tour))


@login_required
@require_POST
def stop_cancel(request, pk, stop_pk):
    tour = access.get_tour_for(request.user, pk, write=True)
    stop = access.get_stop_of(tour, id_or_404(stop_pk))
    services.stop_cancel(actor=request.user, stop=stop)
    messages.success(request, _("The stop is cancelled."))
    return redirect(_detail_url(tour))
