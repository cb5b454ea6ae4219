"""Memory after hours of traffic (not a test): the resident memory of the web and worker processes.

    python bench/rss.py [--db sqlite|postgres|both] [--requests 10000]

Figures, one JSON object per line on stdout (progress on stderr):

- rss.web: the largest resident set (MB) of the gunicorn workers of `manage.py serve` on a copy of the scale-1 demo
  county, after --requests requests cycling through the pages of bench/pages.py with their personas' sessions
  (`value`), and the samples taken every tenth of the way (`samples`: flat over time is the goal); target <= 200.
- rss.worker: the task worker's resident set (MB) during and after the fan-out of a notice to every family of the
  county (about 50,000 deliveries): its largest sample (`value`) and the samples; target <= 200.

Memory is read from /proc, Linux only.
"""

from __future__ import annotations

import argparse
import http.client
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, emit, logger  # noqa: E402
from peak_evening import scratch_copy  # noqa: E402
from run import Server, collect_static, env_for, inprocess, prepare  # noqa: E402

log = logger("rss")
TARGET_MB = 200


def descendants(pid: int) -> list[int]:
    children = {}
    for status in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = status.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(status.parent.name))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def processes(server: Server) -> tuple[list[int], list[int]]:
    """(gunicorn workers, task workers) under the server (a gunicorn worker is a gunicorn process with a parent
    gunicorn)."""
    pids = descendants(server.process.pid)
    gunicorn = [p for p in pids if "gunicorn" in cmdline(p)]
    parents = {p: int(Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()[1]) for p in gunicorn}
    workers = [p for p in gunicorn if parents[p] in gunicorn]
    return workers, [p for p in pids if "db_worker" in cmdline(p)]


def traffic(db: str, url: str, total: int) -> None:
    targets = inprocess("sessions", url)
    cookie = targets["cookie_name"]
    pages = list(targets["pages"].values())
    samples = []
    with Server(url, db) as server:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        errors = 0
        for n in range(total):
            page = pages[n % len(pages)]
            try:
                conn.request("GET", page["path"], headers={"Cookie": f"{cookie}={page['session']}"})
                response = conn.getresponse()
                response.read()
                errors += response.status != 200
            except (OSError, http.client.HTTPException):
                errors += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
            if (n + 1) % max(1, total // 10) == 0:
                workers, _tasks = processes(server)
                samples.append(max((rss_mb(p) for p in workers), default=0.0))
                log(f"{db}: {n + 1} requests, web workers at most {samples[-1]} MB")
        conn.close()
    emit({"name": "rss.web", "db": db, "value": max(samples), "unit": "MB", "samples": samples, "requests": total,
          "errors": errors, "target": f"<= {TARGET_MB}, flat"})  # fmt: skip


def fanout(db: str, url: str) -> None:
    plan = subprocess.run([sys.executable, str(ROOT / "bench" / "peak_evening.py"), "--child-plan"], env=env_for(url),
                          cwd=ROOT, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]  # fmt: skip
    notice = json.loads(plan)["notice"]
    samples, done = [], ""
    with Server(url, db) as server:  # its worker fans the notice out now
        started = time.monotonic()
        while time.monotonic() - started < 900:
            time.sleep(5)
            _workers, tasks = processes(server)
            samples.append(max((rss_mb(p) for p in tasks), default=0.0))
            done = subprocess.run([sys.executable, str(Path(__file__)), "--child-status", str(notice)],
                                  env=env_for(url), cwd=ROOT, capture_output=True, text=True).stdout.strip()  # fmt: skip
            if done == "sent":
                break
        samples.append(max((rss_mb(p) for p in processes(server)[1]), default=0.0))
    emit({"name": "rss.worker", "db": db, "value": max(samples), "unit": "MB", "fanout": done or "unfinished",
          "samples": samples[:: max(1, len(samples) // 12)], "seconds": round(time.monotonic() - started),
          "target": f"<= {TARGET_MB}"})  # fmt: skip


def child_status(notice_id: int) -> None:
    import os

    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xieyu.settings")
    django.setup()
    from xieyu.notices.models import Delivery, FanoutCursor

    done = FanoutCursor.objects.filter(notice_id=notice_id, phase=FanoutCursor.Phase.DONE).exists()
    print("sent" if done else f"{Delivery.objects.filter(notice_id=notice_id).count()} deliveries")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--child-status", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_status:
        child_status(args.child_status)
        return 0
    collect_static()
    for db in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        source = prepare(db, 1, False)
        if source is None:
            continue
        copy = scratch_copy(db, source)
        traffic(db, copy, args.requests)
        fanout(db, copy)
    return 0


if __name__ == "__main__":
    sys.exit(main())
