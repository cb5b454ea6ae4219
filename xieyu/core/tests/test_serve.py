"""`manage.py serve` for real: a gunicorn and a task worker that start together and stop together."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.skipif(not Path("/proc").is_dir(), reason="follows child processes through /proc")

MANAGE = [sys.executable, str(settings.BASE_DIR / "manage.py")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def descendants(pid: int) -> set[int]:
    """Every live process below pid, read from /proc."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture
def env(tmp_path):
    env = {
        **os.environ,
        "XIEYU_DEMO": "1",
        "XIEYU_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        "XIEYU_VAR_DIR": str(tmp_path),
        "XIEYU_WEB_WORKERS": "2",
    }
    subprocess.run([*MANAGE, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=settings.BASE_DIR)
    return env


def wait_for_health(port: int, proc: subprocess.Popen, log: Path, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"serve exited early:\n{log.read_text()}"
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except (OSError, http.client.HTTPException):
            pass
        finally:
            conn.close()
        time.sleep(0.2)
    raise AssertionError(f"/healthz never answered:\n{log.read_text()}")


def test_serve_answers_then_stops_everything_on_ctrl_c(env, tmp_path):
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen([*MANAGE, "serve", "--port", str(port)], env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_for_health(port, proc, log)
        family = descendants(proc.pid)
        assert len(family) >= 4  # gunicorn master, its two workers, the task worker
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=15) == 0, log.read_text()
    finally:
        if proc.poll() is None:
            proc.kill()
    deadline = time.monotonic() + 5
    while any(alive(pid) for pid in family) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in family if alive(pid)], log.read_text()
    text = log.read_text()
    assert f"http://127.0.0.1:{port}/" in text
    assert "13800000032" in text and "Demo2026xy" in text  # the demo logins table


def test_serve_fails_and_stops_the_rest_when_a_child_dies(env, tmp_path):
    log = tmp_path / "serve.log"
    with socket.socket() as taken:  # the port is busy, so gunicorn cannot bind and exits
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with log.open("w") as out:
            proc = subprocess.Popen(
                [*MANAGE, "serve", "--port", str(port)], env=env, stdout=out, stderr=subprocess.STDOUT
            )
        try:
            time.sleep(1)
            family = descendants(proc.pid)
            assert proc.wait(timeout=30) != 0
        finally:
            if proc.poll() is None:
                proc.kill()
    assert "web exited unexpectedly" in log.read_text()
    time.sleep(0.5)
    assert not [pid for pid in family if alive(pid)], log.read_text()
