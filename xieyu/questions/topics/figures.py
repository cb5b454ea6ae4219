"""Hot topics for the county and school overview: topic requests ranked by votes in a window, and question keywords
ranked by questions, each against the window before it. Three grouped queries, whatever the size.

Near-duplicate topic requests ("孩子沉迷手机游戏怎么办" beside "如何管理孩子用手机") are one hot topic: their titles'
content terms (the search normalisation: traditional → simplified, synonyms folded, stopwords and the words every
question holds dropped, `search.topic_terms`) overlap, and their votes are summed under the most voted one. Keywords
are nouns and verb phrases only (`search.hot_terms` when a question is asked); the overview also drops any stored
keyword the hot stopword list now holds (data/hot_stopwords.txt), so older rows follow the list too."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q

from xieyu.questions.asking.figures import Scope, window
from xieyu.questions.asking.models import QuestionTerm
from xieyu.questions.knowledge import search

from .models import TopicRequest, TopicVote
from .status import topic_status_now

TOP = 10
# Topic rows read before merging near-duplicates (so TOP remain after it), and how much two titles' content terms
# must overlap to be one topic: the shared terms over the smaller title's terms.
TOPIC_ROWS = 3 * TOP
SAME_TOPIC = 2 / 3


def _trend(now: int, before: int) -> str:
    if before == 0:
        return "new" if now else "flat"
    return "up" if now > before else "down" if now < before else "flat"


def hot_topics(scope: Scope, days: int = 30, now: datetime.datetime | None = None) -> dict:
    """Topic requests ranked by votes in the window, and question keywords ranked by questions in the window, each
    with the count in the previous window of the same length and the trend. Three queries."""
    start, end = window(days, now)
    prev = start - datetime.timedelta(days=days)
    topic_scope = Q(topic__school=scope.school_id) if scope.school_id else Q(topic__school__county=scope.county_id)
    topic_rows = list(
        TopicVote.objects.filter(topic_scope, created_at__gte=prev, created_at__lte=end)
        .annotate(topic_status=topic_status_now("topic__"))
        .values(
            "topic_id", "topic__title", "topic__school_id", "topic__school__name", "topic_status", "topic__votes_count"
        )
        .annotate(n=Count("pk", filter=Q(created_at__gte=start)), before=Count("pk", filter=Q(created_at__lt=start)))
        .order_by("-n", "-topic__votes_count", "topic_id")[:TOPIC_ROWS]
    )
    topics = [
        {
            "id": r["topic_id"],
            "title": r["topic__title"],
            "school": r["topic__school__name"],
            "school_id": r["topic__school_id"],
            "open": r["topic_status"] in (TopicRequest.Status.OPEN, TopicRequest.Status.PLANNED),
            "status": TopicRequest.Status(r["topic_status"]).label,
            "total": r["topic__votes_count"],
            "count": r["n"],
            "previous": r["before"],
            "trend": _trend(r["n"], r["before"]),
        }
        for r in topic_rows
        if r["n"]
    ]
    topics = merge_topics(topics)[:TOP]
    not_hot = sorted(search.lexicon().hot_stopwords)
    term_rows = list(
        QuestionTerm.objects.filter(scope.q(), created_at__gte=start, created_at__lte=end)
        .exclude(term__in=not_hot)
        .values("term")
        .annotate(n=Count("question", distinct=True))
        .order_by("-n", "term")[:TOP]
    )
    before = dict(
        QuestionTerm.objects.filter(
            scope.q(), created_at__gte=prev, created_at__lt=start, term__in=[r["term"] for r in term_rows]
        )
        .values("term")
        .annotate(n=Count("question", distinct=True))
        .values_list("term", "n")
    )
    terms = [
        {
            "term": r["term"],
            "count": r["n"],
            "previous": before.get(r["term"], 0),
            "trend": _trend(r["n"], before.get(r["term"], 0)),
        }
        for r in term_rows
    ]
    return {"days": days, "start": start, "end": end, "topics": topics, "terms": terms}


def same_topic(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether two titles' content terms (search.topic_terms) say the same thing: most of the smaller set shared."""
    if not a or not b:
        return False
    return len(a & b) / min(len(a), len(b)) >= SAME_TOPIC


def merge_topics(topics: list[dict]) -> list[dict]:
    """Near-duplicate topics as one: each topic joins the first more-voted topic it says the same thing as; the head
    keeps its title and its action, sums the counts and lists the topics merged into it (`merged`), ranked again."""
    heads: list[tuple[frozenset[str], dict]] = []
    for topic in sorted(topics, key=lambda t: (-t["count"], -t["total"], t["id"])):
        topic = {**topic, "merged": []}
        terms = search.topic_terms(topic["title"])
        head = next((h for h_terms, h in heads if same_topic(terms, h_terms)), None)
        if head is None:
            heads.append((terms, topic))
            continue
        head["merged"].append(topic)
        for key in ("count", "previous", "total"):
            head[key] += topic[key]
        head["trend"] = _trend(head["count"], head["previous"])
    merged = [h for _terms, h in heads]
    return sorted(merged, key=lambda t: (-t["count"], -t["total"], t["id"]))
