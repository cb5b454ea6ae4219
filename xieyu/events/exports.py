"""Attendance as .xlsx (formula cells neutralised) and calendars as .ics."""

from __future__ import annotations

import datetime
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Text that a spreadsheet would read as a formula is prefixed with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def attendance_xlsx(event, attendances) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=_("Attendance")[:31])
    ws.append([safe_cell(event.title)])
    ws.append([_("Student"), _("Class"), _("Guardian who came"), _("Checked in at"), _("How")])
    for a in attendances:
        sc = a.student.school_class
        ws.append(
            [
                safe_cell(a.student.name),
                safe_cell(f"{sc.grade.name}{sc.name}" if sc else ""),
                safe_cell(a.who_came),
                timezone.localtime(a.checked_in_at).strftime("%Y-%m-%d %H:%M:%S"),
                str(a.get_method_display()),
            ]
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _ics_text(value: str) -> str:
    return (
        (value or "")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r", "")
        .replace("\n", "\\n")
    )


def _ics_time(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _fold(line: str) -> str:
    """RFC 5545: lines longer than 75 octets are folded."""
    raw = line.encode()
    if len(raw) <= 75:
        return line
    parts, current = [], b""
    for ch in line:
        b = ch.encode()
        if len(current) + len(b) > 74:
            parts.append(current.decode())
            current = b""
        current += b
    parts.append(current.decode())
    return "\r\n ".join(parts)


def calendar_ics(events, *, name: str, host: str) -> str:
    now = _ics_time(timezone.now())
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//XieYu//events//ZH", "CALSCALE:GREGORIAN",
             f"X-WR-CALNAME:{_ics_text(name)}", "X-WR-TIMEZONE:Asia/Shanghai"]  # fmt: skip
    for e in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:event-{e.pk}@{host}",
            f"DTSTAMP:{now}",
            f"DTSTART:{_ics_time(e.starts_at)}",
            f"DTEND:{_ics_time(e.ends_at)}",
            f"SUMMARY:{_ics_text(e.title)}",
            f"LOCATION:{_ics_text(e.place or e.online_url)}",
            f"DESCRIPTION:{_ics_text(e.description)}",
            "STATUS:CANCELLED" if e.status == "cancelled" else "STATUS:CONFIRMED",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
