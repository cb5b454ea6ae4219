"""The public column through gunicorn, without login, beside the trivial view /ping measured the same way just
before it (the scale-1 demo county prepared by bench/run.py):

- column_public.list: requests per second of the public column's list (/column/, anonymous); ratio >= 0.5
- column_public.article: requests per second of one public article's page (its reading counted each time)

    python bench/column_public.py [--db sqlite|postgres|both] [--duration S] [--clients N]
"""

from __future__ import annotations

import argparse
import json

from common import emit, logger
from run import BASELINE_PATH, Server, collect_static, get, prepare, throughput

log = logger("column_public")


def bench(db: str, args) -> None:
    url = prepare(db, 1, False)
    if url is None:
        return
    with Server(url, db) as server:
        status, body = get(server.port, "/api/v1/column/public?page_size=1", {})
        items = json.loads(body).get("items", []) if status == 200 else []
        if not items:
            emit({"name": "column_public.list", "db": db, "error": "the demo county has no public article "
                  "(re-seed the benchmark databases: bench/run.py --fresh)"})  # fmt: skip
            return
        paths = {"list": "/column/", "article": f"/column/a/{items[0]['id']}/"}
        measure = {"clients": args.clients, "seconds": args.duration, "limit": 100_000}
        for name, path in paths.items():
            figure = {"name": f"column_public.{name}", "db": db, "value": None, "unit": "req/s", "target": ">= 0.5"}
            status, _ = get(server.port, path, {})
            if status != 200:
                emit(figure | {"error": f"GET {path} answered {status}"})
                continue
            throughput(server.port, path, {}, clients=args.clients, seconds=1, limit=500)  # warm
            base = throughput(server.port, BASELINE_PATH, {}, **measure)
            work = throughput(server.port, path, {}, **measure)
            figure |= {"value": work["rps"], "baseline": base["rps"], "ratio": round(work["rps"] / base["rps"], 2),
                       "path": path}  # fmt: skip
            if work["failures"] or base["failures"]:
                figure["failures"] = work["failures"] + base["failures"]
            emit(figure)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--duration", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    collect_static()
    for db in ("sqlite", "postgres") if args.db == "both" else (args.db,):
        bench(db, args)


if __name__ == "__main__":
    main()
