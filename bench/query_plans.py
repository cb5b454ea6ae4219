"""Index scans at scale (not a test): the plan of every query the benchmark pages run, on PostgreSQL at scale 10.

    python bench/query_plans.py [--db postgres]

Figures, one JSON object per line on stdout (progress on stderr):

- query_plans.<page>: each page of bench/pages.py requested in-process (Django's test client) against the scale-10
  demo county on PostgreSQL (300,000 students), every SELECT it ran EXPLAINed after ANALYZE: `queries`, how many;
  `value`, how many read a table of over 10,000 rows by a sequential scan (target 0); `seq_scans`, those tables with
  the query's first words, so the missing index can be found.

SQLite has no comparable planner statistics: the script measures PostgreSQL only (`--db sqlite` prints nothing).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, emit, logger  # noqa: E402
from run import env_for, prepare  # noqa: E402

log = logger("plans")
BIG = 10_000


def walk(node: dict):
    yield node
    for child in node.get("Plans", []):
        yield from walk(child)


def child() -> None:
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xieyu.settings")
    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from inprocess import targets

    settings.ALLOWED_HOSTS.append("testserver")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("SELECT relname, reltuples FROM pg_class WHERE relkind = 'r'")
        rows = {name: int(n) for name, n in cursor.fetchall()}
    out = {}
    for name, target in targets().items():
        client = Client()
        client.cookies[settings.SESSION_COOKIE_NAME] = target["session"]
        client.get(target["path"])
        with CaptureQueriesContext(connection) as ctx:
            status = client.get(target["path"]).status_code
        selects = [q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
        found = []
        with connection.cursor() as cursor:
            for sql in selects:
                cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
                plan = cursor.fetchone()[0]
                plan = json.loads(plan) if isinstance(plan, str) else plan
                for node in walk(plan[0]["Plan"]):
                    table = node.get("Relation Name")
                    if node.get("Node Type") == "Seq Scan" and rows.get(table, 0) > BIG:
                        found.append({"table": table, "rows": rows[table], "query": " ".join(sql.split())[:160]})
        out[name] = {"status": status, "queries": len(selects), "seq_scans": found}
    print(json.dumps(out, ensure_ascii=False))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child()
        return 0
    if args.db == "sqlite":
        return 0
    url = prepare("postgres", 10, False)
    if url is None:
        return 0
    result = subprocess.run([sys.executable, __file__, "--child"], env=env_for(url), cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout.strip().splitlines()[-1]  # fmt: skip
    for name, page in json.loads(result).items():
        emit({"name": f"query_plans.{name}", "db": "postgres", "value": len(page["seq_scans"]), "unit": "seq scans",
              "queries": page["queries"], "status": page["status"], "seq_scans": page["seq_scans"],
              "target": "0 sequential scans of tables over 10,000 rows", "scale": 10})  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
