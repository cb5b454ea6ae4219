"""One page of the demo county measured at scale 1 and 10, each in a child process against that scale's benchmark
database (bench/run.py seeds them once and reuses them): its query count and its median time, after the work that
keeps its figures (a rollup, a reconciliation) has run as the scheduler runs it — that work is timed apart.

A script gives `measure_scales` its own file (re-run with --child inside Django) and, in the child, calls
`measure_page` with the page's path and the refresh to run first.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SMALL, LARGE = 1, 10


def measure_page(*, repeat: int, path: Callable[[object], str], refresh: Callable[[object], None],
                 persona: str = "county_admin_chen") -> None:  # fmt: skip
    """Inside Django, against XIEYU_DATABASE_URL: refresh, then count the page's queries and time it; prints one
    JSON line. `path(cast)` and `refresh(cast)` take the demo cast."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from xieyu.demo.personas import load_cast

    settings.ALLOWED_HOSTS.append("testserver")
    cast = load_cast()
    started = time.monotonic()
    refresh(cast)
    refresh_seconds = time.monotonic() - started
    client = Client(raise_request_exception=True)
    client.force_login(getattr(cast, persona), backend="django.contrib.auth.backends.ModelBackend")
    url = path(cast)
    static = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    with override_settings(STORAGES=static):
        status = client.get(url).status_code  # warm: templates, translations, content types
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            client.get(url)
            times.append(time.perf_counter() - t0)
    print(json.dumps({"queries": len(ctx.captured_queries), "status": status,
                      "median_ms": round(statistics.median(times) * 1000, 2),
                      "refresh_s": round(refresh_seconds, 2)}))  # fmt: skip


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xieyu.settings")
    import django

    django.setup()


def _child(script: str, url: str, repeat: int, log) -> dict:
    from run import env_for

    out = subprocess.run([sys.executable, script, "--child", "--repeat", str(repeat)], env=env_for(url), cwd=ROOT,
                         capture_output=True, text=True)  # fmt: skip
    if out.returncode != 0:
        log(out.stderr.strip()[-2000:])
        raise SystemExit(f"the measurement of {Path(script).name} failed on {url}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure_scales(script: str, db: str, repeat: int, log) -> tuple[dict, dict] | None:
    """(small, large) measurements of the script's page on this database; None when it is not available."""
    from run import prepare

    small_url = prepare(db, SMALL, False)
    large_url = prepare(db, LARGE, False) if small_url else None
    if small_url is None or large_url is None:
        return None
    small, large = _child(script, small_url, repeat, log), _child(script, large_url, repeat, log)
    log(f"{db}: figures refreshed in {small['refresh_s']}s (x{SMALL}) and {large['refresh_s']}s (x{LARGE})")
    return small, large


def queries_figure(name: str, db: str, small: dict, large: dict) -> dict:
    figure = {"name": name, "db": db, "queries_small": small["queries"], "queries_large": large["queries"],
              "target": "equal"}  # fmt: skip
    if small["status"] != 200 or large["status"] != 200:
        figure["status"] = [small["status"], large["status"]]
    return figure


def ratio_figure(name: str, db: str, small: dict, large: dict) -> dict:
    return {"name": name, "db": db, "value": large["median_ms"], "unit": "ms", "baseline": small["median_ms"],
            "ratio": round(large["median_ms"] / small["median_ms"], 2), "target": "<= 2"}  # fmt: skip


def main(script: str, doc: str, child: Callable[[int], None], figures: Callable[[str, dict, dict], list[dict]],
         log, emit) -> int:  # fmt: skip
    import argparse

    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        setup_django()
        child(args.repeat)
        return 0
    for db in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        measured = measure_scales(script, db, args.repeat, log)
        if measured is not None:
            for figure in figures(db, *measured):
                emit(figure)
    return 0
