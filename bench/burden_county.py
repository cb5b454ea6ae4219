"""The county's burden page (burden:county) at scale 1 and 10: its time and its query count.

    python bench/burden_county.py [--db sqlite|postgres|both] [--repeat N]

Figures:

- burden_county.scale_ratio: the page's median time in the scale-10 county over its median time in the scale-1
  county (`ratio`, target <= 2): the page reads the week rollups kept per class, school and county, never the
  diaries, so ten times the families must not cost twice the time.
- queries.burden_county: the page's query count as the county admin (陈建国) at both scales; the two should be equal.

Both counties are the benchmark databases of bench/run.py (seeded once, reused; seed_demo writes eight weeks of
diaries and their rollups). The rollups are reconciled first in each (as the scheduler does every hour); only the
page is measured, whose reconciliation time is reported on stderr.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import emit, logger  # noqa: E402
from scaled_page import main, measure_page, queries_figure, ratio_figure  # noqa: E402

log = logger("burden_county")


def child(repeat: int) -> None:
    from django.urls import reverse

    from xieyu.burden.watch.services import reconcile_recent

    measure_page(repeat=repeat, path=lambda cast: reverse("burden:county", args=[cast.county.pk]),
                 refresh=lambda cast: reconcile_recent(county=cast.county))  # fmt: skip


def figures(db: str, small: dict, large: dict) -> list[dict]:
    return [ratio_figure("burden_county.scale_ratio", db, small, large),
            queries_figure("queries.burden_county", db, small, large)]  # fmt: skip


if __name__ == "__main__":
    sys.exit(main(__file__, __doc__, child, figures, log, emit))
