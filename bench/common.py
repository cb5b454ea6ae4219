"""What the benchmark scripts share: where scratch databases live, and how figures are printed."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
POSTGRES = os.environ.get("XIEYU_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")


def logger(tag: str):
    """log(message) to stderr, prefixed with the script's tag."""

    def log(message: str) -> None:
        print(f"[bench {tag}] {message}", file=sys.stderr, flush=True)

    return log


def emit(figure: dict) -> None:
    """One figure: one JSON object on its own line of stdout (DESIGN.md, "Benchmarks")."""
    print(json.dumps(figure, ensure_ascii=False), flush=True)


def scratch_url(db: str, name: str, log) -> str | None:
    """An empty scratch database called `name` (a fresh SQLite file, or a re-created PostgreSQL database)."""
    if db == "sqlite":
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        path = BENCH_DIR / f"{name}.sqlite3"
        for leftover in BENCH_DIR.glob(f"{path.name}*"):
            leftover.unlink()
        return f"sqlite:///{path}"
    import psycopg

    pg_name = f"xieyu_bench_{name}"
    try:
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{pg_name}"')
    except psycopg.Error as exc:
        log(f"PostgreSQL unavailable at {POSTGRES}: {exc}")
        return None
    return f"{POSTGRES}/{pg_name}"
