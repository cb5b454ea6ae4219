"""The knowledge-base API (mounted at /api/v1/questions/kb): search the articles the caller may read (public ones
need no login)."""

from __future__ import annotations

from ninja import Query, Router, Schema

from . import access, search

router = Router()


class ArticleOut(Schema):
    id: int
    title: str
    category: str
    question_text: str
    answer_text: str


@router.get("/search", response=list[ArticleOut], summary="Search the knowledge base", auth=None)
def kb_search(request, q: str = Query(..., min_length=1, max_length=100)):
    ids = search.similar_ids(search.KIND_ARTICLE, q, limit=10)
    return access.articles_by_ids(request.user, ids)
