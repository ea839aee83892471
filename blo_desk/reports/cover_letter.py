"""The cover letter of a counterpart share: what was shared, with whom, under which profile, and its check code;
one page in Russian (the working language between posts) and one in the sender's language."""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, SimpleDocTemplate, Spacer, Table

from blo_desk.domain.sharing import check_code
from blo_desk.i18n import N_, translator
from blo_desk.reports.layout import Paragraph, Styles, table_style, text
from blo_desk.reports.protocol import QrCode

TITLE = N_("Cover letter to a counterpart share")
INTRO = N_("Post {sender} sends post {receiver} the file named below through the secure exchange between Border "
           "Liaison Offices. The file is signed with the key of post {sender} and can be opened only with the key of "
           "post {receiver}.")
FROM = N_("From")
TO = N_("To")
DATE = N_("Date")
FILE = N_("File")
KIND = N_("Content")
PROFILE = N_("Redaction profile")
CASES = N_("Cases shared")
PHOTOS = N_("Photos of goods")
LEGAL_BASIS = N_("Legal basis")
REASON = N_("Reason")
CHECK = N_("Check code (SHA-256 of the file)")
HOW = N_("Before opening, compare the check code with the one the file shows on import (in BLO Desk: Case ▸ Shared "
         "with us… ▸ Import a share file…; on the command line: blo-desk share import). A file whose code differs was "
         "altered on the way and must not be used.")
KINDS = {"share": N_("shared cases"), "request": N_("request for information"), "answer": N_("answer to a request")}


@dataclass(frozen=True, slots=True)
class CoverLetter:
    """What the letter states (plain data: the service reads it from the store)."""

    sender: str
    receiver: str
    sender_names: Mapping[str, str]
    receiver_names: Mapping[str, str]
    created_at: datetime
    file_name: str
    kind: str
    sha256: str
    profile_names: Mapping[str, str] = field(default_factory=dict)
    references: tuple[str, ...] = ()
    photos: int = 0
    legal_basis: str = ""
    reason: str = ""


def letter_languages(sender_language: str) -> tuple[str, ...]:
    """Russian first; then the sender's language when it is another."""
    return ("ru",) if sender_language == "ru" else ("ru", sender_language)


def _post(code: str, names: Mapping[str, str], language: str) -> str:
    """The post by its name in the letter's language, its code beside ("Фотехобод (TJ-FOT)")."""
    name = names.get(language) or names.get("en") or ""
    return f"{name} ({code})" if name else code


def cover_letter_pdf(letter: CoverLetter, *, languages: tuple[str, ...]) -> bytes:
    """The letter as PDF bytes (A4, embedded fonts): one page per language."""
    styles = Styles()
    story: list = []
    for n, language in enumerate(languages):
        tr = translator(language)
        g = tr.gettext
        if n:
            story.append(PageBreak())
        rows = [
            [g(FROM), _post(letter.sender, letter.sender_names, language)],
            [g(TO), _post(letter.receiver, letter.receiver_names, language)],
            [g(DATE), tr.format_date(letter.created_at.date(), "long")],
            [g(FILE), letter.file_name],
            [g(KIND), g(KINDS.get(letter.kind, letter.kind))],
        ]
        if letter.kind == "share":
            rows += [[g(PROFILE), letter.profile_names.get(language) or letter.profile_names.get("en", "")],
                     [g(CASES), Paragraph(text(", ".join(letter.references)), styles.body)],
                     [g(PHOTOS), str(letter.photos)]]
            if letter.legal_basis:
                rows.append([g(LEGAL_BASIS), Paragraph(text(letter.legal_basis), styles.body)])
            if letter.reason:
                rows.append([g(REASON), Paragraph(text(letter.reason), styles.body)])
        grouped = check_code(letter.sha256)
        story += [
            Paragraph(text(g(TITLE)), styles.title),
            Spacer(1, 5 * mm),
            Paragraph(text(g(INTRO).format(sender=_post(letter.sender, letter.sender_names, language),
                                           receiver=_post(letter.receiver, letter.receiver_names, language))),
                      styles.body),
            Spacer(1, 5 * mm),
            Table(rows, colWidths=[50 * mm, 115 * mm], style=table_style([("VALIGN", (0, 0), (-1, -1), "TOP")])),
            Spacer(1, 6 * mm),
            Paragraph(text(g(CHECK)), styles.section),
            Spacer(1, 2 * mm),
            Paragraph(text(grouped), styles.body),
            Spacer(1, 4 * mm),
            QrCode(letter.sha256, size=35 * mm),
            Spacer(1, 4 * mm),
            Paragraph(text(g(HOW)), styles.note),
        ]
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=20 * mm,
                            bottomMargin=20 * mm, title=translator(languages[0]).gettext(TITLE), author="BLO Desk")
    doc.build(story)
    return out.getvalue()
