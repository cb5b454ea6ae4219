"""Service hours pages: the member's view of one assignment's service (check in, check out, dispute), her hours by
year and her certificate; the organiser's sign-off list, entry and correction, and answers to disputes; the county's
totals and export; the public verification page of a certificate.

Reads and authorisation through access.py (missing and forbidden answer 404 alike), writes through services.py.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieyu.core.viewhelpers import error_text, parse_id, safe_next
from xieyu.questions.viewhelpers import form_errors, page_of

from ..models import ServiceRecord
from . import access, services
from .certificate import certificate_pdf, hours_text, masked_name, verification_code, verify
from .export import hours_xlsx
from .forms import AnswerForm, DisputeForm, EntryForm

PAGE_SIZE = 20


def _year_from(request) -> tuple[int, str]:
    """The year the page asks for (this year when none is given), and the message when it cannot be one."""
    raw = request.GET.get("year")
    if raw in (None, ""):
        return access.this_year(), ""
    year = access.parse_year(raw)
    if year is None:
        return access.this_year(), _("The year must be four digits between %(min)s and %(max)s.") % {
            "min": access.YEAR_MIN, "max": access.YEAR_MAX,
        }  # fmt: skip
    return year, ""


def _assignment_url(assignment) -> str:
    return reverse("teams:assignment_hours", args=[assignment.pk])


def _entry_url(assignment) -> str:
    return reverse("teams:hours_entry", args=[assignment.pk])


# --- the member -------------------------------------------------------------------------------------------------


@login_required
def assignment_hours(request, pk):
    """The member's view of one assignment's service: when check-in opens and closes, her record and its state."""
    assignment = access.get_own_assignment_for(request.user, pk)
    record = access.record_of(assignment)
    now = timezone.now()
    opens, closes = services.checkin_window(assignment)
    starts, ends = services.service_times(assignment)
    accepted = assignment.status == assignment.Status.ACCEPTED
    can_checkin = accepted and record is None and opens <= now <= closes
    can_checkout = (
        accepted and record is not None and record.status == ServiceRecord.Status.OPEN
        and now <= services.checkout_closes(assignment)
    )  # fmt: skip
    can_dispute = (
        record is not None and record.disputed_at is None
        and record.status in (ServiceRecord.Status.PENDING, ServiceRecord.Status.SIGNED)
    )  # fmt: skip
    return render(request, "teams/hours/assignment.html", {
        "assignment": assignment, "need": assignment.need, "record": record, "starts": starts, "ends": ends,
        "opens": opens, "closes": closes, "checkout_closes": services.checkout_closes(assignment), "now": now,
        "accepted": accepted, "can_checkin": can_checkin, "can_checkout": can_checkout, "can_dispute": can_dispute,
        "not_yet": accepted and record is None and now < opens, "missed": accepted and record is None and now > closes,
        "dispute_form": DisputeForm() if can_dispute else None,
        "hours": hours_text(record.minutes) if record else "",
    })  # fmt: skip


@login_required
@require_POST
def checkin(request, pk):
    assignment = access.get_own_assignment_for(request.user, pk)
    try:
        services.checkin(actor=request.user, assignment=assignment)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Checked in. Remember to check out when the service ends."))
    return redirect(_assignment_url(assignment))


@login_required
@require_POST
def checkout(request, pk):
    assignment = access.get_own_assignment_for(request.user, pk)
    try:
        record = services.checkout(actor=request.user, assignment=assignment)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            _("Checked out: %(hours)s hours recorded, awaiting the organiser's sign-off.")
            % {"hours": hours_text(record.minutes)},
        )
    return redirect(_assignment_url(assignment))


@login_required
@require_POST
def dispute(request, pk):
    record = access.get_own_record_for(request.user, pk)
    to = _assignment_url(record.assignment) if record.assignment_id else reverse("teams:my_hours")
    form = DisputeForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect(to)
    try:
        services.record_dispute(actor=request.user, record=record, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Your dispute is sent to the organiser, who will answer it."))
    return redirect(to)


@login_required
def my_hours(request):
    """The member's records of a year with their state, her signed hours this year and in each year, and the link to
    each year's certificate."""
    year, problem = _year_from(request)
    if problem:
        messages.error(request, problem)
    page = page_of(request, access.own_records_of_year(request.user, year), PAGE_SIZE)
    years = access.own_years(request.user)
    for y in years:
        y["hours"] = hours_text(y["minutes"])
    this_year = access.this_year()
    total = access.own_total(request.user, year)
    response = render(request, "teams/hours/mine.html", {
        "page": page, "year": year, "years": years, "this_year": this_year, "total_hours": hours_text(total),
        "this_year_hours": hours_text(total if year == this_year else access.own_total(request.user, this_year)),
        "has_signed": total > 0,
    })  # fmt: skip
    if problem:
        response.status_code = 400
    return response


@login_required
def certificate(request, year):
    """The member's certificate of the year's signed hours, as a PDF."""
    year = access.parse_year(year)
    if year is None:
        raise Http404("no such year")
    cert = access.certificate_of(request.user, year)
    if not cert.records:
        messages.error(request, _("You have no signed-off hours in %(year)s yet.") % {"year": year})
        return redirect(f"{reverse('teams:my_hours')}?year={year}")
    code = verification_code(request.user.pk, year, cert.minutes)
    url = request.build_absolute_uri(reverse("teams:hours_verify", args=[code]))
    data = certificate_pdf(cert, code=code, verify_url=url)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="service-hours-{year}.pdf"'
    return response


def verify_page(request, code):
    """Anyone holding a certificate confirms it here: a masked name, the year and the total it names."""
    found = verify(code)
    user = access.member_of_certificate(found.user_id) if found else None
    if found is None or user is None:
        return render(request, "teams/hours/verify.html", {"valid": False}, status=404)
    current = access.signed_minutes_of(found.user_id, found.year)
    return render(request, "teams/hours/verify.html", {
        "valid": True, "name": masked_name(user.name), "year": found.year, "hours": hours_text(found.minutes),
        "current_hours": hours_text(current), "changed": current != found.minutes,
    })  # fmt: skip


# --- the organiser ------------------------------------------------------------------------------------------------


@login_required
def sign_list(request):
    """Records awaiting sign-off of the events the user manages (paginated), disputes to answer, and ended
    assignments with no record yet."""
    if not access.signs_hours(request.user):
        raise Http404("no hours to sign")
    page = page_of(request, access.records_to_sign(request.user), PAGE_SIZE)
    for r in page.object_list:
        r.hours = hours_text(r.minutes)
    return render(request, "teams/hours/sign_list.html", {
        "page": page, "disputed": list(access.records_disputed(request.user)[:PAGE_SIZE]),
        "missing": access.assignments_without_record(request.user),
    })  # fmt: skip


@login_required
@require_POST
def sign(request):
    """Sign one record, or every record shown on the page."""
    if not access.signs_hours(request.user):
        raise Http404("no hours to sign")
    ids = [parse_id(v) for v in request.POST.getlist("record")]
    if not ids or None in ids:
        raise Http404("record not found")
    records = access.get_managed_records_for(request.user, ids)
    try:
        signed = services.records_sign(actor=request.user, records=records)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("%(n)s records signed off.") % {"n": signed})
    return redirect(safe_next(request, reverse("teams:hours_sign_list")))


@login_required
def entry(request, pk):
    """The organiser enters or corrects an assigned member's hours, naming where the times come from."""
    assignment = access.get_managed_assignment_for(request.user, pk)
    record = access.record_of(assignment)
    starts, ends = services.service_times(assignment)
    if request.method == "POST":
        form = EntryForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.record_enter(actor=request.user, assignment=assignment, started_at=d["started_at"],
                                      ended_at=d["ended_at"], source_note=d["source_note"])  # fmt: skip
            except ValidationError as exc:
                messages.error(request, error_text(exc))
            else:
                messages.success(request, _("The hours are recorded and await sign-off."))
                return redirect("teams:hours_sign_list")
        else:
            messages.error(request, form_errors(form))
        status = 400
    else:
        initial_start = record.started_at if record else starts
        initial_end = (record.ended_at if record and record.ended_at else None) or ends
        form = EntryForm(initial={"started_at": timezone.localtime(initial_start),
                                  "ended_at": timezone.localtime(initial_end)})  # fmt: skip
        status = 200
    return render(request, "teams/hours/entry.html", {
        "assignment": assignment, "record": record, "form": form, "starts": starts, "ends": ends,
        "hours": hours_text(record.minutes) if record else "",
    }, status=status)  # fmt: skip


@login_required
def answer(request, pk):
    """The organiser answers a dispute: corrects the times, or keeps them with an answer."""
    record = access.get_managed_record_for(request.user, pk)
    if request.method == "POST":
        form = AnswerForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.dispute_answer(actor=request.user, record=record, answer=d["answer"],
                                        started_at=d["started_at"], ended_at=d["ended_at"])  # fmt: skip
            except ValidationError as exc:
                messages.error(request, error_text(exc))
            else:
                messages.success(request, _("The dispute is answered and the record signed off."))
                return redirect("teams:hours_sign_list")
        else:
            messages.error(request, form_errors(form))
        status = 400
    else:
        form, status = AnswerForm(), 200
    starts, ends = services.service_times(record.assignment) if record.assignment else (None, None)
    return render(request, "teams/hours/answer.html", {
        "record": record, "form": form, "starts": starts, "ends": ends, "hours": hours_text(record.minutes),
        "open": record.status == ServiceRecord.Status.DISPUTED,
    }, status=status)  # fmt: skip


# --- the county ---------------------------------------------------------------------------------------------------


def _county_filters(request):
    county_id = access.totals_county(request.user)
    if county_id is None:
        raise Http404("no county")
    team = None
    if raw := request.GET.get("team"):
        team_id = parse_id(raw)
        if team_id is None:
            raise Http404("team not found")
        team = access.get_county_team(request.user, team_id)
        if team.county_id != county_id:
            raise Http404("team not found")
    year, problem = _year_from(request)
    return county_id, team, year, problem


@login_required
def county(request):
    """The county's members with their signed hours in a year, by team; the export for the national system."""
    county_id, team, year, problem = _county_filters(request)
    if problem:
        messages.error(request, problem)
    page = page_of(request, access.county_member_years(county_id, year, team), PAGE_SIZE)
    for y in page.object_list:
        y.hours = hours_text(y.minutes)
    query = f"year={year}" + (f"&team={team.pk}" if team else "")
    response = render(request, "teams/hours/county.html", {
        "page": page, "year": year, "team": team, "teams": list(access.county_teams(county_id)),
        "years": list(range(access.this_year(), access.this_year() - 5, -1)), "query": query,
    })  # fmt: skip
    if problem:
        response.status_code = 400
    return response


@login_required
def county_export(request):
    county_id, team, year, problem = _county_filters(request)
    if problem:
        messages.error(request, problem)
        return redirect("teams:hours_county")
    rows = access.county_export_rows(county_id, year, team).iterator(chunk_size=1000)
    response = HttpResponse(
        hours_xlsx(rows, year=year),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="service-hours-{year}.xlsx"'
    return response
