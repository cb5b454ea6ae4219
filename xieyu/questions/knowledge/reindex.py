"""Rebuilding the search index and the questions' hot-topic keywords when what builds them changes.

The index stores terms as search.py cut, folded and sounded them when each document was indexed; a new synonym,
situation or dictionary word, or a change of the code (search.INDEX_VERSION), changes the terms of old documents too.
Each kind's totals row keeps the fingerprint of what built it (search.fingerprint()); `rebuild_if_stale` runs after
every `migrate` (apps.py connects it to post_migrate), so `make run` and a deployment rebuild a stale index before
serving. `manage.py reindex_search` rebuilds on demand.
"""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.utils import timezone

from xieyu.questions.asking.models import Question, QuestionTerm

from . import search
from .models import Article, IndexStat, Posting, TermStat

log = logging.getLogger(__name__)

# Hot topics compare the window with the one before it; the longest window is a year.
KEYWORDS_BACK = datetime.timedelta(days=2 * 365)


def is_stale() -> bool:
    """Whether any kind of the index was built by another normalisation than the running code's."""
    return IndexStat.objects.exclude(fingerprint=search.fingerprint()).exists()


@transaction.atomic
def rebuild(*, keywords: bool = True) -> dict[str, int]:
    """Index again every answered question and every article (as asking and knowledge index them), and recompute the
    hot-topic keywords of the questions asked in the last two years. Returns the counts."""
    Posting.objects.all().delete()
    TermStat.objects.all().delete()
    IndexStat.objects.all().delete()
    answered = Question.objects.filter(answered_at__isnull=False).order_by("pk").values_list("pk", "title", "body")
    counts = {"questions": search.index_bulk(search.KIND_QUESTION, ((pk, f"{t} {b}") for pk, t, b in answered))}
    articles = Article.objects.order_by("pk").values_list("pk", "title", "question_text", "answer_text")
    counts["articles"] = search.index_bulk(search.KIND_ARTICLE, ((pk, f"{t} {q} {a}") for pk, t, q, a in articles))
    IndexStat.objects.update(fingerprint=search.fingerprint())
    if keywords:
        counts["keywords"] = rebuild_keywords()
    return counts


def rebuild_keywords(since: datetime.datetime | None = None) -> int:
    """The hot-topic keywords (QuestionTerm) of the questions asked since `since` (default two years), as
    asking.services.question_ask computes them for a new question. Returns the number of questions."""
    since = since or timezone.now() - KEYWORDS_BACK
    rows = Question.objects.filter(created_at__gte=since).values_list(
        "pk", "title", "body", "county_id", "school_id", "created_at"
    )
    QuestionTerm.objects.filter(question__created_at__gte=since).delete()
    batch: list[QuestionTerm] = []
    n = 0
    for pk, title, body, county_id, school_id, created_at in rows.iterator(chunk_size=2000):
        n += 1
        batch += [
            QuestionTerm(question_id=pk, term=t, county_id=county_id, school_id=school_id, created_at=created_at)
            for t in search.hot_terms(f"{title} {body}")
        ]
        if len(batch) >= 5000:
            QuestionTerm.objects.bulk_create(batch)
            batch = []
    QuestionTerm.objects.bulk_create(batch)
    return n


def rebuild_if_stale(*, apps=None, **_signal_kwargs) -> None:
    """After `migrate` (post_migrate): rebuild the index if another normalisation built it. Nothing to do while the
    questions app is migrated back to before the index kept its fingerprint (the migration state lacks the field)."""
    if apps is not None:
        try:
            fields = {f.name for f in apps.get_model("questions", "IndexStat")._meta.get_fields()}
        except LookupError:
            return
        if "fingerprint" not in fields:
            return
    if is_stale():
        log.warning("search index built by another normalisation: rebuilding")
        counts = rebuild()
        log.warning("search index rebuilt: %s", counts)
