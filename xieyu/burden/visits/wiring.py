"""What the visits subdomain connects when the app loads: the notices' "reached otherwise" hook (a family reached by
a recent home visit is not 未触达), the nightly coverage recount."""

from __future__ import annotations

# A visit in the last REACH_DAYS days counts a family without any channel as reached in notices' receipts.
REACH_DAYS = 30
COVERAGE_EVERY_SECONDS = 6 * 60 * 60


def _reached_by_visit(student_ref: str):
    from .access import recently_visited

    return recently_visited(student_ref, REACH_DAYS)


def connect() -> None:
    from xieyu.core.scheduler import register
    from xieyu.notices.reach import register_reached_otherwise

    from .tasks import visit_coverage_refresh_all

    register_reached_otherwise("burden.home_visit", _reached_by_visit)
    register("burden.visit_coverage", every=COVERAGE_EVERY_SECONDS, enqueue=visit_coverage_refresh_all.enqueue)
