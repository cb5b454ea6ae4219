"""The county's burden page (burden:county) at scale 1 and 10: its time and its query count.

    python bench/burden_county.py [--db sqlite|postgres|both] [--repeat N]

Figures:

- burden_county.scale_ratio: the page's median time in the scale-10 county over its median time in the scale-1
  county (`ratio`, target <= 2): the page reads the week rollups kept per class, school and county, never the
  diaries, so ten times the families must not cost twice the time.
- queries.burden_county: the page's query count as the county admin (陈建国) at both scales; the two should be equal.

Both counties are the benchmark databases of bench/run.py (seeded once, reused; seed_demo writes eight weeks of
diaries and their rollups). The rollups are reconciled first in each (as the scheduler does every hour); only the
page is measured, whose reconciliation time is reported on stderr.
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

log = logger("burden_county")
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

    from xieyu.burden.watch.services import reconcile_recent
    from xieyu.demo.personas import load_cast

    settings.ALLOWED_HOSTS.append("testserver")
    cast = load_cast()
    started = time.monotonic()
    reconcile_recent(county=cast.county)
    refresh_seconds = time.monotonic() - started
    client = Client(raise_request_exception=True)
    client.force_login(cast.county_admin_chen, backend="django.contrib.auth.backends.ModelBackend")
    path = reverse("burden:county", args=[cast.county.pk])
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
        raise SystemExit(f"the burden county measurement failed on {url}")
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
        log(f"{db}: rollups reconciled in {small['refresh_s']}s (x{SMALL}) and {large['refresh_s']}s (x{LARGE})")
        emit({"name": "burden_county.scale_ratio", "db": db, "value": large["median_ms"], "unit": "ms",
              "baseline": small["median_ms"], "ratio": round(large["median_ms"] / small["median_ms"], 2),
              "target": "<= 2"})  # fmt: skip
        figure = {"name": "queries.burden_county", "db": db, "queries_small": small["queries"],
                  "queries_large": large["queries"], "target": "equal"}  # fmt: skip
        if small["status"] != 200 or large["status"] != 200:
            figure["status"] = [small["status"], large["status"]]
        emit(figure)
    return 0


if __name__ == "__main__":
    sys.exit(main())
