"""The county's care figures page (care:figures) at scale 1 and 10: its query count and its time.

    python bench/care_figures.py [--db sqlite|postgres|both] [--repeat N]

Figures:

- queries.care_figures: the figures page's query count as the county admin (陈建国) in the scale-1 and the scale-10
  county (Django's test client and CaptureQueriesContext, in-process); the two should be equal.
- time_ratio.care_figures: the page's median time in the scale-10 county over its median time in the scale-1 county
  (`ratio`, target <= 2): the page reads the stored rollups, so ten times the children must not cost twice the time.

Both counties are the benchmark databases of bench/run.py (seeded once, reused). The rollups are computed first in
each (rollup_refresh, as the scheduler does every 15 minutes); only the page is measured, never the computation,
whose time is reported on stderr.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import emit, logger  # noqa: E402
from scaled_page import main, measure_page, queries_figure, ratio_figure  # noqa: E402

log = logger("care_figures")


def child(repeat: int) -> None:
    from django.urls import reverse

    from xieyu.care.figures.services import rollup_refresh

    measure_page(repeat=repeat, path=lambda cast: reverse("care:figures"),
                 refresh=lambda cast: rollup_refresh(actor=None, county=cast.county))  # fmt: skip


def figures(db: str, small: dict, large: dict) -> list[dict]:
    return [queries_figure("queries.care_figures", db, small, large),
            ratio_figure("time_ratio.care_figures", db, small, large)]  # fmt: skip


if __name__ == "__main__":
    sys.exit(main(__file__, __doc__, child, figures, log, emit))
