"""The county dashboard (dashboard:county) through gunicorn at scale 1 and 10, and the nightly rollup behind it.

    python bench/dashboard_county.py [--db sqlite|postgres|both] [--repeat N]

Figures:

- dashboard.county: 陈建国's county dashboard served by `manage.py serve` (gunicorn) from the scale-1 and the
  scale-10 county: its query count at both scales (`queries_small`, `queries_large`, Django's test client and
  CaptureQueriesContext in-process; target equal) and its median time through the server at scale 10 (`value`)
  beside scale 1 (`baseline`): `scale_ratio`, target <= 1.5 (the page reads stored figures only).
- rollup.nightly: the full nightly rollup (every metric of every county, suppressed and stored) at scale 10 in
  seconds, beside a plain `COUNT(*) … GROUP BY` over the same tables (`baseline`: the rows the metrics read, counted
  the simplest way, without suppression or storage) and their `ratio`.

Both counties are the benchmark databases of bench/run.py (seeded once, reused).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import emit, logger  # noqa: E402
from scaled_page import LARGE, ROOT, SMALL, setup_django  # noqa: E402

log = logger("dashboard_county")


def child() -> None:
    """Inside Django against XIEYU_DATABASE_URL: the nightly rollup (timed), the baseline group-bys (timed), the
    page's query count, and a session for 陈建国 for the server measurement; one JSON line."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.urls import reverse

    from xieyu.dashboard.figures.services import figures_refresh_all
    from xieyu.deadlines.models import Deadline
    from xieyu.demo.personas import load_cast
    from xieyu.directory.models import SchoolClass, Student
    from xieyu.events.models import Attendance
    from xieyu.notices.models import Delivery
    from xieyu.questions.asking.models import Question

    settings.ALLOWED_HOSTS.append("testserver")
    cast = load_cast()
    started = time.monotonic()
    figures_refresh_all(actor=None)
    rollup_s = time.monotonic() - started
    started = time.monotonic()
    for qs, by in [(Student.objects.all(), "school_class"), (Delivery.objects.all(), "school_class"),
                   (Attendance.objects.all(), "event"), (Deadline.objects.all(), "school"),
                   (Question.objects.all(), "school"), (SchoolClass.objects.all(), "school")]:  # fmt: skip
        list(qs.order_by().values(by).annotate(n=Count("pk")))
    baseline_s = time.monotonic() - started
    user = cast.county_admin_chen
    path = reverse("dashboard:county", args=[cast.county.pk])
    client = Client(raise_request_exception=True)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    static = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    with override_settings(STORAGES=static):
        status = client.get(path).status_code
        with CaptureQueriesContext(connection) as ctx:
            client.get(path)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    print(json.dumps({"queries": len(ctx.captured_queries), "status": status, "path": path,
                      "cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}",
                      "rollup_s": round(rollup_s, 2), "baseline_s": round(baseline_s, 3)}))  # fmt: skip


def measure(db: str, scale: int, repeat: int) -> dict | None:
    from run import Server, env_for, get, prepare

    url = prepare(db, scale, False)
    if url is None:
        return None
    out = subprocess.run([sys.executable, __file__, "--child"], env=env_for(url), cwd=ROOT, capture_output=True,
                         text=True)  # fmt: skip
    if out.returncode != 0:
        log(out.stderr.strip()[-2000:])
        raise SystemExit(f"the measurement failed on {db} x{scale}")
    found = json.loads(out.stdout.strip().splitlines()[-1])
    with Server(url, db) as server:
        headers = {"Cookie": found["cookie"]}
        status, _body = get(server.port, found["path"], headers)
        for _ in range(3):
            get(server.port, found["path"], headers)  # warm
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            get(server.port, found["path"], headers)
            times.append(time.perf_counter() - t0)
    found["served_status"] = status
    found["median_ms"] = round(statistics.median(times) * 1000, 2)
    log(f"{db} x{scale}: rollup {found['rollup_s']}s, page {found['median_ms']} ms, {found['queries']} queries")
    return found


def main() -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        setup_django()
        child()
        return 0
    from run import collect_static

    collect_static()
    for db in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        small = measure(db, SMALL, args.repeat)
        large = measure(db, LARGE, args.repeat) if small else None
        if small is None or large is None:
            continue
        figure = {"name": "dashboard.county", "db": db, "queries_small": small["queries"],
                  "queries_large": large["queries"], "value": large["median_ms"], "unit": "ms",
                  "baseline": small["median_ms"], "scale_ratio": round(large["median_ms"] / small["median_ms"], 2),
                  "target": "queries equal; scale_ratio <= 1.5"}  # fmt: skip
        if {small["served_status"], large["served_status"], small["status"], large["status"]} != {200}:
            figure["status"] = [small["served_status"], large["served_status"]]
        emit(figure)
        emit({"name": "rollup.nightly", "db": db, "value": large["rollup_s"], "unit": "s",
              "baseline": large["baseline_s"], "ratio": round(large["rollup_s"] / max(large["baseline_s"], 1e-3), 1),
              "scale": LARGE})  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
