"""The supervisor's period report: totals by commodity, post and month, concealment methods, charts, list of cases."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, Group, String
from reportlab.lib import colors
from reportlab.lib.attrmap import AttrMap, AttrMapValue
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.lib.validators import isNumber, isString
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Spacer, Table

from blo_desk.domain.statistics import NO_ITEMS, SEVERAL_CATEGORIES, MonthTotal
from blo_desk.i18n import N_
from blo_desk.reports.columns import Column, fit_columns, keep_whole
from blo_desk.reports.data import PeriodReportData
from blo_desk.reports.fonts import BOLD, REGULAR
from blo_desk.reports.layout import (
    FOOTER_HEIGHT,
    FRAME_WIDTH,
    INK,
    LIGHT,
    MARGIN,
    PAGE,
    RULE,
    Paragraph,
    PrintedDocument,
    Styles,
    fields_table,
    grid_style,
    numbered_canvas,
    section,
    table_style,
    text,
)
from blo_desk.reports.wording import Wording

PALETTE = [
    colors.HexColor(c)
    for c in ("#1f3b63", "#4f7cac", "#9bbbd4", "#c0504d", "#e3a857", "#6b8e23", "#8064a2", "#4bacc6", "#7f7f7f", "#c9c9c9")
]
PIE_SLICES = 8
OTHER_CATEGORY = "other"  # the reference list's own "Other": folded into the chart's one "Other categories" slice
MAX_AXIS_LABELS = 36  # beyond this many months, only every n-th month is labelled
REPORT_TITLE = N_("Report on seizures, {start} – {end}")  # each language writes the dates its own way


@dataclass(frozen=True, slots=True)
class Cell:
    """One table cell as plain lines: where it aligns, whether it is bold (every line, or the first only)."""

    lines: tuple[str, ...]
    align: str = "left"  # "left", "right" or "center"
    bold: bool = False
    bold_first: bool = False

    @property
    def plain(self) -> str:
        return "\n".join(self.lines)


def _lines(*values: str) -> tuple[str, ...]:
    return tuple(v for v in values if v)


class ChartDrawing(Drawing):
    """A drawing whose renderer starts in the embedded font (the default names an unembedded Helvetica)."""

    _attrMap = AttrMap(BASE=Drawing, initialFontName=AttrMapValue(isString), initialFontSize=AttrMapValue(isNumber))

    def __init__(self, width: float, height: float) -> None:
        super().__init__(width, height)
        self.initialFontName = REGULAR
        self.initialFontSize = 8


class _PeriodReport:
    """Builds the story of one report from aggregated figures."""

    def __init__(self, data: PeriodReportData, wording: Wording) -> None:
        self.data = data
        self.stats = data.statistics
        self.w = wording
        self.s = Styles()

    # --- helpers ------------------------------------------------------------------------------------
    def ref(self, kind: str, code: str) -> str:
        if not code:
            return self.w(N_("Not stated"))
        return self.w.label(self.data.labels.get(kind, {}).get(code), code)

    def post(self, code: str) -> str:
        return f"{self.w.post_name(self.data.posts.get(code), code)} ({code})"

    def money(self, values) -> tuple[str, ...]:
        return tuple(self.w.money(amount, currency) for currency, amount in values)

    def quantities(self, quantities) -> tuple[str, ...]:
        return tuple(f"{self.w.number(amount)} {self.ref('unit', unit) if unit else ''}".strip()
                     for unit, amount in quantities)

    def grid(self, headers: list[str], rows: list[list[Cell]], columns: list[Column], *, total: bool = False) -> Table:
        """A grid whose columns are sized from their content: whole values (amounts, codes, dates, status words) never
        break; the font shrinks within limits first (reports.columns)."""
        fit = fit_columns([[c.plain for c in row] for row in rows], columns, total_width=FRAME_WIDTH,
                          header=[self.w(h) for h in headers])
        size = fit.font_size
        base = ParagraphStyle(f"cell{size}", parent=self.s.cell, fontSize=size, leading=round(size * 1.25, 2))
        styles = {"left": base, "right": ParagraphStyle(f"cellr{size}", parent=base, alignment=TA_RIGHT),
                  "center": ParagraphStyle(f"cellc{size}", parent=base, alignment=TA_CENTER)}
        head = ParagraphStyle(f"head{size}", parent=self.s.head, fontSize=size - 0.5, leading=round((size - 0.5) * 1.2, 2))

        def paragraph(cell: Cell, column: Column) -> Paragraph:
            parts = []
            for n, line in enumerate(cell.lines):
                markup = text(keep_whole(line) if column.whole else line)
                parts.append(f"<b>{markup}</b>" if cell.bold or (cell.bold_first and n == 0) else markup)
            return Paragraph("<br/>".join(parts), styles[cell.align])

        data = [[Paragraph(self.w.markup(h), head) for h in headers]]
        data += [[paragraph(cell, column) for cell, column in zip(row, columns, strict=True)] for row in rows]
        table = Table(data, colWidths=list(fit.widths), repeatRows=1)
        style = grid_style()
        if total:
            style += [("BACKGROUND", (0, -1), (-1, -1), LIGHT), ("LINEABOVE", (0, -1), (-1, -1), 0.8, INK)]
        table.setStyle(table_style(style))
        return table

    def count(self, value) -> Cell:
        return Cell((self.w.number(value),), "right")

    def total_label(self) -> Cell:
        return Cell((self.w(N_("Total")),), bold=True)

    def share(self, part: int, whole: int) -> str:
        from babel.numbers import format_percent

        return format_percent(part / whole if whole else 0, "#,##0.0%", locale=self.w.primary.locale)

    # --- blocks -------------------------------------------------------------------------------------
    def header(self) -> list:
        stats, period = self.stats, self.stats.period
        story = [Paragraph(text(line), self.s.title) for line in self.w.lines(N_("Report on seizures"))]
        span = self.w(N_("{start} – {end}"), start=self.w.date(period.date_from), end=self.w.date(period.date_to))
        story += [Paragraph(text(span), self.s.subtitle), Spacer(1, 8)]
        posts = ", ".join(self.post(code) for code in period.post_codes) if period.post_codes else self.w(N_("All posts"))
        generated = self.w.primary.format_datetime(self.data.generated_at, "medium", tz=self.data.timezone)
        cases = self.w.number(stats.cases)
        if stats.drafts:
            cases = self.w(N_("{count} (of which drafts: {drafts})"), count=cases, drafts=self.w.number(stats.drafts))

        def label(msgid: str) -> Paragraph:
            return Paragraph(self.w.markup(msgid), self.s.label)

        def body(markup: str) -> Paragraph:
            return Paragraph(markup, self.s.body)

        rows = [
            (label(N_("Posts")), body(text(posts))),
            (label(N_("Cases counted")), body(text(self.w(N_("All cases")) if not period.finalized_only else self.w(N_("Finalized cases only"))))),
            (label(N_("Number of cases")), body(f"<b>{text(cases)}</b>")),
            (label(N_("Items seized")), body(text(self.w.number(stats.items)))),
            (label(N_("Estimated value")),
             body("<br/>".join(f"<b>{text(keep_whole(v))}</b>" for v in self.money(stats.values)) or "—")),
            (label(N_("Report generated")), body(text(generated))),
        ]
        story.append(fields_table(rows, label_width=50 * mm))
        return story

    def charts(self) -> list:
        if not self.stats.cases:
            return [Spacer(1, 6), Paragraph(self.w.markup(N_("No cases in this period.")), self.s.body)]
        return [Spacer(1, 8), self.month_chart(), Spacer(1, 6), self.share_chart()]

    def month_chart(self) -> Drawing:
        """Cases per month over the whole chosen period: empty months at both ends are on the axis too."""
        width, height = FRAME_WIDTH, 62 * mm
        drawing = ChartDrawing(width, height)
        period = self.stats.period
        months = _period_months(self.stats.by_month, period.date_from, period.date_to)
        many = len(months) > 14
        every = max(1, math.ceil(len(months) / MAX_AXIS_LABELS))
        chart = VerticalBarChart()
        chart.x, chart.y = 40, 34
        chart.width, chart.height = width - 48, height - 48
        chart.data = [[m.cases for m in months]]
        names = []
        for n, m in enumerate(months):
            if n % every:
                names.append("")
            elif many:
                names.append(f"{m.month:02d}.{str(m.year)[2:]}")
            elif m.month == 1 or n == 0:
                names.append(f"{self.w.month_short(m.year, m.month)}\n{m.year}")
            else:
                names.append(self.w.month_short(m.year, m.month))
        chart.categoryAxis.categoryNames = names
        chart.categoryAxis.labels.fontName = REGULAR
        chart.categoryAxis.labels.fontSize = 6 if many else 7
        chart.categoryAxis.labels.boxAnchor = "e" if many else "n"
        chart.categoryAxis.labels.angle = 90 if many else 0
        chart.categoryAxis.labels.dy = -2
        chart.valueAxis.labels.fontName = REGULAR
        chart.valueAxis.labels.fontSize = 7
        chart.valueAxis.valueMin = 0
        chart.valueAxis.visibleGrid = True
        chart.valueAxis.gridStrokeColor = colors.Color(0.85, 0.85, 0.85)
        chart.valueAxis.labelTextFormat = lambda v: self.w.number(int(v))
        # Whole-number steps: small counts would otherwise be labelled 0, 0, 1, 1, 2.
        chart.valueAxis.valueStep = max(1, math.ceil(max((m.cases for m in months), default=1) / 5))
        chart.barLabels.fontName = REGULAR
        chart.bars[0].fillColor = PALETTE[0]
        chart.bars[0].strokeColor = None
        chart.barSpacing = 1
        # A bar no wider than 12 mm: a period of a month or two is not drawn as one slab.
        slot = chart.width / max(1, len(months))
        bar = min(slot * 0.8, 12 * mm)
        chart.barWidth, chart.groupSpacing = 10, 10 * (slot / bar - 1)
        drawing.add(chart)
        drawing.add(String(0, height - 9, self.w(N_("Cases by month")), fontName=BOLD, fontSize=8.5))
        # The y-axis title, turned to read upwards along the axis.
        axis_title = Group(String(0, 0, self.w(N_("Number of cases")), fontName=REGULAR, fontSize=7,
                                  textAnchor="middle"))
        axis_title.transform = (0, 1, -1, 0, 9, chart.y + chart.height / 2)
        drawing.add(axis_title)
        return drawing

    def share_chart(self) -> Drawing:
        """Each case once: its commodity category, "Several categories" or "Not stated"; the rest as one slice."""
        width = FRAME_WIDTH
        shares = [c for c in self.stats.case_shares if c.cases]
        # "Several categories" and "Not stated" always keep a slice of their own, after the largest categories.
        special = [c for c in shares if c.code in (SEVERAL_CATEGORIES, NO_ITEMS)]
        own = [c for c in shares if c.code not in (SEVERAL_CATEGORIES, NO_ITEMS, OTHER_CATEGORY)]
        top = own[:max(1, PIE_SLICES - len(special))] + special
        rest = sum(c.cases for c in shares if c not in top)
        values = [c.cases for c in top] + ([rest] if rest else [])
        names = [self.share_name(c.code) for c in top]
        if rest:
            # One "Other" only: the list's own "Other" category joins the categories left out of the chart.
            only_other = [c.code for c in shares if c not in top] == [OTHER_CATEGORY]
            names.append(self.ref("commodity_category", OTHER_CATEGORY) if only_other else self.w(N_("Other categories")))
        total = sum(values) or 1
        font_size, leading = 7.5, 9
        legend_x = 64 * mm
        room = width - legend_x - 7 - 10 - 4  # swatch and the gap before the text
        labels = [_wrap(f"{name}  —  {self.w.number(v)} ({self.share(v, total)})", room, font_size)
                  for name, v in zip(names, values, strict=True)]
        legend_height = sum(len(label.split("\n")) * leading + 3 for label in labels)
        note = self.w(N_("Each case is counted once: a case with goods of several categories is shown as "
                         "\u201cSeveral categories\u201d."))
        note_lines = simpleSplit(note, REGULAR, 6.5, width)
        top_room = 14 + 8 * len(note_lines)
        height = max(64 * mm, legend_height + top_room + 10)
        drawing = ChartDrawing(width, height)
        drawing.add(String(0, height - 9, self.w(N_("Cases by commodity category")), fontName=BOLD, fontSize=8.5))
        for n, line in enumerate(note_lines):
            drawing.add(String(0, height - 18 - 8 * n, line, fontName=REGULAR, fontSize=6.5, fillColor=RULE))
        pie = Pie()
        size = min(64 * mm - 26, height - top_room - 10)
        pie.x, pie.y = 10, height - top_room - size - 2
        pie.width = pie.height = size
        pie.data = values
        pie.labels = None
        pie.slices.fontName = REGULAR
        pie.slices.strokeColor = colors.white
        pie.slices.strokeWidth = 0.6
        for n in range(len(values)):
            pie.slices[n].fillColor = PALETTE[n % len(PALETTE)]
        drawing.add(pie)
        legend = Legend()
        legend.x, legend.y = legend_x, height - top_room - 4
        legend.alignment = "right"
        legend.fontName = REGULAR
        legend.fontSize = font_size
        legend.subCols.fontName = REGULAR
        legend.columnMaximum = len(labels)
        legend.dx = legend.dy = 7
        legend.deltay = leading
        legend.yGap = 3
        legend.colorNamePairs = [(PALETTE[n % len(PALETTE)], label) for n, label in enumerate(labels)]
        drawing.add(legend)
        return drawing

    def share_name(self, code: str) -> str:
        if code == SEVERAL_CATEGORIES:
            return self.w(N_("Several categories"))
        if code == NO_ITEMS:
            return self.w(N_("Not stated"))
        return self.ref("commodity_category", code)

    def by_category(self) -> list:
        stats = self.stats
        rows = [[Cell((self.ref("commodity_category", c.category),)), self.count(c.cases), self.count(c.items),
                 Cell(self.quantities(c.quantities), "right"), Cell(self.money(c.values), "right")]
                for c in stats.by_category]
        rows.append([self.total_label(), self.count(stats.cases), self.count(stats.items), Cell(()),
                     Cell(self.money(stats.values), "right", bold=True)])
        note = Paragraph(self.w.markup(N_("A case with goods of several categories is counted once in each.")), self.s.note)
        headers = [N_("Commodity category"), N_("Cases"), N_("Items"), N_("Quantity"), N_("Value")]
        columns = [Column(min_width=40 * mm), Column(whole=True), Column(whole=True), Column(whole=True),
                   Column(whole=True)]
        return [*section(self.s, self.w.markup(N_("Totals by commodity category"))),
                self.grid(headers, rows, columns, total=True), Spacer(1, 2), note]

    def by_post(self) -> list:
        stats = self.stats
        rows = [[Cell((self.post(p.post_code),)), self.count(p.cases), Cell((self.share(p.cases, stats.cases),), "right"),
                 self.count(p.items), Cell(self.money(p.values), "right")] for p in stats.by_post]
        rows.append([self.total_label(), self.count(stats.cases), Cell(()), self.count(stats.items),
                     Cell(self.money(stats.values), "right", bold=True)])
        headers = [N_("Post"), N_("Cases"), N_("Share"), N_("Items"), N_("Value")]
        columns = [Column(min_width=45 * mm), Column(whole=True), Column(whole=True), Column(whole=True),
                   Column(whole=True)]
        return [*section(self.s, self.w.markup(N_("Totals by post"))), self.grid(headers, rows, columns, total=True)]

    def by_month(self) -> list:
        stats = self.stats
        rows = [[Cell((self.w.month(m.year, m.month),)), self.count(m.cases), Cell(self.money(m.values), "right")]
                for m in stats.by_month]
        rows.append([self.total_label(), self.count(stats.cases), Cell(self.money(stats.values), "right", bold=True)])
        headers = [N_("Month"), N_("Cases"), N_("Value")]
        columns = [Column(min_width=45 * mm), Column(whole=True, min_width=0), Column(whole=True)]
        return [*section(self.s, self.w.markup(N_("Totals by month"))), self.grid(headers, rows, columns, total=True)]

    def concealment(self) -> list:
        stats = self.stats
        rows = [[Cell((self.ref("concealment_method", c.code),)), self.count(c.cases),
                 Cell((self.share(c.cases, stats.cases),), "right")] for c in stats.concealment]
        headers = [N_("Method of concealment"), N_("Cases"), N_("Share")]
        columns = [Column(min_width=60 * mm), Column(whole=True), Column(whole=True)]
        return [*section(self.s, self.w.markup(N_("Most common methods of concealment"))),
                self.grid(headers, rows, columns)]

    def case_list(self) -> list:
        stats = self.stats
        rows = []
        for n, r in enumerate(stats.case_rows, start=1):
            local = r.occurred_at.astimezone(ZoneInfo(r.timezone))
            categories = ", ".join(self.ref("commodity_category", c) for c in r.categories)
            rows.append([
                Cell((str(n),), "center"),
                Cell((r.case_number,)),
                Cell(tuple(self.w.date_texts(local.date()))),
                Cell((self.w.post_name(self.data.posts.get(r.post_code), r.post_code),)),
                Cell(_lines(categories, r.items_summary), bold_first=bool(categories)),
                Cell(_lines(self.w.money(r.total_value, r.currency)) if r.total_value is not None else (), "right"),
                Cell((self.w.enum(r.status),)),
            ])
        headers = [N_("No."), N_("Case number"), N_("Date"), N_("Post"), N_("Goods"), N_("Value"), N_("Status")]
        columns = [Column(whole=True), Column(whole=True), Column(whole=True), Column(min_width=18 * mm, weight=0.6),
                   Column(min_width=36 * mm, weight=1.4), Column(whole=True), Column(whole=True)]
        story = [*section(self.s, self.w.markup(N_("List of cases")))]
        if len(stats.case_rows) < stats.cases:
            story.append(Paragraph(self.w.markup(
                N_("The first {listed} of {total} cases are listed; export the data for the full list."),
                listed=self.w.number(len(stats.case_rows)), total=self.w.number(stats.cases)), self.s.note))
            story.append(Spacer(1, 3))
        if stats.case_rows:
            story.append(self.grid(headers, rows, columns))
        return story

    def story(self) -> list:
        story = self.header() + self.charts()
        if self.stats.cases:
            for block in (self.by_category, self.by_post, self.by_month, self.concealment, self.case_list):
                story += [Spacer(1, 8), *block()]
        return story

    def footer(self, canvas, page: int, pages: int) -> None:
        """The report and its period at the left, "Page X of Y" at the right; on a bilingual report whose line would
        run into the page number, each language on a line of its own."""
        period = self.stats.period
        canvas.saveState()
        y = MARGIN - 2
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, y + 9, PAGE[0] - MARGIN, y + 9)
        size = 7.5
        canvas.setFont(REGULAR, size)
        canvas.setFillColor(INK)
        titles = self.w.phrase_texts(REPORT_TITLE, start=period.date_from, end=period.date_to)
        number = self.w(N_("Page {page} of {pages}"), page=page, pages=pages)
        room = FRAME_WIDTH - stringWidth(number, REGULAR, size) - 12
        lines = [" / ".join(titles)]
        if stringWidth(lines[0], REGULAR, size) > room:
            lines = titles
        for n, line in enumerate(lines):
            fitted = size
            while fitted > 5 and stringWidth(line, REGULAR, fitted) > room:
                fitted -= 0.25
            canvas.setFont(REGULAR, fitted)
            canvas.drawString(MARGIN, y - n * (size + 1.5), line)
        canvas.setFont(REGULAR, size)
        canvas.drawRightString(PAGE[0] - MARGIN, y, number)
        canvas.restoreState()


def _period_months(months, date_from: date, date_to: date) -> list[MonthTotal]:
    """Every month of the chosen period, first to last, those without cases shown as zero (a time axis has no gaps)."""
    held = {(m.year, m.month): m for m in months}
    year, month = date_from.year, date_from.month
    filled = []
    while (year, month) <= (date_to.year, date_to.month):
        filled.append(held.get((year, month)) or MonthTotal(year=year, month=month, cases=0))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return filled


def _wrap(label: str, width: float, size: float, *, max_lines: int = 3) -> str:
    """A legend label wrapped to `width` (lines joined by newlines); what would need more lines ends in an ellipsis."""
    lines = simpleSplit(label, REGULAR, size, width)
    if len(lines) <= max_lines:
        return "\n".join(lines)
    kept, last = lines[: max_lines - 1], lines[max_lines - 1]
    while last and stringWidth(last + "…", REGULAR, size) > width:
        last = last[:-1].rstrip()
    return "\n".join([*kept, last + "…"])


def build_period_report(data: PeriodReportData, *, lang: str) -> bytes:
    """The period report as PDF bytes, in "uz", "ru", "en" or "uz+ru"."""
    wording = Wording(lang)
    report = _PeriodReport(data, wording)
    buffer = io.BytesIO()
    period = data.statistics.period
    title = wording.phrase(REPORT_TITLE, start=period.date_from, end=period.date_to).replace("\u00a0", " ")
    doc = PrintedDocument(
        buffer,
        languages=wording.languages,
        title=title,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + FOOTER_HEIGHT - 2,
    )
    doc.build(report.story(), canvasmaker=numbered_canvas(report.footer))
    return buffer.getvalue()

