"""Check-in burst benchmark (not a test): 500 guardians check in to one lecture within one minute.

    python bench/checkin_burst.py [--db sqlite|postgres|both] [--guardians 500] [--clients 50]

Figures, one JSON object per line on stdout (progress on stderr):

- checkin_burst.<db>: p95 latency (ms) of POST /api/v1/events/<id>/checkin (bearer tokens, the rotating code's
  slot and token as a scanned code gives them) from concurrent clients against gunicorn (`manage.py serve`), beside
  `baseline`, the p95 of GET /ping from the same clients in the same run; `errors` (target 0) and `rows`, the
  attendance rows written (target exactly the number of guardians).

Each database is a scratch one rebuilt every run: a SQLite file under var/bench/, and the PostgreSQL database
xieyu_bench_checkin on XIEYU_BENCH_POSTGRES (default postgres://postgres@127.0.0.1:5432).
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, bench_families, bench_tokens, emit, logger, scratch_url  # noqa: E402

log = logger("checkin")


# --- the child: prepare the data inside Django --------------------------------------------------------------


def setup(guardians: int) -> dict:
    import datetime

    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xieyu.settings")
    django.setup()
    from django.conf import settings
    from django.utils import timezone

    from xieyu.demo.personas import create_cast
    from xieyu.events import services
    from xieyu.events.models import Event, Registration

    cast = create_cast()
    school = cast.school_a
    users, gs, students = bench_families(school, count=guardians, level=4, classes=10, number_prefix="B",
                                         relationship="mother")
    now = timezone.now()
    event = services.event_create(
        actor=cast.school_admin_liu, kind=Event.Kind.LECTURE, title="双减政策家长讲座", school=school,
        audience=Event.Audience.SCHOOL, place="报告厅", starts_at=now - datetime.timedelta(minutes=5),
        ends_at=now + datetime.timedelta(hours=2), capacity=guardians, publish=True,
    )  # fmt: skip
    Registration.objects.bulk_create(
        [Registration(event=event, student=s, guardian=g) for s, g in zip(students, gs, strict=True)], batch_size=500
    )
    tokens = bench_tokens(users)
    return {"event": event.pk, "key": f"{settings.SECRET_KEY}:{event.qr_secret}", "tokens": tokens,
            "slot_seconds": services.SLOT_SECONDS}  # fmt: skip


def count_rows(event_id: int) -> int:
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xieyu.settings")
    django.setup()
    from xieyu.events.models import Attendance

    return Attendance.objects.filter(event_id=event_id).count()


# --- the parent -------------------------------------------------------------------------------------------------


def p95(values: list[float]) -> float:
    return round(statistics.quantiles(values, n=100)[94], 1) if len(values) > 1 else (values[0] if values else 0.0)


def burst(
    port: int, requests: list[tuple[str, str, bytes | None, dict]], clients: int, *, ok_status: int = 200
) -> tuple[list[float], int]:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    it = iter(requests)

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            with lock:
                item = next(it, None)
            if item is None:
                break
            method, path, body, headers = item
            headers = dict(headers)
            if callable(body):
                body = body()
            started = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                ok = response.status == ok_status
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                if not ok:
                    errors[0] += 1
        conn.close()

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors[0]


def run_db(db: str, guardians: int, clients: int) -> None:
    from run import Server, env_for

    url = scratch_url(db, "checkin", log)
    if url is None:
        emit({"name": f"checkin_burst.{db}", "db": db, "error": "database unavailable"})
        return
    env = env_for(url)
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT
    )
    out = subprocess.run([sys.executable, __file__, "--setup", str(guardians)], env=env, cwd=ROOT, check=True,
                         capture_output=True, text=True)  # fmt: skip
    data = json.loads(out.stdout.strip().splitlines()[-1])
    key = data["key"].encode()

    def checkin_body():
        slot = int(time.time() // data["slot_seconds"])
        token = hmac.new(key, f"{data['event']}:{slot}".encode(), hashlib.sha256).hexdigest()[:20]
        return json.dumps({"slot": slot, "token": token}).encode()

    path = f"/api/v1/events/{data['event']}/checkin"
    with Server(url, db) as server:
        log(f"{db}: {guardians} guardians, {clients} clients, port {server.port}")
        burst(server.port, [("GET", "/ping", None, {})] * 100, clients)  # warm
        base, base_errors = burst(server.port, [("GET", "/ping", None, {})] * guardians, clients)
        requests = [("POST", path, checkin_body, {"Authorization": f"Bearer {t}", "Content-Type": "application/json"})
                    for t in data["tokens"]]  # fmt: skip
        started = time.monotonic()
        work, errors = burst(server.port, requests, clients)
        seconds = time.monotonic() - started
    rows = int(subprocess.run([sys.executable, __file__, "--count", str(data["event"])], env=env, cwd=ROOT,
                              check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1])  # fmt: skip
    emit({"name": f"checkin_burst.{db}", "db": db, "value": p95(work), "unit": "ms p95", "baseline": p95(base),
          "ratio": round(p95(work) / p95(base), 2) if p95(base) else None, "errors": errors + base_errors,
          "rows": rows, "seconds": round(seconds, 1), "target": "errors 0, rows == guardians, within 60 s"})  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--guardians", type=int, default=500)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--setup", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup:
        print(json.dumps(setup(args.setup)))
        return
    if args.count:
        print(count_rows(args.count))
        return
    for db in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        run_db(db, args.guardians, args.clients)


if __name__ == "__main__":
    main()
