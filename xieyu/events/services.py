"""Every write to events: create, publish, cancel; register, cancel, waitlist promotion; check-in; feedback."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from xieyu.audit.services import audit_record
from xieyu.core.uploads import EVENT_MATERIALS, check_upload
from xieyu.directory.models import Community, Grade, Guardian, Region, School, SchoolClass, Student

from . import access
from .models import Attendance, Event, Feedback, Material, Registration

logger = logging.getLogger("xieyu.events")

SLOT_SECONDS = 30
CHECKIN_OPENS_BEFORE = datetime.timedelta(minutes=30)
CHECKIN_CLOSES_AFTER = datetime.timedelta(minutes=30)
REMIND_BEFORE = datetime.timedelta(hours=24)


# --- events ---------------------------------------------------------------------------------------------------


def _check_times(starts_at: datetime.datetime, ends_at: datetime.datetime) -> None:
    if starts_at is None or ends_at is None:
        raise ValidationError(_("Give the start and end time of the event."), code="time")
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ValidationError(_("The event's times must carry a time zone."), code="time")
    if ends_at <= starts_at:
        raise ValidationError(_("The event must end after it starts."), code="time")
    if ends_at - starts_at > datetime.timedelta(days=7):
        raise ValidationError(_("An event may last at most 7 days."), code="time")


@transaction.atomic
def event_create(
    *,
    actor,
    kind: str,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    audience: str,
    school: School | None = None,
    county: Region | None = None,
    community: Community | None = None,
    audience_grade: Grade | None = None,
    audience_class: SchoolClass | None = None,
    place: str = "",
    online_url: str = "",
    capacity: int = 0,
    description: str = "",
    publish: bool = False,
) -> Event:
    """A school event (school admins of the school, county admins) or a county/community event (county admins)."""
    title = (title or "").strip()
    if not title:
        raise ValidationError(_("Give the event a title."), code="title")
    if len(title) > 80:
        raise ValidationError(_("The title is too long: at most 80 characters."), code="title")
    if kind not in Event.Kind.values:
        raise ValidationError(_("Choose the type of event."), code="kind")
    if audience not in Event.Audience.values:
        raise ValidationError(_("Choose which families the event is for."), code="audience")
    _check_times(starts_at, ends_at)
    if capacity is None or capacity < 0 or capacity > 100_000:
        raise ValidationError(_("Capacity must be between 0 (no limit) and 100000."), code="capacity")
    place, online_url = (place or "").strip(), (online_url or "").strip()
    if not place and not online_url:
        raise ValidationError(_("Give the place of the event or its online link."), code="place")
    counties, schools = access._staff_units(actor, ("county_admin", "school_admin"))
    if school is not None:
        if school.pk not in schools and school.county_id not in counties:
            raise PermissionDenied(_("You may only organise events for a school you manage."))
        organiser, county_id = Event.Organiser.SCHOOL, school.county_id
    else:
        county_id = county.pk if county is not None else (community.county_id if community else None)
        if county_id is None or county_id not in counties:
            raise PermissionDenied(_("Only a county admin may organise county or community events."))
        organiser = Event.Organiser.COMMUNITY if community is not None else Event.Organiser.COUNTY
    if audience == Event.Audience.CLASS:
        if audience_class is None or school is None or audience_class.school_id != school.pk:
            raise ValidationError(_("Choose a class of the organising school."), code="audience_class")
        audience_grade = None
    elif audience == Event.Audience.GRADE:
        if audience_grade is None or school is None or audience_grade.school_id != school.pk:
            raise ValidationError(_("Choose a grade of the organising school."), code="audience_grade")
        audience_class = None
    else:
        audience_class = audience_grade = None
        if audience == Event.Audience.SCHOOL and school is None:
            raise ValidationError(_("A whole-school event needs an organising school."), code="audience")
    event = Event.objects.create(
        kind=kind,
        title=title,
        description=(description or "").strip(),
        organiser=organiser,
        county_id=county_id,
        school=school,
        community=community,
        audience=audience,
        audience_grade=audience_grade,
        audience_class=audience_class,
        place=place,
        online_url=online_url,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        status=Event.Status.PUBLISHED if publish else Event.Status.DRAFT,
        created_by=actor,
    )
    audit_record(actor=actor, action="event.create", target=event, changes={"status": [None, event.status]})
    return event


@transaction.atomic
def event_publish(*, actor, event: Event) -> Event:
    if event.status == Event.Status.CANCELLED:
        raise ValidationError(_("A cancelled event cannot be published."), code="status")
    if Event.objects.filter(pk=event.pk, status=Event.Status.DRAFT).update(status=Event.Status.PUBLISHED):
        event.status = Event.Status.PUBLISHED
        audit_record(actor=actor, action="event.publish", target=event)
    return event


@transaction.atomic
def event_cancel(*, actor, event: Event) -> Event:
    if Event.objects.filter(pk=event.pk).exclude(status=Event.Status.CANCELLED).update(status=Event.Status.CANCELLED):
        event.status = Event.Status.CANCELLED
        audit_record(actor=actor, action="event.cancel", target=event)
    return event


# --- registration -----------------------------------------------------------------------------------------------


def _lock_event(event: Event) -> Event:
    """Serialise registration changes of one event (SQLite's IMMEDIATE transactions serialise anyway)."""
    return Event.objects.select_for_update().get(pk=event.pk)


@transaction.atomic
def registration_create(*, actor, event: Event, student: Student) -> Registration:
    """Register a family; past capacity it goes on the waiting list. A family registers once."""
    guardian = access.guardian_of(actor)
    if guardian is None:
        raise PermissionDenied(_("Only a child's guardian may register for an event."))
    if student.pk not in {s.pk for s in access.eligible_children(actor, event)}:
        raise ValidationError(_("This event is not open to that child's family."), code="student")
    event = _lock_event(event)
    if event.status != Event.Status.PUBLISHED:
        raise ValidationError(_("This event is not open for registration."), code="status")
    if event.ends_at <= timezone.now():
        raise ValidationError(_("This event has already ended."), code="ended")
    live = Registration.objects.filter(event=event).exclude(status=Registration.Status.CANCELLED)
    if live.filter(student=student).exists():
        raise ValidationError(
            _("%(name)s's family is already registered for this event.") % {"name": student.name}, code="duplicate"
        )
    taken = live.filter(status=Registration.Status.REGISTERED).count()
    full = event.capacity and taken >= event.capacity
    reg = Registration.objects.create(
        event=event,
        student=student,
        guardian=guardian,
        status=Registration.Status.WAITLISTED if full else Registration.Status.REGISTERED,
    )
    audit_record(actor=actor, action="event.register", target=reg.student, changes={"event": [None, event.pk]})
    return reg


@transaction.atomic
def registration_cancel(*, actor, registration: Registration) -> Registration | None:
    """Cancel; a freed place goes to the first family on the waiting list. Returns the promoted registration."""
    event = _lock_event(registration.event)
    was = registration.status
    done = (
        Registration.objects.filter(pk=registration.pk)
        .exclude(status=Registration.Status.CANCELLED)
        .update(status=Registration.Status.CANCELLED, cancelled_at=timezone.now())
    )
    if not done:
        raise ValidationError(_("This registration has already been cancelled."), code="cancelled")
    registration.status = Registration.Status.CANCELLED
    audit_record(actor=actor, action="event.cancel_registration", target=registration.student,
                 changes={"event": [event.pk, None]})  # fmt: skip
    if was != Registration.Status.REGISTERED:
        return None
    return _promote(event)


def _promote(event: Event) -> Registration | None:
    nxt = (
        Registration.objects.filter(event=event, status=Registration.Status.WAITLISTED)
        .order_by("created_at", "pk")
        .first()
    )
    if nxt is None:
        return None
    Registration.objects.filter(pk=nxt.pk).update(status=Registration.Status.REGISTERED, promoted_at=timezone.now())
    nxt.status = Registration.Status.REGISTERED
    return nxt


# --- check-in ---------------------------------------------------------------------------------------------------


def current_slot(now: datetime.datetime | None = None) -> int:
    return int((now or timezone.now()).timestamp() // SLOT_SECONDS)


def checkin_token(event: Event, slot: int) -> str:
    key = f"{settings.SECRET_KEY}:{event.qr_secret}".encode()
    return hmac.new(key, f"{event.pk}:{slot}".encode(), hashlib.sha256).hexdigest()[:20]


def token_valid(event: Event, slot, token: str, now: datetime.datetime | None = None) -> bool:
    """The current and the previous slot are accepted (a code shown just before it turned still works)."""
    try:
        slot = int(slot)
    except (TypeError, ValueError):
        return False
    if slot not in (current_slot(now), current_slot(now) - 1):
        return False
    return hmac.compare_digest(checkin_token(event, slot), str(token or ""))


def checkin_window(event: Event) -> tuple[datetime.datetime, datetime.datetime]:
    return event.starts_at - CHECKIN_OPENS_BEFORE, event.ends_at + CHECKIN_CLOSES_AFTER


def _check_window(event: Event, now: datetime.datetime) -> None:
    if event.status != Event.Status.PUBLISHED:
        raise ValidationError(_("This event is not open for check-in."), code="status")
    opens, closes = checkin_window(event)
    if now < opens:
        raise ValidationError(
            _("Check-in opens at %(time)s.") % {"time": timezone.localtime(opens).strftime("%m-%d %H:%M")},
            code="too_early",
        )
    if now > closes:
        raise ValidationError(_("Check-in for this event has closed."), code="closed")


def _attend(*, actor, event: Event, student: Student, guardian: Guardian, method: str) -> Attendance:
    try:
        with transaction.atomic():
            att = Attendance.objects.create(
                event=event, student=student, guardian=guardian, method=method, checked_in_by=actor
            )
    except IntegrityError:
        raise ValidationError(
            _("%(name)s's family has already checked in.") % {"name": student.name}, code="duplicate"
        ) from None
    audit_record(actor=actor, action="event.checkin", target=student,
                 changes={"event": [None, event.pk], "guardian": [None, guardian.pk]})  # fmt: skip
    return att


@transaction.atomic
def checkin_by_scan(
    *, actor, event: Event, slot, token: str, student: Student | None = None, now: datetime.datetime | None = None
) -> Attendance:
    """A registered guardian scanned the rotating code. Their family (or the chosen child's) checks in."""
    now = now or timezone.now()
    if not token_valid(event, slot, token, now):
        raise ValidationError(
            _("This check-in code has expired. Please scan the code on the screen again."), code="token"
        )
    _check_window(event, now)
    guardian = access.guardian_of(actor)
    regs = [r for r in access.registrations_of_user(actor, event) if r.status == Registration.Status.REGISTERED]
    if guardian is None or not regs:
        raise ValidationError(_("Your family is not registered for this event."), code="not_registered")
    if student is not None:
        regs = [r for r in regs if r.student_id == student.pk]
        if not regs:
            raise ValidationError(_("That child's family is not registered for this event."), code="not_registered")
    return _attend(actor=actor, event=event, student=regs[0].student, guardian=guardian, method=Attendance.Method.QR)


@transaction.atomic
def checkin_by_organiser(
    *, actor, event: Event, registration: Registration, now: datetime.datetime | None = None
) -> Attendance:
    if not access.can_manage(actor, event):
        raise PermissionDenied(_("Only the event's organiser may check families in."))
    _check_window(event, now or timezone.now())
    if registration.event_id != event.pk or registration.status == Registration.Status.CANCELLED:
        raise ValidationError(_("This registration is not for this event."), code="registration")
    return _attend(actor=actor, event=event, student=registration.student, guardian=registration.guardian,
                   method=Attendance.Method.ORGANISER)  # fmt: skip


# --- after the event --------------------------------------------------------------------------------------------


@transaction.atomic
def feedback_submit(*, actor, event: Event, rating, comment: str = "") -> Feedback:
    """A guardian whose family came rates the event 1–5; a second answer replaces the first."""
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise ValidationError(_("Choose a rating from 1 to 5 stars."), code="rating")
    comment = (comment or "").strip()
    if len(comment) > 500:
        raise ValidationError(_("The comment is too long: at most 500 characters."), code="comment")
    guardian = access.guardian_of(actor)
    if guardian is None or not access.attendances_of_user(actor, event):
        raise ValidationError(_("Only families who attended may give feedback."), code="not_attended")
    fb, _created = Feedback.objects.update_or_create(
        event=event, guardian=guardian, defaults={"rating": rating, "comment": comment, "created_at": timezone.now()}
    )
    return fb


@transaction.atomic
def material_add(*, actor, event: Event, title: str, url: str = "", file=None) -> Material:
    if not access.can_manage(actor, event):
        raise PermissionDenied(_("Only the event's organiser may add materials."))
    title = (title or "").strip()
    if not title:
        raise ValidationError(_("Give the material a title."), code="title")
    if len(title) > 100:
        raise ValidationError(_("The title is too long: at most 100 characters."), code="title")
    url = (url or "").strip()
    if not url and file is None:
        raise ValidationError(_("Give a link or choose a file."), code="url")
    if url and not url.startswith(("http://", "https://")):
        raise ValidationError(_("The link must start with http:// or https://."), code="url")
    checked = check_upload(file, EVENT_MATERIALS) if file is not None else None
    m = Material(event=event, title=title, url=url, added_by=actor)
    if checked is not None:
        m.file.save(checked.stored_name(), checked.file, save=False)
    m.save()
    audit_record(actor=actor, action="event.material_add", target=event, changes={"material": [None, title]})
    return m


# --- reminders --------------------------------------------------------------------------------------------------


def send_due_reminders(now: datetime.datetime | None = None) -> int:
    """Remind the registered families of events starting within 24 hours, once per event, as a notice from the
    event's creator (claimed by conditional update, so two workers never remind twice)."""
    from xieyu.notices.audience import Audience
    from xieyu.notices.services import notice_create

    now = now or timezone.now()
    due = Event.objects.filter(
        status=Event.Status.PUBLISHED, reminded_at__isnull=True, starts_at__gt=now, starts_at__lte=now + REMIND_BEFORE
    ).select_related("created_by")
    sent = 0
    for event in due[:200]:
        with transaction.atomic():
            if not Event.objects.filter(pk=event.pk, reminded_at__isnull=True).update(reminded_at=now):
                continue
            students = list(
                Registration.objects.filter(event=event, status=Registration.Status.REGISTERED).values_list(
                    "student_id", flat=True
                )
            )
            if not students or event.created_by is None:
                continue
            start = timezone.localtime(event.starts_at).strftime("%m-%d %H:%M")
            try:
                with transaction.atomic():
                    notice_create(
                        actor=event.created_by,
                        title=_("Reminder: %(title)s") % {"title": event.title[:50]},
                        body=_("Your family is registered for “%(title)s” at %(time)s, %(place)s. Please come on "
                               "time and scan the code on the screen to check in.")
                        % {"title": event.title, "time": start, "place": event.place or event.online_url},
                        audience=Audience(students=students),
                    )  # fmt: skip
                sent += 1
            except (ValidationError, PermissionDenied) as exc:
                logger.warning("event %s reminder not sent: %s", event.pk, exc)
    return sent


def families_q_for_event(event: Event) -> Q:
    """Students in the event's audience (for coverage figures)."""
    a = event.audience
    if a == Event.Audience.CLASS:
        return Q(school_class=event.audience_class_id)
    if a == Event.Audience.GRADE:
        return Q(school_class__grade=event.audience_grade_id)
    if a == Event.Audience.SCHOOL:
        return Q(school=event.school_id)
    return Q(school__county=event.county_id)
