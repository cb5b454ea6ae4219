"""The visits API (mounted at /api/v1/burden/visits): a guardian reads the published minutes of the 双减 meetings of
her children's classes and schools. Visit records are not in the API (sensitive: staff pages only)."""

from __future__ import annotations

import datetime

from ninja import Query, Router, Schema

from xieyu.core.api.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PageMeta, paginate

from . import access

router = Router()


class MinutesOut(Schema):
    event_id: int
    title: str
    kind: str
    kind_label: str
    school: str
    starts_at: datetime.datetime
    raised: list[str]
    changes: list[str]
    published_at: datetime.datetime


class MinutesPage(PageMeta):
    items: list[MinutesOut]


def _out(m) -> dict:
    e = m.event
    return {"event_id": e.pk, "title": e.title, "kind": e.kind, "kind_label": str(e.get_kind_display()),
            "school": e.school.name if e.school else "", "starts_at": e.starts_at, "raised": m.raised,
            "changes": m.changes, "published_at": m.published_at}  # fmt: skip


@router.get(
    "/meetings",
    response=MinutesPage,
    summary="Minutes of double reduction meetings of my children's classes and schools",
)
def meetings(request, page: int = Query(1, ge=1), page_size: int = Query(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)):
    items, meta = paginate(access.published_minutes_for_guardian(request.auth), page, page_size)
    return {**meta, "items": [_out(m) for m in items]}


@router.get("/meetings/{int:id}", response=MinutesOut, summary="The minutes of one meeting (by its event id)")
def meeting(request, id: int):
    return _out(access.get_published_minutes_for_guardian(request.auth, id))
