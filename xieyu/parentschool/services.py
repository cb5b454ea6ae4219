"""Every write to the parent school: establish, rules, instructors, courses, plan a session, follow-ups."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xieyu.audit.services import audit_record
from xieyu.core.uploads import RULES_DOCUMENTS, check_upload
from xieyu.directory.models import School, Stage, Student
from xieyu.events import services as event_services
from xieyu.events.models import Event, Registration

from .models import (
    Course,
    FollowUp,
    Instructor,
    ParentSchool,
    RulesDocument,
    Session,
    SurveyAnswer,
    SurveyQuestion,
    Theme,
)
from .semester import semester_of


def _text(value: str, *, required: str, max_len: int, too_long: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(required, code="required")
    if len(value) > max_len:
        raise ValidationError(too_long, code="max_length")
    return value


@transaction.atomic
def parent_school_establish(
    *, actor, school: School, established_on: datetime.date, person_in_charge: str
) -> ParentSchool:
    person = _text(person_in_charge, required=_("Name the person in charge of the parent school."), max_len=50,
                   too_long=_("The name is too long: at most 50 characters."))  # fmt: skip
    if established_on is None or established_on > timezone.localdate():
        raise ValidationError(_("The date of establishment cannot be in the future."), code="established_on")
    ps, created = ParentSchool.objects.update_or_create(
        school=school, defaults={"established_on": established_on, "person_in_charge": person}
    )
    audit_record(actor=actor, action="parentschool.establish" if created else "parentschool.update", target=ps)
    return ps


RULES_MAX_BYTES = RULES_DOCUMENTS.max_bytes


@transaction.atomic
def rules_add(
    *, actor, parent_school: ParentSchool, title: str, url: str = "", text: str = "", file=None
) -> RulesDocument:
    """A rules document (管理制度) of the parent school: an uploaded file, a link or its pasted text."""
    title = _text(title, required=_("Give the document a title."), max_len=100,
                  too_long=_("The title is too long: at most 100 characters."))  # fmt: skip
    url, text = (url or "").strip(), (text or "").strip()
    if url and not url.startswith(("http://", "https://")):
        raise ValidationError(_("The link must start with http:// or https://."), code="url")
    if file is None and not url and not text:
        raise ValidationError(_("Choose the document's file, or give a link to the rules or paste their text."),
                              code="file")  # fmt: skip
    doc = RulesDocument(parent_school=parent_school, title=title, url=url, text=text, uploaded_by=actor)
    if file is not None:
        checked = check_upload(file, RULES_DOCUMENTS)
        doc.file.save(checked.stored_name(), checked.file, save=False)
    doc.save()
    audit_record(actor=actor, action="parentschool.rules_add", target=parent_school, changes={"rules": [None, title]})
    return doc


@transaction.atomic
def rules_remove(*, actor, document: RulesDocument) -> None:
    title, ps = document.title, document.parent_school
    stored = document.file.name if document.file else ""
    storage = document.file.storage if document.file else None
    document.delete()
    if stored and storage is not None:
        transaction.on_commit(lambda: storage.delete(stored))
    audit_record(actor=actor, action="parentschool.rules_remove", target=ps, changes={"rules": [title, None]})


@transaction.atomic
def instructor_add(*, actor, parent_school: ParentSchool, name: str, kind: str, note: str = "") -> Instructor:
    name = _text(name, required=_("Enter the instructor's name."), max_len=50,
                 too_long=_("The name is too long: at most 50 characters."))  # fmt: skip
    if kind not in Instructor.Kind.values:
        raise ValidationError(_("Choose whether the instructor is a teacher or an expert."), code="kind")
    return Instructor.objects.create(parent_school=parent_school, name=name, kind=kind, note=(note or "")[:200])


@transaction.atomic
def course_add(*, actor, parent_school: ParentSchool, title: str, stage: str, theme: str, hours=1) -> Course:
    title = _text(title, required=_("Give the course a title."), max_len=80,
                  too_long=_("The title is too long: at most 80 characters."))  # fmt: skip
    if stage not in Stage.values:
        raise ValidationError(_("Choose the stage the course is for."), code="stage")
    if theme not in Theme.values:
        raise ValidationError(_("Choose the course's theme."), code="theme")
    return Course.objects.create(parent_school=parent_school, title=title, stage=stage, theme=theme, hours=hours)


@transaction.atomic
def session_plan(
    *,
    actor,
    parent_school: ParentSchool,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str = "",
    online_url: str = "",
    kind: str = Event.Kind.LECTURE,
    capacity: int = 0,
    course: Course | None = None,
    instructor: Instructor | None = None,
    publish: bool = True,
) -> Session:
    """A session of the term plan: a whole-school event of the school, tied to a course and an instructor."""
    event = event_services.event_create(
        actor=actor, kind=kind, title=title, school=parent_school.school, audience=Event.Audience.SCHOOL,
        place=place, online_url=online_url, starts_at=starts_at, ends_at=ends_at, capacity=capacity,
        publish=publish, description=course.title if course else "",
    )  # fmt: skip
    return Session.objects.create(event=event, parent_school=parent_school, semester=semester_of(starts_at).code,
                                  course=course, instructor=instructor)  # fmt: skip


@transaction.atomic
def followup_record(*, actor, student: Student, method: str, reason: str = "", note: str = "") -> FollowUp:
    """The head teacher logs how they reached a family that has not come this semester (a minor's record)."""
    if method not in FollowUp.Method.values:
        raise ValidationError(_("Choose how you reached the family."), code="method")
    reason, note = (reason or "").strip(), (note or "").strip()
    if len(reason) > 200:
        raise ValidationError(_("The reason is too long: at most 200 characters."), code="reason")
    if len(note) > 500:
        raise ValidationError(_("The note is too long: at most 500 characters."), code="note")
    fu = FollowUp.objects.create(student=student, semester=semester_of().code, method=method, reason=reason,
                                 note=note, recorded_by=actor)  # fmt: skip
    audit_record(actor=actor, action="parentschool.followup", target=student,
                 changes={"followup": [None, method], "reason": [None, reason]})  # fmt: skip
    return fu


# --- the before/after questionnaire ---------------------------------------------------------------------------

MAX_QUESTIONS = 5


@transaction.atomic
def survey_question_add(*, actor, session: Session, text: str) -> SurveyQuestion:
    """Add a statement to the session's questionnaire (at most five, before anyone has answered)."""
    text = _text(text, required=_("Write the statement guardians will rate, for example 我知道如何与孩子沟通作业问题."),
                 max_len=60, too_long=_("The statement is too long: at most 60 characters."))  # fmt: skip
    if len(text) < 4:
        raise ValidationError(_("The statement is too short: write at least 4 characters."), code="min_length")
    questions = list(SurveyQuestion.objects.select_for_update().filter(session=session))
    if len(questions) >= MAX_QUESTIONS:
        raise ValidationError(
            _("A questionnaire has at most %(n)s statements.") % {"n": MAX_QUESTIONS}, code="too_many"
        )
    if any(q.text == text for q in questions):
        raise ValidationError(_("The questionnaire already has this statement."), code="duplicate")
    if SurveyAnswer.objects.filter(question__session=session).exists():
        raise ValidationError(_("Guardians have already answered: the questionnaire can no longer change."),
                              code="answered")  # fmt: skip
    q = SurveyQuestion.objects.create(session=session, text=text, position=len(questions) + 1)
    audit_record(actor=actor, action="parentschool.survey_question_add", target=session.event,
                 changes={"question": [None, text]})  # fmt: skip
    return q


@transaction.atomic
def survey_question_remove(*, actor, question: SurveyQuestion) -> None:
    if SurveyAnswer.objects.filter(question__session=question.session_id).exists():
        raise ValidationError(_("Guardians have already answered: the questionnaire can no longer change."),
                              code="answered")  # fmt: skip
    audit_record(actor=actor, action="parentschool.survey_question_remove", target=question.session.event,
                 changes={"question": [question.text, None]})  # fmt: skip
    question.delete()


def survey_phases_open(actor, session: Session, now: datetime.datetime | None = None) -> set[str]:
    """Which questionnaires the user may answer now: before (their family is registered, until the session
    ends) and after (their family attended)."""

    now = now or timezone.now()
    event = session.event
    phases: set[str] = set()
    if event.status != Event.Status.PUBLISHED:
        return phases
    regs = event_services.access.registrations_of_user(actor, event)
    if now < event.ends_at and any(r.status == Registration.Status.REGISTERED for r in regs):
        phases.add(SurveyAnswer.Phase.BEFORE)
    if event_services.access.attendances_of_user(actor, event):  # checked in: they are there, whatever the clock
        phases.add(SurveyAnswer.Phase.AFTER)
    return phases


@transaction.atomic
def survey_answer(*, actor, session: Session, phase: str, scores: dict, now=None) -> list[SurveyAnswer]:
    """A guardian rates every statement 1–5, before or after the session; answering again replaces the scores."""
    if phase not in SurveyAnswer.Phase.values:
        raise ValidationError(_("Choose whether you answer before or after the session."), code="phase")
    guardian = event_services.access.guardian_of(actor)
    if guardian is None:
        raise PermissionDenied(_("Only a guardian may answer the questionnaire."))
    if phase not in survey_phases_open(actor, session, now):
        if phase == SurveyAnswer.Phase.BEFORE:
            raise ValidationError(_("The before-session questionnaire is for registered families, until the "
                                    "session ends."), code="closed")  # fmt: skip
        raise ValidationError(_("The after-session questionnaire is for families who attended."), code="closed")
    questions = list(SurveyQuestion.objects.filter(session=session))
    if not questions:
        raise ValidationError(_("This session has no questionnaire."), code="none")
    clean = {}
    for n, q in enumerate(questions, start=1):
        try:
            score = int(scores.get(q.pk, scores.get(str(q.pk), 0)))  # a missing score is 0: refused below
        except (TypeError, ValueError):
            score = 0
        if not 1 <= score <= 5:
            raise ValidationError(
                _("Choose a score from 1 to 5 for statement %(n)s: %(text)s") % {"n": n, "text": q.text},
                code="score",
            )
        clean[q] = score
    answers = []
    for q, score in clean.items():
        a, _created = SurveyAnswer.objects.update_or_create(
            question=q, guardian=guardian, phase=phase, defaults={"score": score, "created_at": timezone.now()}
        )
        answers.append(a)
    return answers
