"""XieYu benchmarks (`make bench`): real server, real databases, one JSON object per figure on stdout.

    python bench/run.py [--only PREFIX] [--db sqlite|postgres|both] [--duration S] [--clients N] [--fresh]

Figures (DESIGN.md, "Benchmarks"):

- home_throughput.<page>: requests per second of a persona's page through gunicorn (`manage.py serve`) against
  the scale-1 demo county, from concurrent keep-alive clients, beside the trivial view /ping measured the same
  way just before it (`baseline`); the ratio should stay >= 0.5.
- queries.<page>: the page's query count in the scale-1 and the scale-10 county (Django's test client and
  CaptureQueriesContext, in-process); the two should be equal.

Every other script in bench/ is a benchmark of its own domain, run after these with `--db` and its output
filtered by `--only`. Such a script lists its figures in its docstring as "- <name>: …" bullets (as this one
does) so that `--only` can skip it without starting it, prints JSON lines on stdout and accepts
`--db sqlite|postgres|both`.

Databases are prepared once and reused: SQLite files under var/bench/, PostgreSQL databases xieyu_bench_<scale>
on XIEYU_BENCH_POSTGRES (default postgres://postgres@127.0.0.1:5432). `--fresh` rebuilds them (after the demo
generator changed). Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import ast
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from pages import BASELINE_PATH, PAGES

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
PYTHON = sys.executable
MANAGE = [PYTHON, str(ROOT / "manage.py")]
POSTGRES = os.environ.get("XIEYU_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
SMALL, LARGE = 1, 10
FIGURES = [f"home_throughput.{p.name}" for p in PAGES] + [f"queries.{p.name}" for p in PAGES]


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def emit(figure: dict) -> None:
    print(json.dumps(figure, ensure_ascii=False), flush=True)


def env_for(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "XIEYU_DEMO": "1",
        "XIEYU_DEBUG": "0",
        "XIEYU_DATABASE_URL": database_url,
        "XIEYU_LOG_LEVEL": "CRITICAL",
        "PYTHONWARNINGS": "ignore",
    }


# --- databases --------------------------------------------------------------------------------------------


def database_url(db: str, scale: int, fresh: bool) -> str | None:
    """The URL of the benchmark database for this engine and scale, created (empty) when missing."""
    if db == "sqlite":
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        path = BENCH_DIR / f"xieyu_{scale}.sqlite3"
        if fresh:
            for leftover in BENCH_DIR.glob(f"{path.name}*"):
                leftover.unlink()
        return f"sqlite:///{path}"
    import psycopg

    name = f"xieyu_bench_{scale}"
    try:
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True, connect_timeout=5) as conn:
            if fresh:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        log(f"PostgreSQL at {POSTGRES} is unreachable ({str(error).strip()}); skipping it")
        return None
    return f"{POSTGRES}/{name}"


def prepare(db: str, scale: int, fresh: bool) -> str | None:
    """Migrate and seed the demo county at this scale (seed_demo returns at once when it is already there)."""
    url = database_url(db, scale, fresh)
    if url is None:
        return None
    env = env_for(url)
    started = time.monotonic()
    subprocess.run([*MANAGE, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    seeding = subprocess.Popen(
        [*MANAGE, "seed_demo", "--scale", str(scale)], env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    for line in seeding.stdout:
        if line.startswith(("Seeding", "  [", "Demo county", "The demo county")):
            log(f"{db} x{scale}: {line.strip()}")
    if seeding.wait() != 0:
        raise SystemExit(f"seed_demo failed on {db} at scale {scale}")
    log(f"{db} x{scale} ready in {time.monotonic() - started:.1f}s")
    return url


def collect_static() -> None:
    """Pages render {% static %} through the manifest storage, as in production: collect it first."""
    subprocess.run([*MANAGE, "collectstatic", "--noinput", "-v0"], env=env_for("sqlite://:memory:"), check=True)


def inprocess(command: str, url: str) -> dict:
    out = subprocess.run(
        [PYTHON, str(ROOT / "bench" / "inprocess.py"), command],
        env=env_for(url),
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- the server and its clients ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`manage.py serve` (gunicorn and the task worker) on a free port, for the duration of a with-block."""

    def __init__(self, url: str, db: str):
        self.url, self.db, self.port = url, db, free_port()
        self.log_path = BENCH_DIR / f"serve-{db}.log"

    def __enter__(self) -> Server:
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        self.log_file = self.log_path.open("w")
        self.process = subprocess.Popen(
            [*MANAGE, "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            env=env_for(self.url) | {"XIEYU_LOG_LEVEL": "WARNING"},
            cwd=ROOT,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"the server stopped; see {self.log_path}")
            try:
                if get(self.port, BASELINE_PATH, {})[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"the server did not answer in 60s; see {self.log_path}")

    def __exit__(self, *exc) -> None:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log_file.close()


def get(port: int, path: str, headers: dict[str, str]) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def throughput(port: int, path: str, headers: dict[str, str], *, clients: int, seconds: float, limit: int) -> dict:
    """Requests per second from `clients` threads, each on one keep-alive connection, for `seconds` or
    until `limit` requests in all."""
    done = [0] * clients
    failures = [0] * clients
    start = threading.Barrier(clients + 1)
    stop_at = [0.0]

    def client(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        start.wait()
        while time.monotonic() < stop_at[0] and sum(done) < limit:
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    failures[i] += 1
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
            except (OSError, http.client.HTTPException):
                failures[i] += 1
                conn.close()
            done[i] += 1
        conn.close()

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    began = time.monotonic()
    stop_at[0] = began + seconds
    start.wait()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - began
    return {"rps": round(sum(done) / elapsed, 1), "requests": sum(done), "failures": sum(failures)}


def bench_throughput(db: str, url: str, wanted: list[str], args) -> None:
    targets = inprocess("sessions", url)
    with Server(url, db) as server:
        log(f"{db}: serving on port {server.port}; {args.clients} clients, {args.duration:g}s per measurement")
        for page in PAGES:
            name = f"home_throughput.{page.name}"
            if name not in wanted:
                continue
            target = targets["pages"][page.name]
            headers = {"Cookie": f"{targets['cookie_name']}={target['session']}"}
            figure = {"name": name, "db": db, "value": None, "unit": "req/s", "baseline": None, "ratio": None}
            status, body = get(server.port, target["path"], headers)
            if status != 200:
                emit(figure | {"target": ">= 0.5", "error": f"GET {target['path']} answered {status}"})
                continue
            measure = {"clients": args.clients, "seconds": args.duration, "limit": args.requests}
            throughput(server.port, target["path"], headers, clients=args.clients, seconds=1, limit=500)  # warm
            base = throughput(server.port, BASELINE_PATH, {}, **measure)
            work = throughput(server.port, target["path"], headers, **measure)
            figure |= {"value": work["rps"], "baseline": base["rps"], "ratio": round(work["rps"] / base["rps"], 2)}
            figure["target"] = ">= 0.5"
            if work["failures"] or base["failures"]:
                figure["failures"] = work["failures"] + base["failures"]
            emit(figure)


def bench_queries(db: str, small_url: str, large_url: str, wanted: list[str]) -> None:
    small, large = inprocess("queries", small_url), inprocess("queries", large_url)
    for page in PAGES:
        name = f"queries.{page.name}"
        if name not in wanted:
            continue
        s, g = small[page.name], large[page.name]
        figure = {"name": name, "db": db, "queries_small": s["queries"], "queries_large": g["queries"]}
        figure["target"] = "equal"
        if s["status"] != 200 or g["status"] != 200:
            figure["status"] = [s["status"], g["status"]]
            figure["error"] = s.get("error") or g.get("error") or "not 200"
        emit(figure)


# --- the other benchmark scripts in bench/ ------------------------------------------------------------------

OWN = {"run.py", "inprocess.py", "pages.py"}


def other_scripts() -> list[Path]:
    return sorted(p for p in (ROOT / "bench").glob("*.py") if p.name not in OWN and not p.name.startswith("_"))


def declared_figures(script: Path) -> list[str]:
    """The figure names a script's docstring lists as "- name: …" bullets ("fanout.<db>" → prefix "fanout.")."""
    doc = ast.get_docstring(ast.parse(script.read_text(encoding="utf-8"))) or ""
    return re.findall(r"^- ([a-z_]+\.[\w<>.]+):", doc, flags=re.MULTILINE)


def matches(figure: str, prefix: str) -> bool:
    fixed = figure.split("<", 1)[0]
    return fixed.startswith(prefix) or (prefix.startswith(fixed) if "<" in figure else False)


def run_script(script: Path, args) -> bool:
    figures = declared_figures(script)
    if args.only and not any(matches(f, args.only) for f in figures):
        return True
    log(f"{script.name} --db {args.db}")
    process = subprocess.Popen(
        [PYTHON, str(script), "--db", args.db], cwd=ROOT, stdout=subprocess.PIPE, text=True, env=os.environ
    )
    for line in process.stdout:
        try:
            name = json.loads(line).get("name", "")
        except ValueError:
            name = None
        if name is None:
            print(line, end="", file=sys.stderr)
        elif name.startswith(args.only):
            print(line, end="", flush=True)
    return process.wait() == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default="", help="run only the figures whose name starts with this")
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per throughput measurement")
    parser.add_argument("--clients", type=int, default=8, help="concurrent keep-alive clients")
    parser.add_argument("--requests", type=int, default=20_000, help="at most this many requests per measurement")
    parser.add_argument("--fresh", action="store_true", help="rebuild the benchmark databases")
    args = parser.parse_args()
    wanted = [f for f in FIGURES if f.startswith(args.only)]
    others = [f for script in other_scripts() for f in declared_figures(script)]
    if not wanted and not any(matches(f, args.only) for f in others):
        known = FIGURES + others
        parser.error(f"no figure starts with {args.only!r}; figures: {', '.join(known)}")
    needs_throughput = any(f.startswith("home_throughput.") for f in wanted)
    needs_queries = any(f.startswith("queries.") for f in wanted)

    if wanted:
        collect_static()
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    for db in dbs if wanted else []:
        small = prepare(db, SMALL, args.fresh)
        if small is None:
            continue
        if needs_throughput:
            bench_throughput(db, small, wanted, args)
        if needs_queries:
            large = prepare(db, LARGE, args.fresh)
            if large is not None:
                bench_queries(db, small, large, wanted)
    failed = [script.name for script in other_scripts() if not run_script(script, args)]
    if failed:
        raise SystemExit(f"benchmark scripts failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
