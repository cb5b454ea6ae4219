"""Navigation by acting role: (label, url name). Each domain adds its entries here."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

NAV = {
    "guardian": [(_("Home"), "home")],
    "head_teacher": [(_("Home"), "home"), (_("Join requests"), "directory:join_requests")],
    "school_admin": [
        (_("Home"), "home"),
        (_("Join requests"), "directory:join_requests"),
        (_("Roster import"), "directory:roster_import"),
    ],
    "county_admin": [(_("Home"), "home")],
}
DEFAULT = [(_("Home"), "home")]


def nav_items(acting) -> list[tuple[str, str]]:
    items = NAV.get(acting.role, DEFAULT) if acting else DEFAULT
    out = []
    for label, name in items:
        try:
            out.append((label, reverse(name)))
        except NoReverseMatch:
            continue
    return out
