"""The role a user is acting in now. One person may hold several (a teacher who is also a parent).

Visibility is always the union of a user's memberships (accounts/scope.py and each app's access.py); the active role only picks
the home page and the navigation.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import Membership
from .scope import scope_of

SESSION_KEY = "active_role"
GUARDIAN = "guardian"


@dataclass(frozen=True)
class ActingRole:
    key: str  # "m<membership id>" or "guardian"
    role: str  # a Role value or "guardian"
    label: str
    membership: Membership | None = None


def roles_of(user) -> list[ActingRole]:
    """Every role the user can act in: memberships first, then guardian when they have a guardian record."""
    if not getattr(user, "is_authenticated", False):
        return []
    scope = scope_of(user)
    roles = [
        ActingRole(key=f"m{g.pk}", role=g.role, label=f"{g.membership.get_role_display()} · {g.membership.unit_name}",
                   membership=g.membership)
        for g in scope.grants
    ]  # fmt: skip
    if scope.is_guardian:
        roles.append(ActingRole(key=GUARDIAN, role=GUARDIAN, label=_("parent")))
    return roles


def active_role(request) -> ActingRole | None:
    roles = roles_of(request.user)
    if not roles:
        return None
    wanted = request.session.get(SESSION_KEY)
    for r in roles:
        if r.key == wanted:
            return r
    return roles[0]
