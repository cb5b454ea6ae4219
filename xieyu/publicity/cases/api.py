"""The typical case API (mounted at /api/v1/column/cases): the library the caller reads (published cases of her
county, by theme, school type and words) and one case. The same rules as the pages: a case the caller may not see
answers 404."""

from __future__ import annotations

import datetime

from ninja import Query, Router, Schema

from xieyu.core.api.errors import also_answers
from xieyu.core.api.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PageMeta, paginate

from . import access
from .models import Case

router = Router()


class CaseOut(Schema):
    id: int
    title: str
    theme: str
    theme_label: str
    school: str
    status: str
    published_at: datetime.datetime | None


class CaseDetail(CaseOut):
    background: str
    actions: str
    results: str
    replicable: str
    photos: list[str]


class CasePage(PageMeta):
    items: list[CaseOut]


def _case(c: Case) -> dict:
    return {"id": c.pk, "title": c.title, "theme": c.theme, "theme_label": str(c.get_theme_display()),
            "school": c.school.name if c.school else "", "status": c.status, "published_at": c.published_at}  # fmt: skip


@router.get("", response=CasePage, summary="The published typical cases of the caller's county")
def case_list(
    request,
    theme: str = Query("", max_length=20),
    school_type: str = Query("", max_length=20),
    q: str = Query("", max_length=40),
    page: int = Query(1, ge=1),
    page_size: int = Query(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE),
):
    qs = access.library(request.auth, theme=theme, school_type=school_type, q=q)
    items, meta = paginate(qs, page, page_size)
    return {**meta, "items": [_case(c) for c in items]}


@router.get("/{int:id}", response=CaseDetail, summary="One typical case", openapi_extra=also_answers(404))
def case_detail(request, id: int):
    from django.urls import reverse

    c = access.get_case_for(request.auth, id)
    return {**_case(c), "background": c.background, "actions": c.actions, "results": c.results,
            "replicable": c.replicable,
            "photos": [reverse("publicity:case_photo", args=[p.pk]) for p in access.photos_of(c)]}  # fmt: skip
