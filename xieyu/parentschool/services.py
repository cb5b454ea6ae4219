"""Every write to the parent school: establish, rules, instructors, courses, plan a session, follow-ups."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from xieyu.audit.services import audit_record
from xieyu.core.uploads import RULES_DOCUMENTS, check_upload
from xieyu.directory.models import School, Stage, Student
from xieyu.events import services as event_services
from xieyu.events.models import Event, Registration
from xieyu.surveys import services as survey_services
from xieyu.surveys.models import Answer, Question, Questionnaire, Version, Wave

from .models import (
    Course,
    FollowUp,
    Instructor,
    ParentSchool,
    RulesDocument,
    Session,
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


# --- the before/after questionnaire (on the questionnaire engine) -------------------------------------------------

MAX_QUESTIONS = 5
BEFORE, AFTER = "before", "after"
WAVE_NUMBER = {BEFORE: 1, AFTER: 2}  # the waves 课前 and 课后 of a session's questionnaire
AFTER_DAYS = 14  # the after-session questionnaire stays open this long after the session ends
HOOK = "parentschool.session"  # the engine's audience: the families registered for (or attending) the session


def wave_hook(session_pk: int, phase: str) -> str:
    """The waves' audience: 课前 asks the families registered (or come), 课后 only those who came."""
    return f"{HOOK}:{session_pk}" if phase == BEFORE else f"{HOOK}:{session_pk}:came"


def wave_times(event: Event) -> dict[str, tuple[datetime.datetime, datetime.datetime]]:
    """When each wave is open: before, from the session's planning until it ends; after, from when check-in opens
    (the first moment a family can have come) until AFTER_DAYS after its end (within these, survey_phases_open says
    who may answer)."""
    before_opens = min(event.created_at, event.starts_at - datetime.timedelta(minutes=1))
    return {
        BEFORE: (before_opens, event.ends_at),
        AFTER: (
            event.starts_at - event_services.CHECKIN_OPENS_BEFORE,
            event.ends_at + datetime.timedelta(days=AFTER_DAYS),
        ),
    }


def _frozen() -> ValidationError:
    return ValidationError(_("Guardians have already answered: the questionnaire can no longer change."),
                           code="answered")  # fmt: skip


def _answered(session: Session) -> bool:
    return Answer.objects.filter(response__wave__questionnaire__ps_session=session.pk).exists()


def _latest_version(session: Session) -> Version | None:
    return Version.objects.filter(questionnaire__ps_session=session.pk).order_by("-number").first()


@transaction.atomic
def survey_question_add(*, actor, session: Session, text: str) -> Question:
    """Add a statement (a 1–5 scale question) to the session's questionnaire, created with its first statement:
    at most five, before anyone has answered."""
    text = _text(text, required=_("Write the statement guardians will rate, for example 我知道如何与孩子沟通作业问题."),
                 max_len=60, too_long=_("The statement is too long: at most 60 characters."))  # fmt: skip
    if len(text) < 4:
        raise ValidationError(_("The statement is too short: write at least 4 characters."), code="min_length")
    given, session = (
        session,
        Session.objects.select_for_update().select_related("event", "parent_school__school").get(pk=session.pk),
    )
    if session.questionnaire_id is None:
        session.questionnaire = survey_services.questionnaire_create(
            actor=actor, title=session.event.title[:80], respondent_kind=Questionnaire.RespondentKind.GUARDIAN,
            school=session.parent_school.school, key=HOOK,
        )  # fmt: skip
        session.save(update_fields=["questionnaire"])
        given.questionnaire = session.questionnaire
    version = _latest_version(session)
    if version is None:
        raise ValidationError(_("This session has no questionnaire."), code="none")
    questions = list(version.questions.all())
    if len(questions) >= MAX_QUESTIONS:
        raise ValidationError(
            _("A questionnaire has at most %(n)s statements.") % {"n": MAX_QUESTIONS}, code="too_many"
        )
    if any(q.text == text for q in questions):
        raise ValidationError(_("The questionnaire already has this statement."), code="duplicate")
    if version.status != Version.Status.DRAFT or _answered(session):
        raise _frozen()
    q = survey_services.question_add(actor=actor, version=version, kind=Question.Kind.SCALE, text=text,
                                     scale_min=1, scale_max=5)  # fmt: skip
    audit_record(actor=actor, action="parentschool.survey_question_add", target=session.event,
                 changes={"question": [None, text]})  # fmt: skip
    return q


@transaction.atomic
def survey_question_remove(*, actor, session: Session, question: Question) -> None:
    if question.version.status != Version.Status.DRAFT or _answered(session):
        raise _frozen()
    text = question.text
    survey_services.question_remove(actor=actor, question=question)
    audit_record(actor=actor, action="parentschool.survey_question_remove", target=session.event,
                 changes={"question": [text, None]})  # fmt: skip


def survey_phases_open(actor, session: Session, now: datetime.datetime | None = None) -> set[str]:
    """Which questionnaires the user may answer now: before (their family is registered, until the session
    ends) and after (their family attended, until AFTER_DAYS after the end)."""

    now = now or timezone.now()
    event = session.event
    phases: set[str] = set()
    if event.status != Event.Status.PUBLISHED:
        return phases
    regs = event_services.access.registrations_of_user(actor, event)
    if now < event.ends_at and any(r.status == Registration.Status.REGISTERED for r in regs):
        phases.add(BEFORE)
    if now < wave_times(event)[AFTER][1] and event_services.access.attendances_of_user(actor, event):
        phases.add(AFTER)  # checked in: they are there, whatever the clock says of the start
    return phases


def _waves(actor, session: Session, version: Version) -> dict[str, Wave]:
    """The session's two waves, following its times; the first answer publishes the statements and opens them."""
    version = Version.objects.select_for_update().get(pk=version.pk)
    if version.status == Version.Status.DRAFT:
        version.status, version.published_at = Version.Status.PUBLISHED, timezone.now()
        version.save(update_fields=["status", "published_at"])
        audit_record(actor=actor, action="parentschool.survey_publish", target=session.event,
                     changes={"questions": [None, version.questions.count()]})  # fmt: skip
    times = wave_times(session.event)
    return {
        phase: survey_services.wave_follow(
            actor=actor, version=version, number=WAVE_NUMBER[phase], title=title, hook=wave_hook(session.pk, phase),
            opens_at=times[phase][0], closes_at=times[phase][1], owner=session.event.created_by,
        )  # fmt: skip
        for phase, title in ((BEFORE, "课前"), (AFTER, "课后"))
    }


@transaction.atomic
def survey_answer(*, actor, session: Session, phase: str, scores: dict, consent: bool, now=None):
    """A guardian rates every statement 1–5, before or after the session (a response in the wave 课前 or 课后), having
    agreed that the scores evaluate it; answering again replaces the scores."""
    if phase not in WAVE_NUMBER:
        raise ValidationError(_("Choose whether you answer before or after the session."), code="phase")
    guardian = event_services.access.guardian_of(actor)
    if guardian is None:
        raise PermissionDenied(_("Only a guardian may answer the questionnaire."))
    if phase not in survey_phases_open(actor, session, now):
        if phase == BEFORE:
            raise ValidationError(_("The before-session questionnaire is for registered families, until the "
                                    "session ends."), code="closed")  # fmt: skip
        raise ValidationError(_("The after-session questionnaire is for families who attended."), code="closed")
    version = _latest_version(session)
    questions = list(version.questions.order_by("position")) if version is not None else []
    if version is None or not questions:
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
        clean[q.code] = score
    wave = _waves(actor, session, version)[phase]
    return survey_services.response_submit(actor=actor, wave=wave, answers=clean, consent=consent)


REMIND_AFTER_END = datetime.timedelta(hours=1)  # the families who came are asked for the 课后 answers this long after


def survey_after_remind(*, now: datetime.datetime | None = None) -> int:
    """The scheduler's sweep: an hour after a session ends, the families who came and have not answered its 课后
    questionnaire are reminded once, in the name of whoever planned the session, through the engine (a notice or
    messages linking to the session's page).
    Returns how many sessions were reminded."""
    now = now or timezone.now()
    reminded_after = Wave.objects.filter(questionnaire=OuterRef("questionnaire"), number=WAVE_NUMBER[AFTER],
                                         reminded_at__isnull=False)  # fmt: skip
    due = (
        Session.objects.filter(
            event__status=Event.Status.PUBLISHED,
            event__ends_at__lte=now - REMIND_AFTER_END,
            event__ends_at__gt=now - datetime.timedelta(days=AFTER_DAYS),
            questionnaire__versions__questions__isnull=False,
            event__attendances__isnull=False,
        )
        .exclude(Exists(reminded_after))  # the same wave both 课后 and reminded (not any wave of each)
        .select_related("event", "event__created_by")
        .distinct()
        .order_by("event__ends_at")
    )
    done = 0
    for session in due[:200]:
        planner = session.event.created_by  # the reminder comes from whoever planned the session
        with transaction.atomic():
            version = _latest_version(session)
            if version is None or planner is None:
                continue
            wave = _waves(planner, session, version)[AFTER]
            try:
                survey_services.wave_remind(actor=planner, wave=wave, scheduled=True)
            except ValidationError:
                continue  # everyone who came has answered, or the wave has just closed
            done += 1
    return done
