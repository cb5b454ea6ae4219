"""A peak evening (not a test): at 18:00 a notice goes to every family of the county and most open it within minutes.

    python bench/peak_evening.py [--db sqlite|postgres|both] [--users 50,100,200,400] [--seconds 60]

Figures, one JSON object per line on stdout (progress on stderr):

- peak_evening.<db>: locust (bench/peak_locustfile.py) against gunicorn and its task worker (`manage.py serve`) on a
  copy of the scale-1 demo county, once per number of simulated users: at the start of each run a county admin's
  notice to every family (confirmation asked) is fanned out by the worker while simulated guardians (one in ten
  logging in with a password, the rest with the session they kept) open the inbox, open and confirm the notice
  once it has reached them, and open the home page, with 2–8 s of think time; head teachers reload their class's
  receipts; a few users time the trivial view /ping in the same run. `errors` (target 0); `runs`: per number of
  users, each step's p95 (ms), `ratio` (its p95 ÷ the trivial view's p95 in that run) and `quiet_ratio` (÷ the
  p95 of /ping measured alone first, `quiet_ping_p95`: a saturated server queues /ping too, which would flatter the
  same-run ratio); `guardians_held`: the most simulated guardians at which every guardian step's p95 stays within
  10× the quiet /ping p95.

The copy is rebuilt every run (the benchmark database of bench/run.py, copied), so the notices it sends never reach
the other benchmarks.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import BENCH_DIR, POSTGRES, ROOT, emit, logger  # noqa: E402
from run import Server, collect_static, env_for, prepare  # noqa: E402

log = logger("peak")

GUARDIAN_SESSIONS = 3000
LOGINS = 300
TEACHERS = 30
HELD_RATIO = 10.0
GUARDIAN_STEPS = ["inbox", "notice", "confirm", "home", "login"]


# --- inside Django, against the copy ----------------------------------------------------------------------------


def child_plan() -> None:
    """Send the evening's notice and write the plan the locust users follow (sessions, logins, receipts pages)."""
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xieyu.settings")
    django.setup()
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.urls import reverse

    from xieyu.accounts.models import Membership, Role, User
    from xieyu.demo.personas import DEMO_PASSWORD, load_cast
    from xieyu.directory.models import Guardianship
    from xieyu.notices.audience import Audience
    from xieyu.notices.models import Notice
    from xieyu.notices.services import notice_create

    store_class = import_module(settings.SESSION_ENGINE).SessionStore

    def session_of(user) -> str:
        store = store_class()
        store[SESSION_KEY] = user._meta.pk.value_to_string(user)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        return store.session_key

    cast = load_cast()
    notice = notice_create(actor=cast.county_admin_chen, title="关于寒假安全教育的紧急通知",
                           body="各位家长:请今晚阅读并确认本通知,督促孩子注意寒假安全。",
                           audience=Audience(counties=[cast.county.pk]), receipt_mode=Notice.ReceiptMode.CONFIRM)  # fmt: skip
    guardian_users = list(
        User.objects.filter(
            guardian__guardianships__status=Guardianship.Status.CONFIRMED,
            guardian__guardianships__student__school__county=cast.county,
        )
        .distinct()
        .order_by("pk")[: GUARDIAN_SESSIONS + LOGINS]
    )
    teachers = list(
        Membership.objects.filter(role=Role.HEAD_TEACHER, school_class__school__county=cast.county)
        .select_related("user")
        .order_by("pk")[:TEACHERS]
    )
    plan = {
        "cookie": settings.SESSION_COOKIE_NAME,
        "notice": notice.pk,
        "password": DEMO_PASSWORD,
        "guardians": [session_of(u) for u in guardian_users[:GUARDIAN_SESSIONS]],
        "logins": [u.phone for u in guardian_users[GUARDIAN_SESSIONS:]],
        "teachers": [
            [session_of(m.user), reverse("notices:class_page", args=[notice.pk, m.school_class_id])] for m in teachers
        ],
    }
    print(json.dumps(plan))


# --- the parent ---------------------------------------------------------------------------------------------------


def scratch_copy(db: str, source: str) -> str:
    """A copy of the scale-1 benchmark database, rebuilt each run."""
    if db == "sqlite":
        target = BENCH_DIR / "peak.sqlite3"
        for leftover in BENCH_DIR.glob(f"{target.name}*"):
            leftover.unlink()
        with sqlite3.connect(source.removeprefix("sqlite:///")) as src, sqlite3.connect(target) as dst:
            src.backup(dst)
        return f"sqlite:///{target}"
    import psycopg

    name, template = "xieyu_bench_peak", source.rsplit("/", 1)[1]
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return f"{POSTGRES}/{name}"


def p95s(stats_csv: Path) -> tuple[dict[str, dict], int, int]:
    """{step: {"p95": ms, "requests": n}}, the failures and the requests of one locust run."""
    steps, failures, total = {}, 0, 0
    with stats_csv.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["Name"] == "Aggregated":
                failures, total = int(row["Failure Count"]), int(row["Request Count"])
                continue
            steps[row["Name"]] = {"p95": float(row["95%"] or 0), "requests": int(row["Request Count"])}
    return steps, failures, total


def one_run(db: str, url: str, users: int, seconds: int, classes: tuple[str, ...] = ()) -> dict:
    plan = subprocess.run([sys.executable, __file__, "--child-plan"], env=env_for(url), cwd=ROOT, check=True,
                          capture_output=True, text=True).stdout.strip().splitlines()[-1]  # fmt: skip
    plan_path = BENCH_DIR / f"peak-plan-{db}.json"
    plan_path.write_text(plan, encoding="utf-8")
    prefix = BENCH_DIR / f"peak-{db}-{users}"
    with Server(url, db) as server:  # its worker starts fanning the notice out now
        log(f"{db}: {users} users for {seconds}s on port {server.port}")
        subprocess.run(
            [str(Path(sys.executable).parent / "locust"), "-f", str(ROOT / "bench" / "peak_locustfile.py"),
             "--headless", "--only-summary", "-u", str(users), "-r", str(max(1, users // 10)), "-t", f"{seconds}s",
             "--host", f"http://127.0.0.1:{server.port}", "--csv", str(prefix), "--exit-code-on-error", "0",
             *classes],
            env={**os.environ, "PEAK_PLAN": str(plan_path)}, cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
    steps, failures, total = p95s(Path(f"{prefix}_stats.csv"))
    ping = steps.get("ping", {}).get("p95") or None
    for step in steps.values():
        step["ratio"] = round(step["p95"] / ping, 1) if ping else None
    return {"users": users, "errors": failures, "requests": total, "steps": steps}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--users", default="50,100,200,400")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--child-plan", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_plan:
        child_plan()
        return 0
    collect_static()
    for db in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        source = prepare(db, 1, False)
        if source is None:
            continue
        # The trivial view alone, with nothing else running: under saturation /ping queues like every page, so the
        # guardians held are judged against this quiet p95 (each run's own ratio is reported as well).
        quiet = one_run(db, scratch_copy(db, source), 5, 20, ("Trivial",))["steps"]["ping"]["p95"]
        runs = []
        for users in [int(n) for n in args.users.split(",")]:
            runs.append(one_run(db, scratch_copy(db, source), users, args.seconds))
        held = 0
        for run in runs:
            guardians = round(run["users"] * 20 / 22)  # the locustfile's weights: 20 guardians, 1 teacher, 1 ping
            steps = [s for name, s in run["steps"].items() if name in GUARDIAN_STEPS]
            for step in run["steps"].values():
                step["quiet_ratio"] = round(step["p95"] / quiet, 1) if quiet else None
            if steps and all(s["quiet_ratio"] is not None and s["quiet_ratio"] <= HELD_RATIO for s in steps):
                held = max(held, guardians)
        emit({"name": f"peak_evening.{db}", "db": db, "errors": sum(r["errors"] for r in runs), "target": "errors 0",
              "guardians_held": held, "quiet_ping_p95": quiet,
              "held_at": f"every guardian step's p95 <= {HELD_RATIO:g}x the quiet /ping p95", "runs": runs})  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
