"""The guardian's home sections (drafts to co-sign in her units; answers to inquiries she signed) and the committee
page's panel (the unit's inquiries and their clocks). One or two queries each."""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xieyu.directory.home import LIMIT, HomeSection, limited

from ..panels import Panel
from . import access

PANEL_LIMIT = 10


def drafts_to_sign(request, children: Sequence) -> HomeSection | None:
    items, more = limited(access.drafts_to_sign(request.user).order_by("-created_at", "-pk")[: LIMIT + 1])
    return HomeSection(
        template="committees/inquiries/_home_draft.html",
        items=items,
        more=more,
        more_url=reverse("committees:inquiry_list") + "?state=draft",
        title=_("Inquiries gathering signatures"),
    )


def answers_signed(request, children: Sequence) -> HomeSection | None:
    items, more = limited(access.signed_answered(request.user)[: LIMIT + 1])
    return HomeSection(
        template="committees/inquiries/_home_answer.html",
        items=items,
        more=more,
        more_url=reverse("committees:inquiry_list"),
        title=_("Answers to inquiries you signed"),
    )


def committee_panel(request, committee) -> Panel | None:
    """The inquiries on the committee's unit that the user may see, newest first, with their clocks."""
    qs = access.inquiries_visible_to(request.user).filter(school=committee.school_id, level=committee.level)
    if committee.level == "grade":
        qs = qs.filter(grade=committee.grade_id)
    elif committee.level == "class":
        qs = qs.filter(school_class=committee.school_class_id)
    items = access.attach_clocks(list(access.with_related(qs).order_by("-created_at", "-pk")[: PANEL_LIMIT + 1]))
    return Panel(
        template="committees/inquiries/_panel.html",
        context={"inquiries": items[:PANEL_LIMIT], "more": len(items) > PANEL_LIMIT, "now": timezone.now()},
    )
