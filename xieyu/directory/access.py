"""The only place that knows who may see which school, class, student and guardian.

Visibility is the union over the user's active memberships plus their own children as a guardian.
Everything starts from nothing: a user with no membership and no confirmed child sees nothing.
Missing and forbidden both answer 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from django.db.models import (
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
    Sum,
)
from django.db.models.functions import Cast, Coalesce, NullIf
from django.http import Http404

from xieyu.accounts.models import Membership, Role
from xieyu.accounts.scope import scope_of
from xieyu.audit.models import AccessEvent

from .models import ClassHistory, Grade, Guardian, Guardianship, RosterImport, School, SchoolClass, SchoolTally, Student

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

STAFF_ROLES = (Role.COUNTY_ADMIN, Role.SCHOOL_ADMIN, Role.HEAD_TEACHER)
MANAGER_ROLES = (Role.COUNTY_ADMIN, Role.SCHOOL_ADMIN)


def _units_q(user, roles: tuple[Role, ...], *, county: str, school: str, school_class: str | None) -> Q:
    """Rows whose county / school / class lies in what these roles of the user reach (nothing by default)."""
    scope = scope_of(user)
    q = Q(pk__in=[])
    if counties := scope.counties(*roles):
        q |= Q(**{f"{county}__in": counties})
    if schools := scope.whole_schools(*roles):
        q |= Q(**{f"{school}__in": schools})
    if classes := scope.classes(*roles):
        q |= Q(**{f"{school_class}__in": classes}) if school_class else Q(**{f"{school}__in": scope.schools(*roles)})
    return q


def _guardian_filter(user, prefix: str = "") -> Q:
    """Confirmed children of the user as a guardian."""
    return Q(
        **{
            f"{prefix}guardianships__guardian__user": user,
            f"{prefix}guardianships__status": Guardianship.Status.CONFIRMED,
        }
    )


def _staff_student_filter(user, roles: tuple[Role, ...] = STAFF_ROLES) -> Q:
    return _units_q(user, roles, county="school__county", school="school", school_class="school_class")


def students_visible_to(user) -> QuerySet[Student]:
    if not getattr(user, "is_authenticated", False):
        return Student.objects.none()
    staff_ids = Student.objects.filter(_staff_student_filter(user)).values("pk")
    own_ids = Student.objects.filter(_guardian_filter(user)).values("pk")
    return Student.objects.filter(Q(pk__in=staff_ids) | Q(pk__in=own_ids))


def students_managed_by(user) -> QuerySet[Student]:
    """Students whose record the user may change: school admins and county admins only."""
    if not scope_of(user).has(*MANAGER_ROLES):
        return Student.objects.none()
    return Student.objects.filter(_staff_student_filter(user, MANAGER_ROLES))


def get_student_for(user, pk, *, write: bool = False) -> Student:
    qs = students_managed_by(user) if write else students_visible_to(user)
    student = qs.select_related("school", "school_class", "school_class__grade").filter(pk=pk).first()
    if student is None:
        raise Http404("student not found")
    return student


def children_of(user) -> QuerySet[Student]:
    """The user's own confirmed children, as a guardian."""
    if not getattr(user, "is_authenticated", False):
        return Student.objects.none()
    return Student.objects.filter(_guardian_filter(user))


def classes_visible_to(user) -> QuerySet[SchoolClass]:
    """Classes whose roster the user may see (staff only; guardians see their children, not rosters)."""
    return SchoolClass.objects.filter(
        _units_q(user, STAFF_ROLES, county="school__county", school="school", school_class="pk")
    )


def get_class_for(user, pk) -> SchoolClass:
    school_class = classes_visible_to(user).select_related("school", "grade").filter(pk=pk).first()
    if school_class is None:
        raise Http404("class not found")
    return school_class


def schools_visible_to(user) -> QuerySet[School]:
    """Schools the user works in or oversees, and the schools of their own children."""
    if not getattr(user, "is_authenticated", False):
        return School.objects.none()
    q = _units_q(user, (*STAFF_ROLES, Role.TEACHER), county="county", school="pk", school_class=None)
    q |= Q(pk__in=children_of(user).values("school"))
    return School.objects.filter(q)


def schools_managed_by(user) -> QuerySet[School]:
    """Schools whose roster the user may import and export: school admins, county admins."""
    return School.objects.filter(_units_q(user, MANAGER_ROLES, county="county", school="pk", school_class=None))


def decides_joins(user) -> bool:
    """Head teachers and school admins decide join requests."""
    return scope_of(user).has(Role.HEAD_TEACHER, Role.SCHOOL_ADMIN)


def classes_led_by(user) -> list[SchoolClass]:
    """The classes the user is head teacher of, oldest membership first (from the scope: no query)."""
    return [sc for g in scope_of(user).of(Role.HEAD_TEACHER) if (sc := g.membership.school_class) is not None]


def oversees_county(user, county_id: int | None = None) -> bool:
    """Is the user a county admin (of this county, when one is named)?"""
    counties = scope_of(user).counties(Role.COUNTY_ADMIN)
    return county_id in counties if county_id is not None else bool(counties)


def get_school_for(user, pk, *, write: bool = False) -> School:
    qs = schools_managed_by(user) if write else schools_visible_to(user)
    school = qs.filter(pk=pk).first()
    if school is None:
        raise Http404("school not found")
    return school


def guardianships_decidable_by(user) -> QuerySet[Guardianship]:
    """Join requests the user may confirm or reject: head teachers of the class, school admins."""
    roles = (Role.SCHOOL_ADMIN, Role.HEAD_TEACHER)
    return Guardianship.objects.filter(
        _units_q(
            user,
            roles,
            county="student__school__county",
            school="student__school",
            school_class="student__school_class",
        )
    )


def get_guardianship_for(user, pk) -> Guardianship:
    g = guardianships_decidable_by(user).select_related("student", "guardian").filter(pk=pk).first()
    if g is None:
        raise Http404("request not found")
    return g


def guardians_visible_to(user) -> QuerySet[Guardian]:
    """Guardians of the students the user may see as staff (never other families' guardians to a parent)."""
    staff_students = Student.objects.filter(_staff_student_filter(user)).values("pk")
    q = Q(guardianships__student__in=staff_students)
    if getattr(user, "is_authenticated", False):
        q |= Q(user=user)
    return Guardian.objects.filter(q).distinct()


# --- Read helpers for the pages by role and the JSON API ------------------------------------------------------
#
# A family has "joined" when at least one of the child's confirmed guardians has a user account. A family with no
# confirmed guardian phone at all is reached on paper and by home visits. Every figure below is one query, whatever
# the size of the school or county: counts are subqueries and aggregates, never per-row queries.


def _joined(student_ref: str = "pk") -> Exists:
    return Exists(
        Guardianship.objects.filter(
            student=OuterRef(student_ref), status=Guardianship.Status.CONFIRMED, guardian__user__isnull=False
        )
    )


def _reachable_by_phone(student_ref: str = "pk") -> Exists:
    return Exists(
        Guardianship.objects.filter(
            student=OuterRef(student_ref), status=Guardianship.Status.CONFIRMED, guardian__phone__isnull=False
        ).exclude(guardian__phone="")
    )


def _join_pending(student_ref: str = "pk") -> Exists:
    return Exists(Guardianship.objects.filter(student=OuterRef(student_ref), status=Guardianship.Status.PENDING))


def _enrolled_count(outer_field: str, *, joined_only: bool = False) -> Coalesce:
    """Enrolled students whose `outer_field` is the outer row, optionally only those whose family joined."""
    qs = Student.objects.filter(status=Student.Status.ENROLLED, **{outer_field: OuterRef("pk")})
    if joined_only:
        qs = qs.filter(_joined())
    counted = qs.order_by().values(outer_field).annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _joined_rate() -> ExpressionWrapper:
    """joined_count / students_count as a fraction; NULL for an empty unit (sorted first: nothing joined)."""
    return ExpressionWrapper(
        Cast(F("joined_count"), FloatField()) / NullIf(F("students_count"), 0), output_field=FloatField()
    )


class HeadTeacherName(TypedDict):
    """What `.annotate(head_teacher_name=_head_teacher_name(...))` adds to a student or a class."""

    head_teacher_name: str | None


def _head_teacher_name(class_ref: str) -> Subquery:
    return Subquery(
        Membership.objects.filter(role=Role.HEAD_TEACHER, is_active=True, school_class=OuterRef(class_ref))
        .order_by("pk")
        .values("user__name")[:1]
    )


def _totals(students: QuerySet[Student]) -> dict[str, int]:
    """Enrolled students, joined families and families without any phone, in one query."""
    counts = (
        students.filter(status=Student.Status.ENROLLED)
        .annotate(is_joined=_joined(), has_phone=_reachable_by_phone())
        .aggregate(
            students=Count("pk"),
            joined=Count("pk", filter=Q(is_joined=True)),
            no_phone=Count("pk", filter=Q(has_phone=False)),
        )
    )
    counts["not_joined"] = counts["students"] - counts["joined"]
    return counts


def children_overview(user) -> QuerySet[WithAnnotations[Student, HeadTeacherName]]:
    """The user's own confirmed children with school, class and the class's head teacher's name."""
    return (
        children_of(user)
        .select_related("school", "school_class", "school_class__grade")
        .annotate(head_teacher_name=_head_teacher_name("school_class"))
        .order_by("birth_date", "pk")
    )


def join_requests_of(user) -> QuerySet[Guardianship]:
    """The user's own join requests still awaiting a head teacher's confirmation."""
    if not getattr(user, "is_authenticated", False):
        return Guardianship.objects.none()
    return (
        Guardianship.objects.filter(guardian__user=user, status=Guardianship.Status.PENDING)
        .select_related("student", "student__school", "student__school_class", "student__school_class__grade")
        .order_by("-created_at")
    )


def class_roster(school_class: SchoolClass, *, show: str = "all") -> QuerySet[Student]:
    """The enrolled students of a class that came from get_class_for, families not yet joined first.

    show: "all", "not_joined" or "no_phone". Each student carries is_joined, has_phone, join_pending and
    `guardians_confirmed` (confirmed guardianships with their guardian, primary carer first): two queries a page.
    """
    qs = (
        Student.objects.filter(school_class=school_class, status=Student.Status.ENROLLED)
        .annotate(is_joined=_joined(), has_phone=_reachable_by_phone(), join_pending=_join_pending())
        .prefetch_related(
            Prefetch(
                "guardianships",
                queryset=Guardianship.objects.filter(status=Guardianship.Status.CONFIRMED)
                .select_related("guardian")
                .order_by("-is_primary_carer", "pk"),
                to_attr="guardians_confirmed",
            )
        )
        .order_by("is_joined", "student_number", "pk")
    )
    if show == "not_joined":
        qs = qs.filter(is_joined=False)
    elif show == "no_phone":
        qs = qs.filter(has_phone=False)
    return qs


def class_roster_totals(school_class: SchoolClass) -> dict[str, int]:
    """Counts for a class that came from get_class_for."""
    return _totals(Student.objects.filter(school_class=school_class))


def schools_overseen_by(user) -> QuerySet[School]:
    """Schools whose overview (classes, joined rates) the user may see: their school admins and county admins."""
    return schools_managed_by(user)


def get_school_overseen_by(user, pk) -> School:
    school = schools_overseen_by(user).select_related("county").filter(pk=pk).first()
    if school is None:
        raise Http404("school not found")
    return school


def school_classes_overview(user, school: School) -> QuerySet[SchoolClass]:
    """The school's classes the user may see, with head teacher, enrolled students, joined families and rate."""
    return (
        classes_visible_to(user)
        .filter(school=school)
        .select_related("grade")
        .annotate(
            head_teacher_name=_head_teacher_name("pk"),
            students_count=_enrolled_count("school_class"),
            joined_count=_enrolled_count("school_class", joined_only=True),
        )
        .annotate(joined_rate=_joined_rate())
        .order_by("grade__level", "name", "pk")
    )


def school_totals(school: School) -> dict[str, int]:
    """Counts for a school that came from get_school_overseen_by."""
    return _totals(Student.objects.filter(school=school))


def grades_of(school: School) -> QuerySet[Grade]:
    """Grades of a school that came from an access helper (for the add-class form)."""
    return Grade.objects.filter(school=school).order_by("level")


def county_schools_overview(user, county_id: int) -> QuerySet[School]:
    """The county's schools the user oversees, with enrolled students, joined families (from their tallies) and
    rate; lowest first."""
    return (
        schools_overseen_by(user)
        .filter(county=county_id)
        .annotate(students_count=Coalesce(F("tally__students"), 0), joined_count=Coalesce(F("tally__joined"), 0))
        .annotate(joined_rate=_joined_rate())
        .order_by(F("joined_rate").asc(nulls_first=True), "name", "pk")
    )


def county_totals(user, county_id: int) -> dict[str, int]:
    """The county's counts from its schools' tallies (directory/tallies.py): one query over one row per school."""
    counts = SchoolTally.objects.filter(school__in=schools_overseen_by(user).filter(county=county_id)).aggregate(
        students=Coalesce(Sum("students"), 0), joined=Coalesce(Sum("joined"), 0), no_phone=Coalesce(Sum("no_phone"), 0)
    )
    counts["not_joined"] = counts["students"] - counts["joined"]
    return counts


def schools_overview_for(user) -> QuerySet[School]:
    """Every school visible to the user, with counts (the caller shows them only where the user is staff)."""
    return (
        schools_visible_to(user)
        .select_related("county")
        .annotate(
            students_count=_enrolled_count("school"),
            joined_count=_enrolled_count("school", joined_only=True),
        )
        .annotate(joined_rate=_joined_rate())
        .order_by("county_id", "name", "pk")
    )


def staff_school_test(user, *, overseen_only: bool = False):
    """A predicate school -> bool: does the user work in this school (county admin, school admin, head teacher,
    teacher), or with overseen_only, oversee it (county admin, school admin)? No query: the scope only."""
    scope = scope_of(user)
    roles = MANAGER_ROLES if overseen_only else (*MANAGER_ROLES, Role.HEAD_TEACHER, Role.TEACHER)
    counties, schools = scope.counties(*roles), scope.schools(*roles)
    return lambda school: school.county_id in counties or school.pk in schools


def get_class_overview_for(user, pk) -> WithAnnotations[SchoolClass, HeadTeacherName]:
    """A class through the same rule as get_class_for, with its school, grade and head teacher's name."""
    school_class = (
        classes_visible_to(user)
        .select_related("school", "grade")
        .annotate(head_teacher_name=_head_teacher_name("pk"))
        .filter(pk=pk)
        .first()
    )
    if school_class is None:
        raise Http404("class not found")
    return school_class


def is_staff_for_student(user, student: Student) -> bool:
    """Does the user reach this student through a staff membership (county admin, school admin, head teacher), not
    only as the child's guardian? Staff see full phones and the access log. Cached on the student object."""
    known = student.__dict__.get("viewer_is_staff")
    if known is None:
        known = Student.objects.filter(_staff_student_filter(user), pk=student.pk).exists()
        student.__dict__["viewer_is_staff"] = known
    return bool(known)


def student_guardianships(user, student: Student) -> list[Guardianship]:
    """A visible student's guardians, primary carer first: staff also see join requests awaiting confirmation."""
    statuses = [Guardianship.Status.CONFIRMED]
    if is_staff_for_student(user, student):
        statuses.append(Guardianship.Status.PENDING)
    return list(
        Guardianship.objects.filter(student=student, status__in=statuses)
        .select_related("guardian")
        .order_by("-is_primary_carer", "pk")
    )


def student_class_history(student: Student, limit: int = 50) -> list[ClassHistory]:
    """A visible student's moves, newest first."""
    return list(
        ClassHistory.objects.filter(student=student)
        .select_related(
            "from_class", "from_class__grade", "from_class__school", "to_class", "to_class__grade", "to_class__school"
        )
        .order_by("-moved_at", "-pk")[:limit]
    )


def student_access_log(user, student: Student, limit: int = 20) -> list[AccessEvent]:
    """Who read this student's record, newest first: for staff only (others get an empty list)."""
    if not is_staff_for_student(user, student):
        return []
    return list(
        AccessEvent.objects.filter(target_type=Student._meta.label_lower, target_id=str(student.pk))
        .select_related("actor")
        .order_by("-at", "-pk")[:limit]
    )


def pending_join_requests_decidable_by(user) -> QuerySet[Guardianship]:
    """Join requests awaiting the user's decision, oldest first, each student carrying `confirmed_guardianships`
    (for the join-requests page: who already cares for the child)."""
    confirmed = Guardianship.objects.filter(status=Guardianship.Status.CONFIRMED).select_related("guardian")
    return (
        guardianships_decidable_by(user)
        .filter(status=Guardianship.Status.PENDING)
        .select_related("student__school_class__grade", "student__school", "guardian")
        .prefetch_related(Prefetch("student__guardianships", queryset=confirmed, to_attr="confirmed_guardianships"))
        .order_by("created_at", "pk")
    )


# --- Roster imports (roster/) ---------------------------------------------------------------------------------


def imports_visible_to(user) -> QuerySet[RosterImport]:
    """Imports of the schools whose roster the user manages (school admins, county admins)."""
    return RosterImport.objects.filter(school__in=schools_managed_by(user)).defer("file_data", "parsed_rows")


def get_import_for(user, pk) -> RosterImport:
    """One import of a school the user manages; 404 alike for missing and not theirs."""
    roster_import = imports_visible_to(user).select_related("school", "uploaded_by").filter(pk=pk).first()
    if roster_import is None:
        raise Http404("import not found")
    return roster_import
