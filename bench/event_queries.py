"""Event page query counts (not a test): the same pages with 10× more events must run the same number of queries.

    python bench/event_queries.py [--db sqlite|postgres|both]

Figures, one JSON object per line on stdout:

- queries.event_list: the staff event list (/events/) of 城厢小学's admin with 20 and with 200 events.
- queries.school_calendar: 城厢小学's calendar (/events/school/<id>/) seen by a guardian with 20 and 200 events.

Run on a scratch SQLite file under var/bench/ (query counts do not depend on the engine; --db postgres uses the
scratch database xieyu_bench_eventq on XIEYU_BENCH_POSTGRES).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
POSTGRES = os.environ.get("XIEYU_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
sys.path.insert(0, str(Path(__file__).resolve().parent))


def measure() -> dict:
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xieyu.settings")
    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from xieyu.demo.personas import create_cast
    from xieyu.events import services
    from xieyu.events.models import Event

    settings.ALLOWED_HOSTS.append("testserver")
    cast = create_cast()

    def add(n: int) -> None:
        for i in range(n):
            start = timezone.now() + datetime.timedelta(days=1, hours=i)
            e = services.event_create(actor=cast.school_admin_liu, kind=Event.Kind.LECTURE, title=f"讲座{i}",
                                      school=cast.school_a, audience=Event.Audience.SCHOOL, place="报告厅",
                                      starts_at=start, ends_at=start + datetime.timedelta(hours=1), publish=True)  # fmt: skip
            services.registration_create(actor=cast.parent_zhang, event=e, student=cast.students["zhang_xiaoming"])

    pages = {
        "event_list": ("school_admin_liu", reverse("events:list")),
        "school_calendar": ("parent_zhang", reverse("events:school_calendar", args=[cast.school_a.pk])),
    }
    clients = {}
    for name, (persona, _url) in pages.items():
        clients[name] = Client()
        clients[name].force_login(getattr(cast, persona), backend="django.contrib.auth.backends.ModelBackend")
    result: dict[str, list[int]] = {name: [] for name in pages}
    for n in (20, 180):
        add(n)
        for name, (_persona, url) in pages.items():
            clients[name].get(url)
            with CaptureQueriesContext(connection) as ctx:
                status = clients[name].get(url).status_code
            result[name].append(len(ctx.captured_queries) if status == 200 else -status)
    return result


def scratch(db: str) -> str | None:
    if db == "sqlite":
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        path = BENCH_DIR / "eventq.sqlite3"
        for leftover in BENCH_DIR.glob(f"{path.name}*"):
            leftover.unlink()
        return f"sqlite:///{path}"
    import psycopg

    try:
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True, connect_timeout=5) as conn:
            conn.execute('DROP DATABASE IF EXISTS "xieyu_bench_eventq" WITH (FORCE)')
            conn.execute('CREATE DATABASE "xieyu_bench_eventq"')
    except psycopg.Error:
        return None
    return f"{POSTGRES}/xieyu_bench_eventq"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure()))
        return
    from run import env_for

    db = "sqlite" if args.db in ("sqlite", "both") else "postgres"
    url = scratch(db)
    if url is None:
        print(json.dumps({"name": "queries.event_list", "db": db, "error": "database unavailable"}))
        return
    env = env_for(url) | {"XIEYU_ALLOWED_HOSTS": "testserver"}
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT
    )
    out = subprocess.run(
        [sys.executable, __file__, "--child"], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    )
    for name, (small, large) in json.loads(out.stdout.strip().splitlines()[-1]).items():
        print(json.dumps({"name": f"queries.{name}", "db": db, "queries_small": small, "queries_large": large,
                          "target": "equal"}), flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
