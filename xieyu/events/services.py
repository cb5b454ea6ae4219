"""Every write to events: create, publish, cancel; register, cancel, waitlist promotion; check-in (the scanned code,
the organiser's list, walk-ins at the door, the paper sign-in sheet afterwards); feedback.

When attendance may be recorded:
- the code, the organiser's list and walk-ins: from CHECKIN_OPENS_BEFORE the start to CHECKIN_CLOSES_AFTER the end;
- the paper sign-in sheet: from the start until the end of the PAPER_WORKING_DAYS-th working day (the county's
  calendar) after the day the event ended.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import logging
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from xieyu.audit.services import audit_record
from xieyu.core.uploads import EVENT_MATERIALS, check_upload
from xieyu.deadlines.workcalendar import TZ, calendar_for
from xieyu.directory.models import (
    Community,
    Grade,
    Guardian,
    Guardianship,
    Region,
    School,
    SchoolClass,
    Student,
    Town,
)
from xieyu.notices.audience import Audience
from xieyu.notices.services import notice_create

from . import access
from .models import Attendance, Event, Feedback, Material, Registration, Staff

logger = logging.getLogger("xieyu.events")

SLOT_SECONDS = 30
CHECKIN_OPENS_BEFORE = datetime.timedelta(minutes=30)
CHECKIN_CLOSES_AFTER = datetime.timedelta(minutes=30)
REMIND_BEFORE = datetime.timedelta(hours=24)
PAPER_WORKING_DAYS = 5
MAX_PAPER_ENTRIES = 200
COMPANION_MAX = 20


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
    audience_town: Town | None = None,
    place: str = "",
    online_url: str = "",
    capacity: int = 0,
    description: str = "",
    publish: bool = False,
    organiser: str | None = None,
) -> Event:
    """A school event or a county/community event. The edge has checked that the actor organises for the school,
    county or community given (events.access). An event between a school and a community (teachers into the
    community, community volunteers into the school) names both; `organiser` then says which side runs it."""
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
    county_id: int | None
    if school is not None:
        default_organiser, county_id = Event.Organiser.SCHOOL, school.county_id
    else:
        county_id = county.pk if county is not None else (community.county_id if community else None)
        if county_id is None:
            raise ValidationError(_("Only a county admin may organise county or community events."), code="school")
        default_organiser = Event.Organiser.COMMUNITY if community is not None else Event.Organiser.COUNTY
    if community is not None and community.county_id != county_id:
        raise ValidationError(_("The community lies in another county."), code="community")
    if organiser is None:
        organiser = default_organiser
    elif organiser not in Event.Organiser.values or (organiser == Event.Organiser.COMMUNITY and community is None):
        raise ValidationError(_("Choose who organises the event."), code="organiser")
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
        if audience == Event.Audience.TOWN:
            if audience_town is None or audience_town.county_id != county_id:
                raise ValidationError(_("Choose a town of the county for the event's families."), code="audience_town")
        else:
            audience_town = None
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
        audience_town=audience_town,
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
def staff_add(*, actor, event: Event, user, role: str, source: str = "") -> Staff:
    """Place a person at the event (an instructor, a clinic's expert, a helper); once per person per event — a second
    placement changes the role. The app that placed them (`source`) checked why they may work there."""
    if role not in Staff.Role.values:
        raise ValidationError(_("Choose the staff role."), code="role")
    if event.status == Event.Status.CANCELLED:
        raise ValidationError(_("The event was cancelled."), code="status")
    staff, created = Staff.objects.get_or_create(
        event=event, user=user, defaults={"role": role, "source": source, "added_by": actor}
    )
    if not created and (staff.role, staff.source) != (role, source):
        staff.role, staff.source = role, source
        staff.save(update_fields=["role", "source"])
    audit_record(
        actor=actor, action="event.staff_add", target=event, changes={"staff": [None, user.pk], "role": [None, role]}
    )
    return staff


@transaction.atomic
def staff_remove(*, actor, event: Event, user) -> bool:
    removed, _rows = Staff.objects.filter(event=event, user=user).delete()
    if removed:
        audit_record(actor=actor, action="event.staff_remove", target=event, changes={"staff": [user.pk, None]})
    return bool(removed)


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


def _attend(
    *, actor, event: Event, student: Student, guardian: Guardian | None, method: str, companion: str = ""
) -> Attendance:
    try:
        with transaction.atomic():
            att = Attendance.objects.create(event=event, student=student, guardian=guardian, companion=companion,
                                            method=method, checked_in_by=actor)  # fmt: skip
    except IntegrityError:
        raise ValidationError(
            _("%(name)s's family has already checked in.") % {"name": student.name}, code="duplicate"
        ) from None
    audit_record(actor=actor, action="event.checkin", target=student,
                 changes={"event": [None, event.pk], "guardian": [None, guardian.pk if guardian else None],
                          "method": [None, method]})  # fmt: skip
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
    _check_window(event, now or timezone.now())
    if registration.event_id != event.pk or registration.status == Registration.Status.CANCELLED:
        raise ValidationError(_("This registration is not for this event."), code="registration")
    return _attend(actor=actor, event=event, student=registration.student, guardian=registration.guardian,
                   method=Attendance.Method.ORGANISER)  # fmt: skip


def audience_refusal(event: Event, student: Student) -> str | None:
    """Why the event's audience does not hold this child's family, in words; None when it does."""
    if student.status != Student.Status.ENROLLED:
        return _("%(name)s is not an enrolled student any more, so the family cannot be checked in here.") % {
            "name": student.name
        }
    if access.audience_holds(event, student):
        return None
    where = f"{student.school.name}{student.school_class or ''}"
    return _(
        "%(name)s's family is not among the families this event is for: the event is for the families of "
        "%(audience)s, and %(name)s is in %(where)s."
    ) % {"name": student.name, "audience": access.audience_label(event), "where": where}


def _clean_companion(companion: str) -> str:
    text = "".join(ch for ch in unicodedata.normalize("NFKC", companion or "") if unicodedata.category(ch)[0] != "C")
    text = " ".join(text.split())
    if len(text) > COMPANION_MAX:
        raise ValidationError(
            _("The name of who came is too long: at most %(n)s characters.") % {"n": COMPANION_MAX}, code="companion"
        )
    return text


def _check_guardian(student: Student, guardian: Guardian | None) -> None:
    if guardian is None:
        return
    if not Guardianship.objects.filter(
        student=student, guardian=guardian, status=Guardianship.Status.CONFIRMED
    ).exists():
        raise ValidationError(
            _("%(who)s is not a confirmed guardian of %(name)s: choose “a family member not on the roster”.")
            % {"who": guardian.name, "name": student.name},
            code="guardian",
        )


def _live_registrations(event: Event, students: Sequence[Student]) -> dict[int, str]:
    """{student id: registration status} of the live registrations of these families."""
    return dict(
        Registration.objects.filter(event=event, student__in=[s.pk for s in students])
        .exclude(status=Registration.Status.CANCELLED)
        .values_list("student_id", "status")
    )


@transaction.atomic
def attendance_record_walk_in(
    *,
    actor,
    event: Event,
    student: Student,
    guardian: Guardian | None,
    companion: str = "",
    now: datetime.datetime | None = None,
) -> Attendance:
    """The organiser checks in a family at the door, registered or not, with the guardian who came (None: a family
    member not on the roster, whose name may be given as `companion`). A family that did not register (or is
    only on the waiting list) must be one the event's audience holds; it is recorded as a walk-in. A registered
    family is recorded as checked in by the organiser. Once per family."""
    _check_window(event, now or timezone.now())
    companion = "" if guardian is not None else _clean_companion(companion)
    _check_guardian(student, guardian)
    status = _live_registrations(event, [student]).get(student.pk)
    if status is None and (refusal := audience_refusal(event, student)):
        raise ValidationError(refusal, code="audience")
    method = Attendance.Method.ORGANISER if status == Registration.Status.REGISTERED else Attendance.Method.WALK_IN
    return _attend(actor=actor, event=event, student=student, guardian=guardian, method=method, companion=companion)


def paper_window(event: Event) -> tuple[datetime.datetime, datetime.datetime]:
    """From the start of the event until the end (midnight) of the PAPER_WORKING_DAYS-th working day of the
    county's calendar after the day it ended: a lecture on the eve of a holiday keeps its week of working days."""
    cal = calendar_for(event.county_id)
    day = timezone.localtime(event.ends_at, TZ).date()
    for _i in range(PAPER_WORKING_DAYS):
        day = cal.next_working_day(day)
    closes = datetime.datetime.combine(day, datetime.time.min, tzinfo=TZ) + datetime.timedelta(days=1)
    return event.starts_at, closes


def _check_paper_window(event: Event, now: datetime.datetime) -> None:
    if event.status != Event.Status.PUBLISHED:
        raise ValidationError(_("This event is not open for check-in."), code="status")
    opens, closes = paper_window(event)
    if now < opens:
        raise ValidationError(
            _("The paper sign-in sheet can be entered once the event has started, from %(time)s.")
            % {"time": timezone.localtime(opens).strftime("%m-%d %H:%M")},
            code="too_early",
        )
    if now >= closes:
        raise ValidationError(
            _("The paper sign-in sheet could be entered until %(time)s; that time has passed.")
            % {"time": timezone.localtime(closes - datetime.timedelta(minutes=1)).strftime("%m-%d %H:%M")},
            code="closed",
        )


@dataclass(frozen=True)
class PaperEntry:
    """One family ticked on the paper sheet: the guardian who signed (None: a family member not on the roster)."""

    student: Student
    guardian: Guardian | None = None
    companion: str = ""


@transaction.atomic
def attendance_record_paper(
    *, actor, event: Event, entries: Sequence[PaperEntry], now: datetime.datetime | None = None
) -> list[Attendance]:
    """Record the families who signed the paper sheet, all or none: registered families, and walk-ins the event's
    audience holds. Inside the paper window only (paper_window); the source is recorded as PAPER."""
    _check_paper_window(event, now or timezone.now())
    if not entries:
        raise ValidationError(_("Tick at least one family that came."), code="empty")
    if len(entries) > MAX_PAPER_ENTRIES:
        raise ValidationError(
            _("At most %(n)s families at a time: enter the sheet in parts.") % {"n": MAX_PAPER_ENTRIES}, code="many"
        )
    if len({e.student.pk for e in entries}) != len(entries):
        raise ValidationError(_("A family is ticked twice."), code="duplicate")
    live = _live_registrations(event, [e.student for e in entries])
    done = []
    for e in entries:
        companion = "" if e.guardian is not None else _clean_companion(e.companion)
        _check_guardian(e.student, e.guardian)
        if e.student.pk not in live and (refusal := audience_refusal(event, e.student)):
            raise ValidationError(refusal, code="audience")
        done.append(_attend(actor=actor, event=event, student=e.student, guardian=e.guardian,
                            method=Attendance.Method.PAPER, companion=companion))  # fmt: skip
    return done


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
    """Students in the event's audience (for coverage figures): the one rule in access.audience_unit."""
    return access.audience_students_q(event)
