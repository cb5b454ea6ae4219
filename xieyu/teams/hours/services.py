"""Every write of the hours subdomain (《志愿服务记录与证明出具办法(试行)》: records true, complete and free; whoever
records the hours certifies them; service hours are the time of service).

- The member checks in at her accepted assignment's event (from 30 minutes before it starts to its end) and checks out
  (up to 2 hours after its end); the time counted is the overlap of [in, out] with the event's [start, end], so no
  check-in yields more hours than the event lasted. One record per assignment: open → pending.
- The organiser (the event's manager, or the need's poster) enters or corrects a record with its source noted;
  refused when longer than the event, outside it, or overlapping another record of the same person.
- The organiser signs pending records; the signer and the recording unit (the school, county or community she signs
  for) are stored.
- The member disputes a pending or signed record once, with a reason; the organiser answers: corrects the times (the
  record is signed again) or keeps them with an answer. A second dispute is refused.
- Every change is audited and keeps the rollup (ServiceYear: signed minutes per member per year) in step.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xieyu.accounts.models import Role
from xieyu.accounts.scope import scope_of
from xieyu.audit.services import audit_record
from xieyu.events.models import Event
from xieyu.events.services import CHECKIN_OPENS_BEFORE
from xieyu.notices.messages import message_send

from ..access import coordinated_counties, coordinated_schools
from ..models import Assignment, Member, ServiceRecord, ServiceYear
from .access import year_bounds, year_of

CHECKOUT_CLOSES_AFTER = datetime.timedelta(hours=2)
NOTE_CHARS = 200
REASON_CHARS = 300
TOPIC = "teams.hours"
LIVE = (ServiceRecord.Status.OPEN, ServiceRecord.Status.PENDING, ServiceRecord.Status.SIGNED,
        ServiceRecord.Status.DISPUTED)  # fmt: skip


# --- times --------------------------------------------------------------------------------------------------------


def service_times(assignment: Assignment) -> tuple[datetime.datetime, datetime.datetime]:
    """When the service takes place: the need's event, or (no event) the assignment's own times."""
    event = assignment.need.event
    if event is not None:
        return event.starts_at, event.ends_at
    return assignment.starts_at, assignment.ends_at


def checkin_window(assignment: Assignment) -> tuple[datetime.datetime, datetime.datetime]:
    """Check-in opens when the events engine opens it (30 minutes before the start) and closes at the end."""
    start, end = service_times(assignment)
    return start - CHECKIN_OPENS_BEFORE, end


def checkout_closes(assignment: Assignment) -> datetime.datetime:
    return service_times(assignment)[1] + CHECKOUT_CLOSES_AFTER


def overlap(a_start, a_end, b_start, b_end) -> tuple[datetime.datetime, datetime.datetime] | None:
    start, end = max(a_start, b_start), min(a_end, b_end)
    return (start, end) if end > start else None


def minutes_between(start: datetime.datetime, end: datetime.datetime) -> int:
    return int((end - start).total_seconds() // 60)


def _when(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%m-%d %H:%M")


def _stamp(moment: datetime.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


# --- units --------------------------------------------------------------------------------------------------------


def organising_unit(assignment: Assignment) -> str:
    """The unit that runs the service: the event's (or need's) school, community, or the county's guidance center."""
    need = assignment.need
    event = need.event
    school = event.school if event is not None else need.school
    community = event.community if event is not None else need.community
    if event is not None and event.organiser == Event.Organiser.COMMUNITY and community is not None:
        return community.name
    if school is not None:
        return school.name
    if community is not None:
        return community.name
    return _("%(county)s family education guidance center") % {"county": need.county.name}


def signing_unit(actor, assignment: Assignment) -> str:
    """The unit the signer certifies for: her school, her community, or her county's guidance center."""
    need = assignment.need
    event = need.event
    school = event.school if event is not None else need.school
    community = event.community if event is not None else need.community
    if school is not None and school.pk in coordinated_schools(actor):
        return school.name
    if community is not None and community.pk in scope_of(actor).communities(Role.COMMUNITY_STAFF):
        return community.name
    if need.county_id in coordinated_counties(actor):
        return _("%(county)s family education guidance center") % {"county": need.county.name}
    return organising_unit(assignment)


# --- the rollup ---------------------------------------------------------------------------------------------------


def rollup_refresh(*, member_ids: Iterable[int], years: Iterable[int]) -> None:
    """Recompute the members' signed minutes and records for those years from their records (one query a year)."""
    member_ids, now = sorted(set(member_ids)), timezone.now()
    for year in sorted(set(years)):
        start, end = year_bounds(year)
        sums = {
            row["member_id"]: row
            for row in ServiceRecord.objects.filter(
                member_id__in=member_ids, status=ServiceRecord.Status.SIGNED, started_at__gte=start, started_at__lt=end
            )
            .values("member_id")
            .annotate(minutes=Sum("minutes"), records=Count("pk"))
        }
        existing = {y.member_id: y for y in ServiceYear.objects.filter(member_id__in=member_ids, year=year)}
        new, changed = [], []
        for member_id in member_ids:
            row = sums.get(member_id, {"minutes": 0, "records": 0})
            current = existing.get(member_id)
            if current is None:
                if row["records"]:
                    new.append(ServiceYear(member_id=member_id, year=year, minutes=row["minutes"],
                                           records=row["records"], computed_at=now))  # fmt: skip
            elif (current.minutes, current.records) != (row["minutes"], row["records"]):
                current.minutes, current.records, current.computed_at = row["minutes"], row["records"], now
                changed.append(current)
        ServiceYear.objects.bulk_create(new)
        ServiceYear.objects.bulk_update(changed, ["minutes", "records", "computed_at"])


def rollup_rebuild(*, county_id: int) -> int:
    """Recompute the rollup of every member of the county's teams, every year they have records (the demo seed,
    a repair). Returns how many member-years now hold hours."""
    members = list(Member.objects.filter(team__county=county_id).values_list("pk", flat=True))
    years = {
        year_of(moment)
        for moment in ServiceRecord.objects.filter(member_id__in=members).values_list("started_at", flat=True)
    }
    rollup_refresh(member_ids=members, years=years)
    return ServiceYear.objects.filter(member_id__in=members, records__gt=0).count()


def _refresh(record: ServiceRecord, *also: datetime.datetime) -> None:
    rollup_refresh(member_ids=[record.member_id], years={year_of(record.started_at), *(year_of(m) for m in also)})


# --- checks -------------------------------------------------------------------------------------------------------


def _locked_record(assignment: Assignment) -> ServiceRecord | None:
    return ServiceRecord.objects.select_for_update(of=("self",)).filter(assignment=assignment).first()


def _check_accepted(assignment: Assignment) -> None:
    if assignment.status != Assignment.Status.ACCEPTED:
        raise ValidationError(_("Only an accepted assignment records service hours."), code="assignment")
    event = assignment.need.event
    if event is not None and event.status == Event.Status.CANCELLED:
        raise ValidationError(_("The event was cancelled: there is no service to record."), code="event")


def _check_no_overlap(member: Member, start, end, *, exclude_pk: int | None = None) -> None:
    """Refused when the person (in any of her teams) already has a record covering part of that time."""
    others = ServiceRecord.objects.filter(member__user_id=member.user_id, status__in=LIVE, started_at__lt=end).filter(
        Q(ended_at__gt=start) | Q(ended_at__isnull=True, started_at__gte=start)
    )
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    clash = others.first()
    if clash is not None:
        raise ValidationError(
            _("These times overlap another service record of the same person (%(what)s, %(start)s).")
            % {"what": clash.description, "start": _when(clash.started_at)},
            code="overlap",
        )


def _check_entry_times(assignment: Assignment, start, end) -> None:
    if start is None or end is None:
        raise ValidationError(_("Give the start and end time of the service."), code="started_at")
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise ValidationError(_("The service's times must carry a time zone."), code="started_at")
    if end <= start:
        raise ValidationError(_("The service must end after it starts."), code="ended_at")
    ev_start, ev_end = service_times(assignment)
    if end - start > ev_end - ev_start:
        raise ValidationError(
            _("The hours are longer than the event (%(minutes)s minutes): service hours are the time of service.")
            % {"minutes": minutes_between(ev_start, ev_end)},
            code="ended_at",
        )
    if start < ev_start or end > ev_end:
        raise ValidationError(
            _("The service lies outside the event (%(start)s to %(end)s).")
            % {"start": _when(ev_start), "end": timezone.localtime(ev_end).strftime("%H:%M")},
            code="started_at",
        )


# --- the member: check-in and check-out ---------------------------------------------------------------------------


@transaction.atomic
def checkin(*, actor, assignment: Assignment) -> ServiceRecord:
    """The member checks in at her accepted assignment's event: the record opens."""
    assignment = Assignment.objects.select_for_update(of=("self",)).select_related("need__event", "need__county",
                                                                        "member").get(pk=assignment.pk)  # fmt: skip
    _check_accepted(assignment)
    now = timezone.now()
    opens, closes = checkin_window(assignment)
    if now < opens:
        raise ValidationError(_("Check-in opens at %(time)s.") % {"time": _when(opens)}, code="too_early")
    if now > closes:
        raise ValidationError(_("Check-in closed when the service ended."), code="closed")
    if _locked_record(assignment) is not None:
        raise ValidationError(_("You have already checked in for this service."), code="duplicate")
    start, _end = service_times(assignment)
    record = ServiceRecord.objects.create(
        member=assignment.member, assignment=assignment, event=assignment.need.event,
        description=assignment.need.topic[:120], started_at=max(now, start), checked_in_at=now,
        source=ServiceRecord.Source.CHECKIN, status=ServiceRecord.Status.OPEN, recorded_by=actor,
        recording_unit=organising_unit(assignment)[:80],
    )  # fmt: skip
    audit_record(actor=actor, action="teams.hours_checkin", target=record,
                 changes={"assignment": [None, assignment.pk], "checked_in_at": [None, _stamp(now)]})  # fmt: skip
    return record


@transaction.atomic
def checkout(*, actor, assignment: Assignment) -> ServiceRecord:
    """The member checks out: the time counted is the overlap of [in, out] with the event; the record awaits
    sign-off."""
    assignment = (
        Assignment.objects.select_for_update(of=("self",)).select_related("need__event", "member").get(pk=assignment.pk)
    )
    _check_accepted(assignment)
    record = _locked_record(assignment)
    if record is None or record.checked_in_at is None:
        raise ValidationError(_("Check in first: there is no check-in to close."), code="no_checkin")
    if record.status != ServiceRecord.Status.OPEN:
        raise ValidationError(_("You have already checked out of this service."), code="duplicate")
    now = timezone.now()
    if now <= record.checked_in_at:
        raise ValidationError(_("The check-out must come after the check-in."), code="before_checkin")
    if now > checkout_closes(assignment):
        raise ValidationError(
            _("Check-out closed 2 hours after the service ended: ask the organiser to enter your hours."),
            code="closed",
        )
    start, end = service_times(assignment)
    served = overlap(record.checked_in_at, now, start, end)
    if served is None:
        raise ValidationError(
            _("The service has not started yet: check out after it starts (%(time)s).") % {"time": _when(start)},
            code="too_early",
        )
    _check_no_overlap(record.member, *served, exclude_pk=record.pk)
    record.started_at, record.ended_at = served
    record.minutes = minutes_between(*served)
    record.checked_out_at = now
    record.status = ServiceRecord.Status.PENDING
    record.save(update_fields=["started_at", "ended_at", "minutes", "checked_out_at", "status"])
    audit_record(actor=actor, action="teams.hours_checkout", target=record,
                 changes={"checked_out_at": [None, _stamp(now)], "minutes": [0, record.minutes],
                          "status": [ServiceRecord.Status.OPEN, record.status]})  # fmt: skip
    return record


# --- the organiser: entry, correction, sign-off -------------------------------------------------------------------


@transaction.atomic
def record_enter(
    *, actor, assignment: Assignment, started_at: datetime.datetime, ended_at: datetime.datetime, source_note: str
) -> ServiceRecord:
    """The organiser enters (or corrects) an assigned member's hours, naming the source (纸质签到表, 组织方现场记录 …).
    The edge has checked that the actor manages the assignment's need or event (hours.access). A corrected record
    awaits sign-off again."""
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("need__event", "need__county", "member")
        .get(pk=assignment.pk)
    )
    _check_accepted(assignment)
    note = (source_note or "").strip()
    if not note:
        raise ValidationError(_("Say where the times come from (a paper sign-in sheet, the organiser's own record …)."),
                              code="source_note")  # fmt: skip
    if len(note) > NOTE_CHARS:
        raise ValidationError(_("The source note is too long: at most %(n)s characters.") % {"n": NOTE_CHARS},
                              code="source_note")  # fmt: skip
    _check_entry_times(assignment, started_at, ended_at)
    if started_at > timezone.now():
        raise ValidationError(_("Hours can be entered once the service has started."), code="started_at")
    record = _locked_record(assignment)
    if record is not None and record.status == ServiceRecord.Status.DISPUTED:
        raise ValidationError(_("This record is disputed: answer the dispute instead."), code="status")
    _check_no_overlap(assignment.member, started_at, ended_at, exclude_pk=record.pk if record else None)
    minutes = minutes_between(started_at, ended_at)
    if record is None:
        record = ServiceRecord.objects.create(
            member=assignment.member, assignment=assignment, event=assignment.need.event,
            description=assignment.need.topic[:120], started_at=started_at, ended_at=ended_at, minutes=minutes,
            source=ServiceRecord.Source.ORGANISER, source_note=note, status=ServiceRecord.Status.PENDING,
            recorded_by=actor, recording_unit=organising_unit(assignment)[:80],
        )  # fmt: skip
        audit_record(actor=actor, action="teams.hours_enter", target=record,
                     changes={"assignment": [None, assignment.pk], "minutes": [None, minutes],
                              "source_note": [None, note]})  # fmt: skip
        return record
    before = {"started_at": _stamp(record.started_at), "ended_at": _stamp(record.ended_at),
              "minutes": record.minutes, "status": record.status, "source": record.source}  # fmt: skip
    old_start = record.started_at
    record.started_at, record.ended_at, record.minutes = started_at, ended_at, minutes
    record.source, record.source_note, record.recorded_by = ServiceRecord.Source.ORGANISER, note, actor
    record.status, record.signed_by, record.signed_at = ServiceRecord.Status.PENDING, None, None
    record.save()
    audit_record(actor=actor, action="teams.hours_correct", target=record,
                 changes={"started_at": [before["started_at"], _stamp(started_at)],
                          "ended_at": [before["ended_at"], _stamp(ended_at)], "minutes": [before["minutes"], minutes],
                          "status": [before["status"], record.status], "source": [before["source"], record.source],
                          "source_note": [None, note]})  # fmt: skip
    _refresh(record, old_start)
    return record


@transaction.atomic
def records_sign(*, actor, records: Iterable[ServiceRecord]) -> int:
    """Sign off pending records: the signer and the unit she certifies for are stored. The edge has checked that the
    actor manages each record's need or event. Records no longer pending are left as they are; returns how many
    were signed."""
    ids = [r.pk for r in records]
    if not ids:
        raise ValidationError(_("Choose the records to sign."), code="records")
    locked = list(
        ServiceRecord.objects.select_for_update(of=("self",))
        .filter(pk__in=ids, status=ServiceRecord.Status.PENDING)
        .select_related("assignment__need__event__school", "assignment__need__event__community",
                        "assignment__need__school", "assignment__need__community", "assignment__need__county")
        .order_by("pk")
    )  # fmt: skip
    if not locked:
        raise ValidationError(_("These records are no longer awaiting sign-off."), code="status")
    now = timezone.now()
    for record in locked:
        unit = signing_unit(actor, record.assignment)[:80] if record.assignment else record.recording_unit
        record.status, record.signed_by, record.signed_at, record.recording_unit = (
            ServiceRecord.Status.SIGNED, actor, now, unit
        )  # fmt: skip
        audit_record(actor=actor, action="teams.hours_sign", target=record,
                     changes={"status": [ServiceRecord.Status.PENDING, record.status], "recording_unit": [None, unit],
                              "minutes": [record.minutes, record.minutes]})  # fmt: skip
    ServiceRecord.objects.bulk_update(locked, ["status", "signed_by", "signed_at", "recording_unit"])
    rollup_refresh(member_ids=[r.member_id for r in locked], years={year_of(r.started_at) for r in locked})
    return len(locked)


# --- the dispute --------------------------------------------------------------------------------------------------


def _need_poster(record: ServiceRecord):
    return record.assignment.need.posted_by if record.assignment is not None else None


@transaction.atomic
def record_dispute(*, actor, record: ServiceRecord, reason: str) -> ServiceRecord:
    """The member disputes a pending or signed record of hers, once, with a reason; the organiser is told."""
    record = (
        ServiceRecord.objects.select_for_update(of=("self",))
        .select_related("assignment__need__county")
        .get(pk=record.pk)
    )
    reason = (reason or "").strip()
    if record.disputed_at is not None:
        raise ValidationError(_("This record has already been disputed once: a record can be disputed only once."),
                              code="dispute")  # fmt: skip
    if record.status not in (ServiceRecord.Status.PENDING, ServiceRecord.Status.SIGNED):
        raise ValidationError(_("Only a record awaiting sign-off or signed off can be disputed."), code="status")
    if not reason:
        raise ValidationError(_("Say what is wrong with the record."), code="reason")
    if len(reason) > REASON_CHARS:
        raise ValidationError(_("The reason is too long: at most %(n)s characters.") % {"n": REASON_CHARS},
                              code="reason")  # fmt: skip
    before = record.status
    record.status, record.dispute_reason, record.disputed_at = ServiceRecord.Status.DISPUTED, reason, timezone.now()
    record.save(update_fields=["status", "dispute_reason", "disputed_at"])
    audit_record(actor=actor, action="teams.hours_dispute", target=record,
                 changes={"status": [before, record.status], "dispute_reason": [None, reason]})  # fmt: skip
    _refresh(record)
    poster = _need_poster(record)
    if poster is not None and poster.pk != actor.pk and record.assignment is not None:
        need = record.assignment.need
        message_send(
            actor=actor, county_id=need.county_id, to_user=poster,
            title=_("A service record is disputed: %(what)s") % {"what": record.description},
            body=_("%(name)s disputes the hours recorded for %(what)s: %(reason)s")
            % {"name": actor.name, "what": record.description, "reason": reason},
            link=reverse("teams:hours_answer", args=[record.pk]), topic=TOPIC,
        )  # fmt: skip
    return record


@transaction.atomic
def dispute_answer(
    *,
    actor,
    record: ServiceRecord,
    answer: str,
    started_at: datetime.datetime | None = None,
    ended_at: datetime.datetime | None = None,
) -> ServiceRecord:
    """The organiser answers a dispute: with new times the record is corrected and signed again; without, the times
    are kept with the answer (and the record is signed). The member is told. The edge has checked that the actor
    manages the record's need or event."""
    record = ServiceRecord.objects.select_for_update(of=("self",)).get(pk=record.pk)
    if record.status != ServiceRecord.Status.DISPUTED or record.assignment_id is None:
        raise ValidationError(_("This record is not disputed."), code="status")
    assignment = Assignment.objects.select_related(
        "need__event__school", "need__event__community", "need__school", "need__community", "need__county", "member"
    ).get(pk=record.assignment_id)
    answer = (answer or "").strip()
    if len(answer) > REASON_CHARS:
        raise ValidationError(_("The answer is too long: at most %(n)s characters.") % {"n": REASON_CHARS},
                              code="answer")  # fmt: skip
    corrected = started_at is not None or ended_at is not None
    if not corrected and not answer:
        raise ValidationError(_("Give your answer, or correct the times."), code="answer")
    before = {"started_at": _stamp(record.started_at), "ended_at": _stamp(record.ended_at), "minutes": record.minutes}
    old_start = record.started_at
    if corrected:
        _check_entry_times(assignment, started_at, ended_at)
        assert started_at is not None and ended_at is not None  # noqa: S101 — _check_entry_times refused None
        _check_no_overlap(assignment.member, started_at, ended_at, exclude_pk=record.pk)
        record.started_at, record.ended_at = started_at, ended_at
        record.minutes = minutes_between(started_at, ended_at)
        record.source, record.recorded_by = ServiceRecord.Source.ORGANISER, actor
        record.source_note = _("corrected after the member's dispute")[:NOTE_CHARS]
    now = timezone.now()
    record.dispute_answer, record.answered_by, record.answered_at = answer, actor, now
    record.status, record.signed_by, record.signed_at = ServiceRecord.Status.SIGNED, actor, now
    record.recording_unit = signing_unit(actor, assignment)[:80]
    record.save()
    audit_record(actor=actor, action="teams.hours_dispute_answer", target=record,
                 changes={"status": [ServiceRecord.Status.DISPUTED, record.status],
                          "started_at": [before["started_at"], _stamp(record.started_at)],
                          "ended_at": [before["ended_at"], _stamp(record.ended_at)],
                          "minutes": [before["minutes"], record.minutes], "answer": [None, answer]})  # fmt: skip
    _refresh(record, old_start)
    hours = f"{record.minutes / 60:.1f}"
    body = (
        _("Your hours for %(what)s were corrected to %(hours)s hours and signed off.")
        if corrected
        else _("Your hours for %(what)s were kept at %(hours)s hours and signed off.")
    ) % {"what": record.description, "hours": hours}
    if answer:
        body += " " + _("The organiser's answer: %(answer)s") % {"answer": answer}
    message_send(
        actor=actor, county_id=assignment.need.county_id, to_user=assignment.member.user,
        title=_("Your dispute was answered: %(what)s") % {"what": record.description}, body=body,
        link=reverse("teams:assignment_hours", args=[assignment.pk]), topic=TOPIC, sender_unit=record.recording_unit,
    )  # fmt: skip
    return record
