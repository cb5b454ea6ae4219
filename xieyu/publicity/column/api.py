"""Reading the column (mounted at /api/v1/column): everything the caller may read, and the public part without any
login (for an official account's menu or a mini-program). The same rules as the pages: an article the caller may
not read answers 404."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AnonymousUser
from ninja import Query, Router, Schema

from xieyu.core.api.errors import also_answers
from xieyu.core.api.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PageMeta, paginate

from ..articles import access as articles_access
from ..articles.models import Article
from . import access

router = Router()


class ArticleOut(Schema):
    id: int
    title: str
    summary: str
    category: str
    category_label: str
    unit: str
    series: str
    is_public: bool
    published_at: datetime.datetime | None
    url: str


class ArticleDetail(ArticleOut):
    body: str  # sanitised HTML
    video_url: str
    has_video: bool


class ArticlePage(PageMeta):
    items: list[ArticleOut]


def _out(a: Article) -> dict:
    return {"id": a.pk, "title": a.title, "summary": a.summary, "category": a.category,
            "category_label": str(a.get_category_display()), "unit": a.author_unit, "series": a.series,
            "is_public": a.is_public, "published_at": a.published_at, "url": f"/column/a/{a.pk}/"}  # fmt: skip


def _detail(a: Article) -> dict:
    return {**_out(a), "body": a.body, "video_url": a.video_url, "has_video": bool(a.video)}


def _list(user, category: str, where: str, page: int, page_size: int) -> dict:
    items, meta = paginate(access.column_list(user, category=category, where=where), page, page_size)
    return {**meta, "items": [_out(a) for a in items]}


@router.get("", response=ArticlePage, summary="The column: every published article the caller may read")
def column_list(
    request,
    category: str = Query("", max_length=16),
    where: str = Query("", max_length=8, description="county | school"),
    page: int = Query(1, ge=1),
    page_size: int = Query(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE),
):
    return _list(request.auth, category, where, page, page_size)


@router.get("/public", response=ArticlePage, summary="The public column (no login)", auth=None)
def public_list(
    request,
    category: str = Query("", max_length=16),
    page: int = Query(1, ge=1),
    page_size: int = Query(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE),
):
    return _list(AnonymousUser(), category, "", page, page_size)


@router.get("/public/{int:id}", response=ArticleDetail, summary="One public article (no login)", auth=None,
            openapi_extra=also_answers(404))  # fmt: skip
def public_detail(request, id: int):
    return _detail(articles_access.get_article_for(AnonymousUser(), id))


@router.get("/{int:id}", response=ArticleDetail, summary="One article the caller may read",
            openapi_extra=also_answers(404))  # fmt: skip
def column_detail(request, id: int):
    article = articles_access.get_article_for(request.auth, id)
    return _detail(article)
