"""Every write about inquiries and teacher-ethics concerns. The edge authorises through access.py; these enforce the
rules (state, threshold, who may sign, one follow-up) and refuse with a Chinese message naming what is wrong,
changing nothing."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xieyu.accounts.models import Role
from xieyu.accounts.scope import holders
from xieyu.audit.services import audit_record
from xieyu.deadlines.models import Deadline
from xieyu.deadlines.services import (
    deadline_cancel,
    deadline_for,
    deadline_pause,
    deadline_resolve,
    deadline_respond,
    deadline_resume,
    deadline_start,
)
from xieyu.directory.models import Grade, Guardian, School, SchoolClass, Student
from xieyu.notices.messages import message_send

from ..access import guardian_units
from ..models import Committee, Member, Resolution
from .models import (
    FACTS_MIN,
    Answer,
    Concern,
    Inquiry,
    InquirySettings,
    InquiryTally,
    Pause,
    Round,
    Signature,
    Subject,
)

POLICY = "inquiry.default"
CONCERN_POLICY = "ethics.concern"
TOPIC = "committees.inquiry"
CONCERN_TOPIC = "committees.concern"
THRESHOLD_MIN, THRESHOLD_MAX = 2, 500
OFFICER_ROLES = (Member.Role.CHAIR, Member.Role.SECRETARY)


def _refuse(message: str, code: str = "invalid") -> ValidationError:
    return ValidationError(message, code=code)


def _link(inquiry: Inquiry) -> str:
    return reverse("committees:inquiry_detail", args=[inquiry.pk])


# --- settings ------------------------------------------------------------------------------------------------


def threshold_of(county_id: int) -> int:
    row = InquirySettings.objects.filter(county_id=county_id).first()
    return row.threshold if row else InquirySettings._meta.get_field("threshold").default


@transaction.atomic
def inquiry_settings_set(*, actor, county_id: int, threshold: int) -> InquirySettings:
    """The county sets how many co-signatures file a guardians' inquiry (drafts already begun keep theirs)."""
    if not THRESHOLD_MIN <= threshold <= THRESHOLD_MAX:
        raise _refuse(
            _("Co-signatures needed: enter a number from %(low)s to %(high)s.")
            % {"low": THRESHOLD_MIN, "high": THRESHOLD_MAX},
            "threshold",
        )
    row, _created = InquirySettings.objects.get_or_create(county_id=county_id)
    before = row.threshold
    row.threshold, row.updated_by, row.updated_at = threshold, actor, timezone.now()
    row.save()
    audit_record(actor=actor, action="inquiry_settings.set", target=row, changes={"threshold": [before, threshold]})
    return row


# --- checks --------------------------------------------------------------------------------------------------


def _check_text(*, subject: str, title: str, facts: str, asked: str) -> None:
    if subject not in Subject.values:
        raise _refuse(_("Subject: choose one of the listed subjects."), "subject")
    if not title.strip():
        raise _refuse(_("Title: give the inquiry a short title."), "title")
    if len(facts.strip()) < FACTS_MIN:
        raise _refuse(_("Facts: describe what happened in at least %(n)s characters.") % {"n": FACTS_MIN}, "facts")
    if not asked.strip():
        raise _refuse(_("What is asked: say what you ask the school to answer or do."), "asked")


def _tally(school: School) -> InquiryTally:
    tally, _created = InquiryTally.objects.get_or_create(school=school, defaults={"county_id": school.county_id})
    return tally


def _bump(school: School, **fields: int) -> None:
    tally = _tally(school)
    InquiryTally.objects.filter(pk=tally.pk).update(
        updated_at=timezone.now(), **{name: F(name) + n for name, n in fields.items()}
    )


def inquirer_guardians(inquiry: Inquiry) -> list[Guardian]:
    """Whom the school's steps are told to: the filer and the co-signers, or the committee's officers."""
    ids = {inquiry.proposer_id}
    if inquiry.origin == Inquiry.Origin.GUARDIANS:
        ids |= set(inquiry.signatures.values_list("guardian_id", flat=True))
    elif inquiry.committee_id:
        ids |= set(
            Member.objects.filter(
                committee_id=inquiry.committee_id, ended_at__isnull=True, role__in=OFFICER_ROLES
            ).values_list("guardian_id", flat=True)
        )
    return list(Guardian.objects.filter(pk__in=ids).order_by("pk"))


def _tell_inquirers(*, actor, inquiry: Inquiry, title: str, body: str) -> None:
    for guardian in inquirer_guardians(inquiry):
        message_send(
            actor=actor, county_id=inquiry.county_id, to_guardian=guardian, title=title, body=body,
            link=_link(inquiry), topic=TOPIC, sender_unit=inquiry.school.name,
        )  # fmt: skip


def open_round(inquiry: Inquiry) -> Round | None:
    return inquiry.rounds.filter(answered_at__isnull=True).order_by("-number").first()


def _round_deadline(rnd: Round) -> Deadline | None:
    return deadline_for(rnd)


def _start_round(*, actor, inquiry: Inquiry, kind: str, text: str = "") -> Round:
    number = inquiry.rounds.count() + 1
    rnd = Round.objects.create(inquiry=inquiry, number=number, kind=kind, text=text, requested_by=actor)
    deadline_start(
        actor=actor, target=rnd, policy=POLICY, school=inquiry.school, school_class=inquiry.school_class,
        county=inquiry.county_id, title=inquiry.title,
    )  # fmt: skip
    return rnd


def _file(*, actor, inquiry: Inquiry) -> Inquiry:
    now = timezone.now()
    inquiry.state = Inquiry.State.FILED
    inquiry.filed_at = now
    inquiry.save(update_fields=["state", "filed_at"])
    _start_round(actor=actor, inquiry=inquiry, kind=Round.Kind.FIRST)
    _bump(inquiry.school, filed=1)
    audit_record(actor=actor, action="inquiry.file", target=inquiry, changes={"state": ["draft", "filed"]})
    _tell_inquirers(
        actor=actor, inquiry=inquiry, title=_("Your inquiry was filed with the school"),
        body=_("“%(title)s” was filed. The school must acknowledge it within 3 working days and answer within 10.")
        % {"title": inquiry.title},
    )  # fmt: skip
    for admin in holders(Role.SCHOOL_ADMIN, school_id=inquiry.school_id):
        message_send(
            actor=actor, county_id=inquiry.county_id, to_user=admin, title=_("A parents' inquiry to answer"),
            body=_("“%(title)s” was filed by the parents. Acknowledge it within 3 working days and answer within 10.")
            % {"title": inquiry.title},
            link=_link(inquiry), topic=TOPIC, sender_unit=inquiry.school.name,
        )  # fmt: skip
    return inquiry


# --- raising -------------------------------------------------------------------------------------------------


def _unit(level: str, unit_id: int) -> tuple[School, Grade | None, SchoolClass | None]:
    if level == Inquiry.Level.SCHOOL:
        school = School.objects.filter(pk=unit_id).first()
        if school is None:
            raise _refuse(_("Unit: choose your child's school, grade or class."), "unit")
        return school, None, None
    if level == Inquiry.Level.GRADE:
        grade = Grade.objects.select_related("school").filter(pk=unit_id).first()
        if grade is None:
            raise _refuse(_("Unit: choose your child's school, grade or class."), "unit")
        return grade.school, grade, None
    cls = SchoolClass.objects.select_related("school", "grade").filter(pk=unit_id).first()
    if level != Inquiry.Level.CLASS or cls is None:
        raise _refuse(_("Unit: choose your child's school, grade or class."), "unit")
    return cls.school, cls.grade, cls


def _in_units(user, level: str, school_id: int, grade_id: int | None, class_id: int | None) -> bool:
    units = guardian_units(user)
    if level == Inquiry.Level.SCHOOL:
        return school_id in units.schools
    if level == Inquiry.Level.GRADE:
        return grade_id in units.grades
    return class_id in units.classes


@transaction.atomic
def inquiry_draft_create(
    *, actor, level: str, unit_id: int, subject: str, title: str, facts: str, asked: str, show_name: bool = False
) -> Inquiry:
    """A guardian starts an inquiry on one of her units; she is its first co-signer."""
    guardian = Guardian.objects.filter(user=actor).first()
    if guardian is None:
        raise _refuse(_("Only a guardian of the unit can raise an inquiry."), "guardian")
    school, grade, cls = _unit(level, unit_id)
    if not _in_units(actor, level, school.pk, getattr(grade, "pk", None), getattr(cls, "pk", None)):
        raise _refuse(_("Unit: you are not a guardian of a child in this unit."), "unit")
    _check_text(subject=subject, title=title, facts=facts, asked=asked)
    inquiry = Inquiry.objects.create(
        county_id=school.county_id, school=school, level=level,
        grade=grade if level != Inquiry.Level.SCHOOL else None, school_class=cls if level == Inquiry.Level.CLASS
        else None, origin=Inquiry.Origin.GUARDIANS, subject=subject, title=title.strip()[:80], facts=facts.strip(),
        asked=asked.strip(), proposer=guardian, proposer_user=actor, threshold=threshold_of(school.county_id),
    )  # fmt: skip
    audit_record(actor=actor, action="inquiry.draft", target=inquiry)
    inquiry_sign(actor=actor, inquiry=inquiry, show_name=show_name)
    inquiry.refresh_from_db()
    return inquiry


@transaction.atomic
def inquiry_file_by_committee(
    *, actor, resolution: Resolution, subject: str, title: str, facts: str, asked: str
) -> Inquiry:
    """The committee's chair or secretary files an inquiry its meeting resolved on: filed at once."""
    committee: Committee = resolution.meeting.committee
    guardian = Guardian.objects.filter(user=actor).first()
    officer = (
        guardian is not None
        and Member.objects.filter(
            committee=committee, guardian=guardian, ended_at__isnull=True, role__in=OFFICER_ROLES
        ).exists()
    )
    if not officer or guardian is None:
        raise _refuse(_("Only the committee's chair or secretary can file its inquiry."), "officer")
    if not resolution.passed:
        raise _refuse(_("Resolution: the meeting did not pass this resolution."), "resolution")
    if Inquiry.objects.filter(resolution=resolution).exists():
        raise _refuse(_("Resolution: an inquiry already cites this resolution."), "resolution")
    _check_text(subject=subject, title=title, facts=facts, asked=asked)
    inquiry = Inquiry.objects.create(
        county_id=committee.county_id, school=committee.school, level=committee.level, grade=committee.grade,
        school_class=committee.school_class, origin=Inquiry.Origin.COMMITTEE, committee=committee,
        resolution=resolution, subject=subject, title=title.strip()[:80], facts=facts.strip(), asked=asked.strip(),
        proposer=guardian, proposer_user=actor, threshold=0,
    )  # fmt: skip
    return _file(actor=actor, inquiry=inquiry)


@transaction.atomic
def inquiry_sign(*, actor, inquiry: Inquiry, show_name: bool = False) -> Signature:
    """A guardian of the unit co-signs a draft; at the threshold the inquiry is filed."""
    inquiry = (
        Inquiry.objects.select_for_update(of=("self",)).select_related("school", "school_class").get(pk=inquiry.pk)
    )
    guardian = Guardian.objects.filter(user=actor).first()
    if guardian is None or not _in_units(
        actor, inquiry.level, inquiry.school_id, inquiry.grade_id, inquiry.school_class_id
    ):
        raise _refuse(_("Signature: only guardians of a child in this unit can co-sign."), "unit")
    if inquiry.state != Inquiry.State.DRAFT:
        raise _refuse(_("Signature: this inquiry is no longer gathering signatures."), "state")
    if Signature.objects.filter(inquiry=inquiry, guardian=guardian).exists():
        raise _refuse(_("Signature: you have already co-signed this inquiry."), "twice")
    try:
        with transaction.atomic():
            signature = Signature.objects.create(inquiry=inquiry, guardian=guardian, show_name=bool(show_name))
    except IntegrityError as exc:
        raise _refuse(_("Signature: you have already co-signed this inquiry."), "twice") from exc
    inquiry.signature_count = F("signature_count") + 1
    inquiry.save(update_fields=["signature_count"])
    inquiry.refresh_from_db(fields=["signature_count"])
    if inquiry.signature_count >= inquiry.threshold:
        _file(actor=actor, inquiry=inquiry)
    return signature


@transaction.atomic
def inquiry_unsign(*, actor, inquiry: Inquiry) -> None:
    """A co-signer takes her signature back while the draft is still gathering them (the proposer withdraws)."""
    inquiry = Inquiry.objects.select_for_update(of=("self",)).get(pk=inquiry.pk)
    guardian = Guardian.objects.filter(user=actor).first()
    signature = Signature.objects.filter(inquiry=inquiry, guardian=guardian).first() if guardian else None
    if signature is None:
        raise _refuse(_("Signature: you have not co-signed this inquiry."), "none")
    if inquiry.state != Inquiry.State.DRAFT:
        raise _refuse(_("Signature: the inquiry is filed; a signature can no longer be taken back."), "state")
    if inquiry.proposer_id == signature.guardian_id:
        raise _refuse(_("Signature: you started this inquiry; withdraw the inquiry instead."), "proposer")
    signature.delete()
    inquiry.signature_count = F("signature_count") - 1
    inquiry.save(update_fields=["signature_count"])


@transaction.atomic
def inquiry_withdraw(*, actor, inquiry: Inquiry, reason: str = "") -> Inquiry:
    """Its raisers withdraw it before the school has answered."""
    inquiry = Inquiry.objects.select_for_update(of=("self",)).select_related("school").get(pk=inquiry.pk)
    if inquiry.proposer_user_id != actor.pk:
        raise _refuse(_("Only the guardian who raised the inquiry can withdraw it."), "proposer")
    if inquiry.state not in (Inquiry.State.DRAFT, *Inquiry.OPEN_STATES) or inquiry.answers.exists():
        raise _refuse(_("The inquiry can no longer be withdrawn: the school has answered it."), "state")
    before = inquiry.state
    if (rnd := open_round(inquiry)) is not None and (d := _round_deadline(rnd)) is not None:
        deadline_cancel(actor=actor, deadline=d, reason="withdrawn")
    inquiry.state, inquiry.withdrawn_at, inquiry.withdraw_reason = Inquiry.State.WITHDRAWN, timezone.now(), reason[:200]
    inquiry.save(update_fields=["state", "withdrawn_at", "withdraw_reason"])
    if before != Inquiry.State.DRAFT:
        _bump(inquiry.school, withdrawn=1)
    audit_record(actor=actor, action="inquiry.withdraw", target=inquiry, changes={"state": [before, "withdrawn"]})
    return inquiry


# --- the school's side ---------------------------------------------------------------------------------------


def _locked_open(inquiry: Inquiry) -> tuple[Inquiry, Round]:
    inquiry = Inquiry.objects.select_for_update(of=("self",)).select_related("school").get(pk=inquiry.pk)
    if inquiry.state == Inquiry.State.WITHDRAWN:
        raise _refuse(_("The inquiry was withdrawn by its raisers; nothing more can be done on it."), "withdrawn")
    rnd = open_round(inquiry)
    if inquiry.state not in Inquiry.OPEN_STATES or rnd is None:
        raise _refuse(_("The inquiry is not waiting for the school."), "state")
    return inquiry, rnd


@transaction.atomic
def inquiry_acknowledge(*, actor, inquiry: Inquiry) -> Inquiry:
    inquiry, rnd = _locked_open(inquiry)
    if rnd.acknowledged_at is not None:
        raise _refuse(_("The school has already acknowledged this inquiry."), "twice")
    rnd.acknowledged_at = timezone.now()
    rnd.save(update_fields=["acknowledged_at"])
    if (d := _round_deadline(rnd)) is not None:
        deadline_respond(actor=actor, deadline=d)
    inquiry.state = Inquiry.State.ACKNOWLEDGED
    inquiry.save(update_fields=["state"])
    audit_record(actor=actor, action="inquiry.acknowledge", target=inquiry)
    _tell_inquirers(
        actor=actor, inquiry=inquiry, title=_("The school acknowledged your inquiry"),
        body=_("The school received “%(title)s” and will answer it.") % {"title": inquiry.title},
    )  # fmt: skip
    return inquiry


@transaction.atomic
def inquiry_pause(*, actor, inquiry: Inquiry, reason: str) -> Pause:
    """The school stops the clock, only with a stated reason, which the inquirers see."""
    inquiry, rnd = _locked_open(inquiry)
    reason = (reason or "").strip()
    if not reason:
        raise _refuse(_("Reason: say why the clock is paused; the inquirers will see it."), "reason")
    d = _round_deadline(rnd)
    if d is None or d.state != Deadline.State.RUNNING:
        raise _refuse(_("The clock is already paused."), "paused")
    deadline_pause(actor=actor, deadline=d, reason=reason)
    pause = Pause.objects.create(inquiry=inquiry, round=rnd, reason=reason[:200], paused_by=actor)
    audit_record(actor=actor, action="inquiry.pause", target=inquiry, changes={"pause": [None, reason[:200]]})
    _tell_inquirers(
        actor=actor, inquiry=inquiry, title=_("The school paused the clock of your inquiry"),
        body=_("Reason given: %(reason)s") % {"reason": reason[:200]},
    )  # fmt: skip
    return pause


@transaction.atomic
def inquiry_resume(*, actor, inquiry: Inquiry) -> Inquiry:
    inquiry, rnd = _locked_open(inquiry)
    d = _round_deadline(rnd)
    if d is None or d.state != Deadline.State.PAUSED:
        raise _refuse(_("The clock is not paused."), "running")
    deadline_resume(actor=actor, deadline=d)
    Pause.objects.filter(round=rnd, resumed_at__isnull=True).update(resumed_at=timezone.now())
    audit_record(actor=actor, action="inquiry.resume", target=inquiry)
    return inquiry


def _check_answer(body: str, signer_role: str, signed_on: datetime.date | None) -> datetime.date:
    if not (body or "").strip():
        raise _refuse(_("Answer: write the school's answer."), "body")
    if not (signer_role or "").strip():
        raise _refuse(_("Signer's role: say in what role you sign (e.g. 校长)."), "signer_role")
    today = timezone.localdate()
    signed_on = signed_on or today
    if signed_on > today:
        raise _refuse(_("Signed on: the date cannot be in the future."), "signed_on")
    return signed_on


@transaction.atomic
def inquiry_answer(
    *, actor, inquiry: Inquiry, body: str, signer_role: str, signed_on: datetime.date | None = None
) -> Answer:
    """The school's signed answer to the open round; it stops the round's clock."""
    inquiry, rnd = _locked_open(inquiry)
    signed_on = _check_answer(body, signer_role, signed_on)
    now = timezone.now()
    version = (inquiry.answers.order_by("-version").values_list("version", flat=True).first() or 0) + 1
    answer = Answer.objects.create(
        inquiry=inquiry, round=rnd, version=version, body=body.strip(), signer_name=actor.name[:40],
        signer_role=signer_role.strip()[:40], signed_on=signed_on, signed_by=actor,
    )  # fmt: skip
    rnd.acknowledged_at = rnd.acknowledged_at or now
    rnd.answered_at = now
    rnd.save(update_fields=["acknowledged_at", "answered_at"])
    on_time = True
    if (d := _round_deadline(rnd)) is not None:
        d = deadline_resolve(actor=actor, deadline=d)
        on_time = d.resolved_at is not None and d.resolved_at <= d.resolution_due
    Pause.objects.filter(round=rnd, resumed_at__isnull=True).update(resumed_at=now)
    before = inquiry.state
    inquiry.state, inquiry.answered_at = Inquiry.State.ANSWERED, now
    inquiry.save(update_fields=["state", "answered_at"])
    if rnd.number == 1:
        _bump(inquiry.school, answered=1, answered_on_time=1 if on_time else 0)
    audit_record(actor=actor, action="inquiry.answer", target=inquiry, changes={"state": [before, "answered"]})
    _tell_inquirers(
        actor=actor, inquiry=inquiry, title=_("The school answered your inquiry"),
        body=_("“%(title)s” has the school's signed answer. Accept it, or follow up once.") % {"title": inquiry.title},
    )  # fmt: skip
    return answer


@transaction.atomic
def inquiry_answer_amend(
    *, actor, inquiry: Inquiry, body: str, signer_role: str, signed_on: datetime.date | None = None
) -> Answer:
    """A new version of the latest answer; every earlier version stays readable."""
    inquiry = Inquiry.objects.select_for_update(of=("self",)).select_related("school").get(pk=inquiry.pk)
    if inquiry.state == Inquiry.State.WITHDRAWN:
        raise _refuse(_("The inquiry was withdrawn by its raisers; nothing more can be done on it."), "withdrawn")
    latest = inquiry.answers.order_by("-version").first()
    if latest is None or inquiry.state not in (Inquiry.State.ANSWERED, Inquiry.State.ACCEPTED):
        raise _refuse(_("There is no answer to amend yet."), "state")
    signed_on = _check_answer(body, signer_role, signed_on)
    answer = Answer.objects.create(
        inquiry=inquiry, round=latest.round, version=latest.version + 1, body=body.strip(),
        signer_name=actor.name[:40], signer_role=signer_role.strip()[:40], signed_on=signed_on, signed_by=actor,
    )  # fmt: skip
    audit_record(
        actor=actor, action="inquiry.amend", target=inquiry, changes={"version": [latest.version, answer.version]}
    )
    _tell_inquirers(
        actor=actor, inquiry=inquiry, title=_("The school amended its answer"),
        body=_("“%(title)s”: the answer was amended (version %(version)s).")
        % {"title": inquiry.title, "version": answer.version},
    )  # fmt: skip
    return answer


# --- the inquirers' and the county's side --------------------------------------------------------------------


def _locked_answered(inquiry: Inquiry) -> Inquiry:
    inquiry = (
        Inquiry.objects.select_for_update(of=("self",)).select_related("school", "school_class").get(pk=inquiry.pk)
    )
    if inquiry.state != Inquiry.State.ANSWERED:
        raise _refuse(_("The inquiry has no answer waiting for your decision."), "state")
    return inquiry


@transaction.atomic
def inquiry_accept(*, actor, inquiry: Inquiry) -> Inquiry:
    inquiry = _locked_answered(inquiry)
    inquiry.state, inquiry.accepted_at = Inquiry.State.ACCEPTED, timezone.now()
    inquiry.save(update_fields=["state", "accepted_at"])
    _bump(inquiry.school, accepted=1)
    audit_record(actor=actor, action="inquiry.accept", target=inquiry, changes={"state": ["answered", "accepted"]})
    return inquiry


@transaction.atomic
def inquiry_follow_up(*, actor, inquiry: Inquiry, text: str) -> Round:
    """The inquirers follow up once: a new round with its own clock for a second answer."""
    inquiry = _locked_answered(inquiry)
    if inquiry.rounds.filter(kind=Round.Kind.FOLLOW_UP).exists():
        raise _refuse(_("Follow-up: the inquirers have already followed up once; no second follow-up."), "twice")
    text = (text or "").strip()
    if not text:
        raise _refuse(_("Follow-up: say what the answer left unanswered."), "text")
    rnd = _start_round(actor=actor, inquiry=inquiry, kind=Round.Kind.FOLLOW_UP, text=text)
    inquiry.state = Inquiry.State.FILED
    inquiry.save(update_fields=["state"])
    audit_record(actor=actor, action="inquiry.follow_up", target=inquiry, changes={"state": ["answered", "filed"]})
    return rnd


@transaction.atomic
def inquiry_direct_second_answer(*, actor, inquiry: Inquiry, text: str) -> Round:
    """The county directs the school to answer again: a new round with its own clock."""
    inquiry = (
        Inquiry.objects.select_for_update(of=("self",)).select_related("school", "school_class").get(pk=inquiry.pk)
    )
    if inquiry.state not in (Inquiry.State.ANSWERED, Inquiry.State.ACCEPTED):
        raise _refuse(_("The county can direct a second answer only once the school has answered."), "state")
    if inquiry.rounds.filter(kind=Round.Kind.COUNTY).exists():
        raise _refuse(_("The county has already directed a second answer on this inquiry."), "twice")
    text = (text or "").strip()
    if not text:
        raise _refuse(_("Direction: say what the school must answer again."), "text")
    before = inquiry.state
    rnd = _start_round(actor=actor, inquiry=inquiry, kind=Round.Kind.COUNTY, text=text)
    inquiry.state = Inquiry.State.FILED
    inquiry.save(update_fields=["state"])
    audit_record(actor=actor, action="inquiry.direct", target=inquiry, changes={"state": [before, "filed"]})
    _tell_inquirers(
        actor=actor, inquiry=inquiry, title=_("The county directed a second answer"),
        body=_("The county asked the school to answer “%(title)s” again.") % {"title": inquiry.title},
    )  # fmt: skip
    return rnd


def inquiry_escalation_notify(*, round_id: int, user_ids: list[int]) -> None:
    """The deadline engine escalated an overdue inquiry to these people: each gets a message."""
    from django.contrib.auth import get_user_model

    rnd = Round.objects.select_related("inquiry__school").filter(pk=round_id).first()
    if rnd is None:
        return
    inquiry = rnd.inquiry
    sender = rnd.requested_by or inquiry.proposer_user  # the message comes from the inquirers' side
    if sender is None:
        return
    for user in get_user_model().objects.filter(pk__in=user_ids, is_active=True):
        message_send(
            actor=sender, county_id=inquiry.county_id, to_user=user, title=_("An inquiry is overdue"),
            body=_("%(school)s has not answered the inquiry “%(title)s” in time.")
            % {"school": inquiry.school.name, "title": inquiry.title},
            link=_link(inquiry), topic=TOPIC,
        )  # fmt: skip


# --- teacher-ethics concerns ---------------------------------------------------------------------------------


@transaction.atomic
def concern_raise(
    *, actor, student: Student, route: str, teacher_name: str, about_leadership: bool, facts: str
) -> Concern:
    """A family's private concern about a teacher's conduct, to the school's discipline office or the county (a
    concern about the school's leadership goes to the county only)."""
    guardian = Guardian.objects.filter(user=actor).first()
    if guardian is None:
        raise _refuse(_("Only a guardian can raise a concern."), "guardian")
    if route not in Concern.Route.values:
        raise _refuse(_("Sent to: choose the school's discipline office or the county."), "route")
    if about_leadership:
        route = Concern.Route.COUNTY
    if not (teacher_name or "").strip():
        raise _refuse(_("Teacher concerned: give the teacher's name."), "teacher_name")
    if len((facts or "").strip()) < FACTS_MIN:
        raise _refuse(_("What happened: describe it in at least %(n)s characters.") % {"n": FACTS_MIN}, "facts")
    school = student.school
    concern = Concern.objects.create(
        county_id=school.county_id, school=school, student=student, guardian=guardian, raised_by=actor, route=route,
        teacher_name=teacher_name.strip()[:40], about_leadership=bool(about_leadership), facts=facts.strip(),
    )  # fmt: skip
    deadline_start(
        actor=actor, target=concern, policy=CONCERN_POLICY, county=school.county_id,
        school=school if route == Concern.Route.SCHOOL else None, title=_("Teacher-ethics concern"),
    )  # fmt: skip
    audit_record(actor=actor, action="concern.raise", target=concern)
    return concern


@transaction.atomic
def concern_acknowledge(*, actor, concern: Concern) -> Concern:
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    if concern.state != Concern.State.OPEN:
        raise _refuse(_("The concern is already acknowledged."), "state")
    concern.state, concern.acknowledged_at = Concern.State.ACKNOWLEDGED, timezone.now()
    concern.save(update_fields=["state", "acknowledged_at"])
    if (d := deadline_for(concern)) is not None:
        deadline_respond(actor=actor, deadline=d)
    audit_record(actor=actor, action="concern.acknowledge", target=concern)
    return concern


@transaction.atomic
def concern_answer(*, actor, concern: Concern, outcome: str) -> Concern:
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    if concern.state == Concern.State.ANSWERED:
        raise _refuse(_("The concern is already answered."), "state")
    if not (outcome or "").strip():
        raise _refuse(_("Outcome: say what was found and what was done."), "outcome")
    now = timezone.now()
    concern.state, concern.outcome, concern.answered_at = Concern.State.ANSWERED, outcome.strip(), now
    concern.acknowledged_at = concern.acknowledged_at or now
    concern.answered_by, concern.answered_by_name = actor, actor.name[:40]
    concern.save()
    if (d := deadline_for(concern)) is not None:
        deadline_resolve(actor=actor, deadline=d)
    audit_record(actor=actor, action="concern.answer", target=concern, changes={"state": ["open", "answered"]})
    message_send(
        actor=actor, county_id=concern.county_id, to_guardian=concern.guardian,
        title=_("Your concern has an outcome"), body=_("The outcome of your teacher-ethics concern is ready to read."),
        link=reverse("committees:concern_detail", args=[concern.pk]), topic=CONCERN_TOPIC,
    )  # fmt: skip
    return concern


def concern_escalation_notify(*, concern_id: int, user_ids: list[int]) -> None:
    from django.contrib.auth import get_user_model

    concern = Concern.objects.filter(pk=concern_id).first()
    if concern is None or concern.raised_by is None:
        return
    for user in get_user_model().objects.filter(pk__in=user_ids, is_active=True):
        message_send(
            actor=concern.raised_by, county_id=concern.county_id, to_user=user, title=_("A teacher-ethics concern is overdue"),
            body=_("A family's teacher-ethics concern has not been answered in time."),
            link=reverse("committees:concern_detail", args=[concern.pk]), topic=CONCERN_TOPIC,
        )  # fmt: skip
