"""Every write of the deadline engine: deadlines, the sweep, the county calendar.

Other modules start a deadline for any object and tell the engine what happened:

    d = deadline_start(actor=user, target=question, policy="question.default", school_class=question.school_class,
                       owner=head_teacher)
    deadline_respond(actor=teacher, deadline=deadline_for(question))
    deadline_pause(actor=teacher, deadline=d, reason="waiting for the parent"); deadline_resume(actor=parent, deadline=d)
    deadline_resolve(actor=teacher, deadline=d)

Every change leaves a DeadlineEvent. Services lock the row (SELECT … FOR UPDATE) and bump `version`; the sweep
updates a row only where its `version` is still the one it read, so a sweep and a service, or two sweeps, never
both act on one state.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from xieyu.accounts.models import Membership, Role
from xieyu.audit.services import audit_record

from . import signals
from .models import (
    CalendarDay,
    CountyCalendar,
    Deadline,
    DeadlineEvent,
    DeadlinePolicy,
    Escalation,
    Level,
    ScheduleYear,
    new_stamp,
)
from .workcalendar import TZ, WorkCalendar, calendar_for

logger = logging.getLogger("xieyu.deadlines")

RUNNING = Deadline.State.RUNNING
PAUSED = Deadline.State.PAUSED
Kind = DeadlineEvent.Kind
SWEEP_BATCH = 200


class UnknownPolicy(LookupError):
    pass


# --- lookups used by other modules ---------------------------------------------------------------------------


def target_key(target) -> tuple[str, str]:
    """The (target_type, target_id) label of a model instance, or of a ("app.model", id) pair."""
    if isinstance(target, tuple | list):
        return str(target[0]), str(target[1])
    return target._meta.label_lower, str(target.pk)


def deadline_for(target) -> Deadline | None:
    target_type, target_id = target_key(target)
    return Deadline.objects.filter(target_type=target_type, target_id=target_id).first()


def policy_get(name: str) -> DeadlinePolicy:
    policy = DeadlinePolicy.objects.filter(name=name, is_active=True).first()
    if policy is None:
        raise UnknownPolicy(f"no active deadline policy named {name!r}")
    return policy


# --- computing dues and the next check -----------------------------------------------------------------------


def _due(cal: WorkCalendar, start: datetime.datetime, target, paused_seconds: int) -> datetime.datetime:
    amount, unit = target
    due = cal.add(start, Decimal(amount), unit)
    return cal.add_seconds(due, paused_seconds) if paused_seconds else due


def _compute_dues(d: Deadline, cal: WorkCalendar) -> None:
    """Dues from the start, the policy snapshot and the working time paused so far."""
    t = d.targets
    if t.get("first_response") and d.first_responded_at is None:
        d.first_response_due = _due(cal, d.started_at, t["first_response"], d.paused_seconds)
    elif not t.get("first_response"):
        d.first_response_due = None
    d.resolution_due = _due(cal, d.started_at, t["resolution"], d.paused_seconds)
    d.used_fallback = cal.fallback_between(d.started_at, d.resolution_due)


def _step_seconds(d: Deadline, cal: WorkCalendar) -> int:
    step = d.targets.get("step")
    return cal.amount_seconds(*step) if step else 0


def _step_at(d: Deadline, cal: WorkCalendar, due: datetime.datetime, k: int) -> datetime.datetime:
    """When the k-th overdue step (1 = the due itself) of the current due is reached."""
    return cal.add_seconds(due, (k - 1) * _step_seconds(d, cal))


def _plan(d: Deadline, cal: WorkCalendar, now: datetime.datetime) -> None:
    """Set the current due, the due-soon point and when the sweep must look next."""
    if d.state != RUNNING:
        d.current_due = d.due_soon_from = d.next_check_at = None
        d.current_due_kind = ""
        return
    if d.first_response_due is not None and d.first_responded_at is None:
        kind, due = Deadline.DueKind.FIRST_RESPONSE, d.first_response_due
    else:
        kind, due = Deadline.DueKind.RESOLUTION, d.resolution_due
    if kind != d.current_due_kind:
        d.due_soon_at = d.overdue_at = None
        d.escalation_steps = 0
    d.current_due_kind, d.current_due = kind, due
    if d.overdue_at is not None and due > now:
        d.overdue_at = None  # the due moved (a resume, a new calendar day): no longer overdue
    due_soon = d.targets.get("due_soon")
    d.due_soon_from = cal.subtract_seconds(due, cal.amount_seconds(*due_soon)) if due_soon else due
    d.next_check_at = _next_check(d, cal)


def _current_due(d: Deadline) -> tuple[datetime.datetime, datetime.datetime]:
    """The current due of a running deadline and its due-soon point (_plan sets both)."""
    if d.current_due is None or d.due_soon_from is None:
        raise ValueError(f"running deadline {d.pk} has no current due")
    return d.current_due, d.due_soon_from


def _next_check(d: Deadline, cal: WorkCalendar) -> datetime.datetime | None:
    due, due_soon_from = _current_due(d)
    if d.overdue_at is None:
        if d.due_soon_at is None and due_soon_from < due:
            return due_soon_from
        return due
    if d.escalation_level >= len(d.targets.get("chain", [])):
        return None
    return _step_at(d, cal, due, d.escalation_steps + 1)


def _iso(value: datetime.datetime | None) -> str | None:
    return value.astimezone(TZ).isoformat() if value else None


def _dues(d: Deadline) -> dict[str, Any]:
    return {"first_response_due": _iso(d.first_response_due), "resolution_due": _iso(d.resolution_due)}


def _event(d: Deadline, kind: str, actor=None, at: datetime.datetime | None = None, **data) -> DeadlineEvent:
    return DeadlineEvent.objects.create(
        deadline=d, kind=kind, actor=actor if getattr(actor, "pk", None) else None, at=at or timezone.now(), data=data
    )


def _lock(deadline: Deadline) -> Deadline:
    return Deadline.objects.select_for_update().get(pk=deadline.pk)


def _save(d: Deadline) -> Deadline:
    d.version += 1
    d.save()
    return d


# --- the deadline's life ---------------------------------------------------------------------------------------


@transaction.atomic
def deadline_start(
    *,
    actor,
    target,
    policy: str | DeadlinePolicy,
    county=None,
    school=None,
    school_class=None,
    agency=None,
    owner=None,
    title: str = "",
    started_at: datetime.datetime | None = None,
    resolution: tuple[int | Decimal, str] | None = None,
) -> Deadline:
    """Start the clock of `target` under a policy; idempotent (the target's existing deadline is returned).

    `resolution` — (amount, unit), e.g. (5, "days") — replaces the policy's resolution time for this one item (an
    action item with its own due date); the rest of the policy (due soon, escalation) still applies.

    The county, school and class place the deadline in the organisation (for escalation and the county page):
    give the class and the rest follows.
    """
    target_type, target_id = target_key(target)
    existing = deadline_for((target_type, target_id))
    if existing is not None:
        return existing
    policy = policy if isinstance(policy, DeadlinePolicy) else policy_get(policy)
    if school_class is not None and school is None:
        school = school_class.school
    if school is not None and county is None:
        county = school.county_id
    if agency is not None and county is None:
        county = agency.county_id
    if county is None:
        raise ValueError("a deadline needs a county, a school, a class or an agency")
    county_id = getattr(county, "pk", county)
    now = timezone.now()
    d = Deadline(
        target_type=target_type,
        target_id=target_id,
        title=title[:200],
        county_id=county_id,
        school=school,
        school_class=school_class,
        agency=agency,
        owner=owner,
        policy=policy,
        targets=policy.targets(resolution),
        started_at=started_at or now,
    )
    deadline_prepare(d, calendar_for(county_id), now)
    try:
        with transaction.atomic():
            d.save()
    except IntegrityError:  # started at the same moment by another request
        return Deadline.objects.get(target_type=target_type, target_id=target_id)
    _event(d, Kind.STARTED, actor, policy=policy.name, **_dues(d))
    return d


def deadline_prepare(d: Deadline, cal: WorkCalendar, now: datetime.datetime) -> Deadline:
    """Compute the dues and the sweep's plan of a new, unsaved deadline, as `deadline_start` does before saving it:
    for inserting many at once (seeding, imports), which then write no STARTED event."""
    _compute_dues(d, cal)
    _plan(d, cal, now)
    return d


@transaction.atomic
def deadline_respond(*, actor, deadline: Deadline) -> Deadline:
    """The first response was given: the clock now runs toward resolution."""
    d = _lock(deadline)
    if d.first_responded_at is not None or not d.is_open:
        return d
    now = timezone.now()
    d.first_responded_at = now
    _plan(d, calendar_for(d.county_id), now)
    _save(d)
    _event(d, Kind.RESPONDED, actor, late=bool(d.first_response_due and now > d.first_response_due))
    return d


@transaction.atomic
def deadline_resolve(*, actor, deadline: Deadline) -> Deadline:
    d = _lock(deadline)
    if not d.is_open:
        return d
    now = timezone.now()
    cal = calendar_for(d.county_id)
    if d.state == PAUSED and d.paused_at is not None:
        d.paused_seconds += max(0, cal.seconds_between(d.paused_at, now))
        d.paused_at = None
    d.first_responded_at = d.first_responded_at or now
    d.resolved_at = now
    d.state = Deadline.State.RESOLVED
    _plan(d, cal, now)
    _save(d)
    _event(d, Kind.RESOLVED, actor, late=now > d.resolution_due)
    return d


@transaction.atomic
def deadline_cancel(*, actor, deadline: Deadline, reason: str = "") -> Deadline:
    """The item went away (withdrawn, merged): the clock stops without counting as resolved."""
    d = _lock(deadline)
    if not d.is_open:
        return d
    d.state = Deadline.State.CANCELLED
    d.paused_at = None
    _plan(d, calendar_for(d.county_id), timezone.now())
    _save(d)
    _event(d, Kind.CANCELLED, actor, reason=reason[:200])
    return d


@transaction.atomic
def deadline_pause(*, actor, deadline: Deadline, reason: str = "") -> Deadline:
    """Stop the clock (e.g. waiting for the parent): working time until the resume is not counted."""
    d = _lock(deadline)
    if d.state != RUNNING:
        return d
    now = timezone.now()
    d.state = PAUSED
    d.paused_at = now
    _plan(d, calendar_for(d.county_id), now)
    _save(d)
    _event(d, Kind.PAUSED, actor, reason=reason[:200])
    return d


@transaction.atomic
def deadline_resume(*, actor, deadline: Deadline) -> Deadline:
    """Restart the clock; the dues move later by the working time the deadline was paused."""
    d = _lock(deadline)
    if d.state != PAUSED:
        return d
    now = timezone.now()
    cal = calendar_for(d.county_id)
    paused = max(0, cal.seconds_between(d.paused_at, now)) if d.paused_at is not None else 0
    before = _dues(d)
    d.paused_seconds += paused
    d.paused_at = None
    d.state = RUNNING
    _compute_dues(d, cal)
    _plan(d, cal, now)
    _save(d)
    _event(d, Kind.RESUMED, actor, paused_seconds=paused, before=before, after=_dues(d))
    return d


@transaction.atomic
def deadline_reassign(*, actor, deadline: Deadline, owner) -> Deadline:
    d = _lock(deadline)
    if d.owner_id == getattr(owner, "pk", None):
        return d
    before = d.owner_id
    d.owner = owner
    _save(d)
    _event(d, Kind.REASSIGNED, actor, owner=[before, d.owner_id])
    return d


def _recompute(d: Deadline, cal: WorkCalendar, now: datetime.datetime) -> dict[str, Any] | None:
    """Recompute dues in memory; the before/after dues when they changed, else None."""
    before = _dues(d)
    _compute_dues(d, cal)
    _plan(d, cal, now)
    after = _dues(d)
    return {"before": before, "after": after} if after != before else None


@transaction.atomic
def deadline_recompute(*, actor, deadline: Deadline) -> Deadline:
    """Recompute the dues from the county's calendar as it stands now (after the county changed a day)."""
    d = _lock(deadline)
    if not d.is_open:
        return d
    change = _recompute(d, calendar_for(d.county_id), timezone.now())
    if change:
        _save(d)
        _event(d, Kind.RECOMPUTED, actor, **change)
    return d


RECOMPUTE_FIELDS = (
    "first_response_due",
    "resolution_due",
    "used_fallback",
    "current_due",
    "current_due_kind",
    "due_soon_from",
    "due_soon_at",
    "overdue_at",
    "escalation_steps",
    "next_check_at",
)


def deadline_recompute_county(*, actor, county_id: int, batch_size: int = 500) -> int:
    """Recompute every open deadline of a county, in batches; returns how many moved. Idempotent.

    A row changed by someone else meanwhile is recomputed again under its row lock, so none keeps a stale due.
    """
    cal = calendar_for(county_id)
    moved = 0
    last_pk = 0
    while True:
        batch = list(
            Deadline.objects.filter(county_id=county_id, state__in=Deadline.OPEN_STATES, pk__gt=last_pk).order_by("pk")[
                :batch_size
            ]
        )
        if not batch:
            return moved
        last_pk = batch[-1].pk
        now = timezone.now()
        conflicts = []
        with transaction.atomic():
            events = []
            for d in batch:
                change = _recompute(d, cal, now)
                if not change:
                    continue
                updated = Deadline.objects.filter(pk=d.pk, version=d.version).update(
                    **{f: getattr(d, f) for f in RECOMPUTE_FIELDS}, version=F("version") + 1
                )
                if updated:
                    moved += 1
                    events.append(DeadlineEvent(deadline=d, kind=Kind.RECOMPUTED, at=now, actor=None, data=change))
                else:
                    conflicts.append(d)
            DeadlineEvent.objects.bulk_create(events)
        for d in conflicts:
            before = d.version
            if deadline_recompute(actor=actor, deadline=d).version != before:
                moved += 1


# --- the sweep -------------------------------------------------------------------------------------------------

SWEEP_FIELDS = (
    "due_soon_at",
    "overdue_at",
    "escalation_steps",
    "escalation_level",
    "next_check_at",
    "current_due",
    "current_due_kind",
    "due_soon_from",
)


@dataclass
class SweepResult:
    checked: int = 0
    due_soon: int = 0
    overdue: int = 0
    escalations: int = 0
    conflicts: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


@dataclass
class _People:
    """Who holds each rung of the chain for the deadlines of one batch (one query)."""

    head_teachers: dict[int | None, list[int]] = field(default_factory=lambda: defaultdict(list))
    school_admins: dict[int | None, list[int]] = field(default_factory=lambda: defaultdict(list))
    county_admins: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    agency_staff: dict[int | None, list[int]] = field(default_factory=lambda: defaultdict(list))
    notified: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))

    @classmethod
    def load(cls, batch: list[Deadline]) -> _People:
        people = cls()
        classes = {d.school_class_id for d in batch if d.school_class_id}
        schools = {d.school_id for d in batch if d.school_id}
        counties = {d.county_id for d in batch}
        agencies = {d.agency_id for d in batch if d.agency_id}
        rows = (
            Membership.objects.filter(is_active=True, user__is_active=True)
            .filter(
                Q(role=Role.HEAD_TEACHER, school_class__in=classes)
                | Q(role=Role.SCHOOL_ADMIN, school__in=schools)
                | Q(role=Role.COUNTY_ADMIN, county__in=counties)
                | Q(role=Role.PARTNER, partner_agency__in=agencies)
            )
            .order_by("pk")
            .values_list("role", "user_id", "school_class_id", "school_id", "county_id", "partner_agency_id")
        )
        for role, user_id, class_id, school_id, county_id, agency_id in rows:
            if role == Role.PARTNER:
                people.agency_staff[agency_id].append(user_id)
            elif role == Role.HEAD_TEACHER:
                people.head_teachers[class_id].append(user_id)
            elif role == Role.SCHOOL_ADMIN:
                people.school_admins[school_id].append(user_id)
            else:
                people.county_admins[county_id].append(user_id)
        for deadline_id, user_id in Escalation.objects.filter(deadline__in=[d.pk for d in batch]).values_list(
            "deadline_id", "user_id"
        ):
            people.notified[deadline_id].add(user_id)
        return people

    def holders(self, d: Deadline, role: str) -> list[int]:
        if role == Level.OWNER:
            return [d.owner_id] if d.owner_id else []
        if role == Level.HEAD_TEACHER:
            return list(self.head_teachers.get(d.school_class_id, []))
        if role == Level.SCHOOL_ADMIN:
            return list(self.school_admins.get(d.school_id, []))
        if role == Level.COUNTY_ADMIN:
            return list(self.county_admins.get(d.county_id, []))
        if role == Level.AGENCY:
            return list(self.agency_staff.get(d.agency_id, []))
        return []


@dataclass
class _Outcome:
    events: list[DeadlineEvent] = field(default_factory=list)
    escalations: list[Escalation] = field(default_factory=list)
    notices: list[tuple[Any, dict[str, Any]]] = field(default_factory=list)


def _advance(d: Deadline, cal: WorkCalendar, now: datetime.datetime, people: _People) -> _Outcome:
    """Move one running deadline to where `now` puts it: due soon, overdue, the escalation steps reached."""
    out = _Outcome()
    chain = d.targets.get("chain", [])
    due_kind, (due, due_soon_from) = d.current_due_kind, _current_due(d)
    if d.overdue_at is None and d.due_soon_at is None and due_soon_from <= now < due:
        d.due_soon_at = now
        users = next((u for u in (people.holders(d, r) for r in chain) if u), [])
        out.events.append(
            DeadlineEvent(deadline=d, kind=Kind.DUE_SOON, at=now, data={"due_kind": due_kind, "user_ids": users})
        )
        out.notices.append(
            (signals.deadline_due_soon, {"deadline": d, "user_ids": users, "due_kind": due_kind, "due": due})
        )
    if d.overdue_at is None and now >= due:
        d.overdue_at = now
        out.events.append(
            DeadlineEvent(deadline=d, kind=Kind.OVERDUE, at=now, data={"due_kind": due_kind, "due": _iso(due)})
        )
    if d.overdue_at is not None:
        step = _step_seconds(d, cal)
        reached = 1 + cal.seconds_between(due, now) // step if step > 0 else len(chain)
        notified = people.notified[d.pk]
        while d.escalation_steps < reached and d.escalation_level < len(chain):
            d.escalation_steps += 1
            skipped = []
            while d.escalation_level < len(chain):
                level, role = d.escalation_level, chain[d.escalation_level]
                d.escalation_level += 1
                users = [u for u in dict.fromkeys(people.holders(d, role)) if u not in notified]
                if not users:
                    skipped.append(role)  # nobody (new) holds this rung: go one higher in the same step
                    continue
                notified.update(users)
                out.escalations += [
                    Escalation(deadline=d, level=level, role=role, user_id=u, due_kind=due_kind, created_at=now)
                    for u in users
                ]
                out.events.append(
                    DeadlineEvent(
                        deadline=d,
                        kind=Kind.ESCALATED,
                        at=now,
                        data={
                            "level": level,
                            "role": role,
                            "user_ids": users,
                            "skipped": skipped,
                            "due_kind": due_kind,
                        },
                    )
                )
                out.notices.append(
                    (
                        signals.deadline_escalated,
                        {
                            "deadline": d,
                            "level": level,
                            "role": role,
                            "user_ids": users,
                            "due_kind": due_kind,
                            "due": due,
                        },
                    )
                )
                break
    d.next_check_at = _next_check(d, cal)
    if d.next_check_at is not None and d.next_check_at <= now:  # never look at the same moment twice
        d.next_check_at = now + datetime.timedelta(seconds=1)
    return out


def _send(notices: list[tuple[Any, dict[str, Any]]]) -> None:
    for signal, kwargs in notices:
        d = kwargs["deadline"]
        if signal is signals.deadline_escalated:
            logger.info(
                "deadline %s (%s) escalated to %s level %s: users %s",
                d.pk, d, kwargs["role"], kwargs["level"], kwargs["user_ids"],
            )  # fmt: skip
        else:
            logger.info("deadline %s (%s) due soon: users %s", d.pk, d, kwargs["user_ids"])
        signal.send(sender=Deadline, **kwargs)


def _sweep_batch(batch: list[Deadline], now: datetime.datetime, result: SweepResult) -> None:
    """One batch in one transaction: each row is written only if nobody changed it since it was read."""
    with transaction.atomic():
        people = _People.load(batch)
        calendars = {county_id: calendar_for(county_id) for county_id in {d.county_id for d in batch}}
        events: list[DeadlineEvent] = []
        escalations: list[Escalation] = []
        notices: list[tuple[Any, dict[str, Any]]] = []
        for d in batch:
            result.checked += 1
            cal = calendars[d.county_id]
            version = d.version
            out = _advance(d, cal, now, people)
            updated = Deadline.objects.filter(pk=d.pk, version=version, state=RUNNING).update(
                **{f: getattr(d, f) for f in SWEEP_FIELDS}, version=F("version") + 1
            )
            if not updated:
                result.conflicts += 1
                continue
            d.version = version + 1
            events += out.events
            escalations += out.escalations
            notices += out.notices
            result.due_soon += sum(1 for e in out.events if e.kind == Kind.DUE_SOON)
            result.overdue += sum(1 for e in out.events if e.kind == Kind.OVERDUE)
            result.escalations += len(out.escalations)
        DeadlineEvent.objects.bulk_create(events)
        Escalation.objects.bulk_create(escalations, ignore_conflicts=True)
        if notices:
            transaction.on_commit(lambda: _send(notices))


def deadline_sweep(*, actor=None, now: datetime.datetime | None = None, batch_size: int = SWEEP_BATCH) -> SweepResult:
    """Mark due-soon and overdue deadlines and escalate them, one chain level per overdue step. Idempotent.

    Only rows whose `next_check_at` has come are read, in batches by (next_check_at, pk), each batch written in
    one transaction with conditional updates; rows another sweep changed meanwhile are skipped.
    """
    now = now or timezone.now()
    result = SweepResult()
    cursor: tuple[datetime.datetime, int] | None = None
    while True:
        qs = Deadline.objects.filter(state=RUNNING, next_check_at__lte=now)
        if cursor is not None:
            qs = qs.filter(Q(next_check_at__gt=cursor[0]) | Q(next_check_at=cursor[0], pk__gt=cursor[1]))
        batch = list(qs.order_by("next_check_at", "pk")[:batch_size])
        if not batch:
            return result
        last = batch[-1]
        cursor = (cast(datetime.datetime, last.next_check_at), last.pk)  # the filter leaves out nulls
        _sweep_batch(batch, now, result)


# --- the county calendar ---------------------------------------------------------------------------------------


def _touch_calendar(county_id: int) -> CountyCalendar:
    """Create the county's calendar row if needed and give it a new stamp (every cache reloads)."""
    cc, created = CountyCalendar.objects.get_or_create(county_id=county_id)
    if not created:
        CountyCalendar.objects.filter(pk=cc.pk).update(stamp=new_stamp(), updated_at=timezone.now())
    return cc


def _recompute_later(county_id: int) -> None:
    from .tasks import recompute_deadlines

    recompute_deadlines.enqueue(county_id=county_id)


DATE_MIN = datetime.date(2000, 1, 1)
DATE_MAX = datetime.date(2099, 12, 31)


@transaction.atomic
def calendar_day_add(*, actor, county, date: datetime.date, kind: str, note: str = "") -> CalendarDay:
    """The county declares a day off or a make-up working day; open deadlines are recomputed in the background."""
    county_id = getattr(county, "pk", county)
    if not DATE_MIN <= date <= DATE_MAX:
        raise ValidationError(_("Enter a date between 2000 and 2099."), code="range")
    existing = CalendarDay.objects.filter(county_id=county_id, date=date).first()
    if existing is not None:
        raise ValidationError(
            _("%(date)s is already entered as a %(kind)s. Remove that entry first to change it.")
            % {"date": date.isoformat(), "kind": existing.get_kind_display()},
            code="duplicate",
        )
    base_working = calendar_for(county_id).base_is_working_day(date)
    if kind == CalendarDay.Kind.WORKDAY and base_working:
        raise ValidationError(
            _("%(date)s is already a working day. A make-up working day must fall on a weekend or a holiday.")
            % {"date": date.isoformat()},
            code="already_working",
        )
    if kind == CalendarDay.Kind.DAY_OFF and not base_working:
        raise ValidationError(
            _("%(date)s is already a day off (a weekend or a public holiday).") % {"date": date.isoformat()},
            code="already_off",
        )
    if kind not in CalendarDay.Kind.values:
        raise ValidationError(_("Choose a day off or a make-up working day."), code="kind")
    day = CalendarDay.objects.create(county_id=county_id, date=date, kind=kind, note=note[:100], created_by=actor)
    _touch_calendar(county_id)
    audit_record(actor=actor, action="calendar_day.add", target=day, changes={"kind": [None, kind]})
    _recompute_later(county_id)
    return day


@transaction.atomic
def calendar_day_remove(*, actor, day: CalendarDay) -> None:
    audit_record(actor=actor, action="calendar_day.remove", target=day, changes={"kind": [day.kind, None]})
    county_id = day.county_id
    day.delete()
    _touch_calendar(county_id)
    _recompute_later(county_id)


@transaction.atomic
def calendar_hours_set(*, actor, county, day_start: datetime.time, day_end: datetime.time) -> CountyCalendar:
    if day_end <= day_start:
        raise ValidationError(_("The working day must end after it starts."), code="hours")
    county_id = getattr(county, "pk", county)
    cc = _touch_calendar(county_id)
    before = [cc.day_start.isoformat(), cc.day_end.isoformat()]
    if before == [day_start.isoformat(), day_end.isoformat()]:
        return cc
    CountyCalendar.objects.filter(pk=cc.pk).update(day_start=day_start, day_end=day_end)
    cc.refresh_from_db()
    audit_record(
        actor=actor,
        action="calendar.hours",
        target=cc,
        changes={"hours": [before, [day_start.isoformat(), day_end.isoformat()]]},
    )
    _recompute_later(county_id)
    return cc


@transaction.atomic
def calendar_year_confirm(*, actor, county, year: int) -> ScheduleYear:
    """The county admin has entered the State Council schedule of a year the library does not hold yet."""
    county_id = getattr(county, "pk", county)
    row, created = ScheduleYear.objects.get_or_create(
        county_id=county_id, year=year, defaults={"confirmed_by": actor if getattr(actor, "pk", None) else None}
    )
    if created:
        _touch_calendar(county_id)
        audit_record(actor=actor, action="calendar_year.confirm", target=row)
        _recompute_later(county_id)
    return row
