"""The bodies panels of a committee's page: members (and, for its managers, the seat forms and the history), the
charter in force, the meetings, the open action items. Each reads through access.py with a fixed number of queries."""

from __future__ import annotations

from xieyu.committees.panels import Panel

from . import access
from .forms import MemberAddForm, MemberEndForm


def members(request, committee) -> Panel:
    user = request.user
    manages = access.manages(user, committee)
    context = {
        "committee": committee,
        "members": access.current_members(committee),
        "manages": manages,
        "insider": access.insider(user, committee),
    }
    if manages:
        context["add_form"] = MemberAddForm(meetings=access.meetings_for(user, committee))
        context["end_form"] = MemberEndForm()
        context["history"] = list(access.member_history(committee)[:20])
    return Panel(template="committees/bodies/_panel_members.html", context=context)


def charter(request, committee) -> Panel:
    return Panel(
        template="committees/bodies/_panel_charter.html",
        context={"committee": committee, "current": access.current_version(committee),
                 "writes": access.writes(request.user, committee)},
    )  # fmt: skip


def meetings(request, committee) -> Panel:
    rows = list(access.meetings_for(request.user, committee)[:11])
    return Panel(
        template="committees/bodies/_panel_meetings.html",
        context={"committee": committee, "meetings": rows[:10], "more": len(rows) > 10,
                 "writes": access.writes(request.user, committee)},
    )  # fmt: skip


def actions(request, committee) -> Panel | None:
    if not access.insider(request.user, committee):
        return None
    return Panel(
        template="committees/bodies/_panel_actions.html",
        context={"committee": committee, "items": access.open_actions_of(committee)},
    )
