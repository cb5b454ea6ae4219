"""Knowledge-base articles that fit a family's weak dimensions in the family-education evaluation (the surveys'
`advice_providers` registry, filled in QuestionsConfig.ready): the county's articles the user may read whose title
or question holds one of the dimension's keywords, newest first. One query for all the dimensions."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse

from xieyu.surveys.evaluation.advice import LINKS_PER_PROVIDER, Link, matches

from .access import articles_visible_to

SCAN = 200  # the newest matching articles looked at


def knowledge_links(*, user, county_id: int, school_ids: list[int], dimensions: dict[str, tuple[str, ...]]):
    words = {k for keywords in dimensions.values() for k in keywords if k}
    out: dict[str, list[Link]] = {code: [] for code in dimensions}
    if not words:
        return out
    q = Q()
    for w in sorted(words):
        q |= Q(title__contains=w) | Q(question_text__contains=w)
    rows = articles_visible_to(user).filter(q, county=county_id).only("pk", "title", "question_text")[:SCAN]
    for article in rows:
        text = f"{article.title} {article.question_text}"
        for code, keywords in dimensions.items():
            if len(out[code]) < LINKS_PER_PROVIDER and matches(text, keywords):
                out[code].append(Link("knowledge", article.title, reverse("questions:article", args=[article.pk])))
    return out
