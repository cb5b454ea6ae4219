"""Who may see which parent school, its reach and coverage figures. Missing and forbidden both answer 404.

Every figure is computed in the database with subqueries (a fixed number of queries per page).

What counts when (every way of recording attendance alike: the code, the organiser's list, a walk-in, the paper
sheet):
- participation — an event's own attendance, families who came (class, grade and school rates, county coverage),
  "families who never came" (reach) and the attendance rate of sessions held: a family counts as soon as it is
  checked in;
- learning credit — a guardian's learning record, its hours and the certificate: an attendance counts once its
  event has ended (`_credited`), so nobody is credited for a session that has only begun.
"""

from __future__ import annotations

from django.db.models import (
    Avg,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Cast, Coalesce, NullIf
from django.http import Http404
from django.utils import timezone

from xieyu.directory import access as directory_access
from xieyu.directory.models import Grade, Guardianship, School, SchoolClass, Student
from xieyu.events import access as events_access
from xieyu.events.models import Attendance, Event, Feedback, Registration
from xieyu.surveys.models import Answer, Question, Version

from .models import (
    Course,
    FollowUp,
    Instructor,
    ParentSchool,
    RulesDocument,
    Session,
)
from .semester import Semester

MIN_SESSIONS = 2


def get_school_for_staff(user, pk, *, write: bool = False) -> School:
    """A school whose parent school the user works with: its staff and the county admin (managers with write)."""
    if write:
        return directory_access.get_school_for(user, pk, write=True)
    school = directory_access.schools_visible_to(user).select_related("county").filter(pk=pk).first()
    if school is None or not directory_access.staff_school_test(user)(school):
        raise Http404("school not found")
    return school


def parent_school_of(school: School) -> ParentSchool | None:
    return ParentSchool.objects.filter(school=school).first()


def parent_school_parts(ps: ParentSchool) -> dict:
    return {
        "rules": list(RulesDocument.objects.filter(parent_school=ps)),
        "instructors": list(Instructor.objects.filter(parent_school=ps)),
        "courses": list(Course.objects.filter(parent_school=ps)),
    }


def _in_semester(sem: Semester, prefix: str = "") -> Q:
    start, end = sem.bounds()
    return Q(**{f"{prefix}starts_at__gte": start, f"{prefix}starts_at__lt": end})


def sessions_of(ps: ParentSchool, sem: Semester) -> QuerySet[Event]:
    """The term plan's sessions with registered, attended counts and feedback average (per-session evaluation)."""
    qs = Event.objects.filter(ps_session__parent_school=ps, ps_session__semester=sem.code).exclude(
        status=Event.Status.CANCELLED
    )
    return (
        events_access.with_counts(qs)
        .select_related("ps_session__course", "ps_session__instructor")
        .order_by("starts_at", "pk")
    )


def _attended_in(sem: Semester, *, school_sessions_only: bool = False) -> Exists:
    qs = Attendance.objects.filter(Q(student=OuterRef("pk")) & _in_semester(sem, "event__"))
    if school_sessions_only:
        qs = qs.filter(event__ps_session__semester=sem.code)
    return Exists(qs)


def _count(qs: QuerySet, outer_field: str) -> Coalesce:
    counted = qs.order_by().values(outer_field).annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _rate() -> CombinedExpression:
    return Cast(F("attended_families"), FloatField()) / NullIf(F("students_count"), 0)


def class_participation(user, school: School, sem: Semester) -> QuerySet[SchoolClass]:
    enrolled = Student.objects.filter(status=Student.Status.ENROLLED, school_class=OuterRef("pk"))
    return (
        directory_access.classes_visible_to(user)
        .filter(school=school)
        .select_related("grade")
        .annotate(
            students_count=_count(enrolled, "school_class"),
            attended_families=_count(enrolled.filter(_attended_in(sem, school_sessions_only=True)), "school_class"),
        )
        .annotate(rate=_rate())
        .order_by("grade__level", "name", "pk")
    )


def grade_participation(school: School, sem: Semester):
    """Per grade of a school the caller may see (from get_school_for_staff): families and those who came."""

    enrolled = Student.objects.filter(status=Student.Status.ENROLLED, school_class__grade=OuterRef("pk"))
    return (
        Grade.objects.filter(school=school)
        .annotate(
            students_count=_count(enrolled, "school_class__grade"),
            attended_families=_count(
                enrolled.filter(_attended_in(sem, school_sessions_only=True)), "school_class__grade"
            ),
        )
        .annotate(rate=_rate())
        .order_by("level")
    )


def unreached_families(school_class: SchoolClass, sem: Semester) -> QuerySet[Student]:
    """Enrolled students of a class (from get_class_for) whose family attended no event this semester, with their
    guardians and the latest follow-up."""
    latest = FollowUp.objects.filter(student=OuterRef("pk"), semester=sem.code).order_by("-recorded_at", "-pk")
    return (
        Student.objects.filter(school_class=school_class, status=Student.Status.ENROLLED)
        .exclude(_attended_in(sem))
        .annotate(
            followup_method=Subquery(latest.values("method")[:1]),
            followup_at=Subquery(latest.values("recorded_at")[:1]),
            followup_reason=Subquery(latest.values("reason")[:1]),
            followups=_count(FollowUp.objects.filter(student=OuterRef("pk"), semester=sem.code), "student"),
        )
        .prefetch_related(
            Prefetch(
                "guardianships",
                queryset=Guardianship.objects.filter(status=Guardianship.Status.CONFIRMED)
                .select_related("guardian")
                .order_by("-is_primary_carer", "pk"),
                to_attr="guardians_confirmed",
            )
        )
        .order_by("followups", "student_number", "pk")
    )


def get_unreached_student(school_class: SchoolClass, sem: Semester, pk) -> Student:
    student = unreached_families(school_class, sem).filter(pk=pk).first()
    if student is None:
        raise Http404("student not found")
    return student


def _credited(now) -> Q:
    """An attendance earns learning credit once its event has ended (and was not cancelled)."""
    return Q(event__ends_at__lte=now) & ~Q(event__status=Event.Status.CANCELLED)


def _family_attendances(user, sem: Semester) -> QuerySet[Attendance]:
    return Attendance.objects.filter(
        Q(student__in=directory_access.children_of(user).values("pk")) & _in_semester(sem, "event__")
    )


def learning_record(user, sem: Semester) -> QuerySet[Attendance]:
    """The learning credit of the user's families in the semester: attendances of events that have ended (a
    check-in counts once the session is over), with event and course, oldest first."""
    return (
        _family_attendances(user, sem)
        .filter(_credited(timezone.now()))
        .select_related("event__ps_session__course", "event__school", "student", "guardian")
        .order_by("event__starts_at", "pk")
    )


def learning_pending(user, sem: Semester) -> int:
    """Attendances of the user's families at events not over yet: credited when they end."""
    now = timezone.now()
    return (
        _family_attendances(user, sem).filter(event__ends_at__gt=now).exclude(event__status=Event.Status.CANCELLED)
    ).count()


def county_coverage(user, county_id: int, sem: Semester) -> QuerySet[School]:
    """Each school the user oversees in the county: parent school established, sessions this semester, family
    participation rate and feedback average; schools below the minimum of sessions first."""
    sessions = Session.objects.filter(parent_school__school=OuterRef("pk"), semester=sem.code).exclude(
        event__status__in=[Event.Status.CANCELLED, Event.Status.DRAFT]
    )
    enrolled = Student.objects.filter(status=Student.Status.ENROLLED, school=OuterRef("pk"))
    feedback = (
        Feedback.objects.filter(
            event__ps_session__parent_school__school=OuterRef("pk"), event__ps_session__semester=sem.code
        )
        .order_by()
        .values("event__ps_session__parent_school")
        .annotate(a=Avg("rating"))
        .values("a")[:1]
    )
    return (
        directory_access.schools_overseen_by(user)
        .filter(county=county_id)
        .annotate(
            established=Exists(ParentSchool.objects.filter(school=OuterRef("pk"))),
            sessions_count=_count(sessions, "parent_school__school"),
            students_count=_count(enrolled, "school"),
            attended_families=_count(enrolled.filter(_attended_in(sem, school_sessions_only=True)), "school"),
            feedback_avg=Subquery(feedback, output_field=FloatField()),
            **_effectiveness_annotations(sem),
        )
        .annotate(rate=_rate(), attendance_rate=_attendance_rate(), survey_change=_survey_change())
        .order_by("sessions_count", "name", "pk")
    )


def coverage_totals(user, county_id: int, sem: Semester) -> dict:
    qs = directory_access.schools_overseen_by(user).filter(county=county_id)
    # filter on the relation, not on an Exists annotation: PostgreSQL cannot see an annotation's alias inside an
    # aggregate over a subquery (schools_overseen_by may be distinct)
    established = ParentSchool.objects.filter(school__in=qs.values("pk"))
    schools, established_count = qs.count(), established.count()
    return {
        "schools": schools,
        "established": established_count,
        "rate": established_count / schools if schools else None,
    }


def can_manage_school(user, school: School) -> bool:
    return directory_access.staff_school_test(user, overseen_only=True)(school)


def instructor_of(ps: ParentSchool, pk) -> Instructor | None:
    return Instructor.objects.filter(parent_school=ps, pk=pk).first() if pk else None


def course_of(ps: ParentSchool, pk) -> Course | None:
    return Course.objects.filter(parent_school=ps, pk=pk).first() if pk else None


def get_rules_document(ps: ParentSchool, pk) -> RulesDocument:
    doc = RulesDocument.objects.filter(parent_school=ps, pk=pk).select_related("parent_school__school").first()
    if doc is None:
        raise Http404("document not found")
    return doc


# --- sessions and their questionnaire ---------------------------------------------------------------------------


def get_session_for(user, event_pk) -> Session:
    """The parent-school session of an event the user may see (404 alike for missing, forbidden, not a session)."""
    session = (
        Session.objects.filter(event__in=events_access.events_visible_to(user).values("pk"), event=event_pk)
        .select_related("event__school", "parent_school__school", "course", "instructor")
        .first()
    )
    if session is None:
        raise Http404("session not found")
    return session


BEFORE_WAVE, AFTER_WAVE = 1, 2  # the waves 课前 and 课后 of a session's questionnaire (services.WAVE_NUMBER)


def _statements(session: Session) -> QuerySet[Question]:
    """The statements of the session's questionnaire: the questions of its latest version."""
    latest = Version.objects.filter(questionnaire=OuterRef("version__questionnaire")).order_by("-number")
    return (
        Question.objects.filter(version__questionnaire__ps_session=session.pk)
        .filter(version=Subquery(latest.values("pk")[:1]))
        .order_by("position")
    )


def questions_of(session: Session) -> list[Question]:
    return list(_statements(session))


def get_question(session: Session, pk) -> Question:
    q = _statements(session).filter(pk=pk).select_related("version").first()
    if q is None:
        raise Http404("question not found")
    return q


def _score():
    return Cast("number", FloatField())


def my_survey_scores(user, session: Session) -> dict[str, dict[int, int]]:
    """{"before": {question_id: score}, "after": {...}} of the user's guardian record."""
    out: dict[str, dict[int, int]] = {"before": {}, "after": {}}
    if not getattr(user, "is_authenticated", False):
        return out
    rows = Answer.objects.filter(
        response__wave__questionnaire__ps_session=session.pk, response__respondent__guardian__user=user
    ).values_list("response__wave__number", "question_id", "number")
    for wave, qid, score in rows:
        if score is not None and wave in (BEFORE_WAVE, AFTER_WAVE):
            out["before" if wave == BEFORE_WAVE else "after"][qid] = int(score)
    return out


def _change(before, after):
    return None if before is None or after is None else round(after - before, 2)


def survey_summary(session: Session) -> dict:
    """Per statement: answers and averages before and after, and the change; plus the whole questionnaire's."""
    score = Cast("answers__number", FloatField())
    before, after = Q(answers__response__wave__number=BEFORE_WAVE), Q(answers__response__wave__number=AFTER_WAVE)
    questions = list(
        _statements(session).annotate(
            before_avg=Avg(score, filter=before),
            after_avg=Avg(score, filter=after),
            before_n=Count("answers", filter=before),
            after_n=Count("answers", filter=after),
        )
    )
    for q in questions:
        q.change = _change(q.before_avg, q.after_avg)  # type: ignore[attr-defined]  # for the template only
    overall = Answer.objects.filter(question__in=_statements(session).values("pk")).aggregate(
        before_avg=Avg(_score(), filter=Q(response__wave__number=BEFORE_WAVE)),
        after_avg=Avg(_score(), filter=Q(response__wave__number=AFTER_WAVE)),
        before_n=Count("response__respondent", filter=Q(response__wave__number=BEFORE_WAVE), distinct=True),
        after_n=Count("response__respondent", filter=Q(response__wave__number=AFTER_WAVE), distinct=True),
    )
    overall["change"] = _change(overall["before_avg"], overall["after_avg"])
    return {"questions": questions, **overall}


# --- effectiveness (per session and per term) -------------------------------------------------------------------


def _effectiveness_annotations(sem: Semester, school_ref: str = "pk") -> dict:
    """Subqueries on a School queryset: sessions held this semester (published and started), families registered
    and attended at them, and the questionnaire's before and after averages."""
    now = timezone.now()
    held = Event.objects.filter(
        ps_session__parent_school__school=OuterRef(school_ref),
        ps_session__semester=sem.code,
        status=Event.Status.PUBLISHED,
        starts_at__lte=now,
    )

    held_of = {
        "event__ps_session__parent_school__school": OuterRef(school_ref),
        "event__ps_session__semester": sem.code,
        "event__status": Event.Status.PUBLISHED,
        "event__starts_at__lte": now,
    }
    regs = Registration.objects.filter(status=Registration.Status.REGISTERED, **held_of)
    # Registered families who came (walk-ins count as participation, not in the attendance rate).
    came = Attendance.objects.filter(**held_of).filter(
        Exists(
            Registration.objects.filter(
                event=OuterRef("event"), student=OuterRef("student"), status=Registration.Status.REGISTERED
            )
        )
    )
    answers = Answer.objects.filter(
        response__wave__questionnaire__ps_session__parent_school__school=OuterRef(school_ref),
        response__wave__questionnaire__ps_session__semester=sem.code,
    )

    def avg(wave: int):
        sub = (
            answers.filter(response__wave__number=wave)
            .order_by()
            .values("response__wave__number")
            .annotate(a=Avg(_score()))
            .values("a")[:1]
        )
        return Subquery(sub, output_field=FloatField())

    return {
        "held_count": _count(held, "ps_session__parent_school"),
        "registered_total": _count(regs, "event__ps_session__parent_school"),
        "attended_total": _count(came, "event__ps_session__parent_school"),
        "survey_before": avg(BEFORE_WAVE),
        "survey_after": avg(AFTER_WAVE),
    }


def _attendance_rate() -> CombinedExpression:
    return Cast(F("attended_total"), FloatField()) / NullIf(F("registered_total"), 0)


def _survey_change() -> ExpressionWrapper:
    return ExpressionWrapper(F("survey_after") - F("survey_before"), output_field=FloatField())


def term_effectiveness(school: School, sem: Semester) -> School | None:
    """The school's term roll-up in one query: sessions held against the minimum, attendance rate (families who
    came of those registered, at sessions held), feedback average, questionnaire before/after and change."""
    feedback = (
        Feedback.objects.filter(event__ps_session__parent_school__school=OuterRef("pk"),
                                event__ps_session__semester=sem.code)
        .order_by().values("event__ps_session__parent_school").annotate(a=Avg("rating")).values("a")[:1]
    )  # fmt: skip
    row = (
        School.objects.filter(pk=school.pk)
        .annotate(**_effectiveness_annotations(sem), feedback_avg=Subquery(feedback, output_field=FloatField()))
        .annotate(attendance_rate=_attendance_rate(), survey_change=_survey_change())
        .first()
    )
    return row
