"""The rights' section of the home page: a guardian's link to each child's care record (when the care app holds
something about the child)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from xieyu.directory.home import LIMIT, HomeSection

from . import access


def care_records(request, children: Sequence) -> HomeSection | None:
    """One query: which of the children the care app holds something about."""
    held = access.children_with_care_records(request.user, children)
    items = [c for c in children if c.pk in held]
    if not items:
        return None
    return HomeSection(template="care/rights/_home_rights.html", items=items[:LIMIT], more=len(items) > LIMIT,
                       title=_("Your child's care record"))  # fmt: skip
