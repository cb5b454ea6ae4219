"""Every tile of a dashboard as .xlsx (openpyxl, write-only): the unit's tiles with denominator, coverage, when
computed and the suppression mark, each tile's trend, and (county, school) every figure of each school or class.
The same stored, suppressed figures as the page."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from .display import HIDDEN, Board

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if isinstance(value, int | float):
        return value
    text = str(value)
    if text.isdigit():
        return int(text)
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


def board_xlsx(unit_name: str, board: Board, children=None, topics=()) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=_("Tiles")[:31])
    ws.append([safe_cell(f"{unit_name} · {board.period_label}")])
    ws.append([safe_cell(h) for h in (_("Area"), _("Figure"), _("Value"), _("Numerator"), _("Denominator"),
                                       _("Counts"), _("Coverage"), _("Target"), _("Change"), _("Computed at"),
                                       _("Suppressed"))])  # fmt: skip
    for _key, title, tiles in board.areas:
        for t in tiles:
            ws.append([safe_cell(v) for v in (
                title, str(t.metric.title), t.value, t.numerator, t.denominator, str(t.metric.counts_what),
                t.coverage, str(t.metric.target_text), t.change, t.computed_at, _("yes") if t.suppressed else "",
            )])  # fmt: skip
    trend = wb.create_sheet(title=_("Trends")[:31])
    trend.append([safe_cell(h) for h in (_("Figure"), _("Semester"), _("Value"))])
    for t in board.tiles:
        for label, shown, _v in t.history:
            trend.append([safe_cell(str(t.metric.title)), safe_cell(label), safe_cell(shown)])
    if children is not None:
        head, (metrics, rows) = children
        sheet = wb.create_sheet(title=str(head)[:31])
        sheet.append([safe_cell(str(head)), *(safe_cell(str(m.title)) for m in metrics)])
        for unit, values in rows:
            sheet.append([safe_cell(str(unit)), *(safe_cell(v) for v in values)])
    if topics:
        sheet = wb.create_sheet(title=_("Hot topics")[:31])
        sheet.append([safe_cell(h) for h in (_("Topic"), _("School"), _("Families asking"), _("Status"), _("Lecture"),
                                             _("Lecture date"))])  # fmt: skip
        for t in topics:
            when = t.lecture_at.date().isoformat() if t.lecture_at else ""
            sheet.append([safe_cell(v) for v in (t.title, t.school.name, t.families, t.status_label, t.lecture_title,
                                                 when)])  # fmt: skip
    legend = wb.create_sheet(title=_("Legend")[:31])
    legend.append([HIDDEN, _("Hidden: fewer than 5, or a figure from which a hidden one could be worked out.")])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
