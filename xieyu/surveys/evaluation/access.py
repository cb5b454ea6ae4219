"""Who may see what of the family-education evaluation. Missing and not-yours both answer 404.

- A family's profile: its guardians only (their own confirmed children), never staff: the school sees figures.
- Figures: a class's to its head teacher and the school's admins; a school's to its admins and the county's admins;
  the county's to the county's admins. Counts and means only, suppressed, never a name.
- Sharp-fall suggestions: only the head teacher of the class the family answered in (names visible to them). Not
  the school's admin, not the county, not another class's head teacher.
- Model-family candidates: the school's admins, and only families that consented on their profile page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from xieyu.accounts.models import Role
from xieyu.accounts.scope import scope_of
from xieyu.directory import access as directory_access
from xieyu.directory.models import Region, School, SchoolClass, Student

from ..models import Questionnaire, Response, Version
from .models import CandidateConsent, FallSuggestion, Instrument
from .services import CANDIDATE_TOTAL


def instrument_of(county_id: int) -> Instrument | None:
    return Instrument.objects.filter(county=county_id).select_related("questionnaire").first()


def published_version(questionnaire_id: int) -> Version | None:
    return (
        Version.objects.filter(questionnaire=questionnaire_id, status=Version.Status.PUBLISHED)
        .order_by("-number")
        .first()
    )


# --- the family's own profile ------------------------------------------------------------------------------------


def children_for_profile(user) -> QuerySet[Student]:
    return directory_access.children_of(user).select_related("school", "school_class", "school_class__grade")


def get_child_for(user, pk) -> Student:
    child = children_for_profile(user).filter(pk=pk).first()
    if child is None:
        raise Http404("child not found")
    return child


def family_responses(questionnaire_id: int, student_ids: list[int]) -> QuerySet[Response]:
    """The families' submitted answers, oldest wave first: one query."""
    return (
        Response.objects.filter(
            respondent__questionnaire=questionnaire_id,
            respondent__student__in=student_ids,
            status=Response.Status.SUBMITTED,
        )
        .select_related("wave", "respondent")
        .order_by("wave__number")
    )


def consent_of(student: Student) -> bool:
    return CandidateConsent.objects.filter(student=student, agreed=True).exists()


# --- staff figures -------------------------------------------------------------------------------------------------


def get_class_for(user, pk) -> SchoolClass:
    scope = scope_of(user)
    cls = SchoolClass.objects.select_related("school", "grade").filter(pk=pk).first()
    if cls is None or not (
        cls.pk in scope.classes(Role.HEAD_TEACHER) or cls.school_id in scope.whole_schools(Role.SCHOOL_ADMIN)
    ):
        raise Http404("class not found")
    return cls


def get_school_for(user, pk) -> School:
    scope = scope_of(user)
    school = School.objects.filter(pk=pk).first()
    if school is None or not (
        school.pk in scope.whole_schools(Role.SCHOOL_ADMIN) or school.county_id in scope.counties(Role.COUNTY_ADMIN)
    ):
        raise Http404("school not found")
    return school


def get_admin_school_for(user, pk) -> School:
    """A school of which the user is an admin (the candidates are theirs alone)."""
    if pk not in scope_of(user).whole_schools(Role.SCHOOL_ADMIN):
        raise Http404("school not found")
    school = School.objects.filter(pk=pk).first()
    if school is None:
        raise Http404("school not found")
    return school


def get_county_for(user, pk) -> Region:
    if pk not in scope_of(user).counties(Role.COUNTY_ADMIN):
        raise Http404("county not found")
    county = Region.objects.filter(pk=pk).first()
    if county is None:
        raise Http404("county not found")
    return county


@dataclass(frozen=True)
class Units:
    classes: list[SchoolClass]
    schools: list[School]
    counties: list[Region]

    def __bool__(self) -> bool:
        return bool(self.classes or self.schools or self.counties)


def figure_units_of(user) -> Units:
    """The units whose figures the user may open (their own: the head teacher's class, the admin's school …)."""
    scope = scope_of(user)
    classes = list(SchoolClass.objects.filter(pk__in=scope.classes(Role.HEAD_TEACHER)).select_related("school",
                                                                                                       "grade"))  # fmt: skip
    schools = list(School.objects.filter(pk__in=scope.whole_schools(Role.SCHOOL_ADMIN)))
    counties = list(Region.objects.filter(pk__in=scope.counties(Role.COUNTY_ADMIN)))
    return Units(classes, schools, counties)


def county_questionnaires(user, county: Region) -> QuerySet[Questionnaire]:
    """The county's own questionnaires a county admin may choose as the evaluation (from get_county_for)."""
    return Questionnaire.objects.filter(county=county, school__isnull=True, is_archived=False).order_by("title", "pk")


def get_county_questionnaire_for(user, county: Region, pk) -> Questionnaire:
    q = county_questionnaires(user, county).filter(pk=pk).first()
    if q is None:
        raise Http404("questionnaire not found")
    return q


# --- sharp falls: the head teacher's private list ------------------------------------------------------------------


def suggestions_visible_to(user) -> QuerySet[FallSuggestion]:
    classes = scope_of(user).classes(Role.HEAD_TEACHER)
    return FallSuggestion.objects.filter(school_class__in=classes).select_related(
        "student", "school_class", "school_class__grade", "response__wave", "previous__wave"
    )


def get_suggestion_for(user, pk) -> FallSuggestion:
    found = suggestions_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise Http404("suggestion not found")
    return found


# --- model-family candidates ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    student: Student
    total: float
    change: float
    wave_title: str


def candidates_for(user, school: School) -> list[Candidate]:
    """The school's consenting families whose latest total is high (≥ 85) and above their previous wave's: for the
    school's admins only (anyone else gets none). Three queries whatever the school's size."""
    if school.pk not in scope_of(user).whole_schools(Role.SCHOOL_ADMIN):
        return []
    chosen = instrument_of(school.county_id)
    if chosen is None:
        return []
    consenting = list(
        CandidateConsent.objects.filter(
            agreed=True, student__school=school, student__status=Student.Status.ENROLLED
        ).values_list("student_id", flat=True)
    )
    if not consenting:
        return []
    latest: dict[int, list[Response]] = {}
    for r in family_responses(chosen.questionnaire_id, consenting).filter(total__isnull=False):
        latest.setdefault(r.respondent.student_id or 0, []).append(r)
    ids = []
    found = {}
    for student_id, rows in latest.items():
        if len(rows) < 2:
            continue
        last, before = rows[-1], rows[-2]
        if (last.total or 0) >= CANDIDATE_TOTAL and (last.total or 0) > (before.total or 0):
            ids.append(student_id)
            found[student_id] = (last.total or 0, (last.total or 0) - (before.total or 0), last.wave.title)
    students = Student.objects.filter(pk__in=ids).select_related("school_class__grade").order_by("school_class", "name")
    return [Candidate(s, round(found[s.pk][0], 1), round(found[s.pk][1], 1), found[s.pk][2]) for s in students]
