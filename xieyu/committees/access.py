"""Who may see or act on which committee — the core every subdomain's access.py builds on.

A guardian belongs to the units of her confirmed, enrolled children: their school, grade and class. She sees the
committees of those units and sits only on those. Staff see the committees of the units their roles reach (a head
teacher: her class's and her school's; a school admin: all of her school's; a county admin: the county's).
Missing and forbidden both answer 404.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from xieyu.accounts.models import Role
from xieyu.accounts.scope import scope_of
from xieyu.directory.models import Guardian, Guardianship, Student

from .models import Committee, Member

MANAGER_ROLES = (Role.COUNTY_ADMIN, Role.SCHOOL_ADMIN)


@dataclass(frozen=True)
class Units:
    """The school, grade and class ids a guardian belongs to through her children."""

    schools: frozenset[int]
    grades: frozenset[int]
    classes: frozenset[int]

    def __bool__(self) -> bool:
        return bool(self.schools)


def guardian_units(user) -> Units:
    """One query; cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return Units(frozenset(), frozenset(), frozenset())
    cached = getattr(user, "_committee_units", None)
    if cached is not None:
        return cached
    rows = list(
        Student.objects.filter(
            guardianships__guardian__user=user,
            guardianships__status=Guardianship.Status.CONFIRMED,
            status=Student.Status.ENROLLED,
            school_class__isnull=False,
        ).values_list("school_id", "school_class__grade_id", "school_class_id")
    )
    units = Units(frozenset(r[0] for r in rows), frozenset(r[1] for r in rows), frozenset(r[2] for r in rows))
    user._committee_units = units
    return units


def guardian_of(user) -> Guardian | None:
    """The user's guardian record, if she is one."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Guardian.objects.filter(user=user).first()


def unit_q(units: Units, prefix: str = "") -> Q:
    """Committees (or rows with a committee at `prefix`) of these units."""
    p = prefix
    return (
        Q(**{f"{p}level": Committee.Level.SCHOOL, f"{p}school__in": units.schools})
        | Q(**{f"{p}level": Committee.Level.GRADE, f"{p}grade__in": units.grades})
        | Q(**{f"{p}level": Committee.Level.CLASS, f"{p}school_class__in": units.classes})
    )


def staff_q(
    user, prefix: str = "", roles: tuple[Role, ...] = (Role.COUNTY_ADMIN, Role.SCHOOL_ADMIN, Role.HEAD_TEACHER)
) -> Q:
    """Committees (at `prefix`) in the units these staff roles of the user reach; a head teacher reaches her class's
    committee and her school's own."""
    scope = scope_of(user)
    p = prefix
    q = Q(pk__in=[]) if not p else Q(**{f"{p}pk__in": []})
    if counties := scope.counties(*roles):
        q |= Q(**{f"{p}county__in": counties})
    if schools := scope.whole_schools(*roles):
        q |= Q(**{f"{p}school__in": schools})
    if Role.HEAD_TEACHER in roles and (classes := scope.classes(Role.HEAD_TEACHER)):
        q |= Q(**{f"{p}school_class__in": classes})
        q |= Q(**{f"{p}level": Committee.Level.SCHOOL, f"{p}school__in": scope.schools(Role.HEAD_TEACHER)})
    return q


def committees_visible_to(user) -> QuerySet[Committee]:
    if not getattr(user, "is_authenticated", False):
        return Committee.objects.none()
    q = staff_q(user)
    if units := guardian_units(user):
        q |= unit_q(units)
    return Committee.objects.filter(q)


def committees_managed_by(user) -> QuerySet[Committee]:
    """Committees whose members and terms the user may change: the school's admin or the county's."""
    if not getattr(user, "is_authenticated", False):
        return Committee.objects.none()
    return Committee.objects.filter(staff_q(user, roles=MANAGER_ROLES))


def get_committee_for(user, pk, *, write: bool = False) -> Committee:
    qs = committees_managed_by(user) if write else committees_visible_to(user)
    committee = qs.filter(pk=pk).first()
    if committee is None:
        raise Http404("committee not found")
    return committee


def seats_of(user) -> QuerySet[Member]:
    """The user's open seats, as a guardian, on committees of units she still belongs to."""
    if not getattr(user, "is_authenticated", False):
        return Member.objects.none()
    return (
        Member.objects.filter(guardian__user=user, ended_at__isnull=True)
        .filter(unit_q(guardian_units(user), prefix="committee__"))
        .select_related("committee")
    )
