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


def main_for(doc: str, *, size: str, size_default: int, repeat_default: int, child, run_child) -> int:
    """The command line of a benchmark that runs one child process per database: `--db`, a size, `--repeat`.

    The parent calls run_child(db, size, repeat) for each database; each child (`--child DB`, set by the parent)
    calls child(db, size, repeat) against the scratch database the parent prepared.
    """
    import argparse

    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument(f"--{size}", dest="size", type=int, default=size_default)
    parser.add_argument("--repeat", type=int, default=repeat_default)
    parser.add_argument("--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.size, args.repeat)
        return 0
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    return max(run_child(db, args.size, args.repeat) for db in dbs)


def bench_families(school, *, count: int, level: int, classes: int, number_prefix: str, relationship: str):
    """Inside Django: `count` families at `school` (grade `level`, spread over `classes` new classes), each a
    confirmed child and one guardian with an account; returns (users, guardians, students), in the same order."""
    import datetime

    from xieyu.accounts.models import User
    from xieyu.directory.models import Guardian, Guardianship, Student
    from xieyu.directory.services import class_create

    grade = school.grades.get(level=level)
    rooms = [class_create(actor=None, grade=grade, name=f"{i}班") for i in range(1, classes + 1)]
    users = User.objects.bulk_create(
        [User(phone=f"139{i:08d}", name=f"家长{i}", password="!") for i in range(count)],  # noqa: S106 — unusable
        batch_size=500,
    )
    guardians = Guardian.objects.bulk_create(
        [Guardian(name=u.name, phone=u.phone, user=u) for u in users], batch_size=500
    )
    students = Student.objects.bulk_create(
        [Student(name=f"学生{i}", gender="F", birth_date=datetime.date(2015, 3, 1), student_number=f"{number_prefix}{i:06d}",
                 school=school, school_class=rooms[i % classes]) for i in range(count)],
        batch_size=500,
    )  # fmt: skip
    Guardianship.objects.bulk_create(
        [Guardianship(student=s, guardian=g, relationship=relationship, status="confirmed")
         for s, g in zip(students, guardians, strict=True)],
        batch_size=500,
    )  # fmt: skip
    return users, guardians, students


def bench_tokens(users) -> list[str]:
    """Inside Django: one live API token per user (its password stamp set, as the login gives it); the plain tokens."""
    import hashlib

    from xieyu.accounts.models import ApiToken
    from xieyu.accounts.tokens import _digest, password_stamp

    plain = ["xy_bench" + hashlib.sha256(u.phone.encode()).hexdigest()[:32] for u in users]
    ApiToken.objects.bulk_create(
        [ApiToken(user=u, name="bench", digest=_digest(p), password_stamp=password_stamp(u))
         for u, p in zip(users, plain, strict=True)],
        batch_size=500,
    )  # fmt: skip
    return plain
