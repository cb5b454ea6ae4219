"""Vote burst benchmark (not a test): 1,000 distinct families vote at once in one campaign.

    python bench/vote_burst.py [--db sqlite|postgres|both] [--families 1000] [--clients 50]

Figures, one JSON object per line on stdout (progress on stderr):

- vote_burst.<db>: p95 latency (ms) of POST /api/v1/awards/votes/<id>/vote (bearer tokens, one per family's
  guardian) from concurrent clients against gunicorn (`manage.py serve`), beside `baseline`, the p95 of GET /ping
  from the same clients in the same run; `errors` (target 0: every vote answered 201), `ballots` (target exactly
  the number of families), and after closing the tally `tally` (its ballot count and the sum of its counts, both
  equal to `ballots`) and `verified` (the hash chain re-computed from the stored ballots holds).

Each database is a scratch one rebuilt every run: a SQLite file under var/bench/, and the PostgreSQL database
xieyu_bench_votes on XIEYU_BENCH_POSTGRES (default postgres://postgres@127.0.0.1:5432).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from checkin_burst import burst, p95  # noqa: E402
from common import ROOT, bench_families, bench_tokens, emit, logger, scratch_url  # noqa: E402

log = logger("votes")


def _django() -> None:
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xieyu.settings")
    django.setup()


# --- the child: prepare the data, then count inside Django -----------------------------------------------------


def setup(families: int) -> dict:
    import datetime

    _django()
    from django.utils import timezone

    from xieyu.awards.models import Campaign, Nomination
    from xieyu.demo.personas import create_cast

    cast = create_cast()
    users, _guardians, _students = bench_families(cast.school_a, count=families, level=5, classes=20,
                                                  number_prefix="V", relationship="father")
    now = timezone.now()
    campaign = Campaign.objects.create(
        county=cast.county, kind=Campaign.Kind.EXCELLENT_PARENT, nominee=Campaign.Nominee.GUARDIAN,
        title="2026年度全南县优秀家长评选", has_vote=True, phase=Campaign.Phase.VOTE,
        vote_starts_at=now - datetime.timedelta(hours=1), vote_ends_at=now + datetime.timedelta(days=1),
        created_by=cast.county_admin_chen,
    )  # fmt: skip
    nominations = [
        Nomination.objects.create(
            campaign=campaign,
            by="school",
            nominated_by=cast.school_admin_liu,
            display_name=f"候选家长{i}",
            statement="事迹",
            status="shortlisted",
        )  # fmt: skip
        for i in range(6)
    ]
    tokens = bench_tokens(users)
    choices = [nominations[(i * 7) % len(nominations)].pk for i in range(families)]
    return {"campaign": campaign.pk, "tokens": tokens, "choices": choices}


def close_and_count(campaign_id: int) -> dict:
    _django()
    from xieyu.awards.models import Ballot, Campaign, VoteMark
    from xieyu.awards.votes.services import tally_close, tally_verify

    campaign = Campaign.objects.get(pk=campaign_id)
    ballots = Ballot.objects.filter(campaign=campaign).count()
    marks = VoteMark.objects.filter(campaign=campaign).count()
    started = time.monotonic()
    tally = tally_close(actor=None, campaign=campaign)
    close_ms = (time.monotonic() - started) * 1000
    started = time.monotonic()
    verdict = tally_verify(campaign)
    verify_ms = (time.monotonic() - started) * 1000
    return {"ballots": ballots, "marks": marks, "tally": tally.ballots, "tally_sum": sum(tally.counts.values()),
            "verified": verdict.ok, "problems": verdict.problems, "close_ms": round(close_ms, 1),
            "verify_ms": round(verify_ms, 1)}  # fmt: skip


# --- the parent -------------------------------------------------------------------------------------------------


def run_db(db: str, families: int, clients: int) -> None:
    from run import Server, env_for

    url = scratch_url(db, "votes", log)
    if url is None:
        emit({"name": f"vote_burst.{db}", "db": db, "error": "database unavailable"})
        return
    env = env_for(url)
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT
    )
    out = subprocess.run([sys.executable, __file__, "--setup", str(families)], env=env, cwd=ROOT, check=True,
                         capture_output=True, text=True)  # fmt: skip
    data = json.loads(out.stdout.strip().splitlines()[-1])
    path = f"/api/v1/awards/votes/{data['campaign']}/vote"
    with Server(url, db) as server:
        log(f"{db}: {families} families, {clients} clients, port {server.port}")
        burst(server.port, [("GET", "/ping", None, {})] * 100, clients)  # warm
        base, base_errors = burst(server.port, [("GET", "/ping", None, {})] * families, clients)
        requests = [("POST", path, json.dumps({"nomination_id": c}).encode(),
                     {"Authorization": f"Bearer {t}", "Content-Type": "application/json"})
                    for t, c in zip(data["tokens"], data["choices"], strict=True)]  # fmt: skip
        started = time.monotonic()
        work, errors = burst(server.port, requests, clients, ok_status=201)
        seconds = time.monotonic() - started
    counted = json.loads(subprocess.run([sys.executable, __file__, "--count", str(data["campaign"])], env=env,
                                        cwd=ROOT, check=True, capture_output=True,
                                        text=True).stdout.strip().splitlines()[-1])  # fmt: skip
    emit({"name": f"vote_burst.{db}", "db": db, "value": p95(work), "unit": "ms p95", "baseline": p95(base),
          "ratio": round(p95(work) / p95(base), 2) if p95(base) else None, "errors": errors + base_errors,
          "families": families, "seconds": round(seconds, 1), "votes_per_s": round(families / seconds, 1),
          **counted, "target": "errors 0, ballots == families, tally == ballots, verified"})  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--families", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--setup", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup:
        print(json.dumps(setup(args.setup)))
        return
    if args.count:
        print(json.dumps(close_and_count(args.count)))
        return
    for db in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        run_db(db, args.families, args.clients)


if __name__ == "__main__":
    main()
