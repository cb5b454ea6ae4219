"""Create the demo county: the named cast and a county's worth of made-up schools, children and families."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from xieyu.demo.county import seed_county
from xieyu.demo.personas import COUNTY_CODE
from xieyu.directory.models import Region


class Command(BaseCommand):
    help = "Create the demo county (named cast plus ~40 schools and 30,000 students per unit of scale). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="size multiplier (default 1: one county)")
        parser.add_argument("--schools", type=int, help="exact number of generated schools (tests, quick tries)")
        parser.add_argument("--students", type=int, help="exact number of generated students (tests, quick tries)")

    def handle(self, *args, scale: float, schools: int | None, students: int | None, **options):
        if not (settings.DEMO_MODE or settings.DEBUG):
            raise CommandError(
                "seed_demo creates made-up people and a published password; it runs only with XIEYU_DEMO=1 "
                "or XIEYU_DEBUG=1, never in production."
            )
        if scale <= 0:
            raise CommandError("--scale must be positive")
        if Region.objects.filter(code=COUNTY_CODE).exists():
            self.stdout.write("The demo county already exists; nothing to do.")
            return
        started = time.monotonic()
        self.stdout.write(f"Seeding the demo county (scale {scale:g}) …")

        def progress(message: str) -> None:
            self.stdout.write(f"  [{time.monotonic() - started:6.1f}s] {message}")
            self.stdout.flush()

        _, stats = seed_county(scale=scale, schools=schools, students=students, progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo county ready in {time.monotonic() - started:.1f}s: {stats.schools} generated schools, "
                f"{stats.classes} classes, {stats.students} students, {stats.households} households "
                f"({stats.left_behind_households} left-behind), {stats.guardians} guardians "
                f"({stats.guardians_without_phone} without a phone, {stats.joined} joined), {stats.staff} staff."
            )
        )
