"""The supervisor's period report: totals by commodity, post and month, concealment methods, charts, list of cases."""

from __future__ import annotations

import io
import math
from zoneinfo import ZoneInfo

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.attrmap import AttrMap, AttrMapValue
from reportlab.lib.units import mm
from reportlab.lib.validators import isNumber, isString
from reportlab.platypus import Paragraph, Spacer, Table

from blo_desk.domain.statistics import MonthTotal
from blo_desk.i18n import N_
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

    def money_lines(self, values) -> str:
        return "<br/>".join(text(self.w.money(amount, currency)) for currency, amount in values)

    def quantity_lines(self, quantities) -> str:
        return "<br/>".join(
            text(f"{self.w.number(amount)} {self.ref('unit', unit) if unit else ''}".strip()) for unit, amount in quantities
        )

    def head(self, msgid: str) -> Paragraph:
        return Paragraph(self.w.markup(msgid), self.s.head)

    def cell(self, markup: str, style=None) -> Paragraph:
        return Paragraph(markup, style or self.s.cell)

    def number(self, value) -> Paragraph:
        return Paragraph(text(self.w.number(value)), self.s.cell_right)

    def grid(self, rows: list, widths: list[float], *, total: bool = False) -> Table:
        table = Table(rows, colWidths=widths, repeatRows=1)
        style = grid_style()
        if total:
            style += [("BACKGROUND", (0, -1), (-1, -1), LIGHT), ("LINEABOVE", (0, -1), (-1, -1), 0.8, INK)]
        table.setStyle(table_style(style))
        return table

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
            (label(N_("Estimated value")), body(f"<b>{self.money_lines(stats.values)}</b>" if stats.values else "—")),
            (label(N_("Report generated")), body(text(generated))),
        ]
        story.append(fields_table(rows, label_width=50 * mm))
        return story

    def charts(self) -> list:
        stats = self.stats
        if not stats.cases:
            return [Spacer(1, 6), Paragraph(self.w.markup(N_("No cases in this period.")), self.s.body)]
        width = FRAME_WIDTH
        bar_height = 62 * mm
        drawing = ChartDrawing(width, bar_height)
        chart = VerticalBarChart()
        chart.x, chart.y = 28, 34
        chart.width, chart.height = width - 40, bar_height - 48
        months = _continuous_months(stats.by_month)
        chart.data = [[m.cases for m in months]]
        many = len(months) > 14
        chart.categoryAxis.categoryNames = [
            f"{self.w.month_short(m.year, m.month)}\n{m.year}" if (m.month == 1 or n == 0) and not many
            else (f"{m.month:02d}.{str(m.year)[2:]}" if many else self.w.month_short(m.year, m.month))
            for n, m in enumerate(months)
        ]
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
        drawing.add(chart)
        drawing.add(String(0, bar_height - 9, self.w(N_("Cases by month")), fontName=BOLD, fontSize=8.5))

        pie_height = 64 * mm
        pie_drawing = ChartDrawing(width, pie_height)
        pie_drawing.add(String(0, pie_height - 9, self.w(N_("Cases by commodity category")), fontName=BOLD, fontSize=8.5))
        top = list(stats.by_category[:PIE_SLICES])
        rest = sum(c.cases for c in stats.by_category[PIE_SLICES:])
        values = [c.cases for c in top] + ([rest] if rest else [])
        names = [self.ref("commodity_category", c.category) for c in top] + ([self.w(N_("Other categories"))] if rest else [])
        pie = Pie()
        pie.x, pie.y = 10, 8
        pie.width = pie.height = pie_height - 26
        pie.data = values
        pie.labels = None
        pie.slices.fontName = REGULAR
        pie.slices.strokeColor = colors.white
        pie.slices.strokeWidth = 0.6
        for n in range(len(values)):
            pie.slices[n].fillColor = PALETTE[n % len(PALETTE)]
        pie_drawing.add(pie)
        legend = Legend()
        legend.x, legend.y = pie.width + 30, pie_height - 20
        legend.alignment = "right"
        legend.fontName = REGULAR
        legend.fontSize = 7.5
        legend.subCols.fontName = REGULAR
        legend.columnMaximum = 10
        legend.dx = legend.dy = 7
        legend.deltay = 11
        total = sum(values) or 1
        legend.colorNamePairs = [
            (PALETTE[n % len(PALETTE)], f"{name[:60]}  —  {self.w.number(v)} ({self.share(v, total)})")
            for n, (name, v) in enumerate(zip(names, values, strict=True))
        ]
        pie_drawing.add(legend)
        return [Spacer(1, 8), drawing, Spacer(1, 6), pie_drawing]

    def by_category(self) -> list:
        stats = self.stats
        rows = [[self.head(N_("Commodity category")), self.head(N_("Cases")), self.head(N_("Items")),
                 self.head(N_("Quantity")), self.head(N_("Value"))]]
        for c in stats.by_category:
            rows.append([
                self.cell(text(self.ref("commodity_category", c.category))),
                self.number(c.cases),
                self.number(c.items),
                self.cell(self.quantity_lines(c.quantities), self.s.cell_right),
                self.cell(self.money_lines(c.values), self.s.cell_right),
            ])
        rows.append([self.cell(self.w.markup(N_("Total"), bold=True)), self.number(stats.cases), self.number(stats.items),
                     "", self.cell(f"<b>{self.money_lines(stats.values)}</b>", self.s.cell_right)])
        note = Paragraph(self.w.markup(N_("A case with goods of several categories is counted once in each.")), self.s.note)
        widths = [62 * mm, 18 * mm, 18 * mm, 36 * mm, FRAME_WIDTH - 134 * mm]
        return [*section(self.s, self.w.markup(N_("Totals by commodity category"))), self.grid(rows, widths, total=True),
                Spacer(1, 2), note]

    def by_post(self) -> list:
        stats = self.stats
        rows = [[self.head(N_("Post")), self.head(N_("Cases")), self.head(N_("Share")), self.head(N_("Items")),
                 self.head(N_("Value"))]]
        for p in stats.by_post:
            rows.append([self.cell(text(self.post(p.post_code))), self.number(p.cases),
                         self.cell(text(self.share(p.cases, stats.cases)), self.s.cell_right), self.number(p.items),
                         self.cell(self.money_lines(p.values), self.s.cell_right)])
        rows.append([self.cell(self.w.markup(N_("Total"), bold=True)), self.number(stats.cases), "", self.number(stats.items),
                     self.cell(f"<b>{self.money_lines(stats.values)}</b>", self.s.cell_right)])
        widths = [70 * mm, 20 * mm, 20 * mm, 20 * mm, FRAME_WIDTH - 130 * mm]
        return [*section(self.s, self.w.markup(N_("Totals by post"))), self.grid(rows, widths, total=True)]

    def by_month(self) -> list:
        stats = self.stats
        rows = [[self.head(N_("Month")), self.head(N_("Cases")), self.head(N_("Value"))]]
        for m in stats.by_month:
            rows.append([self.cell(text(self.w.month(m.year, m.month))), self.number(m.cases),
                         self.cell(self.money_lines(m.values), self.s.cell_right)])
        rows.append([self.cell(self.w.markup(N_("Total"), bold=True)), self.number(stats.cases),
                     self.cell(f"<b>{self.money_lines(stats.values)}</b>", self.s.cell_right)])
        widths = [60 * mm, 25 * mm, FRAME_WIDTH - 85 * mm]
        return [*section(self.s, self.w.markup(N_("Totals by month"))), self.grid(rows, widths, total=True)]

    def concealment(self) -> list:
        stats = self.stats
        rows = [[self.head(N_("Method of concealment")), self.head(N_("Cases")), self.head(N_("Share"))]]
        for c in stats.concealment:
            rows.append([self.cell(text(self.ref("concealment_method", c.code))), self.number(c.cases),
                         self.cell(text(self.share(c.cases, stats.cases)), self.s.cell_right)])
        widths = [100 * mm, 25 * mm, FRAME_WIDTH - 125 * mm]
        return [*section(self.s, self.w.markup(N_("Most common methods of concealment"))), self.grid(rows, widths)]

    def case_list(self) -> list:
        stats = self.stats
        rows = [[self.head(N_("No.")), self.head(N_("Case number")), self.head(N_("Date")), self.head(N_("Post")),
                 self.head(N_("Goods")), self.head(N_("Value")), self.head(N_("Status"))]]
        for n, r in enumerate(stats.case_rows, start=1):
            local = r.occurred_at.astimezone(ZoneInfo(r.timezone))
            goods = [f"<b>{text(', '.join(self.ref('commodity_category', c) for c in r.categories))}</b>"] if r.categories else []
            if r.items_summary:
                goods.append(text(r.items_summary))
            rows.append([
                self.cell(str(n), self.s.cell_center),
                self.cell(text(r.case_number)),
                self.cell(text(self.w.short_date(local.date()))),
                self.cell(text(self.w.post_name(self.data.posts.get(r.post_code), r.post_code))),
                self.cell("<br/>".join(goods)),
                self.cell(text(self.w.money(r.total_value, r.currency)) if r.total_value is not None else "", self.s.cell_right),
                self.cell(text(self.w.enum(r.status))),
            ])
        widths = [9 * mm, 32 * mm, 19 * mm, 23 * mm, 50 * mm, 26 * mm, FRAME_WIDTH - 159 * mm]
        story = [*section(self.s, self.w.markup(N_("List of cases")))]
        if len(stats.case_rows) < stats.cases:
            story.append(Paragraph(self.w.markup(
                N_("The first {listed} of {total} cases are listed; export the data for the full list."),
                listed=self.w.number(len(stats.case_rows)), total=self.w.number(stats.cases)), self.s.note))
            story.append(Spacer(1, 3))
        if stats.case_rows:
            story.append(self.grid(rows, widths))
        return story

    def story(self) -> list:
        story = self.header() + self.charts()
        if self.stats.cases:
            for block in (self.by_category, self.by_post, self.by_month, self.concealment, self.case_list):
                story += [Spacer(1, 8), *block()]
        return story

    def footer(self, canvas, page: int, pages: int) -> None:
        period = self.stats.period
        canvas.saveState()
        y = MARGIN - 2
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, y + 9, PAGE[0] - MARGIN, y + 9)
        canvas.setFont(REGULAR, 7.5)
        canvas.setFillColor(INK)
        title = self.w(N_("Report on seizures, {start} – {end}"), start=self.w.short_date(period.date_from),
                       end=self.w.short_date(period.date_to))
        canvas.drawString(MARGIN, y, title)
        canvas.drawRightString(PAGE[0] - MARGIN, y, self.w(N_("Page {page} of {pages}"), page=page, pages=pages))
        canvas.restoreState()


def _continuous_months(months: list[MonthTotal] | tuple[MonthTotal, ...]) -> list[MonthTotal]:
    """The months from the first to the last with cases, those without any shown as zero (a time axis has no gaps)."""
    if not months:
        return []
    held = {(m.year, m.month): m for m in months}
    (year, month), last = min(held), max(held)
    filled = []
    while (year, month) <= last:
        filled.append(held.get((year, month)) or MonthTotal(year=year, month=month, cases=0))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return filled


def build_period_report(data: PeriodReportData, *, lang: str) -> bytes:
    """The period report as PDF bytes, in "uz", "ru", "en" or "uz+ru"."""
    wording = Wording(lang)
    report = _PeriodReport(data, wording)
    buffer = io.BytesIO()
    period = data.statistics.period
    title = wording(N_("Report on seizures, {start} – {end}"), start=wording.short_date(period.date_from),
                    end=wording.short_date(period.date_to))
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

