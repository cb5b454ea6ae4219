"""Community pages: the community staff's home, facilities (list, new, edit), activities for children (list and
create, on the events engine), the exchanges with schools (进社区 / 进学校, recorded and counted), and the
guardian's community activities and facilities near her children's schools.

Reads and authorisation through access.py (missing and forbidden answer 404 alike), writes through services.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from xieyu.core.viewhelpers import error_text
from xieyu.questions.viewhelpers import form_errors, page_of

from . import access, services
from .forms import ActivityForm, ExchangeForm, FacilityForm

HOME_ITEMS = 5
PAGE_SIZE = 20


def _refuse(request, text: str, to: str):
    messages.error(request, text)
    return redirect(to)


def _community(request, acting=None):
    """The community the staff member acts for: her acting membership's, else her first."""
    pk = getattr(getattr(acting, "membership", None), "community_id", None)
    if pk is None:
        ids = sorted(access.staffed_communities(request.user))
        if not ids:
            raise Http404("no community")
        pk = ids[0]
    return access.get_community_for(request.user, pk)


# --- the community staff's home -------------------------------------------------------------------------------------


def community_home(request, acting):
    """Their community, its facilities, coming activities with registrations, the needs it posted, and this school
    year's 进社区 / 进学校 counts: a fixed number of queries."""
    community = _community(request, acting)
    period = access.period_of("year")
    facilities = list(access.facilities_managed_by(request.user).filter(community=community)[: HOME_ITEMS + 1])
    events = list(access.upcoming_community_events(request.user, community)[: HOME_ITEMS + 1])
    needs = list(access.needs_of(community)[: HOME_ITEMS + 1])
    counts = access.community_counts(access.communities_staffed_by(request.user).filter(pk=community.pk), period)
    return render(request, "teams/communities/home.html", {
        "acting": acting, "community": community, "facilities": facilities[:HOME_ITEMS],
        "more_facilities": len(facilities) > HOME_ITEMS, "events": events[:HOME_ITEMS],
        "more_events": len(events) > HOME_ITEMS, "needs": needs[:HOME_ITEMS], "more_needs": len(needs) > HOME_ITEMS,
        "counts": counts.first(), "period": period, "form": ActivityForm(),
    })  # fmt: skip


# --- facilities -----------------------------------------------------------------------------------------------------


@login_required
def facility_list(request):
    community = _community(request)
    page = page_of(request, access.facilities_managed_by(request.user).filter(community=community))
    return render(request, "teams/communities/facility_list.html", {"community": community, "page": page})


def _facility_form_page(request, *, community, facility=None):
    initial = {}
    if facility is not None:
        initial = {"kind": facility.kind, "name": facility.name, "opening_times": facility.opening_times,
                   "capacity": facility.capacity, "open_to_children": facility.open_to_children}  # fmt: skip
    form = FacilityForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.facility_save(actor=request.user, community=community, facility=facility, kind=d["kind"],
                                       name=d["name"], opening_times=d["opening_times"], capacity=d["capacity"],
                                       open_to_children=d["open_to_children"])  # fmt: skip
            except ValidationError as exc:
                messages.error(request, error_text(exc))
            else:
                messages.success(request, _("The facility is saved."))
                return redirect("teams:facility_list")
        else:
            messages.error(request, form_errors(form))
    return render(request, "teams/communities/facility_form.html",
                  {"community": community, "facility": facility, "form": form})  # fmt: skip


@login_required
def facility_new(request):
    return _facility_form_page(request, community=_community(request))


@login_required
def facility_edit(request, pk: int):
    facility = access.get_facility_for(request.user, pk, write=True)
    return _facility_form_page(request, community=facility.community, facility=facility)


# --- activities for children ----------------------------------------------------------------------------------------


@login_required
def community_events(request):
    """The community's activities for children (newest first, with registrations and attendance) and a form to add
    one; registration and check-in are on each event's page."""
    community = _community(request)
    if request.method == "POST":
        form = ActivityForm(request.POST)
        if not form.is_valid():
            return _refuse(request, form_errors(form), reverse("teams:community_events"))
        d = form.cleaned_data
        try:
            event = services.community_activity_create(
                actor=request.user, community=community, title=d["title"], starts_at=d["starts_at"],
                ends_at=d["ends_at"], place=d["place"], capacity=d["capacity"], description=d["description"],
            )  # fmt: skip
        except ValidationError as exc:
            return _refuse(request, error_text(exc), reverse("teams:community_events"))
        messages.success(request, _("The activity is published: families of the town's schools see it."))
        return redirect("events:detail", event.pk)
    page = page_of(request, access.community_events_of(request.user, community))
    return render(request, "teams/communities/events.html",
                  {"community": community, "page": page, "form": ActivityForm()})  # fmt: skip


# --- the guardian's side --------------------------------------------------------------------------------------------


@login_required
def community_activities(request):
    """Community activities and facilities near the guardian's children's schools (the same town)."""
    page = page_of(request, access.activities_near(request.user))
    fpage = Paginator(access.facilities_near(request.user), PAGE_SIZE).get_page(request.GET.get("fpage"))
    return render(request, "teams/communities/activities.html", {"page": page, "fpage": fpage})


# --- exchanges ------------------------------------------------------------------------------------------------------


def _exchange_form(user, data=None) -> ExchangeForm | None:
    county_schools, county_communities = access.exchange_sides(user)
    own_schools, own_communities = access.own_schools(user), access.own_communities(user)
    if own_schools.exists():
        return ExchangeForm(data, schools=own_schools, communities=county_communities)
    if own_communities.exists():
        return ExchangeForm(data, schools=county_schools, communities=own_communities)
    return None


@login_required
def exchange_list(request):
    """Teachers into communities and community volunteers into schools: recorded by either side, counted per
    school and per community for this term or school year (the county admin sees every school and community)."""
    user = request.user
    if not access.records_exchanges(user):
        raise Http404("no exchanges for this user")
    if request.method == "POST":
        form = _exchange_form(user, request.POST)
        if form is None:
            raise Http404("nothing to record for")
        if not form.is_valid():
            return _refuse(request, form_errors(form), reverse("teams:exchange_list"))
        d = form.cleaned_data
        try:
            services.exchange_record(actor=user, kind=d["kind"], school=d["school"], community=d["community"],
                                     title=d["title"], starts_at=d["starts_at"], ends_at=d["ends_at"],
                                     place=d["place"], description=d["description"])  # fmt: skip
        except ValidationError as exc:
            return _refuse(request, error_text(exc), reverse("teams:exchange_list"))
        messages.success(request, _("The visit is recorded."))
        return redirect("teams:exchange_list")
    period = access.period_of("term" if request.GET.get("period") == "term" else "year")
    schools = Paginator(access.schools_counted_for(user, period), PAGE_SIZE).get_page(request.GET.get("page"))
    communities = Paginator(access.communities_counted_for(user, period), PAGE_SIZE).get_page(request.GET.get("cpage"))
    recent = list(access.exchanges_visible_to(user).order_by("-starts_at", "-pk")[: HOME_ITEMS * 2])
    return render(request, "teams/communities/exchanges.html", {
        "period": period, "schools": schools, "communities": communities, "recent": recent,
        "form": _exchange_form(user),
    })  # fmt: skip
