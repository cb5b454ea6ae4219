"""First paint on a rural network, and the staff pages' first byte (not a test: a measurement).

    python bench/page_weight.py [--db sqlite|postgres|both] [--repeat N]

Figures, one JSON object per line on stdout (progress on stderr):

- page_weight.<page>: a guardian page (and the login page) in Chromium at 360 px under a rural profile (400 ms
  round trip, 400 kbit/s each way, CPU throttled 4×), served by gunicorn (`manage.py serve`) from the scale-1 demo
  county: `bytes`, everything a first visit transfers (the HTML and every stylesheet, script and image it loads,
  compressed as sent); `value`, the first contentful paint of that first visit in ms (target <= 1000); `repeat_ms`,
  the first contentful paint of a second visit with the browser's cache warm (target <= 500).
- ttfb.<page>: a staff page's time to first byte through gunicorn (median of --repeat GETs, ms, no throttling) at
  scale 1 (`value`) and at scale 10 (`large`); target <= 300 at both.

The databases are bench/run.py's (seeded once, reused).
"""

from __future__ import annotations

import argparse
import http.client
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import emit, logger  # noqa: E402
from pages import GUARDIAN_PAGES, PAGES  # noqa: E402
from run import Server, collect_static, inprocess, prepare  # noqa: E402

log = logger("page_weight")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]  # fmt: skip
RURAL = {"offline": False, "latency": 400, "downloadThroughput": 400_000 / 8, "uploadThroughput": 400_000 / 8}
CPU_SLOWDOWN = 4
FCP = "performance.getEntriesByName('first-contentful-paint').map(e => e.startTime)[0] ?? null"


def visit(context, url: str) -> tuple[float | None, float | None, int]:
    """FCP of a first visit, FCP of a repeat visit, and the bytes the first visit transferred."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", RURAL)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    sent: list[int] = []
    cdp.on("Network.loadingFinished", lambda e: sent.append(int(e.get("encodedDataLength", 0))))
    paints = []
    for n in range(2):
        page.goto(url, wait_until="load", timeout=120_000)
        page.wait_for_function("performance.getEntriesByName('first-contentful-paint').length > 0", timeout=60_000)
        paints.append(page.evaluate(FCP))
        if n == 0:
            first_bytes = sum(sent)
    page.close()
    return paints[0], paints[1], first_bytes


def ttfb(port: int, path: str, cookie: str, repeat: int) -> float:
    times = []
    for _ in range(repeat + 1):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        started = time.perf_counter()
        conn.request("GET", path, headers={"Cookie": cookie, "Accept-Encoding": "gzip, br"})
        response = conn.getresponse()
        times.append((time.perf_counter() - started) * 1000)
        response.read()
        conn.close()
        if response.status != 200:
            raise RuntimeError(f"GET {path} answered {response.status}")
    return round(statistics.median(times[1:]), 1)  # the first warms the process


def weights(db: str, url: str) -> None:
    from playwright.sync_api import sync_playwright

    targets = inprocess("sessions", url)
    cookie_name = targets["cookie_name"]
    with Server(url, db) as server, sync_playwright() as p:
        base = f"http://127.0.0.1:{server.port}"
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        wanted = [("login", "/login/", None)] + [
            (name, t["path"], t["session"]) for name, t in targets["pages"].items() if name in GUARDIAN_PAGES
        ]
        for name, path, session in wanted:
            context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN")
            if session:
                context.add_cookies([{"name": cookie_name, "value": session, "url": base}])
            first, repeat, sent = visit(context, base + path)
            context.close()
            emit({"name": f"page_weight.{name}", "db": db, "value": round(first or 0), "unit": "ms", "bytes": sent,
                  "repeat_ms": round(repeat or 0), "target": "<= 1000 first, <= 500 repeat",
                  "profile": "400 ms RTT, 400 kbit/s, CPU 4x"})  # fmt: skip
        browser.close()


def first_bytes(db: str, url: str, repeat: int) -> dict[str, float]:
    targets = inprocess("sessions", url)
    out = {}
    with Server(url, db) as server:
        for page in PAGES:
            if page.name in GUARDIAN_PAGES:
                continue
            t = targets["pages"][page.name]
            out[page.name] = ttfb(server.port, t["path"], f"{targets['cookie_name']}={t['session']}", repeat)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--skip-large", action="store_true", help="time the first byte at scale 1 only")
    args = parser.parse_args()
    collect_static()
    for db in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        small = prepare(db, 1, False)
        if small is None:
            continue
        weights(db, small)
        at_small = first_bytes(db, small, args.repeat)
        large = None if args.skip_large else prepare(db, 10, False)
        at_large = first_bytes(db, large, args.repeat) if large else {}
        for name, value in at_small.items():
            emit({"name": f"ttfb.{name}", "db": db, "value": value, "unit": "ms", "large": at_large.get(name),
                  "target": "<= 300"})  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
