"""The certificate (荣誉证书) of a selected nomination as a PDF: the award, the nominee, the county, the number.

Chinese text uses reportlab's built-in CID font, so no font file ships with the project.
"""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Nomination

FONT = "STSong-Light"
LATIN = "Helvetica"


def certificate_pdf(nomination: Nomination) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    title_style = ParagraphStyle("title", fontName=FONT, fontSize=32, leading=44, alignment=TA_CENTER,
                                 textColor=colors.HexColor("#b22222"))  # fmt: skip
    body = ParagraphStyle("body", fontName=FONT, fontSize=16, leading=28)
    right = ParagraphStyle("right", fontName=FONT, fontSize=14, leading=22, alignment=TA_RIGHT)
    small = ParagraphStyle("small", fontName=FONT, fontSize=10, leading=14, textColor=colors.HexColor("#444444"))

    def esc(text) -> str:
        return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    campaign = nomination.campaign
    day = timezone.localtime(campaign.result_at or timezone.now()).date()
    story = [
        Paragraph(esc(_("Certificate of honour")), title_style),
        Spacer(1, 12 * mm),
        Paragraph(esc(_("%(nominee)s:")) % {"nominee": f"<b>{esc(nomination.display_name)}</b>"}, body),
        Paragraph(esc(_("In %(campaign)s you have been selected as %(award)s. This certificate is awarded to you."))
                  % {"campaign": esc(campaign.title), "award": f"<b>{esc(campaign.get_kind_display())}</b>"}, body),
        Spacer(1, 16 * mm),
        Paragraph(esc(campaign.county.name), right),
        Paragraph(f'<font name="{LATIN}">{day.isoformat()}</font>', right),
        Spacer(1, 10 * mm),
        Paragraph(esc(_("Certificate number")) + f': <font name="{LATIN}">{esc(nomination.certificate_no)}</font>',
                  small),
    ]  # fmt: skip
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=landscape(A4), leftMargin=30 * mm, rightMargin=30 * mm, topMargin=25 * mm,
                            bottomMargin=20 * mm, title=_("Certificate of honour"), author=campaign.county.name,
                            subject=nomination.certificate_no, invariant=True)  # fmt: skip
    doc.build(story)
    return out.getvalue()
