"""Every write of the bodies subdomain: committees, seats, charter versions, meetings (invitation, RSVP and
attendance on the events engine), minutes, resolutions, action items (on the deadline engine), publication.

The edge has fetched and authorised the objects through access.py; the rules between them are enforced here and a
refusal is a ValidationError whose Chinese message names what is wrong (nothing is changed).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xieyu.audit.services import audit_record
from xieyu.deadlines.services import deadline_cancel, deadline_for, deadline_resolve, deadline_start
from xieyu.deadlines.workcalendar import working_days_until
from xieyu.directory.models import Grade, Guardian, School, SchoolClass
from xieyu.events import services as events
from xieyu.events.models import Event
from xieyu.notices.messages import message_send

from . import access
from .models import ActionItem, Charter, CharterVersion, Committee, Meeting, Member, Resolution

MEETING_HOURS = 2
CHARTER_MAX = 20_000
TEXT_MAX = 5_000
VOTES_MAX = 10_000


def _text(value: str, *, field: str, required: str, limit: int, too_long: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(required, code=field)
    if len(value) > limit:
        raise ValidationError(too_long % {"n": limit}, code=field)
    if "\x00" in value:
        raise ValidationError(required, code=field)
    return value


def unit_label(committee: Committee) -> str:
    if committee.level == Committee.Level.CLASS and committee.school_class is not None:
        return f"{committee.school.name}{committee.school_class.grade.name}{committee.school_class.name}"
    if committee.level == Committee.Level.GRADE and committee.grade is not None:
        return f"{committee.school.name}{committee.grade.name}"
    return committee.school.name


# --- committees -----------------------------------------------------------------------------------------------------


@transaction.atomic
def committee_create(
    *,
    actor,
    school: School,
    level: str,
    name: str,
    grade: Grade | None = None,
    school_class: SchoolClass | None = None,
) -> Committee:
    """A school's, a grade's or a class's committee; one per unit."""
    name = _text(name, field="name", required=_("Give the committee a name."), limit=80,
                 too_long=_("The committee name is too long: at most %(n)s characters."))  # fmt: skip
    if level == Committee.Level.SCHOOL:
        grade = school_class = None
        exists = Committee.objects.filter(level=level, school=school)
    elif level == Committee.Level.GRADE:
        if grade is None or grade.school_id != school.pk:
            raise ValidationError(_("Choose a grade of the school for a grade committee."), code="grade")
        school_class = None
        exists = Committee.objects.filter(level=level, grade=grade)
    elif level == Committee.Level.CLASS:
        if school_class is None or school_class.school_id != school.pk:
            raise ValidationError(_("Choose a class of the school for a class committee."), code="school_class")
        grade = None
        exists = Committee.objects.filter(level=level, school_class=school_class)
    else:
        raise ValidationError(_("Choose the committee's level: school, grade or class."), code="level")
    if exists.exists():
        raise ValidationError(_("This unit already has a committee."), code="level")
    committee = Committee.objects.create(county_id=school.county_id, school=school, level=level, grade=grade,
                                         school_class=school_class, name=name, created_by=actor)  # fmt: skip
    audit_record(actor=actor, action="committee.create", target=committee, changes={"level": [None, level]})
    return committee


# --- seats ----------------------------------------------------------------------------------------------------------


def _seat_end(m: Member) -> datetime.date:
    """The seat's last day: its term's end, or the day before it was ended (a new seat may start that day)."""
    if m.ended_at is not None:
        return min(m.term_end, timezone.localtime(m.ended_at).date() - datetime.timedelta(days=1))
    return m.term_end


@transaction.atomic
def member_add(
    *,
    actor,
    committee: Committee,
    guardian: Guardian,
    role: str,
    term_start: datetime.date,
    term_end: datetime.date,
    chosen: str,
    vote_record: dict | None = None,
    approving_meeting: Meeting | None = None,
) -> Member:
    """Seat a guardian of the committee's unit for a term: elected (with the vote record) or appointed (with the
    meeting that approved it). A guardian holds one seat at a time; a committee one chair at a time."""
    if role not in Member.Role.values:
        raise ValidationError(_("Choose the member's role."), code="role")
    if term_start is None or term_end is None:
        raise ValidationError(_("Give the term's first and last day."), code="term_start")
    if term_end < term_start:
        raise ValidationError(_("The term cannot end before it starts."), code="term_end")
    if (term_end - term_start).days > 366 * 5:
        raise ValidationError(_("A term lasts at most five years."), code="term_end")
    if not access.belongs_to_unit(guardian, committee):
        raise ValidationError(
            _("%(name)s is not a guardian of a child in %(unit)s, so cannot sit on its committee.")
            % {"name": guardian.name, "unit": unit_label(committee)},
            code="guardian",
        )
    record: dict = {}
    if chosen == Member.Chosen.ELECTION:
        record = _vote_record(vote_record or {})
        approving_meeting = None
    elif chosen == Member.Chosen.APPOINTMENT:
        if approving_meeting is None or approving_meeting.committee_id != committee.pk:
            raise ValidationError(_("An appointment needs the meeting of this committee that approved it."),
                                  code="approving_meeting")  # fmt: skip
        if approving_meeting.starts_at > timezone.now() or approving_meeting.status == Meeting.Status.CANCELLED:
            raise ValidationError(_("The approving meeting has not been held."), code="approving_meeting")
    else:
        raise ValidationError(_("Say how the member was chosen: elected or appointed."), code="chosen")
    seats = list(Member.objects.select_for_update().filter(committee=committee).filter(
        Q(guardian=guardian) | Q(role=Member.Role.CHAIR)))  # fmt: skip
    for seat in seats:
        overlaps = seat.term_start <= term_end and term_start <= _seat_end(seat)
        if not overlaps:
            continue
        if seat.guardian_id == guardian.pk:
            raise ValidationError(
                _("%(name)s already has a seat on this committee from %(start)s to %(end)s; end it first.")
                % {"name": guardian.name, "start": seat.term_start, "end": _seat_end(seat)},
                code="guardian",
            )
        if role == Member.Role.CHAIR:
            raise ValidationError(_("The committee already has a chair for that term."), code="role")
    try:
        with transaction.atomic():
            member = Member.objects.create(committee=committee, guardian=guardian, role=role, term_start=term_start,
                                           term_end=term_end, chosen=chosen, vote_record=record,
                                           approving_meeting=approving_meeting, created_by=actor)  # fmt: skip
    except IntegrityError:
        raise ValidationError(_("%(name)s already has a seat on this committee.") % {"name": guardian.name},
                              code="guardian") from None  # fmt: skip
    audit_record(actor=actor, action="committee.member_add", target=member,
                 changes={"guardian": [None, guardian.pk], "role": [None, role], "chosen": [None, chosen]})  # fmt: skip
    return member


def _vote_record(raw: dict) -> dict:
    record = {}
    for key in ("for", "against", "abstain", "voters"):
        value = raw.get(key)
        if value is None or isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= VOTES_MAX:
            raise ValidationError(_("Give the election's votes: for, against, abstentions and voters (whole numbers)."),
                                  code="vote_record")  # fmt: skip
        record[key] = value
    if record["for"] + record["against"] + record["abstain"] > record["voters"]:
        raise ValidationError(_("More votes were counted than there were voters."), code="vote_record")
    if record["for"] * 2 <= record["voters"]:
        raise ValidationError(_("An elected member needs the votes of more than half the voters."), code="vote_record")
    return record


@transaction.atomic
def member_end(*, actor, member: Member, reason: str) -> Member:
    """End a seat; the row stays (history)."""
    if reason not in Member.EndReason.values:
        raise ValidationError(_("Say why the seat ends."), code="reason")
    done = Member.objects.filter(pk=member.pk, ended_at__isnull=True).update(ended_at=timezone.now(), end_reason=reason)
    if not done:
        raise ValidationError(_("This seat has already ended."), code="reason")
    member.refresh_from_db()
    audit_record(actor=actor, action="committee.member_end", target=member, changes={"end_reason": ["", reason]})
    return member


@transaction.atomic
def seats_end_for_left_units(*, actor, guardian_ids) -> int:
    """End the open seats of these guardians on committees of units they no longer belong to (a child moved school,
    left, or a guardianship ended): reason left_school. Returns how many ended."""
    ended = 0
    seats = Member.objects.filter(guardian__in=list(guardian_ids), ended_at__isnull=True).select_related(
        "committee", "guardian"
    )
    for seat in seats:
        if not access.belongs_to_unit(seat.guardian, seat.committee):
            member_end(actor=actor, member=seat, reason=Member.EndReason.LEFT_SCHOOL)
            ended += 1
    return ended


# --- charter --------------------------------------------------------------------------------------------------------


@transaction.atomic
def charter_draft(*, actor, committee: Committee, text: str, note: str = "") -> CharterVersion:
    """A new draft version of the committee's charter (the next number)."""
    text = _text(text, field="text", required=_("Write the charter's text."), limit=CHARTER_MAX,
                 too_long=_("The charter is too long: at most %(n)s characters."))  # fmt: skip
    note = (note or "").strip()
    if len(note) > 200:
        raise ValidationError(_("Say what changed in at most 200 characters."), code="note")
    charter, _created = Charter.objects.get_or_create(committee=committee)
    charter = Charter.objects.select_for_update().get(pk=charter.pk)
    last = charter.versions.order_by("-number").first()
    if last is not None and last.text.strip() == text:
        raise ValidationError(_("This text is the same as version %(n)s: change something first.")
                              % {"n": last.number}, code="text")  # fmt: skip
    number = (charter.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = CharterVersion.objects.create(charter=charter, number=number, text=text, note=note, created_by=actor)
    audit_record(actor=actor, action="committee.charter_draft", target=version, changes={"number": [None, number]})
    return version


@transaction.atomic
def charter_adopt(*, actor, version: CharterVersion, resolution: Resolution) -> CharterVersion:
    """Adopt a draft by a passed resolution of a meeting of the committee that has been held; the version in force
    until now is superseded."""
    version = CharterVersion.objects.select_for_update().select_related("charter").get(pk=version.pk)
    committee_id = version.charter.committee_id
    if version.status != CharterVersion.Status.DRAFT:
        raise ValidationError(_("Only a draft can be adopted; version %(n)s is %(status)s.")
                              % {"n": version.number, "status": version.get_status_display()}, code="version")  # fmt: skip
    meeting = resolution.meeting
    if meeting.committee_id != committee_id:
        raise ValidationError(_("Choose a resolution of this committee's meeting."), code="resolution")
    if meeting.status == Meeting.Status.CANCELLED or meeting.starts_at > timezone.now():
        raise ValidationError(_("The meeting of that resolution has not been held yet."), code="resolution")
    if not resolution.passed:
        raise ValidationError(_("Resolution %(n)s did not pass, so it cannot adopt the charter.")
                              % {"n": resolution.number}, code="resolution")  # fmt: skip
    if CharterVersion.objects.filter(resolution=resolution).exists():
        raise ValidationError(_("That resolution has already adopted a charter version."), code="resolution")
    now = timezone.now()
    previous = list(CharterVersion.objects.filter(charter=version.charter_id, status=CharterVersion.Status.ADOPTED))
    for old in previous:
        CharterVersion.objects.filter(pk=old.pk).update(status=CharterVersion.Status.SUPERSEDED, superseded_at=now)
        audit_record(actor=actor, action="committee.charter_supersede", target=old,
                     changes={"status": [old.status, CharterVersion.Status.SUPERSEDED]})  # fmt: skip
    version.status, version.resolution, version.adopted_at = CharterVersion.Status.ADOPTED, resolution, now
    version.save(update_fields=["status", "resolution", "adopted_at"])
    audit_record(actor=actor, action="committee.charter_adopt", target=version,
                 changes={"status": [CharterVersion.Status.DRAFT, version.status], "resolution": [None, resolution.pk]})  # fmt: skip
    return version


# --- meetings -------------------------------------------------------------------------------------------------------


def _meeting_fields(title: str, agenda: str, place: str) -> tuple[str, str, str]:
    title = _text(title, field="title", required=_("Give the meeting a title."), limit=80,
                  too_long=_("The meeting title is too long: at most %(n)s characters."))  # fmt: skip
    agenda = _text(agenda, field="agenda", required=_("Write the meeting's agenda."), limit=TEXT_MAX,
                   too_long=_("The agenda is too long: at most %(n)s characters."))  # fmt: skip
    place = _text(place, field="place", required=_("Say where the meeting is held."), limit=200,
                  too_long=_("The place is too long: at most %(n)s characters."))  # fmt: skip
    return title, agenda, place


@transaction.atomic
def meeting_create(
    *, actor, committee: Committee, title: str, agenda: str, starts_at: datetime.datetime, place: str
) -> Meeting:
    title, agenda, place = _meeting_fields(title, agenda, place)
    if starts_at is None or timezone.is_naive(starts_at):
        raise ValidationError(_("Give the meeting's date and time."), code="starts_at")
    if starts_at < timezone.now() - datetime.timedelta(days=366):
        raise ValidationError(_("The meeting's date is more than a year ago."), code="starts_at")
    meeting = Meeting.objects.create(committee=committee, title=title, agenda=agenda, starts_at=starts_at,
                                     place=place, created_by=actor)  # fmt: skip
    audit_record(actor=actor, action="committee.meeting_create", target=meeting)
    return meeting


@transaction.atomic
def meeting_update(*, actor, meeting: Meeting, title: str, agenda: str, place: str) -> Meeting:
    """Change the title, agenda or place while the meeting is planned."""
    if meeting.status != Meeting.Status.PLANNED:
        raise ValidationError(_("The agenda can be changed only before the meeting is held."), code="agenda")
    title, agenda, place = _meeting_fields(title, agenda, place)
    meeting.title, meeting.agenda, meeting.place = title, agenda, place
    meeting.save(update_fields=["title", "agenda", "place"])
    if meeting.event_id is not None:
        Event.objects.filter(pk=meeting.event_id).update(title=title, description=agenda, place=place)
    audit_record(actor=actor, action="committee.meeting_update", target=meeting)
    return meeting


def _audience(committee: Committee) -> dict:
    if committee.level == Committee.Level.CLASS:
        return {"audience": Event.Audience.CLASS, "audience_class": committee.school_class}
    if committee.level == Committee.Level.GRADE:
        return {"audience": Event.Audience.GRADE, "audience_grade": committee.grade}
    return {"audience": Event.Audience.SCHOOL}


@transaction.atomic
def meeting_invite(*, actor, meeting: Meeting, now: datetime.datetime | None = None) -> Meeting:
    """Publish the meeting as a committee-meeting event of the unit (RSVP and attendance on the events engine) and
    send each member the invitation."""
    if Meeting.objects.select_for_update().filter(pk=meeting.pk, event__isnull=False).exists():
        raise ValidationError(_("The invitation has already been sent."), code="event")
    if meeting.status != Meeting.Status.PLANNED or meeting.starts_at <= (now or timezone.now()):
        raise ValidationError(_("Invitations go out only before a planned meeting starts."), code="event")
    committee = meeting.committee
    members = access.current_members(committee)
    if not members:
        raise ValidationError(_("The committee has no members to invite yet."), code="event")
    event = events.event_create(
        actor=actor, kind=Event.Kind.COMMITTEE_MEETING, title=meeting.title, description=meeting.agenda,
        starts_at=meeting.starts_at, ends_at=meeting.starts_at + datetime.timedelta(hours=MEETING_HOURS),
        school=committee.school, place=meeting.place, publish=True, **_audience(committee),
    )  # fmt: skip
    meeting.event = event
    meeting.save(update_fields=["event"])
    link = reverse("committees:meeting_detail", args=[meeting.pk])
    when = timezone.localtime(meeting.starts_at).strftime("%m-%d %H:%M")
    for m in members:
        message_send(
            actor=actor, county_id=committee.county_id, to_guardian=m.guardian,
            title=_("Committee meeting: %(title)s") % {"title": meeting.title},
            body=_("%(committee)s meets at %(when)s, %(place)s. Agenda: %(agenda)s. Please say whether you will come.")
            % {"committee": committee.name, "when": when, "place": meeting.place, "agenda": meeting.agenda[:300]},
            link=link, topic="committee.meeting", sender_unit=committee.name,
        )  # fmt: skip
    audit_record(actor=actor, action="committee.meeting_invite", target=meeting, changes={"event": [None, event.pk]})
    return meeting


@transaction.atomic
def meeting_rsvp(*, actor, meeting: Meeting) -> None:
    """A member says she will come: her family registers for the meeting's event."""
    if meeting.event is None:
        raise ValidationError(_("The invitation has not been sent yet."), code="event")
    seat = access.seat_on(actor, meeting.committee)
    if seat is None:
        raise ValidationError(_("Only the committee's members answer the invitation."), code="member")
    child = access.unit_students(seat.guardian, meeting.committee).order_by("pk").first()
    if child is None:
        raise ValidationError(_("Only the committee's members answer the invitation."), code="member")
    events.registration_create(actor=actor, event=meeting.event, student=child)


@transaction.atomic
def meeting_attendance_record(
    *, actor, meeting: Meeting, members: list[Member], now: datetime.datetime | None = None
) -> int:
    """The members who came (from the sign-in at the meeting), recorded on the event; the meeting is then held."""
    if meeting.event is None:
        raise ValidationError(_("Send the invitation first: attendance is recorded on it."), code="members")
    if not members:
        raise ValidationError(_("Tick at least one member who came."), code="members")
    entries, seen = [], set()
    for m in members:
        if m.committee_id != meeting.committee_id:
            raise ValidationError(_("%(name)s is not a member of this committee.") % {"name": m.guardian.name},
                                  code="members")  # fmt: skip
        child = access.unit_students(m.guardian, meeting.committee).order_by("pk").first()
        if child is None or child.pk in seen:
            continue
        seen.add(child.pk)
        entries.append(events.PaperEntry(student=child, guardian=m.guardian))
    already = {a["member"].guardian_id for a in access.attendance_of(meeting) if a["came"]}
    entries = [e for e in entries if e.guardian is not None and e.guardian.pk not in already]
    if entries:
        events.attendance_record_paper(actor=actor, event=meeting.event, entries=entries, now=now)
    _mark_held(actor, meeting)
    return len(entries)


def _mark_held(actor, meeting: Meeting) -> None:
    if Meeting.objects.filter(pk=meeting.pk, status=Meeting.Status.PLANNED).update(status=Meeting.Status.HELD):
        meeting.status = Meeting.Status.HELD
        audit_record(actor=actor, action="committee.meeting_held", target=meeting)


def _check_held(meeting: Meeting) -> None:
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("This meeting was cancelled."), code="status")
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("The meeting has not started yet: minutes come after it is held."), code="status")


@transaction.atomic
def meeting_minutes_save(*, actor, meeting: Meeting, minutes: str) -> Meeting:
    _check_held(meeting)
    if meeting.status == Meeting.Status.PUBLISHED:
        raise ValidationError(_("The minutes are published and can no longer be changed."), code="minutes")
    minutes = _text(minutes, field="minutes", required=_("Write the minutes."), limit=TEXT_MAX * 4,
                    too_long=_("The minutes are too long: at most %(n)s characters."))  # fmt: skip
    meeting.minutes = minutes
    meeting.save(update_fields=["minutes"])
    _mark_held(actor, meeting)
    audit_record(actor=actor, action="committee.minutes_save", target=meeting)
    return meeting


@transaction.atomic
def resolution_add(
    *, actor, meeting: Meeting, text: str, votes_for: int, votes_against: int, votes_abstain: int
) -> Resolution:
    """A resolution voted at the meeting; it passes with more than half of the votes cast."""
    _check_held(meeting)
    if meeting.status == Meeting.Status.PUBLISHED:
        raise ValidationError(_("The minutes are published and can no longer be changed."), code="text")
    text = _text(text, field="text", required=_("Write the resolution's text."), limit=TEXT_MAX,
                 too_long=_("The resolution is too long: at most %(n)s characters."))  # fmt: skip
    votes = (votes_for, votes_against, votes_abstain)
    if any(v is None or isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= VOTES_MAX for v in votes):
        raise ValidationError(_("Votes are whole numbers from 0."), code="votes_for")
    if sum(votes) == 0:
        raise ValidationError(_("Give the votes: nobody voted."), code="votes_for")
    seats = len(access.current_members(meeting.committee))
    if sum(votes) > max(seats, 1):
        raise ValidationError(_("More votes than the committee's %(n)s members.") % {"n": seats}, code="votes_for")
    Meeting.objects.select_for_update().filter(pk=meeting.pk).exists()  # one numbering at a time
    number = (meeting.resolutions.aggregate(n=Max("number"))["n"] or 0) + 1
    resolution = Resolution.objects.create(meeting=meeting, number=number, text=text, votes_for=votes_for,
                                           votes_against=votes_against, votes_abstain=votes_abstain,
                                           passed=votes_for * 2 > sum(votes))  # fmt: skip
    _mark_held(actor, meeting)
    audit_record(actor=actor, action="committee.resolution_add", target=resolution,
                 changes={"passed": [None, resolution.passed]})  # fmt: skip
    return resolution



@transaction.atomic
def action_add(
    *,
    actor,
    meeting: Meeting,
    text: str,
    due_on: datetime.date,
    owner_member: Member | None = None,
    owner_user=None,
) -> ActionItem:
    """An action item with its owner (a member, or the school's staff member who writes it) and due date, on the
    deadline engine (committee.action, its resolution time the working days until the date)."""
    _check_held(meeting)
    text = _text(text, field="text", required=_("Say what is to be done."), limit=300,
                 too_long=_("The action is too long: at most %(n)s characters."))  # fmt: skip
    today = timezone.localdate()
    if due_on is None or due_on <= today:
        raise ValidationError(_("The due date must be after today."), code="due_on")
    if due_on > today + datetime.timedelta(days=366):
        raise ValidationError(_("The due date is more than a year away."), code="due_on")
    committee = meeting.committee
    if owner_member is not None:
        if owner_member.committee_id != committee.pk or owner_member.ended_at is not None:
            raise ValidationError(_("The owner must be a current member of this committee."), code="owner")
        owner_user, owner_name = owner_member.guardian.user, owner_member.guardian.name
    elif owner_user is not None:
        owner_name = owner_user.name
    else:
        raise ValidationError(_("Choose who owns the action."), code="owner")
    item = ActionItem.objects.create(meeting=meeting, text=text, owner_member=owner_member, owner_user=owner_user,
                                     owner_name=owner_name, due_on=due_on, created_by=actor)  # fmt: skip
    deadline_start(actor=actor, target=item, policy="committee.action", school=committee.school,
                   school_class=committee.school_class, owner=owner_user, title=text[:200],
                   resolution=(working_days_until(committee.county_id, due_on), "days"))  # fmt: skip
    audit_record(actor=actor, action="committee.action_add", target=item, changes={"owner": [None, owner_name]})
    return item


@transaction.atomic
def action_done(*, actor, item: ActionItem, note: str = "") -> ActionItem:
    note = (note or "").strip()
    if len(note) > 300:
        raise ValidationError(_("Say what was done in at most 300 characters."), code="note")
    if not ActionItem.objects.filter(pk=item.pk, done_at__isnull=True).update(done_at=timezone.now(), done_note=note):
        raise ValidationError(_("This action is already done."), code="note")
    item.refresh_from_db()
    if (deadline := deadline_for(item)) is not None:
        deadline_resolve(actor=actor, deadline=deadline)
    audit_record(actor=actor, action="committee.action_done", target=item)
    return item


@transaction.atomic
def meeting_publish(*, actor, meeting: Meeting) -> Meeting:
    """Publish the minutes (with resolutions and action items) to the unit's guardians."""
    _check_held(meeting)
    if not meeting.minutes.strip():
        raise ValidationError(_("Write the minutes before publishing them."), code="minutes")
    done = (
        Meeting.objects.filter(pk=meeting.pk)
        .exclude(status=Meeting.Status.PUBLISHED)
        .update(status=Meeting.Status.PUBLISHED, minutes_published_at=timezone.now())
    )
    if not done:
        raise ValidationError(_("The minutes are already published."), code="minutes")
    meeting.refresh_from_db()
    audit_record(actor=actor, action="committee.minutes_publish", target=meeting)
    return meeting


@transaction.atomic
def meeting_cancel(*, actor, meeting: Meeting) -> Meeting:
    if meeting.status != Meeting.Status.PLANNED:
        raise ValidationError(_("Only a planned meeting can be cancelled."), code="status")
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)
    meeting.status = Meeting.Status.CANCELLED
    if meeting.event is not None:
        events.event_cancel(actor=actor, event=meeting.event)
    for item in meeting.action_items.filter(done_at__isnull=True):
        if (deadline := deadline_for(item)) is not None:
            deadline_cancel(actor=actor, deadline=deadline, reason="meeting cancelled")
    audit_record(actor=actor, action="committee.meeting_cancel", target=meeting)
    return meeting
