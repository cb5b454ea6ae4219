"""Similar-question lookup benchmark (not a test): 2,000 and 100,000 answered questions.

    python bench/similar_questions.py [--db sqlite|postgres|both] [--questions 100000] [--repeat 5]

Figures, one JSON object per line on stdout (progress on stderr):

- similar_questions.<db>: p95 latency (ms) of one similar-question lookup (normalisation, jieba terms, synonyms,
  situations, pinyin sounds, BM25 over the posting table in the database, xieyu/questions/knowledge/search.py) over
  --questions answered questions, and `recall_at_5` on the HELD-OUT half of the labelled pairs
  (xieyu/questions/knowledge/data/pairs_heldout.tsv, never used to tune search's data files; each pair's target is
  among the indexed questions, its query is what a parent types) with `recall_at_5_dev` on the development half
  (pairs_dev.tsv) beside it — and `baseline`, the p95 of a plain `icontains` search over the same rows in the same
  run (jieba's three keywords OR-ed as LIKE '%…%' on title and body, newest five), with its `baseline_recall_at_5`
  (held-out) and `baseline_recall_at_5_dev`. Latencies are over the queries of both halves. Target: held-out recall
  at least 0.8 and higher than the baseline's; latency at most 2 x the baseline's.
- similar_questions.<db>.small: the same at 2,000 answered questions (the labelled targets and synthetic look-alikes),
  measured first, in its own scratch database.

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


SMALL = 2_000


def _name(db: str, questions: int) -> str:
    return f"similar_questions.{db}.small" if questions == SMALL else f"similar_questions.{db}"


def run_child(db: str, questions: int, repeat: int) -> int:
    """The small corpus first, then --questions, each in a freshly rebuilt scratch database."""
    return max(_run_child(db, size, repeat) for size in dict.fromkeys([SMALL, questions]))


def _run_child(db: str, questions: int, repeat: int) -> int:
    url = scratch_url(db, "similar", log)
    if url is None:
        emit({"name": _name(db, questions), "db": db, "error": "database unavailable"})
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
    from xieyu.questions.knowledge.scaledata import corpus, labelled_pairs, synthetic_questions
    from xieyu.questions.models import Question

    log(f"{db}: migrating")
    call_command("migrate", verbosity=0, interactive=False)
    cast = create_cast()
    halves = {"heldout": labelled_pairs("heldout"), "dev": labelled_pairs("dev")}
    targets = corpus()
    texts = targets + synthetic_questions(questions - len(targets))
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
    target = {text: ids[i] for i, text in enumerate(targets)}  # the targets are the first rows
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

    for fn in (bm25, icontains):  # warm caches, jieba, pypinyin and the connection
        fn(halves["dev"][0].query)
    results: dict[str, dict] = {}
    for fn in (bm25, icontains):
        times, recall = [], {}
        for half, pairs in halves.items():
            hits = 0
            for r in range(repeat):
                for p in pairs:
                    started = time.perf_counter()
                    found = fn(p.query)
                    times.append((time.perf_counter() - started) * 1000)
                    if r == 0 and target[p.target] in found:
                        hits += 1
            recall[half] = round(hits / len(pairs), 3)
        results[fn.__name__] = {"p95": round(p95(times), 2), **recall}
        log(f"{db}: {fn.__name__} p95 {results[fn.__name__]['p95']} ms, recall@5 {recall}")
    ours, base = results["bm25"], results["icontains"]
    emit(
        {
            "name": _name(db, questions),
            "db": db,
            "value": ours["p95"],
            "unit": "ms (p95)",
            "recall_at_5": ours["heldout"],
            "recall_at_5_dev": ours["dev"],
            "baseline": base["p95"],
            "baseline_recall_at_5": base["heldout"],
            "baseline_recall_at_5_dev": base["dev"],
            "ratio": round(ours["p95"] / base["p95"], 2) if base["p95"] else None,
            "questions": len(ids),
            "pairs_heldout": len(halves["heldout"]),
            "pairs_dev": len(halves["dev"]),
            "target": "recall_at_5 >= 0.8; recall_at_5 > baseline_recall_at_5; ratio <= 2",
        }
    )


def main() -> int:
    return main_for(__doc__, size="questions", size_default=100_000, repeat_default=5, child=child, run_child=run_child)


if __name__ == "__main__":
    sys.exit(main())
