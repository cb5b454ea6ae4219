"""The county's care figures page (care:figures) at scale 1 and 10: its query count and its time.

    python bench/care_figures.py [--db sqlite|postgres|both] [--repeat N]

Figures:

- queries.care_figures: the figures page's query count as the county admin (陈建国) in the scale-1 and the scale-10
  county (Django's test client and CaptureQueriesContext, in-process); the two should be equal.
- time_ratio.care_figures: the page's median time in the scale-10 county over its median time in the scale-1 county
  (`ratio`, target <= 2): the page reads the stored rollups, so ten times the children must not cost twice the time.

Both counties are the benchmark databases of bench/run.py (seeded once, reused). The rollups are computed first in
each (rollup_refresh, as the scheduler does every 15 minutes); only the page is measured, never the computation,
whose time is reported on stderr.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import emit, logger  # noqa: E402

log = logger("care_figures")
SMALL, LARGE = 1, 10


def child(repeat: int) -> None:
    """Inside Django, against XIEYU_DATABASE_URL: refresh the rollups, then count and time the page."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xieyu.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.urls import reverse

    from xieyu.care.figures.services import rollup_refresh
    from xieyu.demo.personas import load_cast

    settings.ALLOWED_HOSTS.append("testserver")
    cast = load_cast()
    started = time.monotonic()
    rollup_refresh(actor=None, county=cast.county)
    refresh_seconds = time.monotonic() - started
    client = Client(raise_request_exception=True)
    client.force_login(cast.county_admin_chen, backend="django.contrib.auth.backends.ModelBackend")
    path = reverse("care:figures")
    static = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    with override_settings(STORAGES=static):
        status = client.get(path).status_code  # warm: templates, translations, content types
        with CaptureQueriesContext(connection) as ctx:
            client.get(path)
        queries = len(ctx.captured_queries)
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            client.get(path)
            times.append(time.perf_counter() - t0)
    print(json.dumps({"queries": queries, "status": status, "median_ms": round(statistics.median(times) * 1000, 2),
                      "refresh_s": round(refresh_seconds, 2)}))  # fmt: skip


def measure(url: str, repeat: int) -> dict:
    from run import env_for

    out = subprocess.run(
        [sys.executable, __file__, "--child", "--repeat", str(repeat)],
        env=env_for(url),
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        log(out.stderr.strip()[-2000:])
        raise SystemExit(f"the care figures measurement failed on {url}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.repeat)
        return 0
    from run import prepare

    for db in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        small_url = prepare(db, SMALL, False)
        large_url = prepare(db, LARGE, False) if small_url else None
        if small_url is None or large_url is None:
            continue
        small, large = measure(small_url, args.repeat), measure(large_url, args.repeat)
        log(f"{db}: rollups computed in {small['refresh_s']}s (x{SMALL}) and {large['refresh_s']}s (x{LARGE})")
        figure = {"name": "queries.care_figures", "db": db, "queries_small": small["queries"],
                  "queries_large": large["queries"], "target": "equal"}  # fmt: skip
        if small["status"] != 200 or large["status"] != 200:
            figure["status"] = [small["status"], large["status"]]
        emit(figure)
        emit({"name": "time_ratio.care_figures", "db": db, "value": large["median_ms"], "unit": "ms",
              "baseline": small["median_ms"], "ratio": round(large["median_ms"] / small["median_ms"], 2),
              "target": "<= 2"})  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
