"""The member's certificate of service hours (志愿服务记录证明) as a PDF, and its verification code.

The code is the person, the year and the signed total with an HMAC over them (settings.SECRET_KEY): anyone holding
the paper can open the verification page and see that this platform issued it (a masked name, the year, the total).
Chinese text uses reportlab's built-in CID font, so no font file ships with the project.
"""

from __future__ import annotations

import hmac
import io
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .access import Certificate

SALT = "xieyu.teams.hours.certificate"
CODE_RE = re.compile(r"^([1-9][0-9]{0,18})-([0-9]{4})-([0-9]{1,7})-([0-9a-f]{16})$")
FONT = "STSong-Light"
LATIN = "Helvetica"


def _mac(user_id: int, year: int, minutes: int) -> str:
    return salted_hmac(SALT, f"{user_id}:{year}:{minutes}", algorithm="sha256").hexdigest()[:16]


def verification_code(user_id: int, year: int, minutes: int) -> str:
    return f"{user_id}-{year}-{minutes}-{_mac(user_id, year, minutes)}"


@dataclass
class Verified:
    user_id: int
    year: int
    minutes: int


def verify(code: str) -> Verified | None:
    """The person, year and total a genuine code names; None for anything else."""
    match = CODE_RE.match(code or "")
    if match is None:
        return None
    user_id, year, minutes, mac = int(match[1]), int(match[2]), int(match[3]), match[4]
    if not hmac.compare_digest(mac, _mac(user_id, year, minutes)):
        return None
    return Verified(user_id, year, minutes)


def masked_name(name: str) -> str:
    """曾德福 → 曾*福, 黄华 → 黄*, 欧阳春梅 → 欧**梅: enough to match a paper, not to find a person."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def hours_text(minutes: int) -> str:
    return f"{minutes / 60:.1f}"


def certificate_pdf(cert: Certificate, *, code: str, verify_url: str) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
    from reportlab.platypus.flowables import KeepTogether

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    title_style = ParagraphStyle("title", fontName=FONT, fontSize=20, leading=28, alignment=TA_CENTER)
    body = ParagraphStyle("body", fontName=FONT, fontSize=11, leading=18)
    small = ParagraphStyle("small", fontName=FONT, fontSize=9, leading=14, textColor=colors.HexColor("#444444"))
    cell = ParagraphStyle("cell", fontName=FONT, fontSize=9, leading=12)

    def esc(text) -> str:
        return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    def latin(text) -> str:
        return f'<font name="{LATIN}">{esc(text)}</font>'

    name = cert.user.name  # type: ignore[attr-defined]
    total = hours_text(cert.minutes)
    story = [
        Paragraph(esc(_("Certificate of volunteer service hours")), title_style),
        Spacer(1, 8 * mm),
        Paragraph(
            esc(_("This certifies that %(name)s served as a volunteer in %(year)s for a total of"))
            % {"name": f"<b>{esc(name)}</b>", "year": latin(cert.year)}
            + f" <b>{latin(total)}</b> "
            + esc(_("signed-off service hours, as listed below.")),
            body,
        ),
        Spacer(1, 5 * mm),
    ]
    rows = [
        [
            Paragraph(esc(h), cell)
            for h in (_("Date"), pgettext("service hours", "Service"), _("Hours"), _("Recording unit"))
        ]
    ]
    for r in cert.records:
        rows.append([
            Paragraph(latin(timezone.localtime(r.started_at).strftime("%Y-%m-%d")), cell),
            Paragraph(esc(r.description), cell),
            Paragraph(latin(hours_text(r.minutes)), cell),
            Paragraph(esc(r.recording_unit), cell),
        ])  # fmt: skip
    rows.append([Paragraph(esc(_("Total")), cell), "", Paragraph(f"<b>{latin(total)}</b>", cell), ""])
    table = Table(rows, colWidths=[26 * mm, 70 * mm, 22 * mm, 52 * mm], repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#888888")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))  # fmt: skip
    story += [table, Spacer(1, 8 * mm)]
    signed = [Paragraph(esc(_("Signed by the recording unit")), body)]
    for unit, signer in cert.units:
        signed.append(
            Paragraph(esc(_("%(unit)s, signed off by %(signer)s") % {"unit": unit, "signer": signer or "—"}), body)
        )
    story.append(KeepTogether(signed))
    story += [
        Spacer(1, 8 * mm),
        Paragraph(esc(_("Verification code")) + ": " + latin(code), small),
        Paragraph(esc(_("Open this address to confirm the certificate")) + ": " + latin(verify_url), small),
        Paragraph(
            esc(
                _(
                    "Issued on %(date)s. Service hours are the time of service, recorded and signed off by the "
                    "organising unit; volunteers are never charged for a record or a certificate."
                )
            )
            % {"date": latin(timezone.localdate().isoformat())},
            small,
        ),  # fmt: skip
    ]
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=20 * mm, bottomMargin=20 * mm,
        title=_("Certificate of volunteer service hours"), author=cert.units[0][0] if cert.units else "",
        subject=f"{cert.year} {total}", invariant=True,
    )  # fmt: skip
    doc.build(story)
    return out.getvalue()
