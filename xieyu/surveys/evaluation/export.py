"""The staff figures of the evaluation as .xlsx: the same suppressed tables the page shows (families per score band
by dimension, means and changes on paired families, and the breakdown by class or school). Counts only: no family
is named, a hidden cell stays "<5"."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from ..export import safe
from .figures import Figures


def _cell(value):
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return safe(value)


def _sheet(wb: Workbook, title: str, head: str, table, lines) -> None:
    ws = wb.create_sheet(title=title[:31])
    ws.append([_cell(head), *(_cell(str(c)) for c in table.cols), _("Families"), _("Mean"), _("Change")])
    for label, cells, total, row in lines:
        ws.append([_cell(str(label)), *(_cell(c.display) for c in cells), _cell(total.display),
                   row.mean, row.change])  # fmt: skip


def figures_xlsx(title: str, figs: Figures, unit_head: str) -> bytes:
    wb = Workbook(write_only=True)
    about = wb.create_sheet(title=_("About")[:31])
    about.append([_cell(title)])
    about.append([_cell(figs.wave.title)])
    if figs.previous is not None:
        about.append([_cell(_("Change since %(wave)s, on the families that answered both") % {"wave": figs.previous.title})])
    about.append([_("Hidden: fewer than 5, or a figure from which a hidden one could be worked out.")])
    _sheet(wb, _("By dimension"), _("Dimension"), figs.table, figs.lines())
    if figs.breakdown is not None:
        _sheet(wb, unit_head, unit_head, figs.breakdown, figs.breakdown_lines())
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
