"""Every write to a case: opening it, its sections, its state, approvals, services, follow-ups, flags, shares,
actions asked of a head teacher, break-the-glass opens and mandatory reports.

Who may act is settled at the edge (cases/access.py). These functions enforce the rules of a case's life: who may
own and supervise it (counsellors of the child's county, two different people), its state machine (a plan needs
the supervisor's approval before services start; closing needs an approved closure and every mandatory report's
reference number), one pending approval per kind, one open case per child. A state change locks the case row and
bumps its `version`, so of two moves made at once only one wins. Each write leaves an audit row; section text never
goes into an audit row, a notice or a message (only which section changed).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xieyu.accounts.models import Role
from xieyu.accounts.scope import scope_of
from xieyu.audit.services import audit_record
from xieyu.directory.models import PartnerAgency, Student
from xieyu.notices.messages import message_send

from ..registry.models import RegistryEntry
from .models import (
    Approval,
    BreakGlass,
    Case,
    CaseAction,
    CaseRequest,
    CaseSection,
    CaseService,
    CaseShare,
    Flag,
    FollowUp,
    MandatoryReport,
    Section,
    ServiceKind,
)

BREAK_GLASS_MIN_REASON = 10
SECTION_MAX = 5000
SENDER_UNIT = "care"

# The moves a case may make (closing has its own conditions; reopening is case_reopen).
MOVES: dict[str, set[str]] = {
    Case.State.INTAKE: {Case.State.ASSESSMENT, Case.State.CLOSED},
    Case.State.ASSESSMENT: {Case.State.PLAN, Case.State.CLOSED},
    Case.State.PLAN: {Case.State.SERVICES, Case.State.ASSESSMENT, Case.State.CLOSED},
    Case.State.SERVICES: {Case.State.REVIEW, Case.State.CLOSED},
    Case.State.REVIEW: {Case.State.SERVICES, Case.State.PLAN, Case.State.CLOSED},
    Case.State.CLOSED: set(),
}


# --- helpers ------------------------------------------------------------------------------------------------------


def _text(value: str, *, low: int, high: int, message: str) -> str:
    value = (value or "").strip()
    if len(value) < low or len(value) > high or "\x00" in value:
        raise ValidationError(message)
    return value


def _case_url(case: Case) -> str:
    return reverse("care:case_detail", args=[case.pk])


def _tell(actor, case: Case, user, title: str, body: str) -> None:
    """A "something for you" message about a case through the one message path. It never carries section text:
    only the case's title (not sensitive) and what is asked."""
    if user is None or getattr(user, "pk", None) == getattr(actor, "pk", None):
        return
    message_send(
        actor=actor if getattr(actor, "pk", None) else None,
        county_id=case.county_id,
        to_user=user,
        title=title,
        body=body,
        link=_case_url(case),
        topic="care.case",
        sender_unit=_("Care casework"),
    )


def _lock(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def _refuse_closed(case: Case) -> None:
    if case.state == Case.State.CLOSED:
        raise ValidationError(_("The case is closed: reopen it first."), code="closed")


def is_counsellor_of(user, county_id: int) -> bool:
    return county_id in scope_of(user).counties(Role.COUNSELLOR)


def may_supervise(user, county_id: int) -> bool:
    """A counsellor or a county admin of the county may supervise its cases."""
    return county_id in scope_of(user).counties(Role.COUNSELLOR, Role.COUNTY_ADMIN)


def _check_team(owner, supervisor, county_id: int) -> None:
    """The owner and the supervisor must be able to see the case: a counsellor of the child's county and a
    counsellor or county admin of it, two different people (the Primero bug: assigning a case to someone who could
    not see it)."""
    if owner is None or not is_counsellor_of(owner, county_id):
        raise ValidationError(_("The case's owner must be a counsellor of the child's county."), code="owner")
    if supervisor is None or not may_supervise(supervisor, county_id):
        raise ValidationError(
            _("The supervisor must be a counsellor or a county admin of the child's county."), code="supervisor"
        )
    if owner.pk == supervisor.pk:
        raise ValidationError(_("The owner and the supervisor must be two different people."), code="supervisor")


# --- opening ------------------------------------------------------------------------------------------------------


@transaction.atomic
def case_open(
    *,
    actor,
    student: Student,
    origin: str,
    title: str,
    owner,
    supervisor,
    risk: str,
    question=None,
    clinic_booking=None,
    entry: RegistryEntry | None = None,
    summary: str = "",
    next_due_on: datetime.date | None = None,
) -> Case:
    """Open a case about a child: owned by a counsellor of the child's county, supervised by another; linked to the
    child's registry entry when there is one and to the urgent question or the clinic it came from."""
    if origin not in Case.Origin.values:
        raise ValidationError(_("Say where the case comes from."), code="origin")
    if risk not in Case.Risk.values:
        raise ValidationError(_("Choose the risk level."), code="risk")
    title = _text(title, low=4, high=80, message=_("Give the case a title of 4 to 80 characters."))
    school = student.school
    county_id = school.county_id
    _check_team(owner, supervisor, county_id)
    if question is not None:
        if question.student_id != student.pk:
            raise ValidationError(_("The question is about another child."), code="question")
        if origin == Case.Origin.URGENT_QUESTION and question.flagged_at is None:
            raise ValidationError(_("The question was not flagged as urgent."), code="question")
    if clinic_booking is not None and clinic_booking.student_id != student.pk:
        raise ValidationError(_("The clinic appointment is about another child."), code="clinic")
    Student.objects.select_for_update().filter(pk=student.pk).first()  # one open case per child, even at once
    if Case.objects.filter(student=student).exclude(state=Case.State.CLOSED).exists():
        raise ValidationError(
            _("This child already has an open case: ask its owner to share it with you."), code="duplicate"
        )
    if entry is None:
        entry = RegistryEntry.objects.filter(student=student).first()
    elif entry.student_id != student.pk:
        raise ValidationError(_("The registry entry is about another child."), code="entry")
    case = Case.objects.create(
        student=student,
        county_id=county_id,
        school=school,
        entry=entry,
        title=title,
        origin=origin,
        question=question,
        clinic_booking=clinic_booking,
        owner=owner,
        supervisor=supervisor,
        risk=risk,
        opened_by=actor,
        next_due_on=next_due_on,
    )
    if (summary or "").strip():
        _section_write(actor, case, Section.SUMMARY, summary)
    audit_record(
        actor=actor,
        action="care.case.open",
        target=case,
        changes={
            "student": [None, student.pk],
            "origin": [None, origin],
            "owner": [None, owner.pk],
            "supervisor": [None, supervisor.pk],
            "risk": [None, risk],
            "question": [None, getattr(question, "pk", None)],
        },
    )
    _tell(actor, case, owner, _("A case was assigned to you"), _("Case: %(title)s") % {"title": case.title})
    return case


@transaction.atomic
def case_request_create(
    *, actor, student: Student, concern: str, clinic_booking=None, from_home_visit: bool = False
) -> CaseRequest:
    """A head teacher asks the county's counsellors for a case about a pupil (the edge took the pupil from the
    head teacher's class), or an expert does after a clinic appointment (`clinic_booking`, the edge checked it is
    theirs); `from_home_visit`: the concern was raised on a home visit."""
    concern = _text(concern, low=10, high=1000, message=_("Describe the concern in 10 to 1000 characters."))
    if CaseRequest.objects.filter(student=student, claimed_at__isnull=True).exists():
        raise ValidationError(_("A request about this pupil is already waiting for a counsellor."), code="duplicate")
    origin = Case.Origin.CLINIC if clinic_booking is not None else Case.Origin.HEAD_TEACHER
    if from_home_visit:
        origin = Case.Origin.HOME_VISIT
    request = CaseRequest.objects.create(
        student=student, county_id=student.school.county_id, school=student.school, concern=concern,
        origin=origin, clinic_booking=clinic_booking, requested_by=actor,
    )  # fmt: skip
    audit_record(
        actor=actor, action="care.case_request.create", target=request, changes={"student": [None, student.pk]}
    )
    return request


@transaction.atomic
def case_request_claim(
    *, actor, case_request: CaseRequest, supervisor, title: str, risk: str, summary: str = ""
) -> Case:
    """A counsellor claims a head teacher's request: the case opens in intake, owned by them; one claim only."""
    locked = CaseRequest.objects.select_for_update().get(pk=case_request.pk)
    if locked.claimed_at is not None:
        raise ValidationError(_("Another counsellor has already taken this request."), code="claimed")
    case = case_open(
        actor=actor, student=locked.student, origin=locked.origin, title=title, owner=actor,
        supervisor=supervisor, risk=risk, summary=summary or locked.concern, clinic_booking=locked.clinic_booking,
    )  # fmt: skip
    locked.claimed_by, locked.claimed_at, locked.case = actor, timezone.now(), case
    locked.save(update_fields=["claimed_by", "claimed_at", "case"])
    case_request.claimed_by, case_request.claimed_at, case_request.case = locked.claimed_by, locked.claimed_at, case
    return case


# --- the case file ------------------------------------------------------------------------------------------------


def _section_write(actor, case: Case, section: str, body: str) -> CaseSection:
    if section not in Section.values:
        raise ValidationError(_("Choose a section of the case file."), code="section")
    body = _text(
        body, low=1, high=SECTION_MAX, message=_("Write the section in 1 to %(n)d characters.") % {"n": SECTION_MAX}
    )
    row = CaseSection.objects.filter(case=case, section=section).first()
    old_len = len(row.body) if row else None
    if row is None:
        row = CaseSection.objects.create(case=case, section=section, body=body, updated_by=actor)
    else:
        row.body, row.updated_by, row.updated_at = body, actor, timezone.now()
        row.save(update_fields=["body", "updated_by", "updated_at"])
    # The audit row says which section changed and how long it is: never its text.
    audit_record(actor=actor, action="care.case.section", target=case, changes={section: [old_len, len(body)]})
    return row


@transaction.atomic
def case_section_write(*, actor, case: Case, section: str, body: str) -> CaseSection:
    """Write (or rewrite) one section of the case file."""
    _refuse_closed(case)
    return _section_write(actor, case, section, body)


@transaction.atomic
def case_move(*, actor, case: Case, to_state: str, version: int | None = None) -> Case:
    """Move the case on. Plan → services needs the plan approved by the supervisor; closing needs an approved
    closure and the reference number of every mandatory report. Under a row lock with `version` bumped: a move
    made on a stale page (another move won meanwhile) is refused."""
    if to_state not in Case.State.values:
        raise ValidationError(_("Choose the state to move the case to."), code="state")
    locked = _lock(case)
    if version is not None and locked.version != version:
        raise ValidationError(
            _("The case was changed by someone else meanwhile: reload the page and try again."), code="version"
        )
    if to_state not in MOVES[locked.state]:
        raise ValidationError(
            _("A case in %(state)s cannot move to %(to)s.")
            % {"state": locked.get_state_display(), "to": Case.State(to_state).label},
            code="move",
        )
    changes: dict[str, list[Any]] = {"state": [locked.state, to_state]}
    fields = ["state", "version", "updated_at"]
    if to_state == Case.State.SERVICES and locked.state == Case.State.PLAN:
        plan = locked.approvals.filter(kind=Approval.Kind.PLAN).first()
        if plan is None or plan.state != Approval.State.APPROVED:
            raise ValidationError(
                _("Services start only after the supervisor has approved the plan."), code="plan_approval"
            )
    if to_state == Case.State.CLOSED:
        closure = locked.approvals.filter(kind=Approval.Kind.CLOSURE).first()
        if (
            closure is None
            or closure.state != Approval.State.APPROVED
            or (locked.reopened_at is not None and closure.requested_at < locked.reopened_at)
        ):
            raise ValidationError(
                _("The case can be closed only after the supervisor has approved its closure."),
                code="closure_approval",
            )
        if locked.reports.filter(reference_number="").exists():
            raise ValidationError(
                _("A mandatory report still lacks the recipient's reference number: record it before closing."),
                code="report_reference",
            )
        locked.closed_at, locked.closure_reason = timezone.now(), closure.text[:300]
        fields += ["closed_at", "closure_reason"]
    won = Case.objects.filter(pk=locked.pk, version=locked.version).update(
        state=to_state, version=locked.version + 1, updated_at=timezone.now()
    )
    if not won:  # pragma: no cover - the row lock makes this unreachable on PostgreSQL; kept for SQLite
        raise ValidationError(
            _("The case was changed by someone else meanwhile: reload the page and try again."), code="version"
        )
    if "closed_at" in fields:
        Case.objects.filter(pk=locked.pk).update(closed_at=locked.closed_at, closure_reason=locked.closure_reason)
    case.state, case.version = to_state, locked.version + 1
    case.closed_at, case.closure_reason = locked.closed_at, locked.closure_reason
    audit_record(actor=actor, action="care.case.move", target=case, changes=changes)
    return case


@transaction.atomic
def case_reopen(*, actor, case: Case, reason: str, version: int | None = None) -> Case:
    """A closed case back to review, with the reason."""
    reason = _text(reason, low=4, high=300, message=_("Say in 4 to 300 characters why the case is reopened."))
    locked = _lock(case)
    if version is not None and locked.version != version:
        raise ValidationError(
            _("The case was changed by someone else meanwhile: reload the page and try again."), code="version"
        )
    if locked.state != Case.State.CLOSED:
        raise ValidationError(_("Only a closed case can be reopened."), code="state")
    now = timezone.now()
    Case.objects.filter(pk=locked.pk).update(
        state=Case.State.REVIEW, version=locked.version + 1, reopened_at=now, closed_at=None, updated_at=now
    )
    case.state, case.version, case.reopened_at, case.closed_at = Case.State.REVIEW, locked.version + 1, now, None
    audit_record(
        actor=actor, action="care.case.reopen", target=case,
        changes={"state": [Case.State.CLOSED, Case.State.REVIEW], "reason": [None, reason]},
    )  # fmt: skip
    return case


@transaction.atomic
def case_risk_set(*, actor, case: Case, risk: str) -> Case:
    if risk not in Case.Risk.values:
        raise ValidationError(_("Choose the risk level."), code="risk")
    old = case.risk
    Case.objects.filter(pk=case.pk).update(risk=risk, updated_at=timezone.now())
    case.risk = risk
    audit_record(actor=actor, action="care.case.risk", target=case, changes={"risk": [old, risk]})
    return case


# --- approvals ----------------------------------------------------------------------------------------------------


@transaction.atomic
def approval_request(*, actor, case: Case, kind: str, text: str) -> Approval:
    """Ask the supervisor to approve a plan (its text becomes the case's plan section) or the closure (the text
    is the reason for closing). One pending request per kind."""
    if kind not in Approval.Kind.values:
        raise ValidationError(_("Choose what to ask approval for."), code="kind")
    _refuse_closed(case)
    if kind == Approval.Kind.PLAN:
        text = _text(text, low=10, high=SECTION_MAX, message=_("Write the plan in 10 to 5000 characters."))
        if case.state != Case.State.PLAN:
            raise ValidationError(_("Move the case to the plan stage before asking approval for a plan."), code="state")
    else:
        text = _text(text, low=10, high=300, message=_("Give the reason for closing in 10 to 300 characters."))
    if case.approvals.filter(kind=kind, state=Approval.State.REQUESTED).exists():
        raise ValidationError(_("A request of this kind is already waiting for the supervisor."), code="pending")
    try:
        with transaction.atomic():
            approval = Approval.objects.create(case=case, kind=kind, text=text, requested_by=actor)
    except IntegrityError as exc:  # another request of this kind was made at the same moment
        raise ValidationError(
            _("A request of this kind is already waiting for the supervisor."), code="pending"
        ) from exc
    if kind == Approval.Kind.PLAN:
        _section_write(actor, case, Section.PLAN, text)
    audit_record(actor=actor, action="care.approval.request", target=case, changes={"approval": [None, kind]})
    _tell(
        actor, case, case.supervisor, _("A case waits for your approval"),
        _("%(kind)s to approve on case: %(title)s") % {"kind": approval.get_kind_display(), "title": case.title},
    )  # fmt: skip
    return approval


@transaction.atomic
def approval_decide(*, actor, approval: Approval, approve: bool, comment: str = "") -> Approval:
    """The supervisor approves or rejects a pending request (a rejection says why). Only the case's supervisor
    decides: the edge checks."""
    comment = (comment or "").strip()
    if not approve and len(comment) < 2:
        raise ValidationError(_("Say why the request is rejected: the comment is required."), code="comment")
    if len(comment) > 500:
        raise ValidationError(_("The comment is too long: at most 500 characters."), code="comment")
    locked = Approval.objects.select_for_update().get(pk=approval.pk)
    if locked.state != Approval.State.REQUESTED:
        raise ValidationError(_("This request has already been decided."), code="decided")
    state = Approval.State.APPROVED if approve else Approval.State.REJECTED
    now = timezone.now()
    Approval.objects.filter(pk=locked.pk).update(state=state, decided_by=actor, decided_at=now, comment=comment)
    approval.state, approval.decided_by, approval.decided_at, approval.comment = state, actor, now, comment
    case = approval.case
    audit_record(
        actor=actor, action="care.approval.decide", target=case,
        changes={"approval": [approval.kind, state]},
    )  # fmt: skip
    requester = approval.requested_by
    _tell(
        actor, case, requester,
        _("Approved: %(title)s") % {"title": case.title} if approve else _("Rejected: %(title)s") % {"title": case.title},
        _("The supervisor has decided on the %(kind)s.") % {"kind": approval.get_kind_display()},
    )  # fmt: skip
    return approval


# --- services, follow-ups, flags ----------------------------------------------------------------------------------


def _service_fields(kind, provider, starts_on, ends_on, state) -> str:
    if kind not in ServiceKind.values:
        raise ValidationError(_("Choose the kind of service."), code="kind")
    if state not in CaseService.State.values:
        raise ValidationError(_("Choose the state of the service."), code="state")
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError(_("The service cannot end before it starts."), code="ends_on")
    return _text(provider, low=2, high=80, message=_("Name the provider in 2 to 80 characters."))


@transaction.atomic
def service_add(
    *,
    actor,
    case: Case,
    kind: str,
    provider: str,
    agency: PartnerAgency | None = None,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    state: str = CaseService.State.PLANNED,
    outcome: str = "",
) -> CaseService:
    _refuse_closed(case)
    provider = _service_fields(kind, provider, starts_on, ends_on, state)
    if agency is not None and agency.county_id != case.county_id:
        raise ValidationError(_("The agency is not of the child's county."), code="agency")
    service = CaseService.objects.create(
        case=case, kind=kind, provider=provider, agency=agency, starts_on=starts_on, ends_on=ends_on, state=state,
        outcome=(outcome or "").strip()[:2000], created_by=actor,
    )  # fmt: skip
    audit_record(actor=actor, action="care.service.add", target=case, changes={"service": [None, kind]})
    return service


@transaction.atomic
def service_update(
    *,
    actor,
    service: CaseService,
    state: str,
    outcome: str = "",
    ends_on: datetime.date | None = None,
) -> CaseService:
    """Record how a service goes: its state, its end, its outcome (a referral's outcome is written back here)."""
    _refuse_closed(service.case)
    _service_fields(service.kind, service.provider, service.starts_on, ends_on, state)
    old = service.state
    service.state, service.ends_on = state, ends_on or service.ends_on
    if outcome.strip():
        service.outcome = outcome.strip()[:2000]
    service.save(update_fields=["state", "ends_on", "outcome"])
    audit_record(actor=actor, action="care.service.update", target=service.case, changes={"service": [old, state]})
    return service


@transaction.atomic
def follow_up_add(
    *,
    actor,
    case: Case,
    kind: str,
    note: str,
    on: datetime.date | None = None,
    next_due_on: datetime.date | None = None,
) -> FollowUp:
    """A visit, a call, a meeting or a message with its note; optionally when the next contact is due."""
    _refuse_closed(case)
    if kind not in FollowUp.Kind.values:
        raise ValidationError(_("Choose the kind of follow-up."), code="kind")
    note = _text(note, low=4, high=2000, message=_("Write the follow-up note in 4 to 2000 characters."))
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError(_("A follow-up cannot be dated in the future."), code="on")
    if next_due_on is not None and next_due_on < timezone.localdate():
        raise ValidationError(_("The next contact cannot be due in the past."), code="next_due_on")
    follow = FollowUp.objects.create(case=case, kind=kind, on=on, note=note, by=actor)
    changes: dict[str, list[Any]] = {"follow_up": [None, kind]}
    if next_due_on is not None:
        changes["next_due_on"] = [str(case.next_due_on) if case.next_due_on else None, str(next_due_on)]
        Case.objects.filter(pk=case.pk).update(next_due_on=next_due_on, updated_at=timezone.now())
        case.next_due_on = next_due_on
    audit_record(actor=actor, action="care.follow_up.add", target=case, changes=changes)
    return follow


@transaction.atomic
def flag_raise(*, actor, case: Case, reason: str) -> Flag:
    _refuse_closed(case)
    reason = _text(reason, low=4, high=200, message=_("Give the flag's reason in 4 to 200 characters."))
    flag = Flag.objects.create(case=case, reason=reason, by=actor)
    audit_record(actor=actor, action="care.flag.raise", target=case, changes={"flag": [None, flag.pk]})
    return flag


@transaction.atomic
def flag_lift(*, actor, flag: Flag, reason: str) -> Flag:
    reason = _text(reason, low=4, high=200, message=_("Say in 4 to 200 characters why the flag is lifted."))
    locked = Flag.objects.select_for_update().get(pk=flag.pk)
    if locked.lifted_at is not None:
        raise ValidationError(_("This flag has already been lifted."), code="lifted")
    now = timezone.now()
    Flag.objects.filter(pk=flag.pk).update(lifted_reason=reason, lifted_by=actor, lifted_at=now)
    flag.lifted_reason, flag.lifted_by, flag.lifted_at = reason, actor, now
    audit_record(actor=actor, action="care.flag.lift", target=flag.case, changes={"flag": [flag.pk, None]})
    return flag


# --- who works on the case ----------------------------------------------------------------------------------------


@transaction.atomic
def case_share(*, actor, case: Case, user, reason: str) -> CaseShare:
    """Share the case in full with one more person: staff of the child's county only."""
    _refuse_closed(case)
    reason = _text(reason, low=4, high=200, message=_("Say in 4 to 200 characters why the case is shared."))
    scope = scope_of(user)
    if not scope.is_staff or case.county_id not in scope.reach_counties(*[r for r in Role if r != Role.PARTNER]):
        raise ValidationError(_("A case can be shared only with staff of the child's county."), code="user")
    if user.pk in (case.owner_id, case.supervisor_id):
        raise ValidationError(_("This person already works on the case."), code="user")
    try:
        with transaction.atomic():
            share = CaseShare.objects.create(case=case, user=user, reason=reason, shared_by=actor)
    except IntegrityError as exc:
        raise ValidationError(_("The case is already shared with this person."), code="user") from exc
    audit_record(actor=actor, action="care.case.share", target=case, changes={"shared_with": [None, user.pk]})
    _tell(actor, case, user, _("A case was shared with you"), _("Case: %(title)s") % {"title": case.title})
    return share


@transaction.atomic
def case_share_end(*, actor, share: CaseShare) -> CaseShare:
    if share.ended_at is not None:
        raise ValidationError(_("This share has already ended."), code="ended")
    share.ended_at = timezone.now()
    share.save(update_fields=["ended_at"])
    audit_record(
        actor=actor, action="care.case.share_end", target=share.case, changes={"shared_with": [share.user_id, None]}
    )
    return share


@transaction.atomic
def case_reassign(*, actor, case: Case, owner=None, supervisor=None) -> Case:
    """Hand the case to another owner and/or supervisor (the same rules as opening it)."""
    _refuse_closed(case)
    new_owner = owner or case.owner
    new_supervisor = supervisor or case.supervisor
    _check_team(new_owner, new_supervisor, case.county_id)
    changes = {}
    if new_owner.pk != case.owner_id:
        changes["owner"] = [case.owner_id, new_owner.pk]
    if new_supervisor.pk != case.supervisor_id:
        changes["supervisor"] = [case.supervisor_id, new_supervisor.pk]
    if not changes:
        raise ValidationError(_("Choose a different owner or supervisor."), code="same")
    Case.objects.filter(pk=case.pk).update(owner=new_owner, supervisor=new_supervisor, updated_at=timezone.now())
    case.owner, case.supervisor = new_owner, new_supervisor
    audit_record(actor=actor, action="care.case.reassign", target=case, changes=changes)
    if "owner" in changes:
        _tell(actor, case, new_owner, _("A case was assigned to you"), _("Case: %(title)s") % {"title": case.title})
    return case


# --- what the case asks of a head teacher ---------------------------------------------------------------------------


@transaction.atomic
def action_ask(*, actor, case: Case, assignee, text: str, due_on: datetime.date | None = None) -> CaseAction:
    """Ask the head teacher of the child's class to do something (the text is written for them: nothing
    sensitive)."""
    _refuse_closed(case)
    if case.student.school_class_id is None or case.student.school_class_id not in scope_of(assignee).classes(
        Role.HEAD_TEACHER
    ):
        raise ValidationError(_("Actions can be asked only of the head teacher of the child's class."), code="assignee")
    text = _text(text, low=4, high=300, message=_("Say in 4 to 300 characters what is asked."))
    if due_on is not None and due_on < timezone.localdate():
        raise ValidationError(_("The due date cannot be in the past."), code="due_on")
    action = CaseAction.objects.create(case=case, assignee=assignee, text=text, due_on=due_on, created_by=actor)
    audit_record(actor=actor, action="care.action.ask", target=case, changes={"action": [None, action.pk]})
    _tell(actor, case, assignee, _("A counsellor asks something of you"), text)
    return action


@transaction.atomic
def action_done(*, actor, action: CaseAction, note: str = "") -> CaseAction:
    locked = CaseAction.objects.select_for_update().get(pk=action.pk)
    if locked.done_at is not None:
        raise ValidationError(_("This action is already done."), code="done")
    note = (note or "").strip()
    if len(note) > 300:
        raise ValidationError(_("The note is too long: at most 300 characters."), code="note")
    now = timezone.now()
    CaseAction.objects.filter(pk=action.pk).update(done_at=now, done_note=note)
    action.done_at, action.done_note = now, note
    audit_record(actor=actor, action="care.action.done", target=action.case, changes={"action": [action.pk, "done"]})
    _tell(actor, action.case, action.created_by, _("A head teacher has done what you asked"), action.text)
    return action


# --- break the glass ----------------------------------------------------------------------------------------------


@transaction.atomic
def break_glass_open(*, actor, case: Case, reason: str) -> BreakGlass:
    """A counsellor of the county who is not on the case opens it, stating why; it stays open to them for
    settings.CARE_BREAK_GLASS_HOURS and waits on the supervisor's review list."""
    reason = _text(
        reason, low=BREAK_GLASS_MIN_REASON, high=300,
        message=_("State in %(n)d to 300 characters why you need to open this case.") % {"n": BREAK_GLASS_MIN_REASON},
    )  # fmt: skip
    now = timezone.now()
    glass = BreakGlass.objects.create(
        case=case, user=actor, reason=reason, at=now,
        expires_at=now + datetime.timedelta(hours=settings.CARE_BREAK_GLASS_HOURS),
    )  # fmt: skip
    audit_record(actor=actor, action="care.case.break_glass", target=case, changes={"break_glass": [None, glass.pk]})
    _tell(
        actor, case, case.supervisor, _("A case was opened by someone not on it"),
        _("Review the opening of case: %(title)s") % {"title": case.title},
    )  # fmt: skip
    return glass


@transaction.atomic
def break_glass_review(*, actor, glass: BreakGlass, note: str) -> BreakGlass:
    note = _text(note, low=2, high=300, message=_("Write a review note of 2 to 300 characters."))
    locked = BreakGlass.objects.select_for_update().get(pk=glass.pk)
    if locked.reviewed_at is not None:
        raise ValidationError(_("This opening has already been reviewed."), code="reviewed")
    now = timezone.now()
    BreakGlass.objects.filter(pk=glass.pk).update(reviewed_by=actor, reviewed_at=now, review_note=note)
    glass.reviewed_by, glass.reviewed_at, glass.review_note = actor, now, note
    audit_record(
        actor=actor,
        action="care.break_glass.review",
        target=glass.case,
        changes={"break_glass": [glass.pk, "reviewed"]},
    )
    return glass


# --- mandatory reports (未成年人保护法 第十一条) -----------------------------------------------------------------------


def mandatory_report_template(case: Case, *, concern: str, seen_by, when: datetime.datetime | None = None) -> str:
    """The report's text pre-filled: the child, the school, what was seen, by whom, when."""
    when = timezone.localtime(when or timezone.now())
    student = case.student
    school_class = student.school_class
    concern_label = (
        MandatoryReport.Concern(concern).label if concern in MandatoryReport.Concern.values else _("a concern")
    )
    return _(
        "Child: %(name)s (%(gender)s, born %(birth)s)\n"
        "School: %(school)s %(klass)s\n"
        "Concern: %(concern)s\n"
        "What was seen or heard: \n"
        "Seen by: %(who)s\n"
        "When: %(when)s\n"
        "Reported under Article 11 of the Law on the Protection of Minors."
    ) % {
        "name": student.name,
        "gender": student.get_gender_display(),
        "birth": student.birth_date.isoformat(),
        "school": case.school.name,
        "klass": str(school_class) if school_class else "",
        "concern": concern_label,
        "who": getattr(seen_by, "name", ""),
        "when": when.strftime("%Y-%m-%d %H:%M"),
    }


@transaction.atomic
def mandatory_report_create(
    *,
    actor,
    case: Case,
    concern: str,
    recipient: str,
    recipient_name: str,
    body: str,
    reported_at: datetime.datetime,
) -> MandatoryReport:
    """Record a report of suspected abuse, neglect or violence to the police or civil affairs. No consent is needed
    for it (未成年人保护法 第十一条); the recipient is required, the reference number follows."""
    if concern not in MandatoryReport.Concern.values:
        raise ValidationError(_("Choose what is suspected: abuse, neglect or violence."), code="concern")
    if recipient not in MandatoryReport.Recipient.values:
        raise ValidationError(_("Choose who the report went to."), code="recipient")
    recipient_name = _text(
        recipient_name, low=2, high=100,
        message=_("Name the office and the person the report went to (2 to 100 characters)."),
    )  # fmt: skip
    body = _text(body, low=20, high=SECTION_MAX, message=_("Write the report in 20 to 5000 characters."))
    if reported_at is None or reported_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError(_("Give the time the report was made (not in the future)."), code="reported_at")
    report = MandatoryReport.objects.create(
        case=case, concern=concern, recipient=recipient, recipient_name=recipient_name, body=body,
        reported_at=reported_at, created_by=actor,
    )  # fmt: skip
    audit_record(
        actor=actor, action="care.report.create", target=case,
        changes={"report": [None, report.pk], "recipient": [None, recipient]},
    )  # fmt: skip
    return report


@transaction.atomic
def mandatory_report_reference(*, actor, report: MandatoryReport, reference_number: str) -> MandatoryReport:
    reference_number = _text(
        reference_number, low=2, high=60, message=_("Give the recipient's reference number (2 to 60 characters).")
    )
    old = report.reference_number
    MandatoryReport.objects.filter(pk=report.pk).update(reference_number=reference_number)
    report.reference_number = reference_number
    audit_record(
        actor=actor, action="care.report.reference", target=report.case,
        changes={"reference_number": [old or None, reference_number]},
    )  # fmt: skip
    return report
