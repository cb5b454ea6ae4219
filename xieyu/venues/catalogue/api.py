"""The catalogue API (mounted at /api/v1/venues): the venues the caller may see, filtered by theme, town and type, and
one venue with its half-days. The same rules as the pages: a venue the caller may not see answers 404."""

from __future__ import annotations

from ninja import Query, Router, Schema

from xieyu.core.api.errors import also_answers
from xieyu.core.api.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PageMeta, paginate

from . import access
from .models import Venue, VenueTheme

router = Router()


class VenueOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    town_id: int
    town: str
    address: str
    themes: list[str]
    capacity: int
    terms: str
    terms_text: str
    published: bool


class SlotOut(Schema):
    weekday: int
    part: str


class VenueDetail(VenueOut):
    opening_text: str
    rules_text: str
    min_days_ahead: int
    max_group: int
    contact_name: str
    contact_phone: str
    description: str
    slots: list[SlotOut]


class VenuePage(PageMeta):
    items: list[VenueOut]


def _venue(v: Venue, themes: list[VenueTheme]) -> dict:
    return {"id": v.pk, "name": v.name, "kind": v.kind, "kind_label": str(v.get_kind_display()),
            "town_id": v.town_id, "town": v.town.name, "address": v.address, "themes": [t.theme for t in themes],
            "capacity": v.capacity, "terms": v.terms, "terms_text": v.terms_text, "published": v.published}  # fmt: skip


@router.get("", response=VenuePage, summary="The county's venues, by theme, town and type")
def venue_list(
    request,
    theme: str = Query("", max_length=10),
    town: int | None = Query(None, ge=1, le=2**63 - 1),
    kind: str = Query("", max_length=12),
    page: int = Query(1, ge=1),
    page_size: int = Query(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE),
):
    qs = access.venue_list(request.auth, theme=theme, town=town, kind=kind)
    items, meta = paginate(qs, page, page_size)
    return {**meta, "items": [_venue(v, list(v.themes.all())) for v in items]}


@router.get("/{int:id}", response=VenueDetail, summary="One venue, with its half-days open for class visits",
            openapi_extra=also_answers(404))  # fmt: skip
def venue_detail(request, id: int):
    v = access.get_venue_for(request.auth, id)
    return {**_venue(v, access.themes_of(v)), "opening_text": v.opening_text, "rules_text": v.rules_text,
            "min_days_ahead": v.min_days_ahead, "max_group": v.max_group, "contact_name": v.contact_name,
            "contact_phone": v.contact_phone, "description": v.description,
            "slots": [{"weekday": d, "part": p} for d, p in sorted(access.slots_of(v))]}  # fmt: skip
