"""The recovery sheet: a store's recovery code in groups and as a QR code, to be kept in the post's safe."""

from __future__ import annotations

import io
from datetime import datetime

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table

from blo_desk.i18n import N_, translator
from blo_desk.reports.fonts import BOLD
from blo_desk.reports.layout import Paragraph, Styles, table_style, text
from blo_desk.reports.protocol import QrCode

TITLE = N_("BLO Desk recovery sheet")
INTRO = N_("This code opens the encrypted store of this post when every administrator password is forgotten. "
           "Whoever holds it can read every case: keep this sheet in the post's safe, never with the laptop.")
HOW = N_("To use it: on the login window choose \u201cForgot the administrator password?\u201d, or run "
         "blo-desk recover --code CODE. Each use is recorded and reported to HQ.")
POST = N_("Post")
STORE = N_("Store")
MADE = N_("Made on")
CODE = N_("Recovery code")
REPLACED = N_("A new code replaces this one; then destroy this sheet.")


def recovery_sheet_pdf(*, code: str, post_code: str, store_id: str, created_at: datetime, language: str) -> bytes:
    """The sheet as PDF bytes (A4, embedded fonts). It holds the code and the store's name, no case data."""
    tr = translator(language)
    g = tr.gettext
    styles = Styles()
    big = ParagraphStyle("code", parent=styles.body, fontName=BOLD, fontSize=16, leading=22)
    story = [
        Paragraph(text(g(TITLE)), styles.title),
        Spacer(1, 6 * mm),
        Table([[g(POST), post_code or "-"], [g(STORE), store_id[:16] or "-"],
               [g(MADE), tr.format_date(created_at.date(), "long")]],
              colWidths=[45 * mm, 120 * mm], style=table_style([])),
        Spacer(1, 6 * mm),
        Paragraph(text(g(INTRO)), styles.body),
        Spacer(1, 8 * mm),
        Paragraph(text(g(CODE)), styles.section),
        Spacer(1, 2 * mm),
        Paragraph(text(code), big),
        Spacer(1, 6 * mm),
        QrCode(code, size=45 * mm),
        Spacer(1, 6 * mm),
        Paragraph(text(g(HOW)), styles.body),
        Spacer(1, 3 * mm),
        Paragraph(text(g(REPLACED)), styles.note),
    ]
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=20 * mm,
                            bottomMargin=20 * mm, title=g(TITLE), author="BLO Desk")
    doc.build(story)
    return out.getvalue()
