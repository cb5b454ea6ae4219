"""The notices' sections of the home page (registered with the directory's home in apps.py)."""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import reverse
from django.utils.translation import gettext as _

from xieyu.directory.home import LIMIT, HomeSection, limited

from . import access


def _label_children(deliveries, children: Sequence) -> None:
    """Each delivery's `child_names`: the user's children in the class the notice reached them for."""
    by_class: dict[int, list[str]] = {}
    for child in children:
        by_class.setdefault(child.school_class_id, []).append(child.name)
    for d in deliveries:
        d.child_names = "、".join(by_class.get(d.school_class_id, []))


def to_answer(request, children: Sequence) -> HomeSection:
    items, more = limited(access.needing_response(request.user, LIMIT + 1))
    _label_children(items, children)
    return HomeSection(
        template="notices/_home_to_answer.html",
        items=items,
        more=more,
        more_url=reverse("notices:inbox"),
        title=_("Notices to confirm or answer"),
    )


def recent(request, children: Sequence) -> HomeSection:
    items, more = limited(access.recent_notices(request.user, LIMIT + 1))
    _label_children(items, children)
    return HomeSection(
        template="notices/_home_recent.html",
        items=items,
        more=more,
        more_url=reverse("notices:inbox"),
        title=_("Latest notices"),
        empty_text=_("No notice yet: the school's notices will appear here."),
        empty_url=reverse("notices:inbox"),
        empty_link=_("All notices"),
    )


def inbox(request, children: Sequence) -> HomeSection:
    """A member of staff's own inbox: the notices that reached them (unread first)."""
    items, more = limited(access.inbox_for(request.user)[: LIMIT + 1])
    return HomeSection(
        template="notices/_home_recent.html",
        items=items,
        more=more,
        more_url=reverse("notices:inbox"),
        title=_("Notices for me"),
        empty_text=_("No notice has reached you yet."),
        empty_url=reverse("notices:inbox"),
        empty_link=_("All notices"),
    )
