"""The home page's sections, filled by the apps above the directory.

The directory sits below notices, events and questions in the layers (`make lint`), so its home view never imports
them. Each of them registers its sections here from its AppConfig.ready instead: a provider
`(request, children) -> HomeSection | None` reads through its own access.py (one or two queries, whatever the
history: it fetches at most `limit + 1` rows and links to the full list for the rest) and names the small template
that renders its items. The home page shows the sections of a role in three groups, in this order: what needs the
user's action, what is coming, what happened lately.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from .access import join_requests_of

ACTION, COMING, RECENT, INBOX = "action", "coming", "recent", "inbox"
GROUPS = (ACTION, COMING, RECENT, INBOX)
GUARDIAN, STAFF = "guardian", "staff"
LIMIT = 5  # items shown per section; the rest are one tap away on the section's own list page


@dataclass
class HomeSection:
    """What one provider shows: its items (at most LIMIT), whether there are more, and where the full list is."""

    template: str
    items: Sequence[Any] = ()
    more: bool = False
    more_url: str = ""
    title: str = ""
    empty_text: str = ""  # what to do when there is nothing here yet
    empty_url: str = ""
    empty_link: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    name: str = ""
    group: str = ""


@dataclass
class HomeGroup:
    """One group of a home page: its sections in order; `filled` are those with something to show."""

    name: str
    sections: list[HomeSection] = field(default_factory=list)

    @property
    def filled(self) -> list[HomeSection]:
        return [s for s in self.sections if s.items]

    @property
    def hints(self) -> list[HomeSection]:
        """The sections that say what to do when they are empty (shown when the whole group is)."""
        return [s for s in self.sections if s.empty_url]


Provider = Callable[[Any, Sequence[Any]], "HomeSection | None"]


@dataclass(frozen=True)
class _Registered:
    name: str
    group: str
    order: int
    audience: str
    provider: Provider


_registry: dict[str, _Registered] = {}


def register_home_section(name: str, *, group: str, order: int, provider: Provider, audience: str = GUARDIAN) -> None:
    """Add (or replace, on a second registration by the same name) one section of a home page."""
    if group not in GROUPS:
        raise ValueError(f"unknown home group {group!r}")
    if audience not in (GUARDIAN, STAFF):
        raise ValueError(f"unknown home audience {audience!r}")
    _registry[name] = _Registered(name, group, order, audience, provider)


# The home page of a role whose tools live in an app above the directory (a counsellor's, a partner's): that app
# registers a view `(request, acting) -> HttpResponse` for the role from its AppConfig.ready.
_role_homes: dict[str, Callable[[Any, Any], Any]] = {}


def register_role_home(role: str, view: Callable[[Any, Any], Any]) -> None:
    _role_homes[role] = view


def role_home(role: str) -> Callable[[Any, Any], Any] | None:
    return _role_homes.get(role)


def limited(rows: Iterable[Any], limit: int = LIMIT) -> tuple[list[Any], bool]:
    """The first `limit` of `limit + 1` rows fetched, and whether there were more."""
    rows = list(rows)
    return rows[:limit], len(rows) > limit


def home_sections(request, children: Sequence[Any], *, audience: str = GUARDIAN) -> dict[str, HomeGroup]:
    """The sections for this home, by group, each group in its registered order (empty sections included: the
    page shows their hints when the whole group is empty)."""
    groups = {g: HomeGroup(g) for g in GROUPS}
    for entry in sorted(_registry.values(), key=lambda e: (e.order, e.name)):
        if entry.audience != audience:
            continue
        section = entry.provider(request, children)
        if section is None:
            continue
        section.name, section.group = entry.name, entry.group
        groups[entry.group].sections.append(section)
    return groups


def join_requests_section(request, children: Sequence[Any]) -> HomeSection:
    """The directory's own section: the user's join requests still awaiting the head teacher (one query)."""
    items, more = limited(join_requests_of(request.user)[: LIMIT + 1])
    return HomeSection(
        template="directory/_home_join_request.html",
        items=items,
        more=more,
        title=_("Your join request is awaiting the head teacher's confirmation."),
    )
