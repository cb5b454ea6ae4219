"""Catalogue pages: the searchable list (for a guardian it starts at her child's school's town), a venue's page (its
themes, half-days, terms, photos, coming family days; the booking form for a school, the family-day form for its
contact), creating and editing a venue, photos, and a venue contact's own venues.

Reads and authorisation through access.py (missing and forbidden answer 404 alike), writes through services.py.
"""

from __future__ import annotations

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
from xieyu.core.uploads import download_name, serve_file, type_of_stored
from xieyu.core.viewhelpers import error_text

from ..bookings import access as bookings_access
from ..bookings.forms import BookingForm, FamilyDayForm
from . import access, services
from .forms import PhotoForm, VenueForm, VenueSearchForm

PAGE_SIZE = 20


def _detail_url(venue) -> str:
    return reverse("venues:detail", args=[venue.pk])


@login_required
def venue_list(request):
    user = request.user
    towns = list(access.towns_for(user))
    data = request.GET.copy()
    if "town" not in data:
        home_town = access.home_town_of(user)
        if home_town is not None:
            data["town"] = str(home_town)
    form = VenueSearchForm(data, towns=towns)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = access.venue_list(user, theme=filters.get("theme") or "", town=filters.get("town"),
                           kind=filters.get("kind") or "", q=(filters.get("q") or "").strip())  # fmt: skip
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = data.copy()
    query.pop("page", None)
    return render(request, "venues/catalogue/list.html", {
        "form": form, "page": page, "query": query.urlencode(),
        "can_create": access.county_to_create_in(user) is not None,
    })  # fmt: skip


@login_required
def venue_detail(request, pk):
    user = request.user
    venue = access.get_venue_for(user, pk)
    can_edit = access.can_edit(user, venue)
    classes = list(bookings_access.classes_bookable_by(user).filter(school__county=venue.county_id))
    can_post = bookings_access.can_post_family_day(user, venue)
    return render(request, "venues/catalogue/detail.html", {
        "venue": venue, "themes": access.themes_of(venue), "grid": access.slot_grid(venue),
        "photos": access.photos_of(venue), "family_days": list(bookings_access.family_days_of(venue, user)[:10]),
        "can_edit": can_edit, "contacts": access.contacts_of(venue) if can_edit else [],
        "booking_form": BookingForm(classes=classes) if classes and venue.published else None,
        "family_day_form": FamilyDayForm(towns=access.towns_for(user).filter(county=venue.county_id))
        if can_post else None,
        "photo_form": PhotoForm() if can_edit else None,
    })  # fmt: skip


def _venue_form(request, venue=None):
    """The county admin's form (with the contacts) or a contact's (without); None for anyone else."""
    user = request.user
    county = venue.county if venue is not None else access.county_to_create_in(user)
    if county is None:
        return None
    towns = access.towns_for(user).filter(county=county.pk)
    contacts = access.contact_choices(county) if county.pk in access.admin_counties(user) else None
    initial = None
    if venue is not None and request.method != "POST":
        initial = VenueForm.initial_of(venue, access.themes_of(venue), sorted(access.slots_of(venue)),
                                       access.contacts_of(venue))  # fmt: skip
    return VenueForm(request.POST if request.method == "POST" else None, towns=towns, contacts=contacts,
                     initial=initial), county  # fmt: skip


@login_required
def venue_create(request):
    made = _venue_form(request)
    if made is None:
        raise Http404("no county to create a venue in")
    form, county = made
    if request.method == "POST" and form.is_valid():
        try:
            venue = services.venue_create(actor=request.user, county=county, fields=form.fields_value())
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("The venue is added to the catalogue."))
            return redirect(_detail_url(venue))
    elif request.method == "POST":
        messages.error(request, form_errors_text(form))
    return render(request, "venues/catalogue/form.html", {"form": form, "venue": None})


@login_required
def venue_edit(request, pk):
    venue = access.get_venue_for(request.user, pk, write=True)
    form, _county = _venue_form(request, venue)  # type: ignore[misc]
    if request.method == "POST" and form.is_valid():
        try:
            services.venue_update(actor=request.user, venue=venue, fields=form.fields_value())
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("The venue is saved."))
            return redirect(_detail_url(venue))
    elif request.method == "POST":
        messages.error(request, form_errors_text(form))
    return render(request, "venues/catalogue/form.html", {"form": form, "venue": venue})


@login_required
@require_POST
def photo_add(request, pk):
    venue = access.get_venue_for(request.user, pk, write=True)
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect(_detail_url(venue))
    try:
        services.venue_photo_add(actor=request.user, venue=venue, upload=form.cleaned_data["file"],
                                 caption=form.cleaned_data["caption"])  # fmt: skip
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The photo is added."))
    return redirect(_detail_url(venue))


@login_required
def photo_file(request, pk):
    photo = access.get_photo_for(request.user, pk)
    file_type = type_of_stored(photo.file.name)
    name = download_name(photo.name, file_type) if file_type else photo.name
    return serve_file(photo.file, filename=name, file_type=file_type)


@login_required
@require_POST
def photo_remove(request, pk):
    photo = access.get_photo_for(request.user, pk)
    venue = access.get_venue_for(request.user, photo.venue_id, write=True)
    services.venue_photo_remove(actor=request.user, photo=photo)
    messages.success(request, _("The photo is removed."))
    return redirect(_detail_url(venue))


@login_required
def my_venues(request):
    """The venues the user answers for (a venue contact's, or the county admin's whole catalogue)."""
    if not (access.is_contact(request.user) or access.admin_counties(request.user)):
        raise Http404("no venues for this user")
    page = Paginator(access.my_venues(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "venues/catalogue/mine.html", {"page": page})
