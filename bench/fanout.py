"""Notice fan-out benchmark (not a test): one county-wide notice to 50,000 guardians.

    python bench/fanout.py [--db sqlite|postgres|both] [--guardians 50000] [--repeat 3]

Figures, one JSON object per line on stdout (progress on stderr):

- fanout.<db>: seconds from sending the notice (notice_create, which queues the job) until every delivery row
  exists, the job run by the real database worker (`db_worker --batch`, in-process) — beside `baseline`, a plain
  `bulk_create` of the same 50,000 Delivery rows in one transaction, in the same run. Target ratio <= 3.
  The median of --repeat runs of each.
- queries.guardian_inbox: the guardian inbox page's query count with 10 and with 1,000 notices (Django's test
  client, CaptureQueriesContext). Target: equal.

Each database is a scratch one, rebuilt every run with bulk inserts (xieyu/notices/scaledata.py): a SQLite file
under var/bench/, and the PostgreSQL database xieyu_bench_fanout on XIEYU_BENCH_POSTGRES
(default postgres://postgres@127.0.0.1:5432).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BENCH_DIR, ROOT, emit, logger, main_for, scratch_url  # noqa: E402

log = logger("fanout")
TARGET_RATIO = 3.0


# --- the parent: one child process per database --------------------------------------------------------------


def run_child(db: str, guardians: int, repeat: int) -> int:
    url = scratch_url(db, "fanout", log)
    if url is None:
        emit({"name": f"fanout.{db}", "db": db, "error": "database unavailable"})
        return 1
    env = {
        **os.environ,
        "XIEYU_DEMO": "1",
        "XIEYU_DEBUG": "0",
        "XIEYU_DATABASE_URL": url,
        "XIEYU_VAR_DIR": str(BENCH_DIR),
        "XIEYU_LOG_LEVEL": "CRITICAL",
        "XIEYU_ALLOWED_HOSTS": "testserver",
        "PYTHONWARNINGS": "ignore",
    }
    args = [sys.executable, __file__, "--child", db, "--guardians", str(guardians), "--repeat", str(repeat)]
    return subprocess.run(args, cwd=ROOT, env=env).returncode


# --- the child: inside Django, against the scratch database ----------------------------------------------------


def child(db: str, guardians: int, repeat: int) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xieyu.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from xieyu.notices import scaledata
    from xieyu.notices.audience import audience_guardianships
    from xieyu.notices.models import Delivery, Notice

    log(f"{db}: migrating")
    call_command("migrate", verbosity=0, interactive=False)
    log(f"{db}: building a county of {guardians} guardians")
    t0 = time.perf_counter()
    made = scaledata.build(guardians)
    log(f"{db}: built in {time.perf_counter() - t0:.1f} s")
    if db == "postgres":
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    def fresh_notice() -> Notice:
        return Notice.objects.create(
            sender_id=made["admin"], sender_role="county_admin", county_id=made["county"], title="基线", body="基线",
            status=Notice.Status.SENT,
        )  # fmt: skip

    def audience_rows(notice_id: int) -> list[tuple[int, int, int]]:
        """The rows the fan-out writes (one per guardian, with school and class), read outside the clock."""
        targets = list(Notice.objects.get(pk=notice_id).targets.all())
        seen, rows = set(), []
        for guardian_id, school_id, class_id in (
            audience_guardianships(targets)
            .order_by("guardian_id", "student_id")
            .values_list("guardian_id", "student__school_id", "student__school_class_id")
        ):
            if guardian_id not in seen:
                seen.add(guardian_id)
                rows.append((guardian_id, school_id, class_id))
        return rows

    fanout_times, baseline_times, fanned = [], [], []
    for run in range(repeat):
        # The fan-out: send, then the real worker until every row exists.
        t0 = time.perf_counter()
        notice_id = scaledata.send(made["county"], made["admin"])
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
        elapsed = time.perf_counter() - t0
        count = Delivery.objects.filter(notice_id=notice_id).count()
        assert count == made["expected"], f"fan-out wrote {count} rows, expected {made['expected']}"
        fanout_times.append(elapsed)
        fanned.append(notice_id)
        Delivery.objects.filter(notice_id=notice_id).delete()
        # The baseline: the same rows, one plain bulk insert.
        plain = fresh_notice()
        rows = [
            Delivery(notice_id=plain.pk, guardian_id=g, school_id=s, school_class_id=c)
            for g, s, c in audience_rows(notice_id)
        ]
        assert len(rows) == made["expected"]
        t0 = time.perf_counter()
        with transaction.atomic():
            Delivery.objects.bulk_create(rows)
        baseline_times.append(time.perf_counter() - t0)
        Delivery.objects.filter(notice=plain).delete()
        log(f"{db}: run {run + 1}: fan-out {fanout_times[-1]:.2f} s, bulk insert {baseline_times[-1]:.2f} s")
    value, baseline = statistics.median(fanout_times), statistics.median(baseline_times)
    emit(
        {
            "name": f"fanout.{db}",
            "db": db,
            "value": round(value, 2),
            "unit": "s",
            "baseline": round(baseline, 2),
            "ratio": round(value / baseline, 2),
            "target": f"<= {TARGET_RATIO:g}",
            "rows": made["expected"],
        }
    )
    small, large = inbox_queries(made)
    emit(
        {"name": "queries.guardian_inbox", "db": db, "queries_small": small, "queries_large": large, "target": "equal"}
    )


def inbox_queries(made: dict) -> tuple[int, int]:
    """The inbox page's query count for a guardian with 10 notices, then with 1,000."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from xieyu.accounts.services import user_create
    from xieyu.directory.models import Guardian
    from xieyu.notices.models import Delivery, Notice

    guardian = Guardian.objects.filter(phone__isnull=False).order_by("pk").first()
    user = user_create(actor=None, phone=guardian.phone, name=guardian.name)
    Guardian.objects.filter(pk=guardian.pk).update(user=user)
    Delivery.objects.filter(guardian=guardian).delete()
    templates = [
        {
            **settings.TEMPLATES[0],
            "OPTIONS": {
                **settings.TEMPLATES[0]["OPTIONS"],
                "context_processors": [
                    *settings.TEMPLATES[0]["OPTIONS"]["context_processors"],
                    "xieyu.notices.context_processors.unread_notices",
                ],
            },
        }
    ]
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    counts = []
    with override_settings(TEMPLATES=templates, STORAGES=storages):
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        have = 0
        for size in (10, 1000):
            notices = Notice.objects.bulk_create(
                [
                    Notice(sender_id=made["admin"], sender_role="county_admin", county_id=made["county"], title=f"通知{i}",
                           body="内容", status=Notice.Status.SENT, sender_unit="压测县")
                    for i in range(size - have)
                ]
            )  # fmt: skip
            Delivery.objects.bulk_create([Delivery(notice=n, guardian=guardian) for n in notices])
            have = size
            client.get("/notices/")
            with CaptureQueriesContext(connection) as ctx:
                response = client.get("/notices/")
            assert response.status_code == 200, response.status_code
            counts.append(len(ctx))
    return counts[0], counts[1]


def main() -> int:
    return main_for(__doc__, size="guardians", size_default=50_000, repeat_default=3, child=child, run_child=run_child)


if __name__ == "__main__":
    sys.exit(main())
