"""Run the platform in the foreground: the web server, the task worker and the scheduler, started and stopped
together.

The processes are a plain list (`processes()`). Each child runs
in its own session so that Ctrl-C reaches this command alone, which then stops the children in order: SIGTERM,
a grace period, then SIGKILL to the child's whole process group. On Linux the children also get SIGTERM if this
command itself is killed outright, so no server is left behind. If any child exits on its own, the others are
stopped and the command fails.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

STOP_GRACE_SECONDS = 10
POLL_SECONDS = 0.2


@dataclass
class Child:
    name: str
    argv: list[str]
    grace: float = STOP_GRACE_SECONDS
    process: subprocess.Popen | None = field(default=None, repr=False)

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


def web_workers() -> int:
    return int(os.environ.get("XIEYU_WEB_WORKERS") or 2 * (os.cpu_count() or 1) + 1)


def processes(*, host: str, port: int, workers: int, threads: int) -> list[Child]:
    """Everything `serve` runs, in start order."""
    manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
    return [
        Child(
            "web",
            [
                sys.executable,
                "-m",
                "gunicorn",
                "xieyu.wsgi:application",
                "--bind",
                f"{host}:{port}",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "--graceful-timeout",
                str(STOP_GRACE_SECONDS - 2),
                "--log-level",
                "warning",
            ],
        ),  # fmt: skip
        Child("tasks", [*manage, "db_worker", "--no-reload", "--verbosity", "1"]),
        Child("scheduler", [*manage, "scheduler"]),
    ]


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Linux: deliver SIGTERM to this child when the serve process dies, however it dies."""
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


class Command(BaseCommand):
    help = "Serve XieYu in the foreground (gunicorn and the task worker); Ctrl-C stops everything."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--workers", type=int, default=web_workers(), help="gunicorn worker processes")
        parser.add_argument("--threads", type=int, default=int(os.environ.get("XIEYU_WEB_THREADS", 4)))

    def handle(self, *args, host: str, port: int, workers: int, threads: int, **options):
        self.stop_signal: int | None = None
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, self._on_signal)
        children = processes(host=host, port=port, workers=workers, threads=threads)
        failed: Child | None = None
        try:
            for child in children:
                child.process = subprocess.Popen(  # noqa: S603 - our own interpreter and fixed arguments
                    child.argv, cwd=settings.BASE_DIR, start_new_session=True, preexec_fn=_die_with_parent
                )
            failed = self._wait_until_listening(children, host, port)
            if failed is None:
                self._announce(host, port, workers, threads)
                failed = self._watch(children)
        finally:
            self._stop(children)
        if failed is not None and self.stop_signal is None:
            code = failed.process.returncode if failed.process is not None else None
            raise CommandError(f"{failed.name} exited unexpectedly (code {code}); stopped the rest")
        self.stdout.write("Stopped.")

    def _on_signal(self, signum, frame) -> None:
        self.stop_signal = signum

    def _first_exited(self, children: list[Child]) -> Child | None:
        return next((c for c in children if not c.running()), None)

    def _wait_until_listening(self, children: list[Child], host: str, port: int) -> Child | None:
        probe = "127.0.0.1" if host in ("0.0.0.0", "") else host  # noqa: S104
        while self.stop_signal is None:
            if exited := self._first_exited(children):
                return exited
            try:
                with socket.create_connection((probe, port), timeout=POLL_SECONDS):
                    return None
            except OSError:
                time.sleep(POLL_SECONDS)
        return None

    def _watch(self, children: list[Child]) -> Child | None:
        while self.stop_signal is None:
            if exited := self._first_exited(children):
                return exited
            time.sleep(POLL_SECONDS)
        return None

    def _stop(self, children: list[Child]) -> None:
        started = [(c, c.process) for c in children if c.process is not None]
        for child, process in reversed(started):
            if child.running():
                process.send_signal(signal.SIGTERM)
        for child, process in reversed(started):
            try:
                process.wait(timeout=child.grace)
            except subprocess.TimeoutExpired:
                self.stderr.write(f"{child.name} did not stop in {child.grace:g}s; killing it")
            # The child led its own process group: kill whatever of it remains (e.g. orphaned workers).
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            process.wait()

    def _announce(self, host: str, port: int, workers: int, threads: int) -> None:
        shown = "127.0.0.1" if host in ("0.0.0.0", "") else host  # noqa: S104
        self.stdout.write(
            self.style.SUCCESS(f"XieYu is serving at http://{shown}:{port}/")
            + f"  ({workers} web workers × {threads} threads, 1 task worker, 1 scheduler; Ctrl-C stops)"
        )
        if settings.DEMO_MODE:
            # The demo app (the top layer) prints them: core never imports it.
            call_command("demo_logins", stdout=self.stdout)
        self.stdout.flush()
