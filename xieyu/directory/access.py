"""The only place that knows who may see which school, class, student and guardian.

Visibility is the union over the user's active memberships plus their own children as a guardian.
Everything starts from nothing: a user with no membership and no confirmed child sees nothing.
Missing and forbidden both answer 404.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.http import Http404

from xieyu.accounts.models import Role

from .models import Guardian, Guardianship, School, SchoolClass, Student


@dataclass
class Scope:
    """The org units a user's memberships reach, by kind."""

    counties: set[int] = field(default_factory=set)
    schools: set[int] = field(default_factory=set)
    classes: set[int] = field(default_factory=set)


def _scope(user, roles: tuple[Role, ...] = (Role.COUNTY_ADMIN, Role.SCHOOL_ADMIN, Role.HEAD_TEACHER)) -> Scope:
    scope = Scope()
    if not getattr(user, "is_authenticated", False):
        return scope
    for m in user.memberships:
        if m.role not in roles:
            continue
        if m.role == Role.COUNTY_ADMIN and m.county_id:
            scope.counties.add(m.county_id)
        elif m.role == Role.SCHOOL_ADMIN and m.school_id:
            scope.schools.add(m.school_id)
        elif m.role == Role.HEAD_TEACHER and m.school_class_id:
            scope.classes.add(m.school_class_id)
    return scope


def _guardian_filter(user, prefix: str = "") -> Q:
    """Confirmed children of the user as a guardian."""
    return Q(
        **{
            f"{prefix}guardianships__guardian__user": user,
            f"{prefix}guardianships__status": Guardianship.Status.CONFIRMED,
        }
    )


def _staff_student_filter(scope: Scope) -> Q:
    q = Q(pk__in=[])
    if scope.counties:
        q |= Q(school__county__in=scope.counties)
    if scope.schools:
        q |= Q(school__in=scope.schools)
    if scope.classes:
        q |= Q(school_class__in=scope.classes)
    return q


def students_visible_to(user) -> QuerySet[Student]:
    if not getattr(user, "is_authenticated", False):
        return Student.objects.none()
    scope = _scope(user)
    staff_ids = Student.objects.filter(_staff_student_filter(scope)).values("pk")
    own_ids = Student.objects.filter(_guardian_filter(user)).values("pk")
    return Student.objects.filter(Q(pk__in=staff_ids) | Q(pk__in=own_ids))


def students_managed_by(user) -> QuerySet[Student]:
    """Students whose record the user may change: school admins and county admins only."""
    scope = _scope(user, (Role.COUNTY_ADMIN, Role.SCHOOL_ADMIN))
    if not (scope.counties or scope.schools):
        return Student.objects.none()
    return Student.objects.filter(_staff_student_filter(scope))


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


def _class_filter(scope: Scope) -> Q:
    q = Q(pk__in=[])
    if scope.counties:
        q |= Q(school__county__in=scope.counties)
    if scope.schools:
        q |= Q(school__in=scope.schools)
    if scope.classes:
        q |= Q(pk__in=scope.classes)
    return q


def classes_visible_to(user) -> QuerySet[SchoolClass]:
    """Classes whose roster the user may see (staff only; guardians see their children, not rosters)."""
    return SchoolClass.objects.filter(_class_filter(_scope(user)))


def get_class_for(user, pk) -> SchoolClass:
    school_class = classes_visible_to(user).select_related("school", "grade").filter(pk=pk).first()
    if school_class is None:
        raise Http404("class not found")
    return school_class


def schools_visible_to(user) -> QuerySet[School]:
    """Schools the user works in or oversees, and the schools of their own children."""
    if not getattr(user, "is_authenticated", False):
        return School.objects.none()
    scope = _scope(user, (Role.COUNTY_ADMIN, Role.SCHOOL_ADMIN, Role.HEAD_TEACHER, Role.TEACHER))
    q = Q(pk__in=[])
    if scope.counties:
        q |= Q(county__in=scope.counties)
    if scope.schools:
        q |= Q(pk__in=scope.schools)
    if scope.classes:
        q |= Q(classes__in=scope.classes)
    for m in user.memberships:
        if m.role == Role.TEACHER and m.school_id:
            q |= Q(pk=m.school_id)
    q |= Q(pk__in=children_of(user).values("school"))
    return School.objects.filter(q).distinct()


def schools_managed_by(user) -> QuerySet[School]:
    """Schools whose roster the user may import and export: school admins, county admins."""
    scope = _scope(user, (Role.COUNTY_ADMIN, Role.SCHOOL_ADMIN))
    q = Q(pk__in=[])
    if scope.counties:
        q |= Q(county__in=scope.counties)
    if scope.schools:
        q |= Q(pk__in=scope.schools)
    return School.objects.filter(q)


def get_school_for(user, pk, *, write: bool = False) -> School:
    qs = schools_managed_by(user) if write else schools_visible_to(user)
    school = qs.filter(pk=pk).first()
    if school is None:
        raise Http404("school not found")
    return school


def guardianships_decidable_by(user) -> QuerySet[Guardianship]:
    """Join requests the user may confirm or reject: head teachers of the class, school admins."""
    scope = _scope(user, (Role.SCHOOL_ADMIN, Role.HEAD_TEACHER))
    q = Q(pk__in=[])
    if scope.schools:
        q |= Q(student__school__in=scope.schools)
    if scope.classes:
        q |= Q(student__school_class__in=scope.classes)
    return Guardianship.objects.filter(q)


def get_guardianship_for(user, pk) -> Guardianship:
    g = guardianships_decidable_by(user).select_related("student", "guardian").filter(pk=pk).first()
    if g is None:
        raise Http404("request not found")
    return g


def guardians_visible_to(user) -> QuerySet[Guardian]:
    """Guardians of the students the user may see as staff (never other families' guardians to a parent)."""
    scope = _scope(user)
    staff_students = Student.objects.filter(_staff_student_filter(scope)).values("pk")
    q = Q(guardianships__student__in=staff_students)
    if getattr(user, "is_authenticated", False):
        q |= Q(user=user)
    return Guardian.objects.filter(q).distinct()
