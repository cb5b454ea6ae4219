"""The county's signed hours as .xlsx for the national volunteer system (openpyxl write-only; formula-like text
neutralised): one row per signed record of the year."""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import pgettext
from openpyxl import Workbook

from xieyu.events.exports import safe_cell


def headers() -> list[str]:
    return [
        pgettext("volunteer system export", "Name"), pgettext("volunteer system export", "Mobile number"), pgettext("volunteer system export", "Team"), pgettext("volunteer system export", "Service"),
        pgettext("volunteer system export", "Service date"), pgettext("volunteer system export", "Start time"), pgettext("volunteer system export", "End time"),
        pgettext("volunteer system export", "Service hours"), pgettext("volunteer system export", "Recording unit"), pgettext("volunteer system export", "Signed off by"),
    ]  # fmt: skip


def hours_xlsx(records: Iterable, *, year: int) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=(pgettext("volunteer system export", "Service hours %(year)s") % {"year": year})[:31])
    ws.append(headers())
    for r in records:
        start, end = timezone.localtime(r.started_at), timezone.localtime(r.ended_at) if r.ended_at else None
        ws.append([
            safe_cell(r.member.user.name), safe_cell(r.member.user.phone or ""), safe_cell(r.member.team.name),
            safe_cell(r.description), start.strftime("%Y-%m-%d"), start.strftime("%H:%M"),
            end.strftime("%H:%M") if end else "", round(r.minutes / 60, 2), safe_cell(r.recording_unit),
            safe_cell(r.signed_by.name if r.signed_by else ""),
        ])  # fmt: skip
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
