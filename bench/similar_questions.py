"""Similar-question lookup benchmark (not a test): 100,000 answered questions.

    python bench/similar_questions.py [--db sqlite|postgres|both] [--questions 100000] [--repeat 5]

Figures, one JSON object per line on stdout (progress on stderr):

- similar_questions.<db>: p95 latency (ms) of one similar-question lookup (jieba terms + BM25 over the posting
  table in the database, xieyu/questions/knowledge/search.py) over --questions answered questions, and `recall_at_5`
  on the labelled paraphrase set (xieyu/questions/tests/data/paraphrases.tsv: each pair's question A is among the
  indexed questions, question B is the query) — beside `baseline`, the p95 of a plain `icontains` search over the
  same rows in the same run (jieba's three keywords OR-ed as LIKE '%…%' on title and body, newest five), and its
  `baseline_recall_at_5`. Target: recall higher than the baseline's; latency at most 2 x the baseline's.

Each database is a scratch one rebuilt every run: a SQLite file under var/bench/, and the PostgreSQL database
xieyu_bench_similar on XIEYU_BENCH_POSTGRES (default postgres://postgres@127.0.0.1:5432).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BENCH_DIR, ROOT, emit, logger, main_for, scratch_url  # noqa: E402

log = logger("similar")


def run_child(db: str, questions: int, repeat: int) -> int:
    url = scratch_url(db, "similar", log)
    if url is None:
        emit({"name": f"similar_questions.{db}", "db": db, "error": "database unavailable"})
        return 0 if db == "postgres" else 1
    env = {
        **os.environ,
        "XIEYU_DEMO": "1",
        "XIEYU_DEBUG": "0",
        "XIEYU_DATABASE_URL": url,
        "XIEYU_VAR_DIR": str(BENCH_DIR),
        "XIEYU_LOG_LEVEL": "CRITICAL",
        "PYTHONWARNINGS": "ignore",
    }
    args = [sys.executable, __file__, "--child", db, "--questions", str(questions), "--repeat", str(repeat)]
    return subprocess.run(args, cwd=ROOT, env=env).returncode


def p95(values: list[float]) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]


def child(db: str, questions: int, repeat: int) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xieyu.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.db.models import Q
    from django.utils import timezone

    from xieyu.demo.personas import create_cast
    from xieyu.questions.knowledge import search
    from xieyu.questions.knowledge.scaledata import labelled_pairs, synthetic_questions
    from xieyu.questions.models import Question

    log(f"{db}: migrating")
    call_command("migrate", verbosity=0, interactive=False)
    cast = create_cast()
    pairs = labelled_pairs()
    texts = [a for _c, a, _b in pairs] + synthetic_questions(questions - len(pairs))
    student = cast.students["liu_xiaoyu"]
    now = timezone.now()
    t0 = time.perf_counter()
    with transaction.atomic():
        rows = [
            Question(
                asker=cast.grandma_zhao,
                student=student,
                county=cast.county,
                school=cast.school_a,
                school_class=cast.class_a1,
                level="class",
                category="other",
                title=text[:20],
                body=text,
                status="answered",
                created_at=now,
                answered_at=now,
                first_response_at=now,
            )  # fmt: skip
            for text in texts
        ]
        Question.objects.bulk_create(rows, batch_size=2000)
    ids = list(Question.objects.order_by("pk").values_list("pk", flat=True))
    target = {i: ids[i] for i in range(len(pairs))}  # pair i's question A is the i-th row
    log(f"{db}: {len(ids)} questions in {time.perf_counter() - t0:.1f} s; indexing")
    t0 = time.perf_counter()
    search.index_bulk(search.KIND_QUESTION, ((pk, f"{t[:20]} {t}") for pk, t in zip(ids, texts, strict=True)))
    log(f"{db}: indexed in {time.perf_counter() - t0:.1f} s")
    if db == "postgres":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    def bm25(text: str) -> list[int]:
        return search.similar_ids(search.KIND_QUESTION, text, limit=5)

    def icontains(text: str) -> list[int]:
        q = Q(pk__in=[])
        for k in search.keywords(text, 3):
            q |= Q(title__icontains=k) | Q(body__icontains=k)
        return list(Question.objects.filter(q, status="answered").order_by("-pk").values_list("pk", flat=True)[:5])

    queries = [b for _c, _a, b in pairs]
    for fn in (bm25, icontains):  # warm caches, jieba and the connection
        fn(queries[0])
    results = {}
    for fn in (bm25, icontains):
        times, hits = [], 0
        for r in range(repeat):
            for i, text in enumerate(queries):
                started = time.perf_counter()
                found = fn(text)
                times.append((time.perf_counter() - started) * 1000)
                if r == 0 and target[i] in found:
                    hits += 1
        results[fn.__name__] = (round(p95(times), 2), round(hits / len(queries), 3))
        log(f"{db}: {fn.__name__} p95 {results[fn.__name__][0]} ms, recall@5 {results[fn.__name__][1]}")
    (value, recall), (base, base_recall) = results["bm25"], results["icontains"]
    emit(
        {
            "name": f"similar_questions.{db}",
            "db": db,
            "value": value,
            "unit": "ms (p95)",
            "recall_at_5": recall,
            "baseline": base,
            "baseline_recall_at_5": base_recall,
            "ratio": round(value / base, 2) if base else None,
            "questions": len(ids),
            "pairs": len(pairs),
            "target": "recall_at_5 > baseline_recall_at_5; ratio <= 2",
        }
    )


def main() -> int:
    return main_for(__doc__, size="questions", size_default=100_000, repeat_default=5, child=child, run_child=run_child)


if __name__ == "__main__":
    sys.exit(main())
