"""The guardian's home section "本学期评议" and the committee page's panel with the school's latest results."""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import reverse
from django.utils.translation import gettext as _

from xieyu.committees.panels import Panel
from xieyu.directory.home import HomeSection, limited

from . import access
from .models import SECTIONS, Section


def open_appraisals(request, children: Sequence) -> HomeSection | None:
    items, more = limited(i for i in access.open_for_guardian(request.user) if not i.answered)
    if not items:
        return None
    return HomeSection(
        template="committees/appraisals/_home_appraisal.html", items=items, more=more,
        more_url=reverse("committees:appraisal_family"), title=_("This term's appraisal"),
    )  # fmt: skip


def committee_panel(request, committee) -> Panel | None:
    if committee.level != committee.Level.SCHOOL:
        return None
    appraisal = access.latest_results_of_school(committee.school_id)
    if appraisal is None:
        return None
    return Panel(
        template="committees/appraisals/_panel.html",
        context={"appraisal": appraisal, "results": appraisal.results,
                 "sections": [(s, Section(s).label) for s in SECTIONS]},
    )  # fmt: skip
