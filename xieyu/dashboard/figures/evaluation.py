"""The family-education evaluation's tile: the mean total of the county's latest wave in the semester, and its change
since the wave before on the families who answered both (paired on their pseudonym, never on names).

The wave is the county's evaluation instrument's latest wave that opened in the semester (a wave still open counts
the answers so far). Counted per class of the family when it answered, so a class's change is its own families'.
"""

from __future__ import annotations

from django.db.models import Count, F, OuterRef, Subquery, Sum
from django.utils.translation import gettext_lazy as _

from xieyu.surveys.evaluation.models import Instrument
from xieyu.surveys.models import Response, Wave

from .metrics import CLASS, MEAN, Counts, Metric, _pairs, register


def _waves(county, sem) -> tuple[Wave | None, Wave | None]:
    """(the semester's latest wave, the wave before it): two queries."""
    instrument = Instrument.objects.filter(county=county).only("questionnaire_id").first()
    if instrument is None:
        return None, None
    waves = list(
        Wave.objects.filter(questionnaire_id=instrument.questionnaire_id, opens_at__lt=sem.bounds()[1])
        .order_by("-opens_at")
        .only("pk", "opens_at")[:2]
    )
    if not waves or waves[0].opens_at < sem.bounds()[0]:
        return None, None
    return waves[0], (waves[1] if len(waves) > 1 else None)


def _answered(wave: Wave):
    return Response.objects.filter(wave=wave, status=Response.Status.SUBMITTED, total__isnull=False)


def evaluation_total(county, sem, now) -> Counts:
    wave, _before = _waves(county, sem)
    if wave is None:
        return {}
    rows = _answered(wave).order_by().values("school_class").annotate(num=Sum("total"), den=Count("pk"))
    return _pairs(rows, "school_class")


def evaluation_change(county, sem, now) -> Counts:
    wave, before = _waves(county, sem)
    if wave is None or before is None:
        return {}
    previous = _answered(before).filter(respondent=OuterRef("respondent")).values("total")[:1]
    rows = (
        _answered(wave)
        .annotate(previous=Subquery(previous))
        .filter(previous__isnull=False)
        .order_by()
        .values("school_class")
        .annotate(num=Sum(F("total") - F("previous")), den=Count("pk"))
    )
    return _pairs(rows, "school_class")


for _m in [
    Metric("evaluation_total", "evaluation", _("Family-education evaluation score (0–100)"), _("families answered"),
           MEAN, CLASS, evaluation_total, children=True),
    Metric("evaluation_change", "evaluation", _("Change since the wave before (points)"),
           _("families who answered both"), MEAN, CLASS, evaluation_change, children=True),
]:  # fmt: skip
    register(_m)
