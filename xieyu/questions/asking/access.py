"""Who may see and handle which question and alert. Missing and forbidden both answer 404.

A question is seen by its asker, by the staff it is routed to and those above them, and by its assigned expert:

- addressed to the class: the class's head teacher, the school's admins, the county admins;
- addressed to the school: the school's admins, the county admins;
- addressed to the county guidance center: the county admins, the county's experts while nobody has claimed it,
  then only the expert it is assigned to;
- flagged as urgent (any level): also the county's counsellors and the school's admins.

Staff rights are read from the user's scope (accounts/scope.py, loaded once per request), never from the question's
text. `may_<action>` answers yes or no (for the page's buttons); `check_may_<action>` refuses an action on a question
the user may see, with the reason: the edge (view, API) calls it before the service, which trusts what it is given.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, When
from django.http import Http404
from django.utils.translation import gettext as _

from xieyu.accounts.models import Role
from xieyu.accounts.scope import Scope, scope_of
from xieyu.directory.access import children_of
from xieyu.directory.models import Guardianship, Student

from .models import Alert, ExpertSkill, Level, Message, Question


def _handles_questions(scope: Scope) -> bool:
    """Holds a role that questions are routed to: county admin, school admin, head teacher, expert, counsellor."""
    return bool(
        scope.counties(Role.COUNTY_ADMIN, Role.EXPERT, Role.COUNSELLOR)
        or scope.whole_schools(Role.SCHOOL_ADMIN)
        or scope.classes(Role.HEAD_TEACHER)
    )


def handles_questions(user) -> bool:
    """May the user open the staff queue (no query beyond the scope)?"""
    return _handles_questions(scope_of(user))


def _handled_filter(user, scope: Scope) -> Q:
    q = Q(pk__in=[])
    if counties := scope.counties(Role.COUNTY_ADMIN):
        q |= Q(county__in=counties)
    if schools := scope.whole_schools(Role.SCHOOL_ADMIN):
        q |= Q(school__in=schools, level__in=[Level.CLASS, Level.SCHOOL])
        q |= Q(school__in=schools, flagged_at__isnull=False)
    if classes := scope.classes(Role.HEAD_TEACHER):
        q |= Q(school_class__in=classes, level=Level.CLASS)
    if expert_counties := scope.counties(Role.EXPERT):
        q |= Q(county__in=expert_counties, level=Level.COUNTY, assignee__isnull=True)
    if counsellor_counties := scope.counties(Role.COUNSELLOR):
        q |= Q(county__in=counsellor_counties, flagged_at__isnull=False)
    if _handles_questions(scope):
        q |= Q(assignee=user)
    return q


def questions_visible_to(user) -> QuerySet[Question]:
    if not getattr(user, "is_authenticated", False):
        return Question.objects.none()
    return Question.objects.filter(Q(asker=user) | _handled_filter(user, scope_of(user)))


def questions_handled_by(user) -> QuerySet[Question]:
    """The staff queue: questions routed to the user (not their own as a parent)."""
    scope = scope_of(user)
    if not _handles_questions(scope):
        return Question.objects.none()
    return Question.objects.filter(_handled_filter(user, scope))


def _with_related(qs: QuerySet[Question]) -> QuerySet[Question]:
    return qs.select_related("asker", "student", "school", "school_class", "school_class__grade", "assignee")


def get_question_for(user, pk) -> Question:
    question = _with_related(questions_visible_to(user)).filter(pk=pk).first()
    if question is None:
        raise Http404("question not found")
    return question


def get_own_question(user, pk) -> Question:
    """A question the user asked (follow-up, rating)."""
    if not getattr(user, "is_authenticated", False):
        raise Http404("question not found")
    question = _with_related(Question.objects.filter(asker=user)).filter(pk=pk).first()
    if question is None:
        raise Http404("question not found")
    return question


def is_handler(user, question: Question) -> bool:
    """May the user answer, note and close this question (no query: the scope only)?"""
    scope = scope_of(user)
    if question.assignee_id == getattr(user, "pk", None) and _handles_questions(scope):
        return True
    if question.county_id in scope.counties(Role.COUNTY_ADMIN):
        return True
    school_admin = question.school_id in scope.whole_schools(Role.SCHOOL_ADMIN)
    if question.level in (Level.CLASS, Level.SCHOOL) and school_admin:
        return True
    if question.level == Level.CLASS and question.school_class_id in scope.classes(Role.HEAD_TEACHER):
        return True
    if (
        question.level == Level.COUNTY
        and question.assignee_id is None
        and question.county_id in scope.counties(Role.EXPERT)
    ):
        return True
    return question.flagged_at is not None and (question.county_id in scope.counties(Role.COUNSELLOR) or school_admin)


def check_handles(user, question: Question) -> None:
    """Refuses anyone but the question's handlers an answer, a note or closing it."""
    if not is_handler(user, question):
        raise PermissionDenied(_("You do not handle this question."))


def may_clear_flag(user, question: Question) -> bool:
    scope = scope_of(user)
    return question.is_urgent and (
        question.county_id in scope.counties(Role.COUNTY_ADMIN, Role.COUNSELLOR)
        or question.school_id in scope.whole_schools(Role.SCHOOL_ADMIN)
    )


def check_may_clear_flag(user, question: Question) -> None:
    if not may_clear_flag(user, question):
        raise PermissionDenied(_("Only counsellors, school admins and county admins can clear an urgent flag."))


def may_assign(user, question: Question) -> bool:
    """County admins and counsellors assign guidance-center questions to experts."""
    return question.level == Level.COUNTY and question.county_id in scope_of(user).counties(
        Role.COUNTY_ADMIN, Role.COUNSELLOR
    )


def check_may_assign(user, question: Question) -> None:
    if not may_assign(user, question):
        raise PermissionDenied(_("Only county admins and counsellors assign questions to experts."))


def may_claim(user, question: Question) -> bool:
    return (
        question.level == Level.COUNTY
        and question.assignee_id is None
        and question.county_id in scope_of(user).counties(Role.EXPERT)
        and question.status == Question.Status.OPEN
    )


def check_may_claim(user, question: Question) -> None:
    if not may_claim(user, question):
        raise PermissionDenied(_("Only an expert of the county can claim an unclaimed question."))


def may_see_family_phone(user, question: Question) -> bool:
    """Those who handle an urgent question (not its asker) reach the family by phone; a cleared flag hides it."""
    return question.is_urgent and question.asker_id != getattr(user, "pk", None) and is_handler(user, question)


def family_phones(user, question: Question) -> list[tuple[str, str, str]]:
    """(name, relationship, phone) of the asker and the child's other confirmed guardians, the asker first; empty
    for anyone but the question's handlers (may_see_family_phone). One query."""
    return family_phones_of(user, [question]).get(question.pk, [])


def family_phones_of(user, questions: list[Question]) -> dict[int, list[tuple[str, str, str]]]:
    """family_phones for several questions (the alerts card on a handler's home): one query for all of them, only
    for the questions whose phones the user may see."""
    shown = [q for q in questions if may_see_family_phone(user, q)]
    if not shown:
        return {}
    rows = (
        Guardianship.objects.filter(student__in={q.student_id for q in shown}, status=Guardianship.Status.CONFIRMED)
        .exclude(guardian__phone__isnull=True)
        .exclude(guardian__phone="")
        .select_related("guardian")
        .order_by("-is_primary_carer", "pk")
    )
    by_student: dict[int, list[Guardianship]] = {}
    for g in rows:
        by_student.setdefault(g.student_id, []).append(g)
    out: dict[int, list[tuple[str, str, str]]] = {}
    for question in shown:
        found: dict[str, tuple[str, str, str]] = {}
        asker: list[tuple[str, str, str]] = []
        for g in by_student.get(question.student_id, []):
            item = (g.guardian.name, g.get_relationship_display(), g.guardian.phone or "")
            if g.guardian.user_id == question.asker_id:
                asker.append(item)
            else:
                found.setdefault(item[2], item)
        if not asker and question.asker.phone:  # the asker is not (or no longer) a confirmed guardian of the child
            asker.append((question.asker.name, "", question.asker.phone))
        out[question.pk] = asker + [v for k, v in found.items() if k not in {a[2] for a in asker}]
    return out


def thread_of(user, question: Question) -> list[Message]:
    """The question's thread as the user may read it: internal notes only for those who handle it."""
    qs = Message.objects.filter(question=question).select_related("author")
    if not is_handler(user, question):
        qs = qs.exclude(kind=Message.Kind.NOTE)
    return list(qs.order_by("created_at", "pk"))


def questions_of(user) -> QuerySet[Question]:
    """The user's own questions, newest first."""
    if not getattr(user, "is_authenticated", False):
        return Question.objects.none()
    return Question.objects.filter(asker=user).select_related("school").order_by("-created_at", "-pk")


def queue_for(user, *, status: str = "open", urgent_only: bool = False) -> QuerySet[Question]:
    """The staff queue: urgent first, then (for an expert) questions in their skills, then the oldest."""
    qs = questions_handled_by(user).select_related("school", "school_class", "school_class__grade", "assignee")
    if status in Question.Status.values:
        qs = qs.filter(status=status)
    if urgent_only:
        qs = qs.filter(flagged_at__isnull=False, flag_cleared_at__isnull=True)
    skilled = Exists(ExpertSkill.objects.filter(user=user, category=OuterRef("category")))
    return qs.annotate(in_skills=skilled).order_by(
        F("flagged_at").desc(nulls_last=True), "-in_skills", "created_at", "pk"
    )


def questions_by_ids(user, ids: list[int]) -> dict[int, Question]:
    """Visible questions among ids (for similar-question lists), one query."""
    return {q.pk: q for q in questions_visible_to(user).filter(pk__in=ids)}


def alerts_for(user, *, unread_only: bool = True) -> QuerySet[Alert]:
    if not getattr(user, "is_authenticated", False):
        return Alert.objects.none()
    qs = Alert.objects.filter(user=user).select_related("question", "question__school", "question__asker")
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-pk")


def alerts_first_urgent(user) -> QuerySet[Alert]:
    """The user's unread alerts, urgent ones first, then the newest (the alerts card on staff homes)."""
    urgent_first = Case(When(kind=Alert.Kind.URGENT, then=0), default=1)
    return alerts_for(user).order_by(urgent_first, "-created_at", "-pk")


def get_alert_for(user, pk) -> Alert:
    alert = alerts_for(user, unread_only=False).filter(pk=pk).first()
    if alert is None:
        raise Http404("alert not found")
    return alert


# --- asking ---------------------------------------------------------------------------------------------------


def children_for_asking(user) -> QuerySet[Student]:
    """The user's confirmed children, enrolled in a class, with school and class (also those who propose topics and
    book clinics)."""
    return (
        children_of(user)
        .filter(status=Student.Status.ENROLLED)
        .select_related("school", "school_class", "school_class__grade")
        .order_by("birth_date", "pk")
    )


# --- the overview ---------------------------------------------------------------------------------------------


def county_ids_overseen(user) -> set[int]:
    return scope_of(user).counties(Role.COUNTY_ADMIN)


def school_ids_overseen(user) -> set[int]:
    return scope_of(user).whole_schools(Role.SCHOOL_ADMIN)


# --- the home page ------------------------------------------------------------------------------------------


def answers_to_rate(user, limit: int) -> list[Question]:
    """The user's own questions with an answer they have not rated yet, latest answer first: one query."""
    return list(
        questions_of(user)
        .select_related("student")
        .filter(answered_at__isnull=False, rating__isnull=True)
        .order_by("-answered_at", "-pk")[:limit]
    )


def recent_answers(user, limit: int) -> list[Question]:
    """The user's own answered questions already rated, latest answer first: one query."""
    return list(
        questions_of(user)
        .select_related("student")
        .filter(answered_at__isnull=False, rating__isnull=False)
        .order_by("-answered_at", "-pk")[:limit]
    )
