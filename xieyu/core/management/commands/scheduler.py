"""`manage.py scheduler`: run periodic jobs (each enqueues a background task) until SIGINT or SIGTERM."""

import signal
import threading

from django.core.management.base import BaseCommand

from xieyu.core.scheduler import Scheduler, autodiscover


class Command(BaseCommand):
    help = "Run the periodic jobs every module registers in its schedule.py (safe to run several at once)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run the jobs that are due now, then exit.")
        parser.add_argument("--tick", type=float, default=1.0, help="Longest sleep between checks, in seconds.")
        parser.add_argument("--holder", default=None, help="This scheduler's id in the lease rows.")

    def handle(self, *args, once=False, tick=1.0, holder=None, **options):
        scheduler = Scheduler(jobs=autodiscover(), holder=holder)
        if once:
            ran = scheduler.run_due()
            self.stdout.write(f"{scheduler.holder} ran: {', '.join(ran) or '-'}")
            return
        stop = threading.Event()

        def request_stop(signum, frame):
            self.stdout.write(f"{scheduler.holder}: stopping on signal {signum}")
            stop.set()

        previous = {s: signal.signal(s, request_stop) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            scheduler.loop(stop, tick=tick)
        finally:
            for s, handler in previous.items():
                signal.signal(s, handler)
        self.stdout.write(f"{scheduler.holder}: stopped")
