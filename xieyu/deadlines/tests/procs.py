"""Run from the concurrency tests as separate processes on a shared SQLite file (XIEYU_DATABASE_URL).

python -m xieyu.deadlines.tests.procs seed <count>
python -m xieyu.deadlines.tests.procs sweep <now iso> <start at, unix seconds>
"""

import json
import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xieyu.settings")
os.environ.setdefault("XIEYU_DEMO", "1")

import django  # noqa: E402

django.setup()

import datetime  # noqa: E402

from xieyu.deadlines.workcalendar import TZ  # noqa: E402


def seed(count: int) -> dict:
    from django.conf import settings

    from xieyu.deadlines.services import deadline_start
    from xieyu.demo.personas import create_cast

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast, for the test only
    cast = create_cast()
    started = datetime.datetime(2026, 11, 16, 9, 0, tzinfo=TZ)
    for n in range(count):
        deadline_start(
            actor=None, target=("questions.question", str(n)), policy="question.default",
            school_class=cast.class_a1, owner=cast.teacher_he, started_at=started,
        )  # fmt: skip
    return {"seeded": count}


def sweep(now_iso: str, start_at: float) -> dict:
    from django.db import connection

    from xieyu.deadlines.services import deadline_sweep

    connection.ensure_connection()
    time.sleep(max(0.0, start_at - time.time()))  # both processes start together
    return deadline_sweep(actor=None, now=datetime.datetime.fromisoformat(now_iso), batch_size=5).as_dict()


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "seed":
        out = seed(int(args[0]))
    else:
        out = sweep(args[0], float(args[1]))
    print(json.dumps(out))
