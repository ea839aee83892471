"""The protocol of customs inspection and seizure: one case on A4, signed on the spot, with a check code."""

from __future__ import annotations

import io
import itertools
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

from reportlab.graphics.barcode import qrencoder
from reportlab.lib.colors import Color
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import getAscentDescent, stringWidth
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer, Table

from blo_desk.domain.entities import Officer, Person, SeizedItem
from blo_desk.domain.enums import CaseStatus, PersonRole, TimePrecision
from blo_desk.i18n import N_, N_plural
from blo_desk.reports.data import Photo, ProtocolData
from blo_desk.reports.fonts import BOLD, REGULAR
from blo_desk.reports.layout import (
    BINDING_MARGIN,
    BOUND_WIDTH,
    INK,
    LIGHT,
    MARGIN,
    OUTER_MARGIN,
    PAGE,
    RULE,
    THUMBNAIL_SIZE,
    Box,
    FillLine,
    KeptTable,
    OneLine,
    Paragraph,
    PrintedDocument,
    Styles,
    fields_table,
    fitted_width,
    grid_style,
    numbered_canvas,
    section,
    table_style,
    text,
    thumbnail,
    thumbnail_jpeg,
    watermark_fit,
)
from blo_desk.reports.wording import Wording

WIDTH = BOUND_WIDTH
# A QR of the full check code in capitals (alphanumeric mode, version 5, 37 modules plus a quiet zone) at 34 mm has
# modules of 0.83 mm: over three pixels in a 100 dpi scan; zbar reads it even from a 1-bit 80 dpi (fax) render.
QR_SIZE = 34 * mm
COPIES = N_plural("The protocol was drawn up in {count} copy.", "The protocol was drawn up in {count} copies.", by="n")
BLANK = "\u00a0" * 3 + "_" * 14 + "\u00a0" * 3  # a blank to fill in by hand inside a sentence
# The form's subtitle by lead agency: a border-service or police case is not a "customs inspection".
SUBTITLES = {
    "customs": N_("of customs inspection and seizure of goods"),
    "border": N_("of inspection and seizure of goods by the border service"),
    "police": N_("of inspection and seizure of items and documents"),
}
OTHER_SUBTITLE = N_("of inspection and seizure of goods")
PHOTOS = N_plural("{count} photograph, listed in the annex", "{count} photographs, listed in the annex", by="n")
THUMB_SIZE = THUMBNAIL_SIZE
MONO = REGULAR  # the embedded font (a standard PDF font would not be embedded)
ITEMS_SEIZED = N_plural("{count} item seized", "{count} items seized", by="n")
FOOTER_BASE = 9 * mm  # the check code's line; above it the page line and the signature strip
WATERMARK = Color(0.55, 0.55, 0.55, alpha=0.22)
WATERMARK_FLOOR = FOOTER_BASE + 17 * mm  # the watermark stays above the footer (signatures, number, check code)
QR_CLEARANCE = 2 * mm  # and this far from the QR code
SECTIONS = (
    N_("Officers and legal basis"),
    N_("Persons present"),
    N_("Witnesses"),
    N_("Conveyance and documents"),
    N_("Course of the inspection"),
    N_("Seized goods"),
    N_("Packing and seals"),
    N_("Remarks"),
    N_("Refusal to sign"),
    N_("Signatures"),
)


def same_precision_sum(amounts: list[Decimal]) -> Decimal:
    """The sum of measured amounts with as many decimals as the most precise of them (0.35 + 85.505 = 85.855)."""
    total = sum(amounts, Decimal(0))
    places = min((a.as_tuple().exponent for a in amounts if isinstance(a.as_tuple().exponent, int)), default=0)
    return total.quantize(Decimal(1).scaleb(min(places, 0)))  # type: ignore[arg-type]


def package_count(items: tuple[SeizedItem, ...]) -> int:
    """Packages of all items, those shared by items of one package group counted once."""
    shared: dict[str, int] = {}
    alone = 0
    for item in items:
        if item.package_group:
            shared[item.package_group] = max(shared.get(item.package_group, 0), item.packages or 0)
        else:
            alone += item.packages or 0
    return alone + sum(shared.values())


_LONG_RUN = re.compile(r"0{5,}|1{5,}")  # a whole run: the match starts where the run does
_DIGITS = bytes.maketrans(b"\x00\x01", b"01")
RULE3 = "10111010000"  # the finder-like run that reportlab's mask penalty looks for (one way round only)


def _runs_penalty(lines: list[str]) -> int:
    """Rule 1: each run of five or more modules of one colour costs its length less two."""
    return sum(len(run) - 2 for line in lines for run in _LONG_RUN.findall(line))


def _finder_penalty(lines: list[str]) -> int:
    """Rule 3 as reportlab scores it: 40 for each finder-like run, scanning left to right without overlap, starting
    before the last eleven modules of the line."""
    score = 0
    for line in lines:
        last, start = len(line) - len(RULE3), 0
        while (found := line.find(RULE3, start)) != -1 and found < last:
            score += 40
            start = found + len(RULE3)
    return score


def lost_points(modules: list[list[bool]]) -> int:
    """reportlab's penalty of a masked QR matrix (QRUtil.getLostPoint), worked out on strings and integers: the same
    number, some ten times sooner, so the mask chosen (and the code printed) is the same."""
    rows = [bytes(row).translate(_DIGITS).decode("ascii") for row in modules]  # False/True -> "0"/"1"
    columns = ["".join(column) for column in zip(*rows, strict=True)]
    count = len(rows)
    bits = [int(row, 2) for row in rows]
    full = (1 << count) - 1
    blocks = 0
    for upper, lower in itertools.pairwise(bits):  # rule 2: each 2x2 block of one colour costs 3
        same = ~(upper ^ lower) & full
        blocks += (same & (same >> 1) & ~(upper ^ (upper >> 1)) & (full >> 1)).bit_count()
    dark = sum(row.count("1") for row in rows)
    # reportlab's rule 3 compares the columns (tuples) with a list, which never matches: it scores the rows only
    return (_runs_penalty(rows) + _runs_penalty(columns) + 3 * blocks + _finder_penalty(rows)
            + 10 * (abs(100 * dark // (count * count) - 50) // 5))


class _QRCode(qrencoder.QRCode):
    """reportlab's encoder with the mask chosen by `lost_points` (the same choice, sooner)."""

    def getBestMaskPattern(self):  # noqa: N802 (reportlab's name)
        scores = []
        for pattern in range(8):
            self.makeImpl(True, pattern)
            scores.append(lost_points(self.modules))
        return scores.index(min(scores))  # the first of the lowest, as reportlab picks


class QrCode(Flowable):
    """A QR code of an ASCII value (error correction M), drawn straight onto the canvas as one path."""

    def __init__(self, value: str, size: float = QR_SIZE) -> None:
        super().__init__()
        code = _QRCode(None, qrencoder.QRErrorCorrectLevel.M)
        code.addData(value.encode("ascii").decode("ascii"))
        code.make()
        self.modules = code.modules
        self.size = size
        self.drawn_at: tuple[int, Box] | None = None  # the page and the box on it, once drawn


    def wrap(self, avail_width, avail_height):
        return self.size, self.size

    def draw(self):
        count = len(self.modules)
        quiet = 2  # modules of white border inside the drawing; the page margin adds more
        box = self.size / (count + 2 * quiet)
        path = self.canv.beginPath()
        for r, row in enumerate(self.modules):
            c = 0
            for dark, run in itertools.groupby(row):
                length = len(list(run))
                if dark:
                    path.rect((c + quiet) * box, self.size - (r + quiet + 1) * box, length * box, box)
                c += length
        self.canv.saveState()
        self.canv.setFillColor(INK)
        self.canv.drawPath(path, stroke=0, fill=1)
        self.canv.restoreState()
        (x0, y0), (x1, y1) = self.canv.absolutePosition(0, 0), self.canv.absolutePosition(self.size, self.size)
        self.drawn_at = (self.canv.getPageNumber(), (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)))


class _Protocol:
    """Builds the story of one protocol; the methods follow the blocks of the form, in order."""

    def __init__(self, data: ProtocolData, wording: Wording) -> None:
        self.data = data
        self.case = data.case
        self.w = wording
        self.s = Styles()
        self.zone = ZoneInfo(self.case.timezone)
        self.local = self.case.occurred_at.astimezone(self.zone) if self.case.occurred_at else None
        self.qr = QrCode(self.data.check_code.qr())

    # --- helpers ------------------------------------------------------------------------------------
    def ref(self, kind: str, code: str) -> str:
        if not code:
            return ""
        return self.w.label(self.data.labels.get(kind, {}).get(code), code)

    def refs(self, kind: str, codes) -> str:
        """Several reference values of one kind, listed in each language of the form."""
        known = self.data.labels.get(kind, {})
        return self.w.label_list((known.get(code), code) for code in codes)

    def country(self, code: str) -> str:
        return self.w.country(code)

    def weight(self, kg: Decimal | None) -> str:
        """A weight in kilograms as the print language writes it: 85,505 kg in uz and ru, 85.505 kg in en."""
        return "" if kg is None else f"{self.w.exact_number(kg)}\u00a0{self.ref('unit', 'kg')}"

    def started_at(self) -> str:
        """The time of the seizure as recorded: exact, 'about 14:30', or 'time unknown' (never a made-up 00:00)."""
        if self.local is None:
            return ""
        precision = self.case.time_precision
        if precision == TimePrecision.UNKNOWN:
            return self.w.enum(precision)
        at = self.w.time(self.local)
        return self.w(N_("about {time}"), time=at) if precision == TimePrecision.APPROXIMATE else at

    def ended_at(self) -> str:
        """When the drawing up ended: the time, with the date when it is not the day of the seizure."""
        if self.case.ended_at is None:
            return ""
        ended = self.case.ended_at.astimezone(self.zone)
        at = self.w.time(ended)
        if self.local is not None and ended.date() == self.local.date():
            return at
        return f"{self.w.date(ended.date())}, {at}"

    def issuing_body(self) -> str:
        """The official name of the body drawing up the protocol (country and agency), else the agency's label."""
        country = self.data.post.country if self.data.post else self.case.post_code[:2]
        body = self.data.labels.get("issuing_body", {}).get(f"{country}-{self.case.agency}")
        return self.w.label(body) if body is not None else self.ref("agency", self.case.agency)

    def articles(self) -> list[str]:
        """The offence articles of the case, each cited with its title in each language of the form."""
        return [self.ref("offence_article", code) for code in self.case.offence_articles]

    def articles_inline(self) -> dict[str, str]:
        """The articles as each language cites them in a sentence ('Jinoyat kodeksi, 246-modda'; the titles are in
        section 1), or a blank to fill in when the case names none."""
        known = self.data.labels.get("offence_article", {})
        cited: dict[str, str] = {}
        for lang in self.w.languages:
            names = [known[code].label(lang).split(" — ")[0] if code in known else code
                     for code in self.case.offence_articles]
            cited[lang] = "; ".join(names) or BLANK
        return cited

    def officer_line(self, officer: Officer) -> str:
        line = ", ".join(part for part in (officer.full_name, officer.rank) if part)
        agency = self.ref("agency", officer.agency)
        return f"{line} ({agency})" if agency else line

    def lines(self, values: list[str], style=None):
        """Several values, one a line; a fill-in line when there are none."""
        values = [value for value in values if value]
        return Paragraph("<br/>".join(text(v) for v in values), style or self.s.body) if values else FillLine()

    def label(self, msgid: str) -> Paragraph:
        return Paragraph(self.w.markup(msgid), self.s.label)

    def value(self, value: str, *, lines: int = 1):
        """The value, or a line to fill in by hand when it is empty."""
        if value and value.strip():
            return Paragraph(text(value), self.s.body)
        return FillLine(lines=lines)

    def cell(self, value: str, style=None):
        return Paragraph(text(value), style or self.s.cell) if value else ""

    def heading(self, number: int) -> list:
        return section(self.s, f"{number}.&nbsp;&nbsp;" + self.w.markup(SECTIONS[number - 1]), width=WIDTH)

    def person_document(self, person: Person) -> str:
        number = person.document_number.replace(" ", "\u00a0")  # a document number never breaks over two lines
        return " ".join(part for part in (self.ref("document_type", person.document_type), number) if part)

    def identity(self, person: Person) -> list[str]:
        """The document, the day it was issued and who issued it, one a line."""
        return [
            self.person_document(person),
            self.w.field(N_("Issued on"), self.w.date(person.document_issued_on)),
            self.w.field(N_("Issued by"), person.document_issuer),
        ]

    # --- blocks -------------------------------------------------------------------------------------
    def header(self) -> list:
        case, post = self.case, self.data.post
        country = self.w.country(post.country if post else case.post_code[:2])
        authority = [Paragraph(text(country), self.s.authority), Paragraph(text(self.issuing_body()), self.s.authority)]
        post_line = self.w.post_phrase(N_("Border crossing point {name} ({code})"), post, case.post_code)
        authority.append(Paragraph(text(post_line), self.s.body))
        if post and post.region:
            authority.append(Paragraph(text(self.ref("region", post.region)), self.s.small))
        qr = [self.qr, Paragraph(self.w.markup(N_("Check code")), self.s.tiny)]
        table = Table([[authority, qr]], colWidths=[WIDTH - QR_SIZE - 6, QR_SIZE + 6])
        table.setStyle(
            table_style(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                    ("LINEBELOW", (0, 0), (-1, -1), 1.2, INK),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ]
            )
        )
        story: list = [table, Spacer(1, 6)]
        for title in self.w.lines(N_("PROTOCOL")):
            story.append(Paragraph(text(title), self.s.title))
        for subtitle in self.w.lines(SUBTITLES.get(case.agency, OTHER_SUBTITLE)):
            story.append(Paragraph(text(subtitle), self.s.subtitle))
        story.append(Spacer(1, 3))
        story.append(Paragraph(text(self.w(N_("No. {number}"), number=case.case_number)), self.s.number))
        amendment = self.data.amendment
        if amendment is not None:
            said = self.w(N_("Amended: revision {revision} replaces revision {replaced} ({reason})"),
                          revision=amendment.revision, replaced=amendment.replaces, reason=amendment.reason)
            story.append(Paragraph(f"<b>{text(said)}</b>", self.s.number))
        story.append(Spacer(1, 6))
        route = self.w.countries(
            [case.origin_country, *case.transit_countries, case.destination_country],
            joiner=" → ",
        )
        rows = [
            (self.label(N_("Date")), self.value(self.w.date(self.local.date()) if self.local else "")),
            (self.label(N_("Inspection started at")), self.value(self.started_at())),
            (self.label(N_("Inspection ended at")), self.value(self.ended_at())),
            (self.label(N_("Place")), self.value(self.w.post_phrase(N_("Border crossing point {name} ({code})"), post, case.post_code))),
            (self.label(N_("Direction of travel")), self.value(self.w.enum(case.direction))),
            (self.label(N_("Route (from → through → to)")), self.value(route)),
        ]
        story.append(fields_table(rows, width=WIDTH))
        return story

    def officers(self) -> list:
        case = self.case
        officers = [self.officer_line(officer) for officer in case.officers]
        rows = [
            (
                self.label(N_("Officer(s) who carried out the inspection (position, rank, full name)")),
                self.lines(officers) if officers else FillLine(lines=2),
            ),
        ]
        joint = [code for code in case.joint_agencies if code != case.agency]
        if joint:
            rows += [
                (self.label(N_("Lead agency")), self.value(self.ref("agency", case.agency))),
                (self.label(N_("Joint operation with")), self.value(self.refs("agency", joint))),
            ]
        else:
            rows.append((self.label(N_("Agency")), self.value(self.ref("agency", case.agency))))
        articles = self.articles()
        rows += [
            (self.label(N_("Offence (article of the law)")), self.lines(articles) if articles else FillLine(lines=2)),
            (self.label(N_("Legal basis")), self.value(case.legal_basis)),
        ]
        if case.agency in ("customs", "") or case.procedure:
            rows.append((self.label(N_("Customs procedure")), self.value(case.procedure)))
        return [*self.heading(1), fields_table(rows, width=WIDTH)]

    def persons(self) -> list:
        present = [p for p in self.case.persons if p.role != PersonRole.WITNESS]
        head = [
            Paragraph(self.w.markup(N_("No.")), self.s.head),
            Paragraph(self.w.markup(N_("Role")), self.s.head),
            Paragraph(self.w.markup(N_("Full name, date and place of birth, citizenship")), self.s.head),
            Paragraph(self.w.markup(N_("Identity document")), self.s.head),
            Paragraph(self.w.markup(N_("Address")), self.s.head),
        ]
        rows = [head]
        for n, person in enumerate(present, start=1):
            details = [f"<b>{text(person.full_name)}</b>"]
            born = ", ".join(part for part in (self.w.date(person.birth_date), person.birth_place) if part)
            details += [text(part) for part in (born, self.country(person.nationality)) if part]
            rows.append(
                [
                    Paragraph(str(n), self.s.cell_center),
                    self.cell(self.w.enum_list(person.roles)),
                    Paragraph("<br/>".join(details), self.s.cell),
                    self.lines(self.identity(person), self.s.cell),
                    self.cell(person.address) or FillLine(),
                ]
            )
        while len(rows) < 3:  # room to write in anyone present who was not recorded
            rows.append([Paragraph(str(len(rows)), self.s.cell_center), FillLine(), FillLine(), FillLine(), FillLine()])
        widths = [9 * mm, 27 * mm, 58 * mm, 38 * mm, WIDTH - 132 * mm]
        table = KeptTable(rows, colWidths=widths, repeatRows=1)
        table.setStyle(table_style(grid_style()))
        articles = self.articles_inline()
        rights = self.w.phrase(N_("The rights and duties of the person were explained under {articles}, including the right "
                           "to give explanations in their native language and to use an interpreter."),
                        articles=articles)
        signed = self.signed_statement(rights, N_("signature of the person"))
        return [*self.heading(2), table, Spacer(1, 3), signed, Spacer(1, 3), *self.interpreter()]

    def signed_statement(self, statement: str, caption: str, *, signers: int = 1) -> Table:
        """A statement with a line (or several) for the signature of whoever it was read to."""
        lines = [FillLine(caption=self.w(caption)) for _ in range(signers)]
        table = Table([[Paragraph(text(statement), self.s.small), lines]], colWidths=[WIDTH - 52 * mm, 52 * mm])
        table.setStyle(table_style([("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LEFTPADDING", (0, 0), (-1, -1), 4),
                                    ("RIGHTPADDING", (0, 0), (-1, -1), 4), ("TOPPADDING", (0, 0), (-1, -1), 1),
                                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
        return table

    def interpreter_person(self) -> Person | None:
        return next((p for p in self.case.persons if PersonRole.INTERPRETER in p.roles), None)

    def interpreter(self) -> list:
        """The interpreter: name, language, the warning of liability, a signature line (lines to fill when none)."""
        person = self.interpreter_person()
        rows = [
            (self.label(N_("Interpreter (full name)")), self.value(person.full_name if person else "")),
            (self.label(N_("Language of interpretation")), self.value(self.w.language(self.case.interpreter_language))),
        ]
        warning = self.w(N_("The interpreter was told of their rights and duties and warned of liability for a "
                            "knowingly false translation."))
        return [KeepTogether([fields_table(rows, width=WIDTH),
                              self.signed_statement(warning, N_("signature of the interpreter"))])]

    def witnesses(self) -> list:
        witnesses = [p for p in self.case.persons if p.role == PersonRole.WITNESS]
        head = [
            Paragraph(self.w.markup(N_("No.")), self.s.head),
            Paragraph(self.w.markup(N_("Full name")), self.s.head),
            Paragraph(self.w.markup(N_("Identity document")), self.s.head),
            Paragraph(self.w.markup(N_("Address")), self.s.head),
        ]
        rows = [head]
        for n, person in enumerate(witnesses, start=1):
            rows.append(
                [
                    Paragraph(str(n), self.s.cell_center),
                    Paragraph(f"<b>{text(person.full_name)}</b>", self.s.cell) if person.full_name else FillLine(),
                    self.lines(self.identity(person), self.s.cell),
                    self.cell(person.address) or FillLine(),
                ]
            )
        while len(rows) < 3:  # the law asks for two witnesses
            rows.append([Paragraph(str(len(rows)), self.s.cell_center), FillLine(), FillLine(), FillLine()])
        widths = [9 * mm, 62 * mm, 48 * mm, WIDTH - 119 * mm]
        table = KeptTable(rows, colWidths=widths, repeatRows=1)
        table.setStyle(table_style(grid_style()))
        rights = self.w.phrase(N_("The witnesses were told of their right to take part in the inspection and to make "
                                  "remarks, and of their duty to certify what they saw, in a case under {articles}."),
                               articles=self.articles_inline())
        note = self.signed_statement(rights, N_("signatures of the witnesses"), signers=max(2, len(witnesses)))
        return [*self.heading(3), table, Spacer(1, 2), note]

    def conveyance(self) -> list:
        case = self.case
        rows = [
            (self.label(N_("Type of conveyance")), self.value(self.ref("conveyance_type", case.conveyance_type))),
            (self.label(N_("Registration number")), self.value(case.conveyance_registration)),
        ]
        filled = (  # only what was recorded: a truck has no flight number
            (N_("Make and model"), case.vehicle_make),
            (N_("Trailer registration number"), case.trailer_plate),
            (N_("VIN"), case.vin),
            (N_("Container number"), case.container_number),
            (N_("Train number"), case.train_number),
            (N_("Wagon number"), case.wagon_number),
            (N_("Flight number"), case.flight_number),
            (N_("Cargo declared in the documents"), case.declared_cargo),
            (N_("Declared weight"), self.weight(case.declared_weight)),
        )
        rows += [(self.label(msgid), self.value(value)) for msgid, value in filled if value]
        documents = [self.document_line(d.kind, d.number, d.issued_on) for d in case.documents]
        rows.append(
            (
                self.label(N_("Transport and shipping documents presented")),
                self.lines(documents) if documents else FillLine(lines=2),
            )
        )
        return [*self.heading(4), fields_table(rows, width=WIDTH)]

    def document_line(self, kind: str, number: str, issued_on) -> str:
        """'CMR № 0412 of 18.04.2024': the kind in the print language, the number, the date."""
        number = self.w(N_("No. {number}"), number=number.replace(" ", "\u00a0")) if number else ""
        dated = self.w.phrase(N_("dated {date}"), date=issued_on) if issued_on else ""
        return " ".join(part for part in (self.ref("transport_document", kind), number, dated) if part)

    def course(self) -> list:
        case = self.case
        concealment = self.ref("concealment_method", case.concealment_method)
        if case.concealment_details:
            concealment = f"{concealment}: {case.concealment_details}" if concealment else case.concealment_details
        rows = [
            (self.label(N_("Method of detection")), self.value(self.refs("detection_method", case.detection_methods))),
            (self.label(N_("Technical means and equipment used")), self.value(self.refs("technical_means", case.technical_means))),
            (self.label(N_("Place and method of concealment")), self.value(concealment)),
            (self.label(N_("Circumstances")), self.value(case.narrative, lines=3)),
            (self.label(N_("Attachments")), self.value(self.attachments_line())),
        ]
        return [*self.heading(5), fields_table(rows, width=WIDTH)]

    def quantity(self, amount: Decimal, unit: str) -> str:
        """'130 boxes', '85,505 kg': the amount as the form's first language writes it, the unit in each language."""
        return self.w.quantity(amount, self.data.labels.get("unit", {}).get(unit), unit)

    def money_lines(self, amount: Decimal, currency: str) -> list[str]:
        """A sum in each language of the form (a bilingual form gives 'soʻm' and 'сум'), one unbroken line each."""
        return self.w.money_texts(amount, currency)

    def number_cell(self, lines: list[str], *, bold: bool = False, align: str = "right") -> list:
        return [OneLine(line, font=BOLD if bold else REGULAR, align=align) for line in lines if line]

    def attachments_line(self) -> str:
        """'12 photographs, listed in the annex with their SHA-256' or 'none'."""
        count = len(self.case.attachments)
        if not count:
            return self.w(N_("none"))
        return self.w.plural(PHOTOS, count, count=self.w.number(count))

    def annex(self) -> list:
        """Annex: every photograph with its thumbnail, caption, file name, size and SHA-256, on pages of its own."""
        s = self.s
        photos = self.data.photos or tuple(Photo(a, None) for a in self.case.attachments)
        if not photos:
            return []
        head = [Paragraph(self.w.markup(N_("No.")), s.head), Paragraph(self.w.markup(N_("Photograph")), s.head),
                Paragraph(self.w.markup(N_("Caption and file")), s.head), Paragraph("SHA-256", s.head)]
        rows: list[list] = [head]
        for n, photo in enumerate(photos, start=1):
            attachment = photo.attachment
            small = photo.thumbnail or (thumbnail_jpeg(photo.content) if photo.content else None)
            picture = thumbnail(small, THUMB_SIZE) if small else None
            described = [f"<b>{text(attachment.caption)}</b>"] if attachment.caption else []
            described += [text(attachment.filename), text(self.w.phrase(N_("{size} bytes"), size=self.w.number(attachment.size)))]
            digest = attachment.sha256
            rows.append([
                Paragraph(str(n), s.cell_center),
                picture or Paragraph(self.w.markup(N_("no preview")), s.note),
                Paragraph("<br/>".join(described), s.cell),
                [OneLine(digest[:32], font=MONO, size=7, align="left"), OneLine(digest[32:], font=MONO, size=7, align="left")],
            ])
        widths = [8 * mm, THUMB_SIZE + 6, 0.0, 66 * mm]
        widths[2] = WIDTH - sum(widths)
        table = KeptTable(rows, colWidths=widths, repeatRows=1)
        table.setStyle(table_style(grid_style()))
        title = self.w(N_("Annex to protocol No. {number}: photographs ({count})"), number=self.case.case_number,
                       count=self.w.number(len(photos)))
        return [PageBreak(), *section(s, text(title), width=WIDTH), table]

    def items(self) -> list:
        case, s = self.case, self.s
        head = [
            Paragraph(self.w.markup(N_("No.")), s.head),
            Paragraph(self.w.markup(N_("Name and distinguishing features")), s.head),
            Paragraph(self.w.markup(N_("Quantity / weight")), s.head),
            Paragraph(self.w.markup(N_("Packaging and seals")), s.head),
            Paragraph(self.w.markup(N_("Value")), s.head),
        ]
        rows: list[list] = [head]
        quantities: dict[str, list[Decimal]] = {}
        values: dict[str, Decimal] = {}
        nets: list[Decimal] = []
        amount_texts: list[str] = []
        money_texts: list[str] = []
        for n, item in enumerate(case.items, start=1):
            name = [f"<b>{text(self.ref('commodity_category', item.category))}</b>"] if item.category else []
            if item.substance:
                name.append(f"<b>{text(self.ref('substance', item.substance))}</b>")
            if item.description:
                name.append(text(item.description))
            if item.brand:
                name.append(f"<i>{text(item.brand)}</i>")
            amounts = []
            if item.quantity is not None:
                amounts.append(self.quantity(item.quantity, item.unit))
                quantities.setdefault(item.unit, []).append(item.quantity)
            amounts.append(self.w.field(N_("Net"), self.weight(item.net_weight)))
            amounts.append(self.w.field(N_("Gross"), self.weight(item.gross_weight)))
            if item.net_weight is not None:
                nets.append(item.net_weight)
            money = self.money_lines(item.value, item.currency) if item.value is not None else []
            if item.value is not None:
                values[item.currency] = values.get(item.currency, Decimal(0)) + item.value
            amount_texts += amounts
            money_texts += money
            packing = self.packing_lines(n, item)
            rows.append(
                [
                    Paragraph(str(n), s.cell_center),
                    Paragraph("<br/>".join(name), s.cell) if name else FillLine(),
                    self.number_cell(amounts),
                    self.lines(packing, s.cell) if packing else "",
                    self.number_cell(money),
                ]
            )
        if not case.items:
            rows.append([Paragraph("1", s.cell_center), FillLine(), FillLine(), FillLine(), FillLine()])
        totals = [self.quantity(same_precision_sum(amounts), unit) for unit, amounts in sorted(quantities.items())]
        if len(nets) > 1:
            totals.append(self.w.field(N_("Net"), self.weight(same_precision_sum(nets))))
        total_money = [line for cur, amount in sorted(values.items()) for line in self.money_lines(amount, cur)]
        packages = package_count(case.items)
        rows.append(
            [
                Paragraph(self.w.markup(N_("Total"), bold=True), s.cell),
                "",
                self.number_cell(totals, bold=True),
                Paragraph(self.w(N_("Packages: {count}"), count=self.w.number(packages)) if packages else "", s.cell),
                self.number_cell(total_money, bold=True),
            ]
        )
        amount_width = fitted_width([*amount_texts, *totals], font=BOLD, least=24 * mm, most=44 * mm)
        money_width = fitted_width([*money_texts, *total_money], font=BOLD, least=22 * mm, most=40 * mm)
        widths = [8 * mm, 0.0, amount_width, 34 * mm, money_width]
        widths[1] = WIDTH - sum(widths)
        table = KeptTable(rows, colWidths=widths, repeatRows=1)
        style = grid_style() + [
            ("SPAN", (0, -1), (1, -1)),
            ("LINEABOVE", (0, -1), (-1, -1), 0.8, INK),
            ("BACKGROUND", (0, -1), (-1, -1), LIGHT),
        ]
        table.setStyle(table_style(style))
        count = Paragraph(text(self.w.plural(ITEMS_SEIZED, len(case.items), count=self.w.number(len(case.items)))),
                          s.note)
        legal = self.w.field(N_("Legal ground for the seizure of every item"), self.legal_ground())
        after = [Spacer(1, 2), count]
        if legal:
            after.append(Paragraph(text(legal), s.body))
        return [*self.heading(6), table, *after]

    def legal_ground(self) -> str:
        """The legal ground, the same for every item, printed once under the table."""
        return self.case.legal_basis

    def packing_lines(self, number: int, item: SeizedItem) -> list[str]:
        """How many packages of what kind, the item's seals, and which items share its packages."""
        kind = self.ref("packaging_kind", item.packaging)
        count = self.w.number(item.packages) if item.packages is not None else ""
        lines = [" × ".join(part for part in (count, kind) if part)]
        lines.append(self.w.field(N_("Seals"), item.seals))
        if item.package_group:
            mates = [str(n) for n, other in enumerate(self.case.items, start=1)
                     if n != number and other.package_group == item.package_group]
            if mates:
                lines.append(self.w(N_("In the same packages as No. {numbers}"), numbers=", ".join(mates)))
        return [line for line in lines if line]

    def packing(self) -> list:
        case = self.case
        seals = ", ".join(dict.fromkeys(item.seals for item in case.items if item.seals))
        packages = package_count(case.items)
        rows = [
            (self.label(N_("Number of packages")), self.value(self.w.number(packages) if packages else "")),
            (self.label(N_("Packed and sealed with seals No.")), self.value(seals)),
            (self.label(N_("Handed over for storage to")), FillLine()),
        ]
        return [*self.heading(7), fields_table(rows, width=WIDTH)]

    def remarks(self) -> list:
        rows = [(self.label(N_("Remarks and statements of the persons present")), FillLine(lines=3))]
        return [*self.heading(8), fields_table(rows, width=WIDTH)]

    def refusal(self) -> list:
        yes, no = self.w.markup(N_("yes")), self.w.markup(N_("no"))
        rows = [
            (
                self.label(N_("The person refused to sign the protocol")),
                Paragraph(f"☐ {yes}&nbsp;&nbsp;&nbsp;&nbsp;☐ {no}", self.s.body),
            ),
            (self.label(N_("Reason given, or a note that none was given")), FillLine(lines=2)),
        ]
        return [*self.heading(9), fields_table(rows, width=WIDTH)]

    def signatures(self) -> list:
        s = self.s
        person = next(
            (p for p in self.case.persons if {PersonRole.OWNER, PersonRole.SUSPECT} & set(p.roles)), None
        ) or next((p for p in self.case.persons if p.role != PersonRole.WITNESS), None)
        witnesses = [p for p in self.case.persons if p.role == PersonRole.WITNESS]
        name_caption = self.w(N_("full name"))
        sign_caption = self.w(N_("signature"))

        def name(value: str):
            """A signer's name on one line (a long one shrinks rather than wraps), or a line to write it on."""
            return OneLine(value, size=9, align="left") if value else FillLine(caption=name_caption)

        officers = [", ".join(part for part in (o.full_name, o.rank) if part) for o in self.case.officers] or [""]
        rows = [[self.label(N_("Officer")), name(officer), FillLine(caption=sign_caption)] for officer in officers]
        rows += [
            [self.label(N_("Person whose goods were inspected")), name(person.full_name if person else ""), FillLine(caption=sign_caption)],
        ]
        for n in range(max(2, len(witnesses))):
            witness = witnesses[n].full_name if n < len(witnesses) else ""
            label = Paragraph(self.w.markup(N_("Witness {number}"), number=n + 1), s.label)
            rows.append([label, name(witness), FillLine(caption=sign_caption)])
        interpreter = self.interpreter_person()
        rows.append([self.label(N_("Interpreter")), name(interpreter.full_name if interpreter else ""),
                     FillLine(caption=sign_caption)])
        table = Table(rows, colWidths=[48 * mm, 80 * mm, WIDTH - 128 * mm])
        table.setStyle(
            table_style(
                [
                    ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 4),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                    ("TOPPADDING", (0, 0), (-1, -1), 9),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ]
            )
        )
        received = Table(
            [
                [
                    Paragraph(self.w.markup(N_("A copy of this protocol was received"), bold=True), s.body),
                    FillLine(caption=sign_caption),
                    FillLine(caption=self.w(N_("date"))),
                ]
            ],
            colWidths=[80 * mm, 52 * mm, WIDTH - 132 * mm],
        )
        received.setStyle(
            table_style(
                [
                    ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 4),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                    ("TOPPADDING", (0, 0), (-1, -1), 12),
                    ("BOX", (0, 0), (-1, -1), 0.8, INK),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                ]
            )
        )
        if self.case.copies:
            copies = self.w.plural(COPIES, self.case.copies, count=self.w.number(self.case.copies))
        else:
            copies = self.w(N_("The protocol was drawn up in {count} copies."), count=BLANK)
        return [*self.heading(10), table, Spacer(1, 6), Paragraph(text(copies), s.body), Spacer(1, 6), received]

    def story(self) -> list:
        gap = Spacer(1, 5)
        story = self.header()
        for block in (self.officers, self.persons, self.witnesses, self.conveyance, self.course, self.items, self.packing):
            story.append(gap)
            story.extend(block())
        # The signatures never stand alone on the last page: the remarks and the refusal go with them.
        story += [gap, KeepTogether([*self.remarks(), gap, *self.refusal(), gap, *self.signatures()])]
        return story + self.annex()

    # --- every page -------------------------------------------------------------------------------
    def footer(self, canvas, page: int, pages: int) -> None:
        """Each page: the officer's and the person's signature, the protocol's number, 'Page X of Y', the check code
        to read out, and on a draft a watermark in the form's languages."""
        left, right = BINDING_MARGIN, PAGE[0] - OUTER_MARGIN
        canvas.saveState()
        if self.case.status == CaseStatus.DRAFT:
            self.watermark(canvas, page)
        # the signature strip
        y = FOOTER_BASE + 15 * mm
        canvas.setFont(REGULAR, 6.5)
        canvas.setFillColor(RULE)
        canvas.setStrokeColor(INK)
        canvas.setLineWidth(0.4)
        half = (right - left) / 2
        for n, msgid in enumerate((N_("Officer"), N_("Person whose goods were inspected"))):
            x, width = left + n * half, half - 8
            canvas.line(x, y, x + width, y)
            caption = f"{self.w(msgid)} ({self.w(N_('signature'))})"
            size = min(6.5, 6.5 * width / max(stringWidth(caption, REGULAR, 6.5), 1))
            canvas.setFont(REGULAR, size)
            canvas.drawCentredString(x + width / 2, y - 7, caption)
        # the rule, the number and the page
        y = FOOTER_BASE + 4 * mm
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(left, y + 9, right, y + 9)
        canvas.setFillColor(INK)
        canvas.setFont(REGULAR, 7.5)
        number = self.w(N_("Protocol No. {number}"), number=self.case.case_number)
        if self.case.status == CaseStatus.DRAFT:
            number += " · " + self.w.enum(self.case.status)
        canvas.drawString(left, y, number)
        canvas.drawRightString(right, y, self.w(N_("Page {page} of {pages}"), page=page, pages=pages))
        # The label in each language of the form, the code once; the full code is in the QR.
        canvas.setFont(BOLD, 8)
        canvas.drawString(left, FOOTER_BASE, f"{self.w(N_('Check code'))}: {self.data.check_code.spoken()}")
        canvas.restoreState()

    def watermark(self, canvas, page: int) -> None:
        """'QORALAMA / ЧЕРНОВИК': the word Draft along the diagonal of the body, light, in each language of the form;
        never over the QR code (a scan must still read it) nor over the footer with its check code."""
        word = self.w(N_("DRAFT"))
        ascent, descent = getAscentDescent(BOLD, 1)
        left, right = BINDING_MARGIN, PAGE[0] - OUTER_MARGIN
        keep_out = [(left, 0, right, WATERMARK_FLOOR)]
        top = PAGE[1] - MARGIN
        if self.qr.drawn_at is not None and self.qr.drawn_at[0] == page:  # the body below the header's QR
            x0, y0, x1, y1 = self.qr.drawn_at[1]
            keep_out.append((x0 - QR_CLEARANCE, y0 - QR_CLEARANCE, x1 + QR_CLEARANCE, y1 + QR_CLEARANCE))
            top = min(top, y0 - QR_CLEARANCE)
        centre, angle, size, _corners = watermark_fit(
            word_width=stringWidth(word, BOLD, 1), ascent=ascent, descent=-descent,
            area=(left, WATERMARK_FLOOR, right, top), keep_out=keep_out, largest=96.0)
        canvas.saveState()
        canvas.translate(*centre)
        canvas.rotate(angle)
        canvas.setFillColor(WATERMARK)
        canvas.setFont(BOLD, size)
        canvas.drawCentredString(0, -size / 3, word)
        canvas.restoreState()


def build_protocol(data: ProtocolData, *, lang: str) -> bytes:
    """The protocol as PDF bytes, in "uz", "ru", "en" or the bilingual "uz+ru"."""
    wording = Wording(lang)
    protocol = _Protocol(data, wording)
    buffer = io.BytesIO()
    title = wording(N_("Protocol No. {number}"), number=data.case.case_number)
    doc = PrintedDocument(
        buffer,
        languages=wording.languages,
        pagesize=PAGE,
        leftMargin=BINDING_MARGIN,
        rightMargin=OUTER_MARGIN,
        topMargin=MARGIN - 4,
        bottomMargin=FOOTER_BASE + 24 * mm,
        title=title,
        subject=data.check_code.full(),
    )
    doc.build(protocol.story(), canvasmaker=numbered_canvas(protocol.footer))
    return buffer.getvalue()
