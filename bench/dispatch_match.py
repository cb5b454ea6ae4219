"""Dispatch proposals benchmark (not a test): 5,000 members and 50,000 past assignments.

    python bench/dispatch_match.py [--db sqlite|postgres|both] [--members 5000] [--repeat 3]

Figures, one JSON object per line on stdout (progress on stderr):

- dispatch_match.p95_ms: p95 latency (ms) of proposing members for one need (teams/dispatch/matching.py propose:
  approved, term and background check covering the date, team kind, needed skills scored, weekly availability,
  the town, no clashing accepted assignment, load over 90 days; the best 20 with the names of their matching skills)
  over ~30 varied needs, beside `baseline`: the p95 of a plain filter of approved members having one of the needed
  skills, list()ed. Target: ratio <= 5 (the ranking does much more than the filter, in a fixed number of queries).

The county is seeded in a scratch database rebuilt every run (a SQLite file under var/bench/, or the PostgreSQL
database xieyu_bench_dispatch on XIEYU_BENCH_POSTGRES): 5,000 members in four teams with 1–3 of sixteen skills,
1–4 towns, 2–4 weekly slots and a background check (every sixth lapsed), and 50,000 past assignments over the year
(bulk_create).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BENCH_DIR, ROOT, emit, logger, main_for, scratch_url  # noqa: E402

log = logger("dispatch")
ASSIGNMENTS = 50_000
NEEDS = 30


def run_child(db: str, members: int, repeat: int) -> int:
    url = scratch_url(db, "dispatch", log)
    if url is None:
        emit({"name": "dispatch_match.p95_ms", "db": db, "error": "database unavailable"})
        return 0 if db == "postgres" else 1
    env = {**os.environ, "XIEYU_DEMO": "1", "XIEYU_DEBUG": "0", "XIEYU_DATABASE_URL": url,
           "XIEYU_VAR_DIR": str(BENCH_DIR), "XIEYU_LOG_LEVEL": "CRITICAL", "PYTHONWARNINGS": "ignore"}  # fmt: skip
    args = [sys.executable, __file__, "--child", db, "--members", str(members), "--repeat", str(repeat)]
    return subprocess.run(args, cwd=ROOT, env=env).returncode


def p95(values: list[float]) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]


def seed(cast, members: int, rng) -> None:
    import datetime

    from django.db import transaction
    from django.utils import timezone

    from xieyu.accounts.models import User
    from xieyu.demo.teams_members import SKILLS, TEAMS
    from xieyu.teams.models import Assignment, Availability, BackgroundCheck, Member, Need, Skill, Team

    today, now = timezone.localdate(), timezone.now()
    county = cast.county
    with transaction.atomic():
        skills = Skill.objects.bulk_create([Skill(county=county, name=n, order=i) for i, n in enumerate(SKILLS)])
        teams = Team.objects.bulk_create([Team(county=county, kind=k, name=n) for k, (n, _t) in TEAMS.items()])
        towns = list(cast.towns.values())
        users = User.objects.bulk_create(
            [User(phone=f"137{i:08d}", name=f"成员{i}") for i in range(members)], batch_size=2000
        )
        rows = Member.objects.bulk_create([
            Member(team=teams[i % 4], user=u, status=Member.Status.APPROVED if i % 20 else Member.Status.LEFT,
                   term_start=today - datetime.timedelta(days=400), term_end=today + datetime.timedelta(days=300))
            for i, u in enumerate(users)
        ], batch_size=2000)  # fmt: skip
        Member.skills.through.objects.bulk_create([
            Member.skills.through(member_id=m.pk, skill_id=s.pk) for m in rows for s in rng.sample(skills, rng.randint(1, 3))
        ], batch_size=5000)  # fmt: skip
        Member.towns.through.objects.bulk_create([
            Member.towns.through(member_id=m.pk, town_id=t.pk) for m in rows for t in rng.sample(towns, rng.randint(1, 4))
        ], batch_size=5000)  # fmt: skip
        Availability.objects.bulk_create([
            Availability(member=m, weekday=d, part=rng.choice(["morning", "afternoon", "evening"]))
            for m in rows for d in rng.sample(range(7), rng.randint(2, 4))
        ], batch_size=5000)  # fmt: skip
        BackgroundCheck.objects.bulk_create([
            BackgroundCheck(user=u, checking_unit="全南县公安局", checked_on=today - datetime.timedelta(days=200),
                            valid_until=today - datetime.timedelta(days=5) if i % 6 == 5
                            else today + datetime.timedelta(days=165))
            for i, u in enumerate(users)
        ], batch_size=5000)  # fmt: skip
        past = Need.objects.bulk_create([
            Need(county=county, kind="lecture", topic=f"往期讲座{i}", place="报告厅",
                 starts_at=now - datetime.timedelta(days=1 + i % 360, hours=i % 7),
                 ends_at=now - datetime.timedelta(days=1 + i % 360, hours=i % 7) + datetime.timedelta(hours=2),
                 status="done", people=50)
            for i in range(ASSIGNMENTS // 25)
        ], batch_size=2000)  # fmt: skip
        Assignment.objects.bulk_create([
            Assignment(need=n, member=m, status="accepted", starts_at=n.starts_at, ends_at=n.ends_at)
            for n in past for m in rng.sample(rows, 25)
        ], batch_size=5000)  # fmt: skip


def child(db: str, members: int, repeat: int) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xieyu.settings")
    import django

    django.setup()
    import datetime
    import random

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from xieyu.demo.personas import create_cast
    from xieyu.teams.dispatch.matching import propose
    from xieyu.teams.dispatch.services import need_create
    from xieyu.teams.models import Member, Need, Skill

    rng = random.Random(20)
    log(f"{db}: migrating")
    call_command("migrate", verbosity=0, interactive=False)
    cast = create_cast()
    t0 = time.perf_counter()
    seed(cast, members, rng)
    if db == "postgres":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    log(f"{db}: seeded {members} members, {ASSIGNMENTS} assignments in {time.perf_counter() - t0:.1f} s")
    skills = list(Skill.objects.filter(county=cast.county))
    towns = list(cast.towns.values())
    kinds = ["lecture", "clinic", "after_school", "community", "tour_stop"]
    needs = []
    for i in range(NEEDS):
        day = timezone.localdate() + datetime.timedelta(days=rng.randint(1, 60))
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(rng.choice([9, 14, 19]), 0)))
        kind = kinds[i % len(kinds)]
        needs.append(need_create(
            actor=cast.county_admin_chen, kind=kind, topic=f"需求{i}", starts_at=start,
            ends_at=start + datetime.timedelta(hours=2), place="县文化馆", county=cast.county,
            community=cast.communities["south"] if kind == "community" else None,
            town=rng.choice(towns), skills=rng.sample(skills, rng.randint(1, 3)), people=rng.randint(1, 3),
            with_children=i % 5 != 0, team_kind=rng.choice(["", "", "expert", "elders"]),
        ))  # fmt: skip
    needs = list(Need.objects.filter(pk__in=[n.pk for n in needs]).select_related("county"))

    def ours(need) -> int:
        return len(propose(need))

    def baseline(need) -> int:
        ids = [s.pk for s in need.skills.all()]
        return len(list(Member.objects.filter(status="approved", skills__in=ids).distinct()))

    for fn in (ours, baseline):
        fn(needs[0])  # warm the connection and the caches
    results = {}
    for fn in (ours, baseline):
        times = []
        for _r in range(repeat):
            for need in needs:
                started = time.perf_counter()
                fn(need)
                times.append((time.perf_counter() - started) * 1000)
        results[fn.__name__] = round(p95(times), 2)
        log(f"{db}: {fn.__name__} p95 {results[fn.__name__]} ms")
    emit({
        "name": "dispatch_match.p95_ms", "db": db, "value": results["ours"], "unit": "ms (p95)",
        "baseline": results["baseline"],
        "ratio": round(results["ours"] / results["baseline"], 2) if results["baseline"] else None,
        "members": members, "assignments": ASSIGNMENTS, "needs": len(needs), "target": "ratio <= 5",
    })  # fmt: skip


if __name__ == "__main__":
    sys.exit(main_for(__doc__, size="members", size_default=5000, repeat_default=3, child=child,
                      run_child=run_child))  # fmt: skip
