"""After-school service pages: a school's weekly schedule (its admin edits it, the county reads it) and the county's
list of schools whose service misses the "5+2" rule, with the county's off-work time."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from xieyu.core.viewhelpers import error_text, parse_id

from . import access, services
from .forms import OffWorkForm, ScheduleForm
from .models import DEFAULT_OFF_WORK

PAGE_SIZE = 30


@login_required
def afterschool(request):
    """A school's schedule: ?school= names it (a school admin's own school by default)."""
    school_id = parse_id(request.GET.get("school") or request.POST.get("school"))
    if school_id is None:
        own = list(access.schools_edited_by(request.user).order_by("pk")[:1])
        if not own:
            if access.counties_of(request.user).exists():
                return redirect("burden:afterschool_county")
            raise Http404("no school")
        school = own[0]
    else:
        school = access.get_school_for(request.user, school_id)
    editable = access.schools_edited_by(request.user).filter(pk=school.pk).exists()
    schedule = access.schedule_of(school)
    form = ScheduleForm(request.POST or None, schedule=schedule)
    status = 200
    if request.method == "POST":
        if not editable:
            raise Http404("school not found")
        if form.is_valid():
            try:
                services.schedule_save(actor=request.user, school=school, days=form.days(),
                                       notes=form.cleaned_data["notes"])  # fmt: skip
            except ValidationError as exc:
                form.add_error(None, error_text(exc))
            else:
                messages.success(request, _("The after-school schedule is saved."))
                return redirect(reverse("burden:afterschool") + f"?school={school.pk}")
        status = 422
    return render(request, "burden/afterschool/school.html", {
        "school": school, "schedule": schedule, "form": form, "editable": editable,
        "off_work": services.off_work_time_of(school.county_id),
    }, status=status)  # fmt: skip


@login_required
def afterschool_county(request):
    counties = access.counties_of(request.user)
    county_id = parse_id(request.GET.get("county") or request.POST.get("county"))
    county = (counties.filter(pk=county_id) if county_id else counties).first()
    if county is None:
        raise Http404("county not found")
    setting = access.setting_of(county)
    form = OffWorkForm(request.POST or None,
                       initial={"off_work_time": setting.off_work_time if setting else DEFAULT_OFF_WORK})  # fmt: skip
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.off_work_time_set(actor=request.user, county=county,
                                           off_work_time=form.cleaned_data["off_work_time"])  # fmt: skip
            except ValidationError as exc:
                form.add_error(None, error_text(exc))
            else:
                messages.success(request, _("The off-work time is saved; every school's schedule was checked again."))
                return redirect(reverse("burden:afterschool_county") + f"?county={county.pk}")
        status = 422
    page = Paginator(access.schools_short_in(county), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "burden/afterschool/county.html", {
        "county": county, "page_obj": page, "form": form, "counts": access.county_counts(county),
        "off_work": setting.off_work_time if setting else DEFAULT_OFF_WORK,
    }, status=status)  # fmt: skip
