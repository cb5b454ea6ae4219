"""The county's overdue page, one deadline's history, and the county calendar."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from xieyu.core.viewhelpers import id_or_404, parse_id
from xieyu.directory.models import Region

from . import services
from .access import (
    deadline_scope,
    deadlines_visible_to,
    get_calendar_day_for,
    get_county_for,
    get_deadline_for,
    schedule_warnings_for,
)
from .forms import CalendarDayForm, WorkingHoursForm
from .models import CalendarDay, Deadline, DeadlineEvent, Level
from .workcalendar import TZ, calendar_for, official_schedule, year_status

PER_PAGE = 20


@login_required
def overdue(request):
    """Overdue and due-soon items, grouped by school, with counts (county admins; school admins: their school)."""
    scope = deadline_scope(request.user)
    if not scope:
        raise Http404("no deadlines here")
    now = timezone.now()
    show = request.GET.get("show", "")
    overdue_q = Q(current_due__lte=now)
    soon_q = Q(due_soon_from__lte=now, current_due__gt=now)
    running = deadlines_visible_to(request.user).filter(state=Deadline.State.RUNNING)
    flagged = running.filter(overdue_q | soon_q)
    counts = list(
        flagged.values("school_id", "school__name")
        .annotate(overdue=Count("pk", filter=overdue_q), due_soon=Count("pk", filter=soon_q))
        .order_by("school__name", "school_id")
    )
    listed = (
        flagged.filter(overdue_q) if show == "overdue" else flagged.filter(soon_q) if show == "due_soon" else flagged
    )
    items = listed.select_related("school", "school_class__grade", "owner").order_by(
        "school__name", "school_id", "current_due", "pk"
    )
    page = Paginator(items, PER_PAGE).get_page(request.GET.get("page"))
    by_school = {row["school_id"]: row for row in counts}
    groups: list[dict] = []
    for d in page.object_list:
        d.overdue_now = d.current_due <= now
        if not groups or groups[-1]["school_id"] != d.school_id:
            groups.append(
                {"school_id": d.school_id, "school": d.school, "counts": by_school.get(d.school_id), "items": []}
            )
        groups[-1]["items"].append(d)
    context = {
        "counts": counts,
        "total_overdue": sum(r["overdue"] for r in counts),
        "total_due_soon": sum(r["due_soon"] for r in counts),
        "page": page,
        "groups": groups,
        "show": show,
        "schedule_warnings": schedule_warnings_for(request.user),
    }
    if request.htmx:
        return render(request, "deadlines/overdue.html#item-list", context)
    return render(request, "deadlines/overdue.html", context)


def describe(event: DeadlineEvent) -> str:
    """One line of a deadline's history, in the reader's language."""
    data = event.data or {}
    if event.kind == DeadlineEvent.Kind.ESCALATED:
        return _("Escalated to %(level)s (%(count)s people)") % {
            "level": Level(data.get("role", Level.OWNER)).label,
            "count": len(data.get("user_ids", [])),
        }
    if event.kind == DeadlineEvent.Kind.RESUMED:
        return _("Resumed after %(hours)s paused working hours") % {
            "hours": round(data.get("paused_seconds", 0) / 3600, 1)
        }
    if event.kind == DeadlineEvent.Kind.RECOMPUTED:
        after = (data.get("after") or {}).get("resolution_due")
        when = datetime.datetime.fromisoformat(after).astimezone(TZ).strftime("%Y-%m-%d %H:%M") if after else ""
        return _("Recomputed after a calendar change; resolution now due %(when)s") % {"when": when}
    if event.kind in (DeadlineEvent.Kind.PAUSED, DeadlineEvent.Kind.CANCELLED) and data.get("reason"):
        return f"{event.get_kind_display()}:{data['reason']}"
    return event.get_kind_display()


@login_required
def detail(request, pk: int):
    deadline = get_deadline_for(request.user, pk)
    events = list(deadline.events.select_related("actor"))
    for e in events:
        e.text = describe(e)  # type: ignore[attr-defined]  # for the template only
    return render(request, "deadlines/detail.html", {"deadline": deadline, "events": events, "now": timezone.now()})


@login_required
@require_http_methods(["GET", "POST"])
def calendar_page(request):
    """The county admin's calendar: working hours, days off and make-up working days, official years."""
    county_param = request.GET.get("county") or request.POST.get("county")
    county: Region = get_county_for(request.user, id_or_404(county_param) if county_param else None)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    year = min(max(year, services.DATE_MIN.year), services.DATE_MAX.year)
    cal = calendar_for(county)
    day_form = CalendarDayForm()
    hours_form = WorkingHoursForm(initial={"day_start": cal.day_start, "day_end": cal.day_end})
    here = f"{reverse('deadlines:calendar')}?county={county.pk}&year={year}"

    if request.method == "POST":
        action = request.POST.get("action")
        if action == "add_day":
            day_form = CalendarDayForm(request.POST)
            if day_form.is_valid():
                try:
                    day = services.calendar_day_add(actor=request.user, county=county, **day_form.cleaned_data)
                except ValidationError as e:
                    day_form.add_error("date", e)
                else:
                    messages.success(
                        request,
                        _("Added %(date)s as a %(kind)s. Open deadlines are being recomputed.")
                        % {"date": day.date.isoformat(), "kind": day.get_kind_display()},
                    )
                    return redirect(f"{reverse('deadlines:calendar')}?county={county.pk}&year={day.date.year}")
        elif action == "remove_day":
            day = get_calendar_day_for(request.user, id_or_404(request.POST.get("day")))
            services.calendar_day_remove(actor=request.user, day=day)
            messages.success(request, _("Removed %(date)s.") % {"date": day.date.isoformat()})
            return redirect(here)
        elif action == "hours":
            hours_form = WorkingHoursForm(request.POST)
            if hours_form.is_valid():
                services.calendar_hours_set(actor=request.user, county=county, **hours_form.cleaned_data)
                messages.success(request, _("Working hours saved."))
                return redirect(here)
        elif action == "confirm_year":
            confirm = parse_id(request.POST.get("year", ""))
            if confirm is None or not services.DATE_MIN.year <= confirm <= services.DATE_MAX.year:
                raise Http404("bad year")
            services.calendar_year_confirm(actor=request.user, county=county, year=confirm)
            messages.success(request, _("Marked the %(year)s schedule as entered.") % {"year": confirm})
            return redirect(here)
        else:
            raise Http404("unknown action")
        status = 400
    else:
        status = 200

    official = official_schedule(year)
    entries = list(CalendarDay.objects.filter(county=county, date__year=year).select_related("created_by"))
    context = {
        "county": county,
        "year": year,
        "years": year_status(county, range(today.year - 1, today.year + 3)),
        "official": official,
        "official_days_off": sorted(official.names.items()),
        "official_workdays": sorted(official.workdays),
        "entries": entries,
        "day_form": day_form,
        "hours_form": hours_form,
        "schedule_warnings": schedule_warnings_for(request.user),
        "kinds": CalendarDay.Kind,
    }
    return render(request, "deadlines/calendar.html", context, status=status)
