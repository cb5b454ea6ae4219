"""Event pages: list and calendars, create, detail (register, cancel, feedback), the rotating check-in code, the
scan page, attendance (organiser check-in, walk-ins found by name, 拼音 or phone digits, export), the paper sign-in
sheet (printable, and entered afterwards), materials, .ics calendars.

Reads through access.py (404 alike for missing and forbidden), writes through services.py; a fixed number of
queries per page whatever the number of events or families.
"""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xieyu.accounts.roles import GUARDIAN, active_role
from xieyu.core.uploads import download_name, serve_file, type_of_stored
from xieyu.core.viewhelpers import error_text, id_or_404
from xieyu.directory import access as directory_access

from . import access, exports, namesearch, services
from .forms import EventForm, FeedbackForm, MaterialForm
from .models import Event, Registration

PAGE_SIZE = 20
ATTENDANCE_PAGE_SIZE = 50
WALK_INS_SHOWN = 100
SHEET_ROWS = 1000
SHEET_BLANK_ROWS = 15
FAMILY_RESULTS = "family-results"


def _page(request, items, per_page: int = PAGE_SIZE):
    return Paginator(items, per_page).get_page(request.GET.get("page"))


# --- lists and calendars ------------------------------------------------------------------------------------


@login_required
@require_GET
def event_list(request):
    """A guardian's upcoming events (their calendar); staff see the events they organise or oversee."""
    acting = active_role(request)
    if acting is None or acting.role == GUARDIAN:
        page_obj = _page(request, access.upcoming_for_guardian(request.user))
        return render(request, "events/guardian_list.html", {"page_obj": page_obj})
    show = request.GET.get("show", "upcoming")
    qs = access.with_counts(access.events_visible_to(request.user).select_related("school"))
    now = timezone.now()
    qs = qs.filter(ends_at__lt=now).order_by("-starts_at", "-pk") if show == "past" else qs.filter(ends_at__gte=now)
    return render(
        request,
        "events/staff_list.html",
        {"page_obj": _page(request, qs), "show": show, "can_create": access.can_manage_any(request.user)},
    )


@login_required
@require_GET
def school_calendar(request, pk):
    school = directory_access.get_school_for(request.user, pk)
    page_obj = _page(request, access.school_calendar(request.user, school).filter(ends_at__gte=timezone.now()))
    return render(request, "events/calendar.html", {"unit": school, "page_obj": page_obj,
                  "ics_url": reverse("events:school_ics", args=[school.pk])})  # fmt: skip


@login_required
@require_GET
def county_calendar(request, pk):
    if pk not in access.counties_overseen_by(request.user):
        raise Http404("county not found")
    qs = access.county_calendar(request.user, pk).filter(ends_at__gte=timezone.now())
    page_obj = _page(request, qs)
    county = page_obj.object_list[0].county if page_obj.object_list else None
    return render(request, "events/calendar.html", {"unit": county, "page_obj": page_obj,
                  "ics_url": reverse("events:county_ics", args=[pk])})  # fmt: skip


def _ics(request, events, name: str) -> HttpResponse:
    body = exports.calendar_ics(events[:500], name=name, host=request.get_host())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="xieyu.ics"'
    return response


@login_required
@require_GET
def my_ics(request):
    return _ics(request, access.my_registered_events(request.user), _("My events"))


@login_required
@require_GET
def school_ics(request, pk):
    school = directory_access.get_school_for(request.user, pk)
    return _ics(request, access.school_calendar(request.user, school), school.name)


@login_required
@require_GET
def county_ics(request, pk):
    if pk not in access.counties_overseen_by(request.user):
        raise Http404("county not found")
    return _ics(request, access.county_calendar(request.user, pk), _("County events"))


# --- create -------------------------------------------------------------------------------------------------


def _event_form(request, data=None) -> EventForm:
    schools, grades, classes = access.form_choices(request.user)
    return EventForm(data, schools=schools, grades=grades, classes=classes,
                     county_admin=access.is_county_admin(request.user))  # fmt: skip


def create_from_form(request, form: EventForm) -> Event | None:
    """Create the event from a valid form; on a refused write, the message goes on the form and None returns."""
    d = form.cleaned_data
    county_id = access.county_of(request.user)
    try:
        return services.event_create(
            actor=request.user,
            kind=d["kind"],
            title=d["title"],
            description=d["description"],
            school=d["school"],
            county=None if d["school"] else access.county_region(county_id),
            audience=d["audience"],
            audience_grade=d["audience_grade"],
            audience_class=d["audience_class"],
            place=d["place"],
            online_url=d["online_url"],
            starts_at=d["starts_at"],
            ends_at=d["ends_at"],
            capacity=d["capacity"],
            publish=d["publish"],
        )
    except (ValidationError, PermissionDenied) as exc:
        form.add_error(None, error_text(exc))
        return None


@login_required
def event_create(request):
    if not access.can_manage_any(request.user):
        raise Http404("not an organiser")
    form = _event_form(request, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        event = create_from_form(request, form)
        if event is not None:
            messages.success(request, _("The event has been created."))
            return redirect("events:detail", event.pk)
    return render(request, "events/create.html", {"form": form}, status=400 if form.errors else 200)


# --- detail: register, cancel, feedback ---------------------------------------------------------------------


def _detail_context(request, event: Event, **extra) -> dict:
    user = request.user
    manages = access.can_manage(user, event)
    now = timezone.now()
    context: dict[str, Any] = {
        "event": event,
        "manages": manages,
        "sees_attendance": access.can_see_attendance(user, event),
        "eligible": access.eligible_children(user, event) if event.status == Event.Status.PUBLISHED else [],
        "registrations": access.registrations_of_user(user, event),
        "attendances": access.attendances_of_user(user, event),
        "materials": access.materials_of(event),
        "staff": access.staff_of(event),
        "ended": event.ends_at <= now,
        "started": event.starts_at <= now,
        "feedback_form": extra.pop("feedback_form", None) or FeedbackForm(),
    }
    registered_ids = {r.student_id for r in context["registrations"]}
    context["can_register"] = [s for s in context["eligible"] if s.pk not in registered_ids]
    guardian = access.guardian_of(user) if context["attendances"] else None
    context["my_feedback"] = access.feedback_of(guardian, event)
    if manages or context["sees_attendance"]:
        context["counts"] = access.with_counts(access.events_visible_to(user).filter(pk=event.pk)).first()
    if manages:
        context["material_form"] = extra.pop("material_form", None) or MaterialForm()
    context.update(extra)
    return context


@login_required
@require_GET
def event_detail(request, pk):
    event = access.get_event_for(request.user, pk)
    return render(request, "events/detail.html", _detail_context(request, event))


@login_required
@require_POST
def event_register(request, pk):
    event = access.get_event_for(request.user, pk)
    children = {str(s.pk): s for s in access.eligible_children(request.user, event)}
    student = children.get(request.POST.get("student", ""))
    if student is None:
        messages.error(request, _("Choose which child's family is registering."))
        return redirect("events:detail", event.pk)
    try:
        reg = services.registration_create(actor=request.user, event=event, student=student)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    else:
        if reg.status == Registration.Status.WAITLISTED:
            messages.warning(request, _("The event is full: your family is on the waiting list."))
        else:
            messages.success(request, _("Registered. Please come on time and scan the code to check in."))
    return redirect("events:detail", event.pk)


@login_required
@require_POST
def event_unregister(request, pk):
    event = access.get_event_for(request.user, pk)
    regs = {str(r.pk): r for r in access.registrations_of_user(request.user, event)}
    reg = regs.get(request.POST.get("registration", ""))
    if reg is None:
        raise Http404("registration not found")
    try:
        services.registration_cancel(actor=request.user, registration=reg)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Your registration has been cancelled."))
    return redirect("events:detail", event.pk)


@login_required
@require_POST
def event_feedback(request, pk):
    event = access.get_event_for(request.user, pk)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            services.feedback_submit(actor=request.user, event=event, rating=form.cleaned_data["rating"],
                                     comment=form.cleaned_data["comment"])  # fmt: skip
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("Thank you for your feedback."))
            return redirect("events:detail", event.pk)
    return render(request, "events/detail.html", _detail_context(request, event, feedback_form=form), status=400)


@login_required
@require_POST
def event_publish(request, pk):
    event = access.get_event_for(request.user, pk, write=True)
    try:
        services.event_publish(actor=request.user, event=event)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The event has been published."))
    return redirect("events:detail", event.pk)


@login_required
@require_POST
def event_cancel(request, pk):
    event = access.get_event_for(request.user, pk, write=True)
    services.event_cancel(actor=request.user, event=event)
    messages.success(request, _("The event has been cancelled."))
    return redirect("events:detail", event.pk)


@login_required
@require_POST
def material_add(request, pk):
    event = access.get_event_for(request.user, pk, write=True)
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.material_add(actor=request.user, event=event, title=form.cleaned_data["title"],
                                  url=form.cleaned_data["url"], file=form.cleaned_data["file"])  # fmt: skip
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("The material has been added."))
            return redirect("events:detail", event.pk)
    return render(request, "events/detail.html", _detail_context(request, event, material_form=form), status=400)


@login_required
@require_GET
def material_file(request, pk, material_pk):
    """An uploaded material, for those who may see the event: its real type, a download unless a picture."""
    event = access.get_event_for(request.user, pk)
    material = access.get_material_file(event, material_pk)
    file_type = type_of_stored(material.file.name)
    name = download_name(material.title, file_type) if file_type else material.title
    return serve_file(material.file, filename=name, file_type=file_type)


# --- check-in -----------------------------------------------------------------------------------------------


def _scan_url(request, event: Event) -> str:
    slot = services.current_slot()
    path = reverse("events:scan", args=[event.pk]) + f"?s={slot}&t={services.checkin_token(event, slot)}"
    return request.build_absolute_uri(path)


@login_required
@require_GET
def event_qr(request, pk):
    """The rotating code for the screen in the hall: a new payload every 30 seconds (htmx refreshes it)."""
    event = access.get_event_for(request.user, pk, write=True)
    url = _scan_url(request, event)
    context = {"event": event, "scan_url": url, "svg": segno.make(url, error="m").svg_inline(scale=6),
               "slot_seconds": services.SLOT_SECONDS}  # fmt: skip
    if request.htmx:
        return render(request, "events/partials/qr.html", context)
    return render(request, "events/qr.html", context)


@login_required
def event_scan(request, pk):
    """Where the scanned code leads: a registered guardian confirms, and their family is checked in."""
    event = access.get_event_for(request.user, pk)
    slot, token = request.GET.get("s", ""), request.GET.get("t", "")
    regs = [r for r in access.registrations_of_user(request.user, event) if r.status == Registration.Status.REGISTERED]
    context = {"event": event, "registrations": regs, "slot": slot, "token": token}
    if request.method == "POST":
        asked = request.POST.get("student", "")
        chosen = {str(r.student_id): r.student for r in regs}.get(asked)
        if asked and chosen is None:  # never someone else's child, and never silently one's own instead
            context["error"] = _("That child's family is not registered for this event.")
            return render(request, "events/scan.html", context, status=400)
        try:
            att = services.checkin_by_scan(actor=request.user, event=event, slot=request.POST.get("s"),
                                           token=request.POST.get("t", ""), student=chosen)  # fmt: skip
        except ValidationError as exc:
            context["error"] = error_text(exc)
            return render(request, "events/scan.html", context, status=400)
        context["done"] = att
        return render(request, "events/scan.html", context)
    if not services.token_valid(event, slot, token):
        context["error"] = _("This check-in code has expired. Please scan the code on the screen again.")
    return render(request, "events/scan.html", context)


@login_required
def event_attendance(request, pk):
    event = access.get_event_for(request.user, pk)
    if not access.can_see_attendance(request.user, event):
        raise Http404("event not found")
    manages = access.can_manage(request.user, event)
    if request.method == "POST":
        if not manages:
            raise Http404("event not found")
        reg = access.get_registration_for_checkin(event, id_or_404(request.POST.get("registration")))
        try:
            services.checkin_by_organiser(actor=request.user, event=event, registration=reg)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("%(name)s's family is checked in.") % {"name": reg.student.name})
        return redirect(request.get_full_path())
    show = request.GET.get("show", "all")
    if show not in ("all", "absent", "came"):
        show = "all"
    page_obj = _page(request, access.attendance_rows(event, show=show), ATTENDANCE_PAGE_SIZE)
    counts = access.with_counts(access.events_visible_to(request.user).filter(pk=event.pk)).first()
    opens, closes = services.checkin_window(event)
    walk_in_open = manages and event.status == Event.Status.PUBLISHED and opens <= timezone.now() <= closes
    walk_ins = list(access.walk_ins(event)[: WALK_INS_SHOWN + 1])
    context = {
        "event": event, "page_obj": page_obj, "show": show, "manages": manages, "counts": counts,
        "walk_in_open": walk_in_open, "ended": event.ends_at <= timezone.now(),
        "walk_ins": walk_ins[:WALK_INS_SHOWN], "more_walk_ins": len(walk_ins) > WALK_INS_SHOWN,
        "search": _family_search(request, event) if walk_in_open else None,
        "search_action": reverse("events:walk_in", args=[event.pk]),
    }  # fmt: skip
    return _with_results(request, "events/attendance.html", context)


def _family_search(request, event: Event) -> access.FamilySearch | None:
    q = request.GET.get("q", "")
    return access.family_search(request.user, event, q) if q.strip() else None


def _with_results(request, template: str, context: dict) -> HttpResponse:
    """The page, or for htmx's search box only the search results."""
    if request.htmx and request.htmx.target == FAMILY_RESULTS:
        response = render(request, "events/partials/family_results.html", context)
    else:
        response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


def _who_came(request, student) -> tuple[Any, str]:
    """The guardian who came as the form chose (None: a family member not on the roster) and the name given."""
    value = request.POST.get(f"who_{student.pk}", "")
    if not value:
        raise ValidationError(_("Choose who came for %(name)s's family.") % {"name": student.name}, code="who")
    guardian = access.guardian_choice(student, value)
    return guardian, request.POST.get(f"companion_{student.pk}", "")[:200]


def _back_to(name: str, event: Event, request) -> str:
    q = request.POST.get("q", "").strip()[: namesearch.MAX_QUERY]
    return reverse(name, args=[event.pk]) + (f"?{urlencode({'q': q})}" if q else "")


@login_required
@require_POST
def event_walk_in(request, pk):
    """The organiser checks in a family that came to the door: found by the search, with who came."""
    event = access.get_event_for(request.user, pk, write=True)
    student = access.get_student_for_checkin(request.user, event, request.POST.get("came"))
    try:
        guardian, companion = _who_came(request, student)
        att = services.attendance_record_walk_in(actor=request.user, event=event, student=student,
                                                 guardian=guardian, companion=companion)  # fmt: skip
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("%(name)s's family is checked in (%(who)s).")
                         % {"name": student.name, "who": att.who_came})  # fmt: skip
    return redirect(_back_to("events:attendance", event, request))


@login_required
def event_paper(request, pk):
    """After the event: tick the families who signed the paper sheet (registered ones listed, walk-ins found by the
    same search); recorded as from the paper sheet, inside the paper window only."""
    event = access.get_event_for(request.user, pk, write=True)
    opens, closes = services.paper_window(event)
    now = timezone.now()
    is_open = event.status == Event.Status.PUBLISHED and opens <= now < closes
    if request.method == "POST":
        ids = list(dict.fromkeys(request.POST.getlist("came")))[: services.MAX_PAPER_ENTRIES + 1]
        if not ids:
            messages.error(request, _("Tick at least one family that came."))
            return redirect(_back_to("events:paper", event, request))
        students = access.get_students_for_checkin(request.user, event, ids)
        try:
            entries = []
            for student in students:
                guardian, companion = _who_came(request, student)
                entries.append(services.PaperEntry(student=student, guardian=guardian, companion=companion))
            done = services.attendance_record_paper(actor=request.user, event=event, entries=entries)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("%(n)s families recorded from the paper sign-in sheet.") % {"n": len(done)})
        return redirect(_back_to("events:paper", event, request))
    context = {
        "event": event, "paper_open": is_open, "now": now, "opens": opens,
        "closes": closes - datetime.timedelta(minutes=1), "working_days": services.PAPER_WORKING_DAYS,
        "page_obj": _page(request, access.paper_rows(event), ATTENDANCE_PAGE_SIZE),
        "search": _family_search(request, event) if is_open else None,
        "search_action": reverse("events:paper", args=[event.pk]),
    }  # fmt: skip
    return _with_results(request, "events/paper.html", context)


@login_required
@require_GET
def event_sheet(request, pk):
    """The printable sign-in sheet: the registered families, then blank rows for those who come unregistered."""
    event = access.get_event_for(request.user, pk)
    if not access.can_see_attendance(request.user, event):
        raise Http404("event not found")
    rows = list(access.sheet_rows(event)[: SHEET_ROWS + 1])
    return render(request, "events/sheet.html", {
        "event": event, "rows": rows[:SHEET_ROWS], "more": len(rows) > SHEET_ROWS,
        "blank_rows": range(len(rows[:SHEET_ROWS]) + 1, len(rows[:SHEET_ROWS]) + SHEET_BLANK_ROWS + 1),
    })  # fmt: skip


@login_required
@require_GET
def event_export(request, pk):
    event = access.get_event_for(request.user, pk)
    if not access.can_see_attendance(request.user, event):
        raise Http404("event not found")
    data = exports.attendance_xlsx(event, access.export_rows(event).iterator(chunk_size=1000))
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="attendance-{event.pk}.xlsx"'
    return response
