"""A wave's answers as .xlsx (openpyxl, write-only) or CSV: one row per response in the user's part of the wave,
under its pseudonym; then the suppressed figures (xlsx: a second sheet). Names appear only when asked for and only
for the families the user may name (access.names_allowed_for); every export is written to the audit log.
"""

from __future__ import annotations

import csv
import io

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from xieyu.audit.services import audit_record

from . import access
from .models import Answer, Question, Response, Wave
from .results import wave_figures
from .services import ordered

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe(value):
    """Text that a spreadsheet would read as a formula gets an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _answer_text(q: Question, a: Answer | None) -> str | float:
    if a is None:
        return ""
    if q.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        labels = {str(o.get("value")): str(o.get("label")) for o in q.options or []}
        return "、".join(labels.get(v, v) for v in a.choices)
    if q.kind in (Question.Kind.SCALE, Question.Kind.NUMBER):
        return float(a.number) if a.number is not None else ""
    if q.kind == Question.Kind.DATE:
        return a.date.isoformat() if a.date else ""
    return a.text


def rows_of(user, wave: Wave, *, with_names: bool) -> tuple[list[str], list[list], int]:
    """(header, rows, names shown): a fixed number of queries."""
    right = access.names_allowed_for(user)
    if with_names and not right.any:
        raise PermissionDenied(_("Only the school admin or the class's head teacher may export families' names."))
    questions = ordered(wave.version)
    dims = sorted({q.dimension for q in questions if q.dimension})
    responses = list(
        access.responses_in_scope(user, wave)
        .select_related(
            "respondent", "respondent__student", "respondent__guardian", "school", "school_class", "school_class__grade"
        )  # fmt: skip
        .order_by("respondent__pseudonym")
    )
    answers: dict[int, dict[int, Answer]] = {}
    for a in Answer.objects.filter(response__in=[r.pk for r in responses]):
        answers.setdefault(a.response_id, {})[a.question_id] = a
    header = [str(_("pseudonym"))]
    if with_names:
        header.append(str(_("name")))
    header += [str(_("school")), str(_("class")), str(_("status")), str(_("answered at"))]
    header += [f"{q.code} {q.text}" for q in questions]
    header += [f"{_('score')} {d}" for d in dims] + [str(_("total score"))]
    rows = []
    named = 0
    for r in responses:
        row: list = [r.respondent.pseudonym]
        if with_names:
            who = r.respondent.student or r.respondent.guardian
            if right.allows(r) and who is not None:
                row.append(who.name)
                named += 1
            else:
                row.append("")
        row += [
            r.school.name if r.school else "",
            str(r.school_class) if r.school_class else "",
            r.get_status_display(),
            timezone.localtime(r.submitted_at).strftime("%Y-%m-%d %H:%M"),
        ]
        mine = answers.get(r.pk, {})
        row += [_answer_text(q, mine.get(q.pk)) for q in questions]
        row += [(r.scores or {}).get(d, "") for d in dims] + [r.total if r.total is not None else ""]
        rows.append([safe(v) for v in row])
    return header, rows, named


def _figure_rows(user, wave: Wave) -> list[list]:
    figures = wave_figures(user, wave)
    out: list[list] = [[str(_("Figures (counts under 5 are hidden)"))]]
    for line in figures.status.display_grid():
        out.append(line)
    for f in figures.questions:
        if f.table is None:
            continue
        out.append([])
        out.append([safe(f"{f.number}. {f.question.text}")])
        out.extend([safe(v) for v in line] for line in f.table.display_grid())
    return out


@transaction.atomic
def wave_export(*, actor, wave: Wave, fmt: str, with_names: bool = False) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the export, logged with who asked, the format and names shown."""
    if fmt not in ("xlsx", "csv"):
        raise ValueError("unknown export format")
    header, rows, named = rows_of(actor, wave, with_names=with_names)
    stamp = timezone.localtime().strftime("%Y%m%d")
    name = f"wave-{wave.pk}-{stamp}.{fmt}"
    if fmt == "csv":
        buf = io.StringIO()
        buf.write("\ufeff")  # Excel reads UTF-8 with its mark
        writer = csv.writer(buf)
        writer.writerow(header)
        writer.writerows(rows)
        content = buf.getvalue().encode("utf-8")
        ctype = "text/csv; charset=utf-8"
    else:
        wb = Workbook(write_only=True)
        ws = wb.create_sheet(title=str(_("answers")))
        ws.append(header)
        for row in rows:
            ws.append(row)
        fs = wb.create_sheet(title=str(_("figures")))
        for line in _figure_rows(actor, wave):
            fs.append([int(v) if isinstance(v, str) and v.isdigit() else v for v in line])
        out = io.BytesIO()
        wb.save(out)
        content = out.getvalue()
        ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    audit_record(actor=actor, action="surveys.wave_export", target=wave,
                 changes={"format": [None, fmt], "rows": [None, len(rows)], "names": [None, named]})  # fmt: skip
    return content, ctype, name


def responses_count(user, wave: Wave) -> int:
    return access.responses_in_scope(user, wave).filter(status=Response.Status.SUBMITTED).count()
