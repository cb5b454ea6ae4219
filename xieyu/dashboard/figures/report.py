"""The monthly report for the leadership group's meeting (PDF, reportlab with its built-in CID font): the county's
tiles by area (with the hot topics), the change since the last monthly snapshot and the last semester, and the schools furthest behind
each target. The same stored, suppressed figures as the page."""

from __future__ import annotations

import datetime
import io

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .display import Board, when

FONT = "STSong-Light"


def monthly_report_pdf(county, board: Board, rankings: list[dict], day: datetime.date,
                       month_before: dict[str, str] | None = None, topics=()) -> bytes:  # fmt: skip
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    h1 = ParagraphStyle("h1", fontName=FONT, fontSize=18, leading=26)
    h2 = ParagraphStyle("h2", fontName=FONT, fontSize=13, leading=20, spaceBefore=8)
    body = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=13)

    def esc(text) -> str:
        return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    def p(text) -> Paragraph:
        return Paragraph(esc(text), body)

    style = TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#888888")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ])  # fmt: skip
    month_before = month_before or {}
    title = _("%(county)s: monthly report on home-school-community education, %(month)s") % {
        "county": county.name,
        "month": day.strftime("%Y-%m"),
    }
    story = [
        Paragraph(esc(title), h1),
        p(_("%(semester)s. Figures computed at %(when)s; hidden figures (<5) protect children in small groups.")
          % {"semester": board.period_label, "when": when(board.computed_at)}),
        Spacer(1, 4 * mm),
    ]  # fmt: skip
    for _key, area_title, tiles in board.areas:
        story.append(Paragraph(esc(area_title), h2))
        if not tiles:
            story.append(p(_("Not measured yet.")))
            continue
        rows = [[p(_("Figure")), p(_("Value")), p(_("Denominator")), p(_("Target")), p(_("Last month")),
                 p(_("Change since last semester"))]]  # fmt: skip
        for t in tiles:
            rows.append([p(t.metric.title), p(t.value), p(t.denominator), p(t.metric.target_text),
                         p(month_before.get(t.key, "—")), p(t.change or "—")])  # fmt: skip
        story.append(Table(rows, colWidths=[52 * mm, 26 * mm, 20 * mm, 40 * mm, 20 * mm, 22 * mm], style=style))
        if _key == "questions" and topics:
            story.append(p(_("Hot topics and their lectures")))
            rows = [[p(_("Topic")), p(_("School")), p(_("Families asking")), p(_("Lecture"))]]
            rows += [[p(f"{t.position}. {t.title}"), p(t.school.name), p(t.families),
                      p(t.lecture_title or t.status_label)] for t in topics]  # fmt: skip
            story.append(Table(rows, colWidths=[60 * mm, 44 * mm, 22 * mm, 54 * mm], style=style))
    story.append(Paragraph(esc(_("Schools furthest behind each target")), h2))
    if not rankings:
        story.append(p(_("Every school meets every target.")))
    for r in rankings:
        story.append(p(f"{r['metric'].title} · {r['metric'].target_text}"))
        rows = [[p(pgettext("ranking", "Place")), p(_("School")), p(_("Value"))]]
        rows += [[p(f.rank), p(f.school.name), p(v)] for f, v in r["rows"]]
        story.append(Table(rows, colWidths=[16 * mm, 90 * mm, 40 * mm], style=style))
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
                            bottomMargin=15 * mm, title=title, author=county.name, invariant=True)  # fmt: skip
    doc.build(story)
    return out.getvalue()
