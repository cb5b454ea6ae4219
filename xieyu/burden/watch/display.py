"""What the burden pages show of a rollup row: formatted figures, the share over the line through the small-cell
suppression helper, and bars scaled to each metric's axis. "样本不足" (too few answers) below the small-cell line."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from xieyu.core.suppression import suppress_one

from ..limits import Metric
from . import figures as fig
from .models import WeekRollup

AXIS: dict[str, tuple[int, int]] = {Metric.HOMEWORK: (0, 180), Metric.SCREEN: (0, 180), Metric.OUTDOOR: (0, 180), Metric.READING: (0, 120),
        Metric.SLEEP: (420, 720), Metric.BEDTIME: (480, 780), Metric.PHONE_TO_SCHOOL: (0, 1)}  # fmt: skip


def weeks_ending(last: datetime.date, n: int = 8) -> list[datetime.date]:
    return [last - datetime.timedelta(days=7 * i) for i in range(n - 1, -1, -1)]


def shown_week(on: datetime.date | None = None) -> datetime.date:
    """The week the pages lead with: the last week that has ended."""
    return fig.monday(on or fig_today()) - datetime.timedelta(days=7)


def fig_today() -> datetime.date:
    from django.utils import timezone

    return timezone.localdate()


def value_text(metric: str, v: float | None) -> str:
    if v is None:
        return "—"
    if metric == Metric.BEDTIME:
        return fig.clock_text(v)
    if metric == Metric.SLEEP:
        return _("%(h)sh %(m)smin") % {"h": int(v) // 60, "m": int(round(v)) % 60}
    return _("%(n)s min") % {"n": int(round(v))}


def pct(metric: str, v: float | None) -> float:
    lo, hi = AXIS[metric]
    if v is None:
        return 0.0
    return max(0.0, min(100.0, (v - lo) * 100.0 / (hi - lo)))


@dataclass
class Shown:
    """One row as a page shows it."""

    metric: str
    label: str
    enough: bool
    n_answered: int
    n_known: int
    median: str
    p25: str
    p75: str
    limit: str
    share: str  # "62%", or a suppression mark
    over_cell: str
    beyond: bool | None
    box_left: float
    box_width: float
    median_at: float
    limit_at: float | None
    week: datetime.date | None


def shown(row: WeekRollup | None, metric: str) -> Shown:
    label = str(Metric(metric).label)
    if row is None or row.n_known < fig.min_sample():
        return Shown(metric, label, False, row.n_answered if row else 0, row.n_known if row else 0, "", "", "",
                     value_text(metric, row.limit) if row and row.limit is not None else "", "", "", None, 0, 0, 0,
                     None, row.week if row else None)  # fmt: skip
    share, over_cell = "", ""
    if row.n_over is not None:
        table = suppress_one(["within", "over"], [row.n_known - row.n_over, row.n_over])
        within, over = table.cells[0]
        over_cell = over.display
        share = f"{round(100 * row.n_over / row.n_known)}%" if not (within.hidden or over.hidden) else over.display
    line = fig.line_from(metric, row.limit)
    lo, hi = pct(metric, row.p25), pct(metric, row.p75)
    limit_text = ""
    if row.limit is not None:
        limit_text = _("yes: none allowed") if metric == Metric.PHONE_TO_SCHOOL else value_text(metric, row.limit)
    return Shown(
        metric=metric, label=label, enough=True, n_answered=row.n_answered, n_known=row.n_known,
        median=value_text(metric, row.median) if metric != Metric.PHONE_TO_SCHOOL else "",
        p25=value_text(metric, row.p25), p75=value_text(metric, row.p75), limit=limit_text, share=share,
        over_cell=over_cell, beyond=fig.beyond(metric, row, line), box_left=lo, box_width=max(1.0, hi - lo),
        median_at=pct(metric, row.median), limit_at=pct(metric, row.limit) if row.limit is not None else None,
        week=row.week,
    )  # fmt: skip
