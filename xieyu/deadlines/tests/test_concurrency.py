"""Real concurrency: separate processes on one SQLite file (WAL), as two workers or two schedulers would be."""

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from xieyu.core.scheduler import autodiscover

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def migrated_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("deadlines-db") / "base.sqlite3"
    env = _env(path)
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    return path


@pytest.fixture
def db_file(migrated_db, tmp_path):
    path = tmp_path / "xieyu.sqlite3"
    shutil.copy(migrated_db, path)
    return path


def _env(path: Path) -> dict:
    return {
        **os.environ,
        "XIEYU_DEMO": "1",
        "XIEYU_DATABASE_URL": f"sqlite:///{path}",
        "XIEYU_VAR_DIR": str(path.parent),
        "XIEYU_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }


def _proc(path: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "xieyu.deadlines.tests.procs", *args],
        cwd=ROOT, env=_env(path), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _run(path: Path, *args: str) -> dict:
    p = _proc(path, *args)
    out, err = p.communicate(timeout=120)
    assert p.returncode == 0, err
    return json.loads(out.strip().splitlines()[-1])


def counts(path: Path) -> dict:
    """Read the shared file directly (no Django in this process touches it)."""
    with sqlite3.connect(path) as db:

        def one(sql):
            return db.execute(sql).fetchone()[0]

        return {
            "escalations": one("SELECT COUNT(*) FROM deadlines_escalation"),
            "escalation_pairs": one(
                "SELECT COUNT(*) FROM (SELECT DISTINCT deadline_id, level, user_id FROM deadlines_escalation)"
            ),
            "events": one("SELECT COUNT(*) FROM deadlines_deadlineevent"),
            "sweep_tasks": one(
                "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult WHERE task_path LIKE '%sweep_deadlines'"
            ),
            "leases": [list(r) for r in db.execute("SELECT job, runs FROM core_schedulerlease")],
        }


def _scheduler(path: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "scheduler", *args],
        cwd=ROOT, env=_env(path), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def test_two_sweeps_at_once_tell_each_person_once(db_file):
    _run(db_file, "seed", "40")
    start_at = str(time.time() + 2)
    sweeps = [_proc(db_file, "sweep", "2026-11-25T18:00:00+08:00", start_at) for _ in range(2)]
    results = []
    for p in sweeps:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    assert sum(r["checked"] for r in results) >= 40
    # Between them they escalated each deadline to its four people exactly once.
    assert sum(r["escalations"] for r in results) == 160
    assert sum(r["overdue"] for r in results) == 40
    seen = counts(db_file)
    assert seen["escalations"] == seen["escalation_pairs"] == 160
    assert seen["events"] == 40 * (1 + 1 + 4)  # started, overdue, four escalations
    # A third sweep finds nothing left to do.
    again = _run(db_file, "sweep", "2026-11-25T18:00:00+08:00", "0")
    assert again["checked"] == 0
    assert counts(db_file)["escalations"] == 160


def test_two_schedulers_at_once_enqueue_the_sweep_once(db_file):
    procs = [_scheduler(db_file, "--once", "--holder", f"scheduler-{n}") for n in range(2)]
    outs = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        outs.append(out)
    assert sum("deadlines.sweep" in out for out in outs) == 1, outs
    seen = counts(db_file)
    assert seen["sweep_tasks"] == 1
    # Every registered job ran exactly once between the two schedulers.
    assert sorted(seen["leases"]) == [[job, 1] for job in sorted(autodiscover())]
    # Within the same interval, neither runs it again.
    p = _scheduler(db_file, "--once")
    out, _ = p.communicate(timeout=120)
    assert "ran: -" in out
    assert counts(db_file)["sweep_tasks"] == 1


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_the_scheduler_stops_cleanly_on_a_signal(db_file, signum):
    p = _scheduler(db_file, "--tick", "0.2")
    try:
        deadline = time.time() + 60
        while time.time() < deadline and counts(db_file)["sweep_tasks"] < 1:
            time.sleep(0.3)
        assert counts(db_file)["sweep_tasks"] == 1
        p.send_signal(signum)
        out, err = p.communicate(timeout=20)
    finally:
        if p.poll() is None:
            p.kill()
    assert p.returncode == 0, err
    assert "stopped" in out
