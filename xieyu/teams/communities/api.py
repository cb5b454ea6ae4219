"""The guardian's side of the communities (mounted at /api/v1/teams/communities): the community activities for
children near her children's schools. Registration is the events API's."""

from __future__ import annotations

import datetime

from ninja import Query, Router, Schema

from xieyu.core.api.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PageMeta, paginate

from . import access

router = Router()


class ActivityOut(Schema):
    id: int
    title: str
    community: str
    place: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    capacity: int


class ActivityPage(PageMeta):
    items: list[ActivityOut]


@router.get("/activities", response=ActivityPage, summary="Community activities near my children's schools")
def activities(request, page: int = Query(1, ge=1), page_size: int = Query(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)):
    items, meta = paginate(access.activities_near(request.auth), page, page_size)
    out = [{"id": e.pk, "title": e.title, "community": e.community.name if e.community else "", "place": e.place,
            "starts_at": e.starts_at, "ends_at": e.ends_at, "capacity": e.capacity} for e in items]  # fmt: skip
    return {**meta, "items": out}
