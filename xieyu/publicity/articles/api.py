"""Writing articles through the API (mounted at /api/v1/column/articles), for an official-account editor or a
batch import: the same services as the editor, so the body is cleaned by the same sanitiser."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from xieyu.core.api.errors import also_answers, error_response

from . import access, services
from .models import Article

router = Router()


class ArticleIn(Schema):
    desk: str = Field("", max_length=40, description="county:<id> or school:<id>; empty when the caller has one")
    title: str = Field(..., max_length=200)
    category: str = Field(..., max_length=16)
    body: str = Field(..., max_length=400_000, description="HTML: cleaned on the server")
    summary: str = Field("", max_length=400)
    county_wide: bool = False
    is_public: bool = False
    video_url: str = Field("", max_length=400)
    series: str = Field("", max_length=80)
    series_order: int = Field(0, ge=0, le=999)


class ArticleDraftOut(Schema):
    id: int
    status: str
    version: int
    title: str
    body: str


def _fields(p: ArticleIn) -> services.ArticleFields:
    return services.ArticleFields(title=p.title, category=p.category, body=p.body, summary=p.summary,
                                  county_wide=p.county_wide, is_public=p.is_public, video_url=p.video_url,
                                  series=p.series, series_order=p.series_order)  # fmt: skip


def _out(a: Article) -> dict:
    return {"id": a.pk, "status": a.status, "version": a.version, "title": a.title, "body": a.body}


def _refused(exc: ValidationError | PermissionDenied):
    return error_response(400, " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))


@router.post("", response={201: ArticleDraftOut}, summary="Write a draft", openapi_extra=also_answers(400, 404))
def article_create(request, payload: ArticleIn):
    desks = access.desks_of(request.auth)
    desk = desks[0] if len(desks) == 1 and not payload.desk else access.desk_for(request.auth, payload.desk)
    if desk is None:
        return error_response(400, _("Say with desk which column to write for (county:<id> or school:<id>), one of "
                                     "your own.") if desks else _("You have no column to write for."))
    try:
        article = services.article_create(actor=request.auth, desk=desk, fields=_fields(payload))
    except ValidationError as exc:
        return _refused(exc)
    return Status(201, _out(article))


@router.put("/{int:id}", response=ArticleDraftOut, summary="Save a new version of a draft",
            openapi_extra=also_answers(400, 404))  # fmt: skip
def article_update(request, id: int, payload: ArticleIn):
    article = access.get_article_to_edit(request.auth, id)
    try:
        article = services.article_update(actor=request.auth, article=article, fields=_fields(payload))
    except ValidationError as exc:
        return _refused(exc)
    return _out(article)


@router.post("/{int:id}/submit", response=ArticleDraftOut, summary="Send a draft for review",
             openapi_extra=also_answers(400, 404))  # fmt: skip
def article_submit(request, id: int):
    article = access.get_article_to_edit(request.auth, id)
    try:
        article = services.article_submit(actor=request.auth, article=article)
    except ValidationError as exc:
        return _refused(exc)
    return _out(article)
