"""The guardian home's section for committee members: the next meetings of her committees and the actions due to
her (two queries; nothing for a guardian without a seat)."""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import reverse
from django.utils.translation import gettext as _

from xieyu.directory.home import LIMIT, HomeSection

from . import access


def member_section(request, children: Sequence) -> HomeSection | None:
    user = request.user
    if not access.open_seats(user):
        return None
    items = [{"kind": "meeting", "meeting": m} for m in access.next_meetings_for_member(user, LIMIT)]
    items += [{"kind": "action", "action": a} for a in access.actions_due_to(user, LIMIT)]
    return HomeSection(
        template="committees/bodies/_home_item.html",
        items=items[: LIMIT * 2],
        more_url=reverse("committees:mine"),
        title=_("My parent committee"),
    )
