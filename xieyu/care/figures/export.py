"""The figures as .xlsx (openpyxl, write-only): one sheet per table, the same suppressed cells as the page."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from .display import Figures, legend

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str):
    """A shown count as a number; text that a spreadsheet would read as a formula gets an apostrophe."""
    if value.isdigit():
        return int(value)
    if value.startswith(FORMULA_START):
        return "'" + value
    return value


def figures_xlsx(figures: Figures) -> bytes:
    wb = Workbook(write_only=True)
    computed = figures.computed_at
    when = timezone.localtime(computed).strftime("%Y-%m-%d %H:%M") if computed else ""
    marks = legend()
    for n, f in enumerate(figures.figures, start=1):
        ws = wb.create_sheet(title=f"{n}")
        ws.append([safe_cell(f"{figures.county.name} · {f.title}")])
        ws.append([_("Computed at"), when])
        for row in f.grid():
            ws.append([safe_cell(v) for v in row])
        ws.append([])
        for mark, meaning in marks.items():
            ws.append([mark, meaning])
        if f.spec.note:
            ws.append([str(f.spec.note)])
    if not figures.figures:
        wb.create_sheet(title="1").append([_("The figures have not been computed yet.")])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
