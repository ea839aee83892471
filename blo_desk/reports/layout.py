"""Shared look of printed pages: A4 frame, styles, fill-in lines, section headings, "Page X of Y" footers, and the
document's metadata (title, creator, languages)."""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Sequence
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfdoc import XMP
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import CondPageBreak, Flowable, Image, SimpleDocTemplate, Table, TableStyle
from reportlab.platypus import Paragraph as _Paragraph

from blo_desk import __version__
from blo_desk.reports.fonts import BOLD, REGULAR, register_fonts
from blo_desk.reports.thumbnails import THUMBNAIL_DPI, THUMBNAIL_SIZE, thumbnail_jpeg  # noqa: F401  (re-exported)

PAGE = A4
MARGIN = 16 * mm
FOOTER_HEIGHT = 12 * mm
HEADING_ROOM = 32 * mm  # a section heading needs this much page left, so it never sits alone at the bottom
FRAME_WIDTH = PAGE[0] - 2 * MARGIN
BINDING_MARGIN = 25 * mm  # the left edge of a form that is filed in a binder or stitched into a case file
OUTER_MARGIN = 12 * mm
BOUND_WIDTH = PAGE[0] - BINDING_MARGIN - OUTER_MARGIN  # the frame of a bound form
ROOMY_PAGE = 200 * mm  # more free height than this: the page is (almost) empty, so a table may split anywhere
INK = colors.black
RULE = colors.Color(0.35, 0.35, 0.35)
SHADE = colors.Color(0.90, 0.90, 0.90)
LIGHT = colors.Color(0.96, 0.96, 0.96)
AUTHOR = "BLO Desk"
CREATOR = f"BLO Desk {__version__}"
#: BCP 47 tags of the print languages: Uzbek is printed in the Latin script
LANGUAGE_TAGS = {"uz": "uz-Latn", "ru": "ru", "en": "en"}
MULTIPLE_LANGUAGES = "mul"  # BCP 47 for "several languages": the catalog's /Lang of a bilingual form


# Page streams are written zlib-compressed and binary; reportlab's default also wraps each in ASCII85, which makes the
# file a quarter bigger and costs a pure-Python pass over every stream (the text and pictures are the same).
rl_config.useA85 = 0


class Paragraph(_Paragraph):
    """reportlab's Paragraph that does not break its lines again for the width it was last wrapped at: a table wraps
    each cell to measure its row, then again to draw it, and a kept-together block once more to see if it fits."""

    _wrapped_at: float | None = None

    def wrap(self, availWidth, availHeight):  # noqa: N803 (reportlab's names)
        # the lines depend on the width only; a split that found no room drops them (and they are made again)
        if availWidth == self._wrapped_at and hasattr(self, "blPara"):
            return self.width, self.height
        size = super().wrap(availWidth, availHeight)
        self._wrapped_at = availWidth if hasattr(self, "blPara") else None
        return size


class Styles:
    """Paragraph styles of the forms (all in the embedded font)."""

    def __init__(self) -> None:
        register_fonts()
        base = ParagraphStyle("body", fontName=REGULAR, fontSize=9, leading=11.5, textColor=INK)
        self.body = base
        self.small = ParagraphStyle("small", parent=base, fontSize=7.5, leading=9.2)
        self.tiny = ParagraphStyle("tiny", parent=base, fontSize=6.5, leading=8, textColor=RULE)
        self.label = ParagraphStyle("label", parent=base, fontSize=8, leading=10, textColor=colors.Color(0.2, 0.2, 0.2))
        self.cell = ParagraphStyle("cell", parent=base, fontSize=8, leading=10)
        self.cell_right = ParagraphStyle("cell_right", parent=self.cell, alignment=TA_RIGHT)
        self.cell_center = ParagraphStyle("cell_center", parent=self.cell, alignment=TA_CENTER)
        self.head = ParagraphStyle("head", parent=self.cell, fontName=BOLD, fontSize=7.5, leading=9, alignment=TA_CENTER)
        self.authority = ParagraphStyle("authority", parent=base, fontName=BOLD, fontSize=9.5, leading=12)
        self.title = ParagraphStyle(
            "title", parent=base, fontName=BOLD, fontSize=14, leading=17, alignment=TA_CENTER, spaceBefore=2
        )
        self.subtitle = ParagraphStyle("subtitle", parent=base, fontName=BOLD, fontSize=10.5, leading=13, alignment=TA_CENTER)
        self.number = ParagraphStyle("number", parent=base, fontSize=10.5, leading=13, alignment=TA_CENTER)
        self.section = ParagraphStyle("section", parent=base, fontName=BOLD, fontSize=9.5, leading=12)
        self.note = ParagraphStyle("note", parent=base, fontSize=7.5, leading=9.5, textColor=RULE)


def table_style(commands: list) -> TableStyle:
    """A table style that starts in the embedded font (reportlab's cell default is an unembedded Helvetica)."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), REGULAR), *commands])


def text(value: str) -> str:
    """Escape user text for paragraph markup, keeping line breaks."""
    return escape(value or "").replace("\n", "<br/>")


class FillLine(Flowable):
    """A line to fill in by hand: printed wherever a field was left empty."""

    def __init__(self, *, height: float = 13, lines: int = 1, caption: str = "", style: ParagraphStyle | None = None):
        super().__init__()
        self.line_height = height
        self.lines = lines
        self.caption = caption
        self.style = style

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        extra = 8 if self.caption else 0
        self.height = self.line_height * self.lines + extra
        return self.width, self.height

    def draw(self):
        canvas = self.canv
        canvas.saveState()
        canvas.setStrokeColor(INK)
        canvas.setLineWidth(0.4)
        extra = 8 if self.caption else 0
        for n in range(self.lines):
            y = extra + n * self.line_height + 1.5
            canvas.line(0, y, self.width, y)
        if self.caption:
            canvas.setFont(REGULAR, 6)
            canvas.setFillColor(RULE)
            canvas.drawCentredString(self.width / 2, 1.5, self.caption)
        canvas.restoreState()


def section(styles: Styles, heading_markup: str, *, width: float = FRAME_WIDTH) -> list:
    """A section heading on a grey band, as on printed forms; it starts a new page rather than end one."""
    table = Table([[Paragraph(heading_markup, styles.section)]], colWidths=[width])
    table.setStyle(
        table_style(
            [
                ("BACKGROUND", (0, 0), (-1, -1), SHADE),
                ("LINEBELOW", (0, 0), (-1, -1), 0.6, INK),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    table.keepWithNext = True  # the heading goes to the next page with the first rows of its block
    return [CondPageBreak(HEADING_ROOM), table]


def fields_table(rows: Sequence[tuple[object, object]], *, label_width: float = 58 * mm,
                 width: float = FRAME_WIDTH) -> Table:
    """Label / value rows; a value of None has already been turned into a FillLine by the caller."""
    table = KeptTable([list(row) for row in rows], colWidths=[label_width, width - label_width])
    table.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


class OneLine(Flowable):
    """Text that never breaks (a sum with its currency, a weight, a status word): one line whose font shrinks, down
    to `min_size`, and is then squeezed sideways until the text fits its cell."""

    def __init__(self, value: str, *, font: str = REGULAR, size: float = 8, min_size: float = 6.5,
                 align: str = "right", leading: float | None = None) -> None:
        super().__init__()
        self.value = value
        self.font = font
        self.size = size
        self.min_size = min_size
        self.align = align
        self.leading = leading or size * 1.25

    def natural_width(self) -> float:
        return stringWidth(self.value, self.font, self.size)

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        self.height = self.leading
        return self.width, self.height

    def draw(self):
        natural = self.natural_width()
        size = self.size if natural <= self.width else max(self.min_size, self.size * self.width / natural)
        drawn = stringWidth(self.value, self.font, size)
        squeeze = min(1.0, self.width / drawn) if drawn else 1.0
        drawn *= squeeze
        x = {"right": self.width - drawn, "center": (self.width - drawn) / 2}.get(self.align, 0.0)
        canvas = self.canv
        canvas.saveState()
        canvas.translate(x, (self.leading - size) / 2 + size * 0.18)
        canvas.scale(squeeze, 1)
        canvas.setFont(self.font, size)
        canvas.setFillColor(INK)
        canvas.drawString(0, 0, self.value)
        canvas.restoreState()


def fitted_width(values: Sequence[str], *, font: str = REGULAR, size: float = 8, padding: float = 6,
                 least: float = 0, most: float = 1e9) -> float:
    """A column width sized from its content: the widest unbreakable value plus the cell padding, within limits."""
    widest = max((stringWidth(value, font, size) for value in values if value), default=0)
    return min(most, max(least, widest + padding + 1))


class KeptTable(Table):
    """A table that never leaves one row alone: a split that would put a single body row on a page (before or
    after the break) moves a row more to the next page, or the whole table when it is short."""

    def split(self, avail_width, avail_height):
        parts = super().split(avail_width, avail_height)
        if len(parts) != 2 or avail_height > ROOMY_PAGE:  # on an (almost) empty page any split is better than none
            return parts
        head = self.repeatRows if isinstance(self.repeatRows, int) else len(self.repeatRows)
        first_rows = len(parts[0]._cellvalues) - head
        rest_rows = len(parts[1]._cellvalues) - head
        if first_rows < 2 or len(self._cellvalues) - head < 4:
            return []  # the whole table goes to the next page
        if rest_rows >= 2:
            return parts
        if first_rows < 3:
            return []
        self.wrap(avail_width, avail_height)
        kept = sum(self._rowHeights[: len(parts[0]._cellvalues) - 1])
        return super().split(avail_width, kept + 0.5)


def thumbnail(jpeg: bytes, size: float = THUMBNAIL_SIZE) -> Image | None:
    """A small JPEG (thumbnail_jpeg) placed in a `size` square, keeping its proportions."""
    from PIL import Image as Picture

    try:
        with Picture.open(io.BytesIO(jpeg)) as opened:
            width, height = opened.size
    except (OSError, ValueError, SyntaxError):
        return None
    scale = size / max(width, height, 1)
    return Image(io.BytesIO(jpeg), width=width * scale, height=height * scale)


def grid_style(*, header_rows: int = 1) -> list:
    return [
        ("GRID", (0, 0), (-1, -1), 0.4, RULE),
        ("BOX", (0, 0), (-1, -1), 0.8, INK),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), SHADE),
        ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.8, INK),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("VALIGN", (0, 0), (-1, header_rows - 1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]


def numbered_canvas(draw_footer: Callable[[Canvas, int, int], None]) -> type[Canvas]:
    """A canvas class that holds pages back until the end, so that each footer can say "Page X of Y"."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            if not kwargs.get("initialFontName"):  # else each page's preamble names an unembedded Helvetica
                kwargs["initialFontName"] = REGULAR
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                draw_footer(self, number, total)
                super().showPage()
            super().save()

    return NumberedCanvas


def language_tags(languages: Sequence[str]) -> tuple[str, ...]:
    """The BCP 47 tag of each language of a form, e.g. ("uz-Latn", "ru") for the bilingual form."""
    return tuple(LANGUAGE_TAGS.get(lang, lang) for lang in languages)


def _xml(value: str) -> str:
    return escape(value, {'"': "&quot;"})


def xmp_packet(*, title: str, subject: str, languages: Sequence[str]) -> str:
    """XMP metadata: title, author, description, every language of the form (dc:language) and the creator tool."""
    langs = "".join(f"<rdf:li>{_xml(tag)}</rdf:li>" for tag in language_tags(languages))
    description = (f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{_xml(subject)}</rdf:li></rdf:Alt>'
                   "</dc:description>") if subject else ""
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:xmp="http://ns.adobe.com/xap/1.0/">'
        f'<dc:format>application/pdf</dc:format>'
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{_xml(title)}</rdf:li></rdf:Alt></dc:title>'
        f"<dc:creator><rdf:Seq><rdf:li>{AUTHOR}</rdf:li></rdf:Seq></dc:creator>{description}"
        f"<dc:language><rdf:Bag>{langs}</rdf:Bag></dc:language>"
        f"<xmp:CreatorTool>{_xml(CREATOR)}</xmp:CreatorTool>"
        "</rdf:Description></rdf:RDF></x:xmpmeta>"
        '<?xpacket end="r"?>'
    )


class PrintedDocument(SimpleDocTemplate):
    """An A4 document of the app whose metadata are right: the author BLO Desk, the creator "BLO Desk <version>",
    the given title and subject, the catalog's language (a bilingual form is "mul", not its first language) and XMP
    metadata listing every language of the form."""

    def __init__(self, buffer, *, languages: Sequence[str], title: str, subject: str = "", **frame) -> None:
        self.languages = tuple(languages)
        tags = language_tags(self.languages)
        frame.setdefault("pagesize", PAGE)
        super().__init__(buffer, title=title, subject=subject, author=AUTHOR, creator=CREATOR,
                         lang=tags[0] if len(tags) == 1 else MULTIPLE_LANGUAGES, **frame)

    def _makeCanvas(self, filename=None, canvasmaker=Canvas):  # noqa: N802 (reportlab's name)
        canvas = super()._makeCanvas(filename=filename, canvasmaker=canvasmaker)
        packet = xmp_packet(title=self.title, subject=self.subject, languages=self.languages)
        canvas._doc.Catalog.Metadata = XMP(creator=lambda _doc: packet.encode("utf-8"))
        return canvas


Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in page points
Point = tuple[float, float]


def box_corners(box: Box) -> list[Point]:
    x0, y0, x1, y1 = box
    return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]


def convex_overlap(a: Sequence[Point], b: Sequence[Point]) -> bool:
    """Whether two convex polygons share any area (separating axis test; touching edges do not count)."""
    for polygon in (a, b):
        for (x0, y0), (x1, y1) in zip(polygon, [*polygon[1:], polygon[0]], strict=True):
            nx, ny = y0 - y1, x1 - x0  # the edge's normal
            pa = [nx * x + ny * y for x, y in a]
            pb = [nx * x + ny * y for x, y in b]
            if max(pa) <= min(pb) or max(pb) <= min(pa):
                return False
    return True


def rotated_text_box(*, centre: Point, angle: float, width: float, ascent: float, descent: float) -> list[Point]:
    """The corners on the page of a line of text `width` wide, centred on `centre` and turned by `angle` (degrees),
    from `descent` below its baseline to `ascent` above it (drawCentredString at the centre, baseline offset 0)."""
    cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    cx, cy = centre
    return [(cx + x * cos - y * sin, cy + x * sin + y * cos)
            for x, y in ((-width / 2, -descent), (width / 2, -descent), (width / 2, ascent), (-width / 2, ascent))]


def watermark_fit(*, word_width: float, ascent: float, descent: float, area: Box, keep_out: Sequence[Box],
                  largest: float) -> tuple[Point, float, float, list[Point]]:
    """Where a diagonal watermark goes: the centre, angle and font size of a word (its width, ascent and descent at
    1 pt given) along the diagonal of `area`, as large as it fits inside `area` without touching any `keep_out` box
    (the QR code, the footer with its check code); with the corners it covers on the page."""
    x0, y0, x1, y1 = area
    centre = ((x0 + x1) / 2, (y0 + y1) / 2)
    angle = math.degrees(math.atan2(y1 - y0, x1 - x0))
    size = largest
    while True:
        # the baseline sits a third of the size below the centre, as the eye centres capitals
        shift = size / 3
        corners = rotated_text_box(centre=centre, angle=angle, width=word_width * size,
                                   ascent=(ascent * size) - shift, descent=(descent * size) + shift)
        inside = all(x0 <= x <= x1 and y0 <= y <= y1 for x, y in corners)
        if size <= 12 or (inside and not any(convex_overlap(corners, box_corners(box)) for box in keep_out)):
            return centre, angle, size, corners
        size *= 0.96
