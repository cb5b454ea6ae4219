"""The guardian home's section of community activities: the coming activities for children of the communities in
the towns of her children's schools (one query; nothing when there is none)."""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import reverse
from django.utils.translation import gettext as _

from xieyu.directory.home import LIMIT, HomeSection, limited

from . import access


def community_section(request, children: Sequence) -> HomeSection | None:
    if not children:
        return None
    items, more = limited(access.activities_near(request.user)[: LIMIT + 1])
    return HomeSection(
        template="teams/communities/_home_item.html", items=items, more=more,
        more_url=reverse("teams:community_activities"), title=_("Community activities"),
    )  # fmt: skip
