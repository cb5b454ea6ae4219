"""The county's table of resource reports as .xlsx (openpyxl, write-only): one row per school, the totals last."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from ..leadership.years import year_label
from .models import BudgetLine, ResourceReport

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def resources_xlsx(county_name: str, year: int, rows: list[dict], totals: dict) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=str(year))
    ws.append([_safe(f"{county_name} · {year_label(year)}")])
    categories = BudgetLine.Category.choices
    header = [_("School"), _("Report status"), _("Enrolled students"), _("Dedicated staff"), _("Part-time staff"),
              _("Hours given"), _("Rooms")]  # fmt: skip
    for _value, label in categories:
        header += [_("%(c)s planned") % {"c": label}, _("%(c)s spent") % {"c": label}]
    header += [_("Planned (yuan)"), _("Spent (yuan)"), _("Planned per student (yuan)")]
    ws.append([str(h) for h in header])
    statuses = dict(ResourceReport.Status.choices)
    for r in rows:
        line = [_safe(r["school"]), str(statuses.get(r["status"], _("not started"))), r["students"]]
        if r["submitted"]:
            line += [r["dedicated_staff"], r["part_time_staff"], float(r["hours"]), r["rooms"]]
            for value, _label in categories:
                planned, spent = r["by_category"].get(value, (0, 0))
                line += [float(planned), float(spent)]
            line += [float(r["planned"]), float(r["spent"]),
                     float(r["per_student"]) if r["per_student"] is not None else ""]  # fmt: skip
        ws.append(line)
    ws.append([])
    ws.append([str(_("Total")), _("%(n)s of %(m)s submitted") % {"n": totals["submitted"], "m": totals["schools"]}, "",
               totals["dedicated_staff"], totals["part_time_staff"], float(totals["hours"]), ""]
              + [""] * (2 * len(categories))
              + [float(totals["planned"]), float(totals["spent"]),
                 float(totals["per_student"]) if totals["per_student"] is not None else ""])  # fmt: skip
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
