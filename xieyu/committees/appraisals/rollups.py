"""An appraisal's results: the per-class rollup (one grouped query) and the suppressed table the pages, the panel
and the API show. A class (and the school) with fewer than 5 responses shows no count and no average; the small-cell
helper also hides complements, so a hidden class cannot be worked out from the school's total."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Sum
from django.utils import timezone

from xieyu.core.suppression import SHOWN, suppress_one
from xieyu.directory.models import SchoolClass

from .models import SECTIONS, Appraisal, AppraisalClassRollup, AppraisalResponse


def class_label(school_class: SchoolClass) -> str:
    return f"{school_class.grade.name}{school_class.name}"


def _avg(total: int, n: int) -> str:
    return f"{total / n:.1f}" if n else ""


def rollup_refresh(appraisal: Appraisal) -> dict[str, Any]:
    """Recount one appraisal by class, keep the rollup rows and the suppressed results on the appraisal."""
    now = timezone.now()
    classes = list(
        SchoolClass.objects.filter(school_id=appraisal.school_id)
        .select_related("grade")
        .order_by("grade__level", "name")
    )
    sums = {
        row["school_class"]: row
        for row in AppraisalResponse.objects.filter(appraisal=appraisal)
        .values("school_class")
        .annotate(n=Count("id"), **{f"s_{s}": Sum(s) for s in SECTIONS})
    }
    AppraisalClassRollup.objects.filter(appraisal=appraisal).delete()
    AppraisalClassRollup.objects.bulk_create(
        [
            AppraisalClassRollup(
                appraisal=appraisal,
                school_class_id=c,
                responses=row["n"],
                computed_at=now,
                **{f"sum_{s}": row[f"s_{s}"] or 0 for s in SECTIONS},
            )  # fmt: skip
            for c, row in sums.items()
        ]
    )
    counts = [sums.get(c.pk, {}).get("n", 0) for c in classes]
    table = suppress_one([class_label(c) for c in classes], counts)
    rows = []
    for c, cell in zip(classes, table.cells[0], strict=True):
        row = sums.get(c.pk, {})
        shown = cell.state == SHOWN
        rows.append({
            "class_id": c.pk, "label": class_label(c), "count": cell.display, "shown": shown,
            "avg": [_avg(row.get(f"s_{s}") or 0, row.get("n", 0)) if shown else "" for s in SECTIONS],
        })  # fmt: skip
    total_n = sum(counts)
    total_shown = table.row_totals[0].state == SHOWN
    school = {
        "count": table.row_totals[0].display,
        "shown": total_shown,
        "avg": [
            _avg(sum(r.get(f"s_{s}") or 0 for r in sums.values()), total_n) if total_shown else "" for s in SECTIONS
        ],
    }
    appraisal.results = {"sections": SECTIONS, "classes": rows, "school": school, "threshold": table.threshold}
    appraisal.results_at = now
    appraisal.save(update_fields=["results", "results_at"])
    return appraisal.results
