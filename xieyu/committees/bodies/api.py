"""The guardian's side of the committees (mounted at /api/v1/committees): her committees with their members, a
committee's charter in force, and its published minutes with resolutions and action items. The same rules as the
pages: a committee the caller may not see answers 404 like a missing one."""

from __future__ import annotations

import datetime

from ninja import Query, Router, Schema

from xieyu.core.api.errors import also_answers
from xieyu.core.api.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PageMeta, paginate

from . import access

router = Router()


class MemberOut(Schema):
    name: str
    role: str
    role_label: str
    term_start: datetime.date
    term_end: datetime.date


class CommitteeOut(Schema):
    id: int
    name: str
    level: str
    school: str
    members: list[MemberOut]
    my_role: str | None
    charter_version: int | None


class CommitteePage(PageMeta):
    items: list[CommitteeOut]


class CharterOut(Schema):
    committee_id: int
    version: int | None
    text: str
    adopted_at: datetime.datetime | None
    adopted_by_meeting_id: int | None


class ResolutionOut(Schema):
    number: int
    text: str
    votes_for: int
    votes_against: int
    votes_abstain: int
    passed: bool


class ActionOut(Schema):
    text: str
    owner: str
    due_on: datetime.date
    done: bool


class MinutesOut(Schema):
    id: int
    title: str
    starts_at: datetime.datetime
    place: str
    agenda: str
    minutes: str
    published_at: datetime.datetime | None
    resolutions: list[ResolutionOut]
    actions: list[ActionOut]


class MinutesPage(PageMeta):
    items: list[MinutesOut]


def _member(m) -> dict:
    return {"name": m.guardian.name, "role": m.role, "role_label": str(m.get_role_display()),
            "term_start": m.term_start, "term_end": m.term_end}  # fmt: skip


@router.get("/mine", response=CommitteePage, summary="The committees of my children's school, grades and classes")
def mine(request, page: int = Query(1, ge=1), page_size: int = Query(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)):
    items, meta = paginate(access.guardian_committees(request.auth), page, page_size)
    charters = access.current_versions_of([c.pk for c in items])
    seats = {s.committee_id: s.role for s in access.open_seats(request.auth)}
    out = []
    for c in items:
        members = sorted(c.current_members, key=lambda m: (access.ROLE_ORDER.get(m.role, 9), m.pk))
        version = charters.get(c.pk)
        out.append({"id": c.pk, "name": c.name, "level": c.level, "school": c.school.name,
                    "members": [_member(m) for m in members], "my_role": seats.get(c.pk),
                    "charter_version": version.number if version else None})  # fmt: skip
    return {**meta, "items": out}


@router.get("/{int:id}/charter", response=CharterOut, summary="A committee's charter in force",
            openapi_extra=also_answers(404))  # fmt: skip
def charter(request, id: int):
    committee = access.get_committee_for_page(request.auth, id)
    v = access.current_version(committee)
    return {"committee_id": committee.pk, "version": v.number if v else None, "text": v.text if v else "",
            "adopted_at": v.adopted_at if v else None,
            "adopted_by_meeting_id": v.resolution.meeting_id if v and v.resolution else None}  # fmt: skip


@router.get("/{int:id}/minutes", response=MinutesPage, summary="A committee's published minutes, newest first",
            openapi_extra=also_answers(404))  # fmt: skip
def minutes(
    request, id: int, page: int = Query(1, ge=1), page_size: int = Query(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
):
    committee = access.get_committee_for_page(request.auth, id)
    qs = access.published_minutes_of([committee.pk]).prefetch_related("resolutions", "action_items")
    items, meta = paginate(qs, page, page_size)
    out = [
        {"id": m.pk, "title": m.title, "starts_at": m.starts_at, "place": m.place, "agenda": m.agenda,
         "minutes": m.minutes, "published_at": m.minutes_published_at,
         "resolutions": [{"number": r.number, "text": r.text, "votes_for": r.votes_for,
                          "votes_against": r.votes_against, "votes_abstain": r.votes_abstain, "passed": r.passed}
                         for r in sorted(m.resolutions.all(), key=lambda r: r.number)],
         "actions": [{"text": a.text, "owner": a.owner_name, "due_on": a.due_on, "done": a.done_at is not None}
                     for a in sorted(m.action_items.all(), key=lambda a: (a.due_on, a.pk))]}
        for m in items
    ]  # fmt: skip
    return {**meta, "items": out}
