"""The cases a restored post lost with its old laptop, as HQ received them: a list (PDF or CSV) for the post to
re-enter or re-print them."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from blo_desk.domain.backup import LOST_CASE_HEADINGS, LostCase, lost_case_rows
from blo_desk.domain.case_tables import INTEGER, TEXT
from blo_desk.i18n import N_, translator
from blo_desk.reports.fonts import BOLD
from blo_desk.reports.layout import (
    FRAME_WIDTH,
    MARGIN,
    KeptTable,
    PrintedDocument,
    Styles,
    fitted_width,
    grid_style,
    table_style,
    text,
)
from blo_desk.reports.tables import CsvTables, SheetSpec

TITLE = N_("Cases lost with the laptop of post {post}")
INTRO = N_("Post {post} was restored from a backup. HQ received these case revisions after that backup was taken, "
           "so the restored laptop does not hold them: re-enter them at the post, or re-print their protocols from "
           "what HQ holds.")
MADE = N_("Listed by HQ on {date}")
NONE = N_("HQ received no case of post {post} after the backup it was restored from.")
_KINDS = (TEXT, INTEGER, TEXT, TEXT, TEXT, TEXT, TEXT)


def lost_cases_pdf(*, post: str, cases: Sequence[LostCase], language: str, made_at: datetime) -> bytes:
    """The list as PDF bytes (A4, embedded fonts): a title, what it is for, and one row per lost revision."""
    tr = translator(language)
    g = tr.gettext
    styles = Styles()
    title = g(TITLE).format(post=post)
    story: list = [Paragraph(text(title), styles.title), Spacer(1, 4 * mm),
                   Paragraph(text(g(INTRO).format(post=post)), styles.body), Spacer(1, 2 * mm),
                   Paragraph(text(g(MADE).format(date=tr.format_datetime(made_at))), styles.note),
                   Spacer(1, 4 * mm)]
    if cases:
        rows = [tuple(str(v) for v in row) for row in lost_case_rows(cases, tr)]
        head = [Paragraph(text(g(h)), styles.head) for h in LOST_CASE_HEADINGS]
        body = [[Paragraph(text(v), styles.cell_right if n == 1 else styles.cell) for n, v in enumerate(row)]
                for row in rows]
        # number, revision, status and the two moments are never broken; what was seized and who share the rest
        fixed = [max(fitted_width([row[n] for row in rows], least=12 * mm),
                     fitted_width(g(LOST_CASE_HEADINGS[n]).split(), font=BOLD, size=7.5)) for n in range(5)]
        rest = max(FRAME_WIDTH - sum(fixed), 50 * mm)
        story.append(KeptTable([head, *body], colWidths=[*fixed, rest * 0.6, rest * 0.4], repeatRows=1,
                               style=table_style(grid_style())))
    else:
        story.append(Paragraph(text(g(NONE).format(post=post)), styles.body))
    out = io.BytesIO()
    PrintedDocument(out, languages=(language,), title=title, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                    bottomMargin=MARGIN).build(story)
    return out.getvalue()


def write_lost_cases_csv(path: Path, *, cases: Sequence[LostCase], language: str) -> Path:
    """The list as a UTF-8 CSV (headings in the reader's language), written whole or not at all."""
    tr = translator(language)
    spec = SheetSpec(name="lost", headings=tuple(tr.gettext(h) for h in LOST_CASE_HEADINGS), kinds=_KINDS)
    tables = CsvTables({"lost": Path(path)}, [spec])
    try:
        for row in lost_case_rows(cases, tr):
            tables.append("lost", row)
    except BaseException:
        tables.abort()
        raise
    return tables.close()[0]
