"""Turn the metrics' raw counts into stored figures: add classes up to schools and schools up to the county, suppress
what is about children, and write one `Figure` per metric × unit for the semester (replacing that semester's rows).

Suppression of a rate about children is done top down so that the levels agree and no level undoes another:

1. the county's table of schools × (counted, not counted) goes through `core.suppression.suppress` (cells under 5
   and every complement that a row, a column or the totals would give away); the county's figure is its totals
   row, each school's figure its row;
2. each school's table of classes × (counted, not counted) goes through the same helper, and is kept only if its
   totals row is shown in full and agrees with the school's shown row; otherwise every class of that school is
   hidden (a class is then never the difference between a shown school and its other shown classes).

A mean about children (an appraisal score) is hidden for a unit of fewer than 5 answers, and when only one unit of
a parent would be hidden, the next smallest is hidden with it, so the parent minus the others gives nothing away.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from xieyu.core.suppression import suppress, suppress_one, threshold_default
from xieyu.directory.models import Region, SchoolClass
from xieyu.parentschool.semester import Semester

from .metrics import CLASS, COUNT, COUNTY, MEAN, METRICS, RATE, SCHOOL, Counts, Metric
from .models import Figure

Shown = tuple[int | None, int | None]  # numerator, denominator (None: hidden)


def _sum(counts: Counts, parent_of: dict[int, int]) -> Counts:
    out: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for unit, (n, d) in counts.items():
        p = parent_of.get(unit)
        if p is not None:
            out[p][0] += n
            out[p][1] += d
    return {k: (v[0], v[1]) for k, v in out.items()}


def _suppress_rate_table(counts: Counts) -> tuple[dict[int, Shown], Shown]:
    """Rows: the units; columns: counted, not counted. Returns each unit's shown pair and the totals' pair."""
    ids = sorted(counts)
    if not ids:
        return {}, (None, None)
    table = suppress([str(i) for i in ids], ["yes", "no"], [[n, max(d - n, 0)] for n, d in (counts[i] for i in ids)])
    rows = {
        i: (table.cells[k][0].value, table.row_totals[k].value)
        for k, i in enumerate(ids)
    }  # fmt: skip
    return rows, (table.col_totals[0].value, table.grand_total.value)


def suppress_rates(
    school_counts: Counts, class_counts: Counts | None, school_of: dict[int, int]
) -> tuple[Shown, dict[int, Shown], dict[int, Shown]]:
    """(county, {school: shown}, {class: shown}) for a rate about children, suppressed top down (module notes)."""
    schools, county = _suppress_rate_table(school_counts)
    classes: dict[int, Shown] = {}
    if class_counts is not None:
        by_school: dict[int, Counts] = defaultdict(dict)
        for c, v in class_counts.items():
            if c in school_of:
                by_school[school_of[c]][c] = v
        for s, cc in by_school.items():
            shown_row = schools.get(s, (None, None))
            own, totals = _suppress_rate_table(cc)
            if None in shown_row or totals != shown_row:
                own = dict.fromkeys(cc, (None, None))
            classes.update(own)
    return county, schools, classes


def suppress_means(counts: Counts, parent_of: dict[int, int] | None) -> set[int]:
    """The units whose mean is hidden: fewer answers than the threshold, plus one more where a parent has one."""
    t = threshold_default()
    hidden = {u for u, (_n, d) in counts.items() if d < t}
    if parent_of is None:
        return hidden
    groups: dict[int, list[int]] = defaultdict(list)
    for u in counts:
        groups[parent_of.get(u, -1)].append(u)
    for members in groups.values():
        inside = [u for u in members if u in hidden]
        if len(inside) == 1 and len(members) > 1:
            others = sorted((counts[u][1], u) for u in members if u not in hidden)
            hidden.add(others[0][1])
    return hidden


def _value(metric: Metric, n: int | None, d: int | None) -> float | None:
    if n is None:
        return None
    if metric.kind == COUNT:
        return n / metric.scale
    if d is None or d == 0:
        return None
    if metric.kind == MEAN:
        return n / d / metric.scale
    return n / d


def county_figures(county: Region, sem: Semester, now: datetime.datetime, keys: set[str] | None = None) -> list[Figure]:
    """Every metric of the county for the semester (or those in `keys`), as unsaved figures (a few grouped queries
    per metric). Each metric is suppressed on its own, so a subset gives the same figures as the whole."""
    classes = list(SchoolClass.objects.filter(school__county=county).values_list("pk", "school_id"))
    school_of = dict(classes)
    school_ids = list(county.schools.values_list("pk", flat=True))
    county_of = dict.fromkeys(school_ids, county.pk)
    out: list[Figure] = []
    counted: set[tuple[str, str, int]] = set()  # (metric, level, unit) where something was counted (raw)

    def add(metric: Metric, level: str, unit: int, pair: Shown, suppressed: bool) -> None:
        n, d = pair
        out.append(Figure(
            metric=metric.key, level=level, unit_id=unit, county=county,
            school_id=unit if level == SCHOOL else school_of.get(unit) if level == CLASS else None,
            school_class_id=unit if level == CLASS else None, period=sem.code,
            numerator=n, denominator=d, value=_value(metric, n, d), suppressed=suppressed, computed_at=now,
        ))  # fmt: skip

    for metric in METRICS.values():
        if keys is not None and metric.key not in keys:
            continue
        raw = metric.compute(county, sem, now)
        class_counts = raw if metric.level == CLASS else None
        if metric.level == CLASS:
            school_counts = _sum(raw, school_of)
        elif metric.level == SCHOOL:
            school_counts = raw
        else:
            school_counts = {}
        for s in school_ids if metric.level != COUNTY else []:
            school_counts.setdefault(s, (0, 0) if metric.kind != COUNT else (0, 1))
        if metric.level == COUNTY:
            county_raw = raw.get(county.pk, (0, 0))
        elif metric.kind == COUNT and metric.target is not None:
            county_raw = (sum(1 for n, _d in school_counts.values() if n >= metric.target), len(school_counts))
        else:
            county_raw = _sum(school_counts, county_of).get(county.pk, (0, 0))
            if metric.kind == COUNT:
                county_raw = (county_raw[0], len(school_counts))

        for s, (n, d) in school_counts.items():
            if n or (d and metric.kind != COUNT):
                counted.add((metric.key, SCHOOL, s))
        for c, (n, d) in (class_counts or {}).items():
            if n or (d and metric.kind != COUNT):
                counted.add((metric.key, CLASS, c))
        if metric.children and metric.kind == RATE:
            if metric.level == COUNTY:
                t = suppress_one(["yes", "no"], [county_raw[0], max(county_raw[1] - county_raw[0], 0)])
                c_shown: Shown = (t.cells[0][0].value, t.grand_total.value)
                s_shown: dict[int, Shown] = {}
                k_shown: dict[int, Shown] = {}
            else:
                c_shown, s_shown, k_shown = suppress_rates(school_counts, class_counts, school_of)
            add(metric, COUNTY, county.pk, c_shown, None in c_shown)
            for s, v in s_shown.items():
                add(metric, SCHOOL, s, v, None in v)
            for c, v in k_shown.items():
                add(metric, CLASS, c, v, None in v)
            continue
        hidden_s: set[int] = set()
        hidden_c: set[int] = set()
        county_hidden = False
        if metric.children and metric.kind == MEAN:
            if class_counts is not None:
                hidden_c = suppress_means(class_counts, school_of)
            hidden_s = suppress_means(school_counts, county_of)
            county_hidden = bool(suppress_means({county.pk: county_raw}, None))
            # a school whose classes would give a hidden class away hides its classes
            for c in list(class_counts or {}):
                if school_of.get(c) in hidden_s:
                    hidden_c.add(c)
        add(metric, COUNTY, county.pk, (None, None) if county_hidden else county_raw, county_hidden)
        for s, v in school_counts.items():
            add(metric, SCHOOL, s, (None, None) if s in hidden_s else v, s in hidden_s)
        for c, v in (class_counts or {}).items():
            if c in school_of:
                add(metric, CLASS, c, (None, None) if c in hidden_c else v, c in hidden_c)
        if class_counts is not None:  # classes with nothing counted yet still have a figure
            seen = set(class_counts)
            for c, _s in classes:
                if c not in seen:
                    add(metric, CLASS, c, (None, None) if metric.children else (0, 0), metric.children)
    _coverage_and_rank(out, school_ids, school_of, counted)
    return out


def _coverage_and_rank(
    figures: list[Figure], school_ids: list[int], school_of: dict[int, int], has: set[tuple[str, str, int]]
) -> None:
    """Coverage of each county and school figure (how many of its schools or classes counted anything: a count of
    units, not of children), and the schools furthest behind each target, ranked 1, 2, …"""
    classes_of: dict[int, int] = defaultdict(int)
    for s in school_of.values():
        classes_of[s] += 1
    counted: dict[tuple[str, str, int], int] = defaultdict(int)  # (metric, parent level, parent id) → units counted
    for metric_key, level, unit in has:
        if level == SCHOOL:
            counted[(metric_key, COUNTY, 0)] += 1
        elif unit in school_of:
            counted[(metric_key, SCHOOL, school_of[unit])] += 1
    behind: dict[str, list[Figure]] = defaultdict(list)
    for f in figures:
        metric = METRICS[f.metric]
        if f.level == COUNTY:
            f.units_total = len(school_ids)
            f.units_counted = counted[(f.metric, COUNTY, 0)] if metric.level != COUNTY else 1
            f.units_total = f.units_total if metric.level != COUNTY else 1
        elif f.level == SCHOOL:
            f.units_total = classes_of.get(f.unit_id, 0) if metric.level == CLASS else 1
            f.units_counted = counted[(f.metric, SCHOOL, f.unit_id)] if metric.level == CLASS else 1
            if metric.ranked and f.value is not None and metric.target is not None and f.value < metric.target:
                behind[f.metric].append(f)
        else:
            f.units_total, f.units_counted = 1, 1
    for items in behind.values():
        items.sort(key=lambda f: (f.value, -(f.denominator or 0), f.unit_id))
        for place, f in enumerate(items, start=1):
            f.rank = place
