"""The one scope: what a user's memberships reach, computed once per request.

Every `access.py` builds on `scope_of(user)`; nothing else reads a user's memberships. A membership is a role held
in one organisation unit (a county, a school, a class, a partner agency or a community); the scope gathers, for each role, the
ids of the units it is held in, and the counties and schools those units lie in, so an access rule reads as
"county admins see their counties, school admins their schools, head teachers their classes":

    scope = scope_of(user)
    q = Q(school__county__in=scope.counties(Role.COUNTY_ADMIN)) | Q(school__in=scope.schools(Role.SCHOOL_ADMIN))

Whether the user is also a guardian is answered by a hook the directory fills when it loads (accounts/hooks.py):
accounts sits below the directory and cannot ask it directly.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from . import hooks
from .models import Membership, Role, User


@dataclass(frozen=True)
class Grant:
    """One active membership seen through the scope: the role, its unit and where that unit lies."""

    membership: Membership
    role: Role
    county_id: int | None  # the county the unit lies in
    school_id: int | None  # the school the unit is (for a school) or lies in (for a class)
    class_id: int | None
    agency_id: int | None
    community_id: int | None = None

    @property
    def pk(self) -> int:
        return self.membership.pk


class Scope:
    """The units each role of one user reaches. Empty for anonymous users."""

    def __init__(self, user, memberships: Iterable[Membership]):
        self.user = user
        self.grants: tuple[Grant, ...] = tuple(_grant(m) for m in memberships)
        self._guardian: bool | None = None

    # --- which roles ------------------------------------------------------------------------------------------

    @property
    def authenticated(self) -> bool:
        return bool(getattr(self.user, "is_authenticated", False))

    def has(self, *roles: Role) -> bool:
        """Holds at least one of these roles (any role at all when none is named)."""
        return any(not roles or g.role in roles for g in self.grants)

    def of(self, *roles: Role) -> list[Grant]:
        """The grants of these roles, in the order they were given (oldest first)."""
        return [g for g in self.grants if g.role in roles]

    @property
    def is_staff(self) -> bool:
        return bool(self.grants)

    @property
    def is_guardian(self) -> bool:
        if self._guardian is None:
            self._guardian = self.authenticated and bool(hooks.directory.is_guardian(self.user))
        return self._guardian

    # --- which units ------------------------------------------------------------------------------------------

    def counties(self, *roles: Role) -> set[int]:
        """Counties held as a county-level role (county admin, expert, volunteer, counsellor)."""
        return {
            g.county_id for g in self.of(*roles) if g.county_id and not (g.school_id or g.agency_id or g.community_id)
        }

    def schools(self, *roles: Role) -> set[int]:
        """Schools held as a school-level role, and the schools of classes held as a class-level role."""
        return {g.school_id for g in self.of(*roles) if g.school_id}

    def whole_schools(self, *roles: Role) -> set[int]:
        """Schools held as a school-level role only (a head teacher's class does not make the school theirs)."""
        return {g.school_id for g in self.of(*roles) if g.school_id and not g.class_id}

    def classes(self, *roles: Role) -> set[int]:
        return {g.class_id for g in self.of(*roles) if g.class_id}

    def agencies(self, *roles: Role) -> set[int]:
        return {g.agency_id for g in self.of(*roles) if g.agency_id}

    def communities(self, *roles: Role) -> set[int]:
        return {g.community_id for g in self.of(*roles) if g.community_id}

    def reach_counties(self, *roles: Role) -> set[int]:
        """Every county the units of these roles lie in (a school's county, a class's, an agency's)."""
        return {g.county_id for g in self.of(*roles) if g.county_id}


def _grant(m: Membership) -> Grant:
    school_id = m.school_id
    county_id = m.county_id
    # Reading a nullable relation whose id is unset returns None without a query.
    if (school_class := m.school_class) is not None:
        school_id = school_class.school_id
        county_id = school_class.school.county_id
    elif (school := m.school) is not None:
        county_id = school.county_id
    elif (agency := m.partner_agency) is not None:
        county_id = agency.county_id
    elif (community := m.community) is not None:
        county_id = community.county_id
    return Grant(
        membership=m,
        role=Role(m.role),
        county_id=county_id,
        school_id=school_id,
        class_id=m.school_class_id,
        agency_id=m.partner_agency_id,
        community_id=m.community_id,
    )


SCOPE_ATTR = "_xieyu_scope"


def scope_of(user) -> Scope:
    """The user's scope, loaded with one query the first time it is asked for on this user object (a request)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Scope(user, ())
    cached = user.__dict__.get(SCOPE_ATTR)
    if cached is None:
        memberships = Membership.objects.filter(user=user, is_active=True).select_related(
            "county",
            "school",
            "school_class",
            "school_class__grade",
            "school_class__school",
            "partner_agency",
            "community",
        )
        cached = Scope(user, list(memberships.order_by("pk")))
        user.__dict__[SCOPE_ATTR] = cached
    return cached


def roles_held(user) -> list[str]:
    """The user's roles as "role:unit id" (what an audit row records of who acted)."""
    units = ((g.role.value, g.membership.unit) for g in scope_of(user).grants)
    return [f"{role}:{unit.pk}" if unit is not None else role for role, unit in units]


def forget_scope(user) -> None:
    """Drop the cached scope after the user's memberships changed in this request."""
    user.__dict__.pop(SCOPE_ATTR, None)


def holders(role: Role, **unit: int) -> QuerySet[User]:
    """The active users who hold `role` in one unit — holders(Role.SCHOOL_ADMIN, school_id=3) — in a stable order:
    whom a service tells when something reaches that unit."""
    ids = Membership.objects.filter(role=role, is_active=True, **unit).values("user_id")
    return User.objects.filter(pk__in=ids, is_active=True).order_by("pk")
