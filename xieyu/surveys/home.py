"""The guardian home's section: questionnaires waiting for an answer (open waves not answered nor skipped)."""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import reverse
from django.utils.translation import gettext as _

from xieyu.directory.home import HomeSection, limited

from . import access


def waiting_section(request, children: Sequence) -> HomeSection | None:
    if not children:
        return None
    rows = [i for i in access.invitations_for(request.user) if i.response is None]
    items, more = limited(rows)
    return HomeSection(template="surveys/_home_item.html", items=items, more=more, more_url=reverse("surveys:mine"),
                       title=_("Questionnaires to answer"))  # fmt: skip
