"""Every write of home visits and 双减 meetings. The edge fetched and authorised the objects (access.py); the rules
about them are enforced here, with a Chinese message naming what is wrong and nothing changed."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xieyu.audit.services import audit_record
from xieyu.care.cases.services import case_request_create
from xieyu.deadlines.services import deadline_for, deadline_resolve, deadline_start
from xieyu.directory.models import Guardian, SchoolClass, Student
from xieyu.events.models import Event
from xieyu.events.services import event_create
from xieyu.notices.audience import Audience
from xieyu.notices.services import notice_create

from ..watch.models import BurdenFlag
from . import access
from .models import HomeVisit, MeetingMinutes, PlannedVisit, VisitCoverage, VisitFollowUp

TEXT_MAX = 2000
FOLLOW_UP_MAX_DAYS = 60
MAX_FOLLOW_UPS = 10
MINUTES_LINES = 30
LINE_MAX = 200


def _text(value: str | None) -> str:
    value = (value or "").strip()
    if "\x00" in value:
        raise ValidationError(_("The text contains characters that cannot be stored."), code="text")
    return value


# --- the plan -----------------------------------------------------------------------------------------------------


@transaction.atomic
def visit_plan(*, actor, student: Student, planned_on: datetime.date) -> PlannedVisit:
    """Put a family in the class's plan for this term (or move its date)."""
    from xieyu.parentschool.semester import semester_of

    if planned_on is None:
        raise ValidationError(_("Give the planned date of the visit."), code="planned_on")
    sem = semester_of()
    if planned_on < timezone.localdate():
        raise ValidationError(_("The planned date has passed: choose today or a later day."), code="planned_on")
    if planned_on > sem.end:
        raise ValidationError(_("Plan the visit within this term."), code="planned_on")
    row, _created = PlannedVisit.objects.update_or_create(
        student=student, term=sem.code,
        defaults={"planned_on": planned_on, "planned_by": actor, "updated_at": timezone.now(),
                  "school_class": student.school_class, "school": student.school,
                  "county_id": student.school.county_id},
    )  # fmt: skip
    audit_record(actor=actor, action="burden.visit.plan", target=row,
                 changes={"planned_on": [None, planned_on.isoformat()]})  # fmt: skip
    return row


def semester_of_end() -> datetime.date:
    """The last day of this term (plans stay within it)."""
    from xieyu.parentschool.semester import semester_of

    return semester_of().end


# --- visits -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FollowUpIn:
    text: str
    owner: Any  # a user among access.staff_of_class, or None
    days: int | None  # working days to do it


@transaction.atomic
def visit_record(
    *,
    actor,
    student: Student,
    visited_on: datetime.date,
    place: str,
    visitors: list,
    met: list[Guardian],
    met_ids: list[int] | None = None,
    companion: str = "",
    discussed: str,
    concerns: str = "",
    follow_ups: list[FollowUpIn] | None = None,
    allowed_staff: list | None = None,
) -> HomeVisit:
    """Record a visit to a student's family. `met` are guardians the edge took from the family (access.
    guardians_of_family); `met_ids` the ids asked for, so a guardian of another family is refused by name."""
    school_class: SchoolClass | None = student.school_class
    if school_class is None:
        raise ValidationError(_("The pupil is in no class."), code="student")
    if visited_on is None:
        raise ValidationError(_("Give the date of the visit."), code="visited_on")
    if visited_on > timezone.localdate():
        raise ValidationError(_("The date of the visit is in the future: record a visit once it has happened."),
                              code="visited_on")  # fmt: skip
    if visited_on < timezone.localdate() - datetime.timedelta(days=366):
        raise ValidationError(_("The date of the visit is more than a year ago."), code="visited_on")
    if place not in HomeVisit.Place.values:
        raise ValidationError(_("Choose where the visit took place."), code="place")
    if met_ids is not None and set(met_ids) - {g.pk for g in met}:
        raise ValidationError(_("A guardian met must be a guardian of this pupil's family."), code="met")
    companion, discussed, concerns = _text(companion), _text(discussed), _text(concerns)
    if not met and not companion:
        raise ValidationError(_("Say who was met: a guardian of the family or another person."), code="met")
    if len(companion) > 100:
        raise ValidationError(_("Who else was met: at most 100 characters."), code="companion")
    if not discussed:
        raise ValidationError(_("Write what was discussed."), code="discussed")
    if len(discussed) > TEXT_MAX or len(concerns) > TEXT_MAX:
        raise ValidationError(_("What was discussed and the concerns: at most 2000 characters each."),
                              code="discussed")  # fmt: skip
    visitors = list(dict.fromkeys(visitors or [actor]))
    if allowed_staff is not None:
        allowed = {u.pk for u in allowed_staff}
        if any(v.pk not in allowed for v in visitors):
            raise ValidationError(_("Who went must be staff of the pupil's school."), code="visitors")
    items = follow_ups or []
    if len(items) > MAX_FOLLOW_UPS:
        raise ValidationError(_("At most 10 follow-ups on one visit."), code="follow_ups")
    for item in items:
        _check_follow_up(item, allowed_staff)
    visit = HomeVisit.objects.create(
        county_id=student.school.county_id, school=student.school, school_class=school_class, student=student,
        visited_on=visited_on, place=place, companion=companion, discussed=discussed, concerns=concerns,
        recorded_by=actor,
    )  # fmt: skip
    visit.visitors.set(visitors)
    visit.met.set(met)
    for item in items:
        _follow_up_create(actor, visit, item)
    audit_record(actor=actor, action="burden.visit.record", target=visit,
                 changes={"student": [None, student.pk], "visited_on": [None, visited_on.isoformat()]})  # fmt: skip
    coverage_refresh_class(school_class=school_class, year=access.school_year_of(visited_on))
    return visit


def _check_follow_up(item: FollowUpIn, allowed_staff) -> None:
    text = _text(item.text)
    if not text:
        raise ValidationError(_("Write what the follow-up is."), code="follow_up_text")
    if len(text) > LINE_MAX:
        raise ValidationError(_("A follow-up: at most 200 characters."), code="follow_up_text")
    if item.owner is None:
        raise ValidationError(_("Each follow-up needs an owner."), code="follow_up_owner")
    if allowed_staff is not None and item.owner.pk not in {u.pk for u in allowed_staff}:
        raise ValidationError(_("The owner of a follow-up must be staff of the pupil's school."),
                              code="follow_up_owner")  # fmt: skip
    if item.days is None or not 1 <= item.days <= FOLLOW_UP_MAX_DAYS:
        raise ValidationError(_("Give each follow-up 1 to 60 working days."), code="follow_up_days")


def _follow_up_create(actor, visit: HomeVisit, item: FollowUpIn) -> VisitFollowUp:
    fu = VisitFollowUp.objects.create(visit=visit, text=_text(item.text), owner=item.owner)
    d = deadline_start(
        actor=actor, target=fu, policy="visit.followup", school_class=visit.school_class, owner=item.owner,
        title=_("Home visit follow-up: %(text)s") % {"text": fu.text}, resolution=(item.days or 10, "days"),
    )  # fmt: skip
    fu.due_on = timezone.localtime(d.resolution_due).date()
    fu.save(update_fields=["due_on"])
    return fu


@transaction.atomic
def visit_follow_up_add(*, actor, visit: HomeVisit, item: FollowUpIn, allowed_staff=None) -> VisitFollowUp:
    _check_follow_up(item, allowed_staff)
    if visit.follow_ups.count() >= MAX_FOLLOW_UPS:
        raise ValidationError(_("At most 10 follow-ups on one visit."), code="follow_ups")
    fu = _follow_up_create(actor, visit, item)
    audit_record(actor=actor, action="burden.visit.follow_up", target=fu, changes={"owner": [None, fu.owner_id]})
    return fu


@transaction.atomic
def visit_follow_up_done(*, actor, follow_up: VisitFollowUp) -> VisitFollowUp:
    locked = VisitFollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if locked.done_at is not None:
        raise ValidationError(_("This follow-up is already done."), code="done")
    locked.done_at, locked.done_by = timezone.now(), actor
    locked.save(update_fields=["done_at", "done_by"])
    if (d := deadline_for(locked)) is not None:
        deadline_resolve(actor=actor, deadline=d)
    audit_record(actor=actor, action="burden.visit.follow_up_done", target=locked)
    follow_up.done_at, follow_up.done_by = locked.done_at, actor
    return follow_up


@transaction.atomic
def visit_case_request(*, actor, visit: HomeVisit, concern: str = ""):
    """Ask the county's counsellors for a care case about the pupil from a concern raised on the visit."""
    if visit.case_request_id is not None:
        raise ValidationError(_("A care case has already been asked for from this visit."), code="case_request")
    concern = _text(concern) or visit.concerns
    if not concern:
        raise ValidationError(_("Write the concern before asking for a care case."), code="concerns")
    request = case_request_create(actor=actor, student=visit.student, concern=concern, from_home_visit=True)
    visit.case_request = request
    visit.save(update_fields=["case_request"])
    audit_record(actor=actor, action="burden.visit.case_request", target=visit,
                 changes={"case_request": [None, request.pk]})  # fmt: skip
    return request


# --- coverage -------------------------------------------------------------------------------------------------------


def coverage_refresh_class(*, school_class: SchoolClass, year: int) -> VisitCoverage:
    """Count one class again (two small queries) and keep the figure."""
    families, visited = access.class_counts(school_class, year)
    row, _created = VisitCoverage.objects.update_or_create(
        school_class=school_class, year=year,
        defaults={"families": families, "visited": visited, "computed_at": timezone.now(),
                  "school_id": school_class.school_id, "county_id": school_class.school.county_id},
    )  # fmt: skip
    return row


@transaction.atomic
def coverage_refresh_county(*, county_id: int, year: int | None = None) -> int:
    """Count every class of a county again (two grouped queries, bulk writes): enrolment changes too."""
    year = year if year is not None else access.school_year_of()
    families, visited = access.county_class_counts(county_id, year)
    classes = list(SchoolClass.objects.filter(school__county=county_id).values_list("pk", "school_id"))
    now = timezone.now()
    existing = {r.school_class_id: r for r in VisitCoverage.objects.filter(county_id=county_id, year=year)}
    new, changed = [], []
    for pk, school_id in classes:
        f, v = families.get(pk, 0), visited.get(pk, 0)
        row = existing.get(pk)
        if row is None:
            new.append(VisitCoverage(county_id=county_id, school_id=school_id, school_class_id=pk, year=year,
                                     families=f, visited=v, computed_at=now))  # fmt: skip
        else:
            row.families, row.visited, row.computed_at = f, v, now
            changed.append(row)
    VisitCoverage.objects.bulk_create(new, batch_size=500)
    VisitCoverage.objects.bulk_update(changed, ["families", "visited", "computed_at"], batch_size=500)
    return len(classes)


# --- 双减 meetings ----------------------------------------------------------------------------------------------------


@transaction.atomic
def meeting_create(
    *,
    actor,
    kind: str,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str,
    school_class: SchoolClass | None = None,
    school=None,
    description: str = "",
    flag: BurdenFlag | None = None,
) -> Event:
    """A 双减家长会 or 课后作业恳谈会 for one class or a whole school, published at once; opened from a class's open
    burden flag, the flag shows it."""
    if kind not in access.MEETING_KINDS:
        raise ValidationError(_("Choose the type of meeting."), code="kind")
    if flag is not None:
        if flag.state != BurdenFlag.State.OPEN:
            raise ValidationError(_("This flag is no longer open."), code="flag")
        if flag.meeting_id is not None:
            raise ValidationError(_("A meeting has already been opened from this flag."), code="flag")
        school_class = flag.school_class
    if school_class is not None:
        school = school_class.school
    if school is None:
        raise ValidationError(_("Choose the class or the school the meeting is for."), code="audience")
    if starts_at is not None and starts_at < timezone.now() - datetime.timedelta(minutes=5):
        raise ValidationError(_("The meeting's start has passed: choose a later time."), code="starts_at")
    event = event_create(
        actor=actor, kind=kind, title=title, starts_at=starts_at, ends_at=ends_at,
        audience=Event.Audience.CLASS if school_class is not None else Event.Audience.SCHOOL,
        school=school, audience_class=school_class, place=place, description=description, publish=True,
    )  # fmt: skip
    if flag is not None:
        updated = BurdenFlag.objects.filter(pk=flag.pk, meeting__isnull=True, state=BurdenFlag.State.OPEN).update(
            meeting=event
        )
        if not updated:
            raise ValidationError(_("A meeting has already been opened from this flag."), code="flag")
        flag.meeting = event
        audit_record(actor=actor, action="burden.flag.meeting", target=flag, changes={"meeting": [None, event.pk]})
    return event


def _lines(text: str | list[str], what: str) -> list[str]:
    raw = text if isinstance(text, list) else (text or "").splitlines()
    lines = [_text(line) for line in raw]
    lines = [line for line in lines if line]
    if len(lines) > MINUTES_LINES:
        raise ValidationError(_("%(what)s: at most 30 lines.") % {"what": what}, code="lines")
    if any(len(line) > LINE_MAX for line in lines):
        raise ValidationError(_("%(what)s: at most 200 characters a line.") % {"what": what}, code="lines")
    return lines


@transaction.atomic
def minutes_write(*, actor, event: Event, raised: str | list[str], changes: str | list[str]) -> MeetingMinutes:
    """Write (or rewrite) the minutes; published minutes may be corrected (the guardians' notice is not re-sent)."""
    if event.kind not in access.MEETING_KINDS:
        raise ValidationError(_("Minutes are kept here for double reduction meetings only."), code="kind")
    if event.status == Event.Status.CANCELLED:
        raise ValidationError(_("The meeting was cancelled: it has no minutes."), code="status")
    if event.starts_at > timezone.now():
        raise ValidationError(_("The meeting has not started yet: write the minutes afterwards."), code="status")
    raised_lines = _lines(raised, _("What families raised"))
    change_lines = _lines(changes, _("What the school changed"))
    if not raised_lines:
        raise ValidationError(_("Write at least one thing families raised."), code="raised")
    minutes, _created = MeetingMinutes.objects.update_or_create(
        event=event,
        defaults={"raised": raised_lines, "changes": change_lines, "written_by": actor, "updated_at": timezone.now()},
    )
    audit_record(actor=actor, action="burden.minutes.write", target=minutes,
                 changes={"raised": [None, len(raised_lines)], "changes": [None, len(change_lines)]})  # fmt: skip
    return minutes


@transaction.atomic
def minutes_publish(*, actor, minutes: MeetingMinutes, link: str = "") -> MeetingMinutes:
    """Send the minutes to the meeting's audience (a notice to the guardians of the class or the school)."""
    locked = MeetingMinutes.objects.select_for_update().select_related("event").get(pk=minutes.pk)
    if locked.published_at is not None:
        raise ValidationError(_("The minutes are already published."), code="published")
    event = locked.event
    if event.audience == Event.Audience.CLASS and event.audience_class_id is not None:
        audience = Audience(classes=[event.audience_class_id])
    elif event.school_id is not None:
        audience = Audience(schools=[event.school_id])
    else:
        raise ValidationError(_("Choose the class or the school the meeting is for."), code="audience")
    body = "\n".join(
        [_("What families raised:"), *[f"· {x}" for x in locked.raised],
         _("What the school changed:"), *([f"· {x}" for x in locked.changes] or [_("(nothing yet)")])]
    )  # fmt: skip
    if link:
        body += "\n" + link
    notice = notice_create(actor=actor, title=(_("Minutes: %(title)s") % {"title": event.title})[:60], body=body,
                           audience=audience)  # fmt: skip
    locked.published_at, locked.notice = timezone.now(), notice
    locked.save(update_fields=["published_at", "notice"])
    audit_record(actor=actor, action="burden.minutes.publish", target=locked, changes={"notice": [None, notice.pk]})
    minutes.published_at, minutes.notice = locked.published_at, notice
    return minutes
