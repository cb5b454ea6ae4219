"""Nothing lost, nothing doubled: a notice to 50,000 guardians, its worker killed (SIGKILL) mid-fan-out and
restarted, ends with exactly one delivery per guardian.

Real processes against a file-based SQLite database: `manage.py migrate`, the synthetic county
(xieyu/notices/scaledata.py), `manage.py db_worker` started and killed, the stalled-fan-out sweep, then two
workers at once to finish the job.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
GUARDIANS = 50_000


def env_for(db: Path) -> dict[str, str]:
    return {
        **os.environ,
        "XIEYU_DEMO": "1",
        "XIEYU_DEBUG": "0",
        "XIEYU_DATABASE_URL": f"sqlite:///{db}",
        "XIEYU_VAR_DIR": str(db.parent),
        "XIEYU_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "xieyu.notices.tests.crash_settings",
    }


def run(args: list[str], env, timeout=300) -> str:
    result = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def worker(env, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--no-reload", "--interval", "0.1", *extra],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def figures(db: Path, notice: int) -> tuple[int, int, str, str]:
    with sqlite3.connect(db, timeout=30) as conn:
        rows, distinct = conn.execute(
            "SELECT COUNT(*), COUNT(DISTINCT guardian_id) FROM notices_delivery WHERE notice_id = ?", (notice,)
        ).fetchone()
        (phase,) = conn.execute("SELECT phase FROM notices_fanoutcursor WHERE notice_id = ?", (notice,)).fetchone()
        (status,) = conn.execute("SELECT status FROM notices_notice WHERE id = ?", (notice,)).fetchone()
    return rows, distinct, phase, status


def test_a_worker_killed_mid_fan_out_loses_nothing_and_doubles_nothing(tmp_path):
    db = tmp_path / "crash.sqlite3"
    env = env_for(db)
    run(["manage.py", "migrate", "--noinput", "-v0"], env)
    made = json.loads(run(["-m", "xieyu.notices.scaledata", "--guardians", str(GUARDIANS), "--send"], env))
    notice, expected = made["notice"], made["expected"]
    assert expected == GUARDIANS

    # 1. A worker starts the fan-out; kill it (SIGKILL: no clean-up of any kind) once a few batches are in.
    first = worker(env)
    deadline = time.monotonic() + 120
    written = 0
    try:
        while time.monotonic() < deadline:
            written = figures(db, notice)[0]
            if written >= 5_000:
                break
            assert first.poll() is None, first.stderr.read()[-2000:]
            time.sleep(0.02)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    rows, distinct, phase, status = figures(db, notice)
    assert 0 < rows < expected, "the worker should have died mid-fan-out"
    assert rows == distinct and phase == "guardians" and status == "sending"

    # 2. A restarted worker finds nothing to do: the dead worker's job is stuck "running", its lease still held.
    run(["manage.py", "db_worker", "--batch", "--no-startup-delay", "--no-reload", "-v0"], env)
    assert figures(db, notice)[0] == rows
    # The scheduler's sweep (fanout_resume_stalled) enqueues the fan-out again once the lease has expired —
    # here twice, as if two schedulers ran: two jobs for two workers, and still one fan-out.
    time.sleep(3.5)
    sweep = "from xieyu.notices.tasks import fanout_resume_stalled; print(fanout_resume_stalled())"
    for _ in range(2):
        assert run(["manage.py", "shell", "-v0", "-c", sweep], env).strip() == f"[{notice}]"

    # 3. Two workers at once finish the job: claims by conditional update, one delivery per guardian.
    workers = [worker(env, "--batch"), worker(env, "--batch")]
    for w in workers:
        assert w.wait(timeout=300) == 0, w.stderr.read()[-8000:]
    rows, distinct, phase, status = figures(db, notice)
    assert (rows, distinct) == (expected, expected)
    assert phase == "done" and status == "sent"
    with sqlite3.connect(db) as conn:
        (in_audience,) = conn.execute(
            """SELECT COUNT(DISTINCT g.guardian_id) FROM directory_guardianship g
               JOIN directory_student s ON s.id = g.student_id
               WHERE g.status = 'confirmed' AND s.status = 'enrolled'"""
        ).fetchone()
        (outside,) = conn.execute(
            """SELECT COUNT(*) FROM notices_delivery d WHERE d.notice_id = ? AND d.guardian_id NOT IN (
                 SELECT g.guardian_id FROM directory_guardianship g JOIN directory_student s ON s.id = g.student_id
                 WHERE g.status = 'confirmed' AND s.status = 'enrolled')""",
            (notice,),
        ).fetchone()
    assert in_audience == expected and outside == 0
