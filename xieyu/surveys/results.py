"""A wave's figures, within the part of it the user may count: per-question distributions, answered and skipped per
school or class, dimension means, and the change between two waves on paired respondents (the same pseudonym in
both). Every count passes through `xieyu.core.suppression`; a mean is shown only beside a count that is shown.

Each function reads a fixed number of queries whatever the size of the wave.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from xieyu.core.suppression import SuppressedTable, suppress, suppress_one, threshold_default
from xieyu.directory.models import School, SchoolClass

from . import access
from .models import Answer, Question, Response, Wave
from .services import ordered


@dataclass
class QuestionFigure:
    question: Question
    number: int
    table: SuppressedTable | None  # choice and scale questions
    answered: SuppressedTable  # how many answered it (every kind)
    mean: float | None = None  # scale and number questions, when enough answered


@dataclass
class WaveFigures:
    wave: Wave
    status: SuppressedTable  # answered / skipped
    questions: list[QuestionFigure] = field(default_factory=list)
    dimensions: list[tuple[str, SuppressedTable, float | None]] = field(default_factory=list)


def _labels(q: Question) -> list[tuple[str, str]]:
    if q.kind == Question.Kind.SCALE and q.scale_min is not None and q.scale_max is not None:
        named = {str(o.get("value")): str(o.get("label")) for o in q.options or []}
        return [
            (str(v), f"{v} {named[str(v)]}" if str(v) in named else str(v)) for v in range(q.scale_min, q.scale_max + 1)
        ]
    return [(str(o.get("value")), str(o.get("label"))) for o in q.options or []]


def _shown_mean(table: SuppressedTable, total: float, n: int) -> float | None:
    return round(total / n, 1) if n and not table.grand_total.hidden else None


def wave_figures(user, wave: Wave) -> WaveFigures:
    """Four queries: the responses by status, the questions, the sections, the answers."""
    responses = access.responses_in_scope(user, wave)
    by_status = dict(responses.values_list("status").annotate(n=Count("pk")).order_by())
    status = suppress_one(
        [pgettext("survey response", "answered"), str(_("skipped this wave"))],
        [by_status.get(Response.Status.SUBMITTED, 0), by_status.get(Response.Status.SKIPPED, 0)],
    )
    figures = WaveFigures(wave=wave, status=status)
    questions = ordered(wave.version)
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    answered: dict[int, int] = defaultdict(int)
    sums: dict[int, float] = defaultdict(float)
    submitted = responses.filter(status=Response.Status.SUBMITTED)
    for qid, choices, number in Answer.objects.filter(response__in=submitted.values("pk")).values_list(
        "question_id", "choices", "number"
    ):
        answered[qid] += 1
        for value in choices or []:
            counts[qid][str(value)] += 1
        if number is not None:
            counts[qid][str(int(number))] += 1
            sums[qid] += float(number)
    for n, q in enumerate(questions, start=1):
        table = None
        if q.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.SCALE):
            labels = _labels(q)
            table = suppress_one([label for _v, label in labels], [counts[q.pk].get(v, 0) for v, _l in labels])
        answered_table = suppress_one([pgettext("survey response", "answered")], [answered[q.pk]])
        mean = None
        if q.kind in (Question.Kind.SCALE, Question.Kind.NUMBER):
            mean = _shown_mean(answered_table, sums[q.pk], answered[q.pk])
        figures.questions.append(QuestionFigure(question=q, number=n, table=table, answered=answered_table, mean=mean))
    dims: dict[str, list[float]] = defaultdict(list)
    for scores in submitted.values_list("scores", flat=True):
        for d, v in (scores or {}).items():
            dims[d].append(float(v))
    for d in sorted({q.dimension for q in questions if q.dimension}):
        values = dims.get(d, [])
        t = suppress_one([pgettext("survey response", "answered")], [len(values)])
        figures.dimensions.append((d, t, _shown_mean(t, sum(values), len(values))))
    return figures


def unit_counts(user, wave: Wave, *, by: str = "school") -> SuppressedTable:
    """Answered and skipped per school (by="school") or per class (by="class"), two queries."""
    field_name = "school" if by == "school" else "school_class"
    rows = access.responses_in_scope(user, wave).values_list(field_name, "status").annotate(n=Count("pk")).order_by()
    cells: dict[int | None, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for unit, status, n in rows:
        cells[unit][status] += n
    ids = [u for u in cells if u is not None]
    if by == "school":
        names = dict(School.objects.filter(pk__in=ids).values_list("pk", "name"))
    else:
        names = {
            c.pk: f"{c.school.name} {c}"
            for c in SchoolClass.objects.filter(pk__in=ids).select_related("school", "grade")
        }
    ranked = sorted(ids, key=lambda u: names.get(u, ""))
    order: list[int | None] = [*ranked]
    if None in cells:
        order.append(None)
    labels = [names.get(u, "") if u is not None else str(_("not placed")) for u in order]
    statuses = (Response.Status.SUBMITTED, Response.Status.SKIPPED)
    return suppress(
        labels or [str(_("total"))],
        [pgettext("survey response", "answered"), str(_("skipped this wave"))],
        [[cells[u].get(s, 0) for s in statuses] for u in order] or [[0, 0]],
    )


@dataclass
class Change:
    """The change of each dimension between two waves, over the respondents who answered both."""

    earlier: Wave
    later: Wave
    pairs: SuppressedTable  # paired respondents per class of the later wave
    dimensions: list[tuple[str, float | None]]  # mean change (later − earlier), when enough pairs are shown
    by_class: list[tuple[str, dict[str, float | None]]]


def paired(user, earlier: Wave, later: Wave) -> QuerySet[Response]:
    return access.responses_in_scope(user, later).filter(
        status=Response.Status.SUBMITTED,
        respondent__responses__wave=earlier,
        respondent__responses__status=Response.Status.SUBMITTED,
    )


def change_between(user, earlier: Wave, later: Wave) -> Change:
    """Paired by pseudonym (never by name): three queries."""
    later_rows = list(paired(user, earlier, later).values_list("respondent_id", "school_class_id", "scores"))
    before = dict(
        Response.objects.filter(
            wave=earlier, status=Response.Status.SUBMITTED, respondent__in=[r for r, _c, _s in later_rows]
        ).values_list("respondent_id", "scores")
    )
    class_ids = sorted({c for _r, c, _s in later_rows if c is not None})
    names = {
        c.pk: f"{c.school.name} {c}"
        for c in SchoolClass.objects.filter(pk__in=class_ids).select_related("school", "grade")
    }
    per_class: dict[int | None, list[tuple[dict, dict]]] = defaultdict(list)
    for respondent, school_class, scores in later_rows:
        per_class[school_class].append((before.get(respondent) or {}, scores or {}))
    ranked = sorted(class_ids, key=lambda c: names.get(c, ""))
    order: list[int | None] = [*ranked]
    if None in per_class:
        order.append(None)
    labels = [names.get(c, "") if c is not None else str(_("not placed")) for c in order]
    pairs = suppress_one(labels or [str(_("total"))], [len(per_class[c]) for c in order] or [0])
    dims = sorted({d for pairs_ in per_class.values() for a, b in pairs_ for d in set(a) & set(b)})
    threshold = threshold_default()

    def mean_change(items: list[tuple[dict, dict]], d: str) -> float | None:
        deltas = [float(b[d]) - float(a[d]) for a, b in items if d in a and d in b]
        return round(sum(deltas) / len(deltas), 1) if len(deltas) >= threshold else None

    everyone = [p for c in order for p in per_class[c]]
    overall = [(d, mean_change(everyone, d) if not pairs.grand_total.hidden else None) for d in dims]
    by_class = []
    for i, c in enumerate(order):
        shown = not pairs.cells[0][i].hidden
        by_class.append((labels[i], {d: mean_change(per_class[c], d) if shown else None for d in dims}))
    return Change(earlier=earlier, later=later, pairs=pairs, dimensions=overall, by_class=by_class)
