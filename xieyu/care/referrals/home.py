"""The guardian's home section: consents asked of them that they have not answered yet (one query)."""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import reverse
from django.utils.translation import gettext as _

from xieyu.directory.home import LIMIT, HomeSection, limited

from . import access


def consents_awaiting(request, children: Sequence) -> HomeSection:
    items, more = limited(access.consents_awaiting(request.user).order_by("-requested_at")[: LIMIT + 1])
    return HomeSection(
        template="care/referrals/_home_consent.html",
        items=items,
        more=more,
        more_url=reverse("care:consent_list"),
        title=_("Consents asked of you"),
    )
