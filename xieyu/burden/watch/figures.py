"""How a diary answer becomes a figure: each metric's value, its line for a grade, its histogram edges, and the
median of a unit computed exactly (a class, from its answers) or from histograms (a grade, a school, a county).

Bedtime is counted in minutes after noon, so 21:20 is 560 and 00:30 is 750: later is larger, across midnight.
"""

from __future__ import annotations

import bisect
import datetime
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings

from ..limits import Limits, Metric, limits_for

MINUTE_EDGES = [0, 1, 15, 30, 45, 60, 75, 90, 105, 120, 150, 180, 240]
EDGES: dict[str, list[int]] = {
    Metric.HOMEWORK: MINUTE_EDGES,
    Metric.SCREEN: MINUTE_EDGES,
    Metric.OUTDOOR: MINUTE_EDGES,
    Metric.READING: MINUTE_EDGES,
    Metric.SLEEP: [0, 420, 450, 480, 510, 540, 570, 600, 630, 660, 690, 720],
    Metric.BEDTIME: [0, 480, 510, 540, 560, 580, 600, 630, 660, 690, 720, 780],
    Metric.PHONE_TO_SCHOOL: [0, 1],
}
METRICS = [Metric.HOMEWORK, Metric.SLEEP, Metric.BEDTIME, Metric.SCREEN, Metric.PHONE_TO_SCHOOL, Metric.OUTDOOR,
           Metric.READING]  # fmt: skip
# The metrics a class is flagged on (those with a national line).
FLAGGED = [Metric.HOMEWORK, Metric.SLEEP, Metric.BEDTIME, Metric.PHONE_TO_SCHOOL, Metric.OUTDOOR]


def flag_share() -> float:
    """The share of known answers over the line that flags a week (BURDEN_FLAG_SHARE, 0.5 by default)."""
    return float(getattr(settings, "BURDEN_FLAG_SHARE", 0.5))


def min_sample() -> int:
    return int(getattr(settings, "SMALL_CELL", 5))


def after_noon(t: datetime.time) -> int:
    return (t.hour * 60 + t.minute - 720) % 1440


def clock_text(minutes_after_noon: float) -> str:
    m = int(round(minutes_after_noon) + 720) % 1440
    return f"{m // 60:02d}:{m % 60:02d}"


def value_of(diary, metric: str) -> float | None:
    """The diary's value for a metric (None: not known)."""
    if metric == Metric.HOMEWORK:
        return diary.homework_minutes
    if metric == Metric.SLEEP:
        return diary.sleep_minutes
    if metric == Metric.BEDTIME:
        return None if diary.bedtime is None else after_noon(diary.bedtime)
    if metric == Metric.SCREEN:
        return diary.screen_minutes
    if metric == Metric.PHONE_TO_SCHOOL:
        return None if diary.phone_to_school is None else int(diary.phone_to_school)
    if metric == Metric.OUTDOOR:
        return diary.outdoor_minutes
    if metric == Metric.READING:
        return diary.reading_minutes
    raise ValueError(metric)


@dataclass(frozen=True)
class Line:
    """A metric's line for a grade: `value` in the metric's unit; `above` True when over means more than it."""

    value: int
    above: bool

    def over(self, x: float) -> bool:
        return x > self.value if self.above else x < self.value


def line_for(metric: str, limits: Limits | None) -> Line | None:
    if limits is None:
        return None
    if metric == Metric.HOMEWORK:
        return None if limits.homework_minutes is None else Line(limits.homework_minutes, True)
    if metric == Metric.SLEEP:
        return Line(limits.sleep_minutes, False)
    if metric == Metric.BEDTIME:
        return Line(after_noon(limits.bedtime), True)
    if metric == Metric.PHONE_TO_SCHOOL:
        return None if limits.phone_to_school else Line(0, True)
    if metric == Metric.OUTDOOR:
        return Line(limits.outdoor_minutes, False)
    return None


def line_from(metric: str, limit: int | None) -> Line | None:
    """The line stored on a rollup row (its `limit`), with its direction."""
    if limit is None:
        return None
    return Line(limit, metric not in (Metric.SLEEP, Metric.OUTDOOR))


def line_for_level(metric: str, level: int) -> Line | None:
    return line_for(metric, limits_for(level))


def histogram(metric: str, values: Iterable[float]) -> list[int]:
    edges = EDGES[metric]
    bins = [0] * len(edges)
    for v in values:
        bins[max(0, bisect.bisect_right(edges, v) - 1)] += 1
    return bins


def add_bins(a: Sequence[int], b: Sequence[int]) -> list[int]:
    if not a:
        return list(b)
    if not b:
        return list(a)
    return [x + y for x, y in zip(a, b, strict=True)]


def quantile_from_bins(metric: str, bins: Sequence[int], q: float) -> float | None:
    """The q-quantile of a histogram, interpolated linearly inside its bin (the last bin is as wide as the one
    before it)."""
    n = sum(bins)
    if not n:
        return None
    edges = EDGES[metric]
    target = q * n
    cum = 0
    for i, count in enumerate(bins):
        if count and cum + count >= target:
            lo = edges[i]
            hi = edges[i + 1] if i + 1 < len(edges) else edges[i] + (edges[i] - edges[i - 1] if i else 1)
            return lo + (hi - lo) * ((target - cum) / count)
        cum += count
    return float(edges[-1])


@dataclass
class Figures:
    n_answered: int
    n_known: int
    n_over: int | None
    median: float | None
    p25: float | None
    p75: float | None
    bins: list[int]


def exact(metric: str, values: Sequence[float], n_answered: int, line: Line | None) -> Figures:
    """A class's figures from its answers' known values."""
    vals = sorted(values)
    p25: float | None
    p75: float | None
    if len(vals) >= 2:
        p25, _m, p75 = statistics.quantiles(vals, n=4, method="inclusive")
    else:
        p25 = p75 = vals[0] if vals else None
    return Figures(
        n_answered=n_answered,
        n_known=len(vals),
        n_over=None if line is None else sum(1 for v in vals if line.over(v)),
        median=float(statistics.median(vals)) if vals else None,
        p25=p25,
        p75=p75,
        bins=histogram(metric, vals),
    )


def from_bins(metric: str, bins: list[int], n_answered: int, n_over: int | None) -> Figures:
    """A larger unit's figures from its classes' histograms."""
    return Figures(
        n_answered=n_answered,
        n_known=sum(bins),
        n_over=n_over,
        median=quantile_from_bins(metric, bins, 0.5),
        p25=quantile_from_bins(metric, bins, 0.25),
        p75=quantile_from_bins(metric, bins, 0.75),
        bins=bins,
    )


def beyond(metric: str, figures, line: Line | None) -> bool | None:
    """Is this week over the line (median beyond it, or a share at or above the flag share)? None: no line, or too
    few known answers to say. A yes/no question (the phone taken to school) counts by its share only."""
    if line is None or figures.n_known < min_sample():
        return None
    share = (figures.n_over or 0) / figures.n_known
    median_over = metric != Metric.PHONE_TO_SCHOOL and figures.median is not None and line.over(figures.median)
    return median_over or share >= flag_share()


def monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())
