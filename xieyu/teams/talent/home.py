"""The guardian home's section of the talent pool: the schools' invitations waiting for her answer (one query)."""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import reverse
from django.utils.translation import gettext as _

from xieyu.directory.home import LIMIT, HomeSection, limited

from . import access
from .models import TalentInvitation


def invitation_section(request, children: Sequence) -> HomeSection | None:
    if not children:
        return None
    rows = access.invitations_of(request.user).filter(status=TalentInvitation.Status.INVITED)[: LIMIT + 1]
    items, more = limited(rows)
    return HomeSection(
        template="teams/talent/_home_item.html", items=items, more=more, more_url=reverse("teams:talent_mine"),
        title=_("Invitations from the school"),
    )  # fmt: skip
