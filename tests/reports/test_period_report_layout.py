"""The period report's paper holds up: amounts, case numbers, dates and status words never break inside, long names
wrap between words only, the footer's period does not run into the page number; read back with word positions."""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from blo_desk.domain.entities import Post
from blo_desk.domain.enums import CaseStatus
from blo_desk.i18n import translator
from blo_desk.reports.wording import Wording, official_date

HUGE = Decimal("9999999999")
LONG_POST = "Xalqaro avtomobil chegara posti Qoraqalpogʻiston Respublikasi"  # 60 characters
LONG_GOODS = "Counterfeit perfume in 100 ml bottles with forged excise marks"


def _read_back(pdf: bytes, tmp_path: Path) -> ET.Element:
    """The PDF as pdftotext reads it back with the position of every word (-bbox-layout)."""
    path = tmp_path / "layout.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-bbox-layout", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                         check=True).stdout.decode("utf-8")
    out = re.sub(r"<!DOCTYPE[^>]*>", "", out).replace('xmlns="http://www.w3.org/1999/xhtml"', "")
    return ET.fromstring(out)


def _lines(pdf: bytes, tmp_path: Path) -> list[tuple[int, float, float, str]]:
    """(page, top, left, text) of every line read back."""
    found = []
    for number, page in enumerate(_read_back(pdf, tmp_path).iter("page"), start=1):
        for line in page.iter("line"):
            words = [w.text or "" for w in line.iter("word")]
            found.append((number, float(line.get("yMin")), float(line.get("xMin")), " ".join(words)))
    return found


def _boxes(pdf: bytes, tmp_path: Path) -> list[tuple[int, float, float, float, float, str]]:
    """(page, xMin, yMin, xMax, yMax, word) of every word read back."""
    return [(number, *(float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")), w.text or "")
            for number, page in enumerate(_read_back(pdf, tmp_path).iter("page"), start=1) for w in page.iter("word")]


def _squash(value: str) -> str:
    return re.sub(r"[\s\u00a0\u202f]+", "", value)


@pytest.fixture
def big_case(demo):
    """The demo store plus a finalized case at a post with a 60-character name, worth 9,999,999,999 soʻm."""
    with demo.uow() as uow:
        uow.reference.upsert_post(Post(code="UZ-LNG", country="UZ", name_uz=LONG_POST, name_ru=LONG_POST,
                                       name_en=LONG_POST))
        uow.commit()
    item = replace(demo.dustlik.items[0], value=HUGE, currency="UZS", description=LONG_GOODS)
    draft = replace(demo.dustlik, id=None, case_number="", status=CaseStatus.DRAFT, revision=0, post_code="UZ-LNG",
                    items=(item,))
    saved = demo.cases.save(case=draft)
    demo.cases.finalize(case_id=saved.id, expected_revision=saved.revision)
    demo.big = demo.cases.get(case_id=saved.id)
    return demo


@pytest.mark.parametrize("lang", ["uz", "ru", "en", "uz+ru"])
def test_amounts_codes_dates_and_status_words_print_whole(big_case, tmp_path, lang):
    # GIVEN the demo cases and a case worth 9,999,999,999 soʻm at a post with a 60-character name
    # WHEN the report on 2021-2024 is printed in the language
    pdf = big_case.printing.period_report(date_from=date(2021, 1, 1), date_to=date(2024, 12, 31), lang=lang)
    lines = _lines(pdf, tmp_path)
    squashed = [_squash(text) for _, _, _, text in lines]
    w = Wording(lang)
    with big_case.uow() as uow:
        from blo_desk.domain.statistics import PeriodFilter

        stats = uow.reports.period_statistics(PeriodFilter(date(2021, 1, 1), date(2024, 12, 31)))

    def whole(value: str) -> bool:
        """Whether the value is read back on one line (a value broken inside is on none)."""
        return any(_squash(value) in line for line in squashed)

    # THEN the huge amount, every total and every case's value is on one line, with its currency
    assert whole(w.money(HUGE, "UZS")), w.money(HUGE, "UZS")
    for currency, amount in stats.values:
        assert whole(w.money(amount, currency)), w.money(amount, currency)
    for row in stats.case_rows:
        if row.total_value is not None:
            assert whole(w.money(row.total_value, row.currency)), row.case_number
        # AND each case number and date is whole, the date written as each language writes it officially (never
        # 20.04.2024), and each status word (of each language) too
        assert whole(row.case_number)
        for said in w.date_texts(row.occurred_at.astimezone(ZoneInfo(row.timezone)).date()):
            assert whole(said), said
        for status in w.enum(row.status).split(" / "):
            assert whole(status), status
    assert not any(re.search(r"\b\d{2}\.\d{2}\.\d{4}\b", text) for _, _, _, text in lines)
    if lang.startswith("uz"):
        assert whole("2024-yil 20-aprel")
    # AND the long post name wraps between its words only: every word is read back whole
    for word in LONG_POST.split() + LONG_GOODS.split():
        assert any(word in text.split() for _, _, _, text in lines), word


@pytest.mark.parametrize("lang", ["uz+ru", "ru"])
def test_the_footer_period_and_page_number_do_not_overlap(big_case, tmp_path, lang):
    # GIVEN the report printed in the language
    pdf = big_case.printing.period_report(date_from=date(2021, 1, 1), date_to=date(2024, 12, 31), lang=lang)
    lines = _lines(pdf, tmp_path)
    primary = translator(lang.split("+")[0])
    number = re.escape(primary.gettext("Page {page} of {pages}")).replace(r"\{page\}", r"\d+").replace(
        r"\{pages\}", r"\d+")
    boxes = _boxes(pdf, tmp_path)
    # THEN on every page the footer's period and its "Page X of Y" are read back, and no two footer words overlap
    pages = {page for page, *_ in lines}
    for page in pages:
        footer = [text for p, top, _, text in lines if p == page and top > 780]
        assert any(_squash(official_date(date(2024, 12, 31), primary)) in _squash(text) for text in footer), footer
        assert any(re.search(number, text) for text in footer), footer
    footer_boxes = [b for b in boxes if b[2] > 780]
    for n, a in enumerate(footer_boxes):
        for b in footer_boxes[n + 1:]:
            overlap = a[0] == b[0] and a[2] < b[4] and b[2] < a[4] and a[1] < b[3] and b[1] < a[3]
            assert not overlap, (a[0], a[5], b[5])


def _report(stats, lang: str = "en"):
    from datetime import UTC, datetime

    from blo_desk.reports.data import PeriodReportData
    from blo_desk.reports.period import _PeriodReport

    data = PeriodReportData(statistics=stats, posts={}, labels={}, generated_at=datetime(2024, 12, 1, tzinfo=UTC))
    return _PeriodReport(data, Wording(lang))


def _strings(node) -> list[str]:
    """Every text the report adds to a chart drawing itself (titles, notes), in the order drawn."""
    from reportlab.graphics.shapes import Group, String

    found = []
    for child in getattr(node, "contents", []):
        if isinstance(child, String):
            found.append(child.text)
        elif isinstance(child, Group):
            found += _strings(child)
    return found


def test_the_month_axis_spans_the_whole_period_with_a_title():
    # GIVEN cases in April 2024 only, in a report from 15 February to 10 November 2024
    from blo_desk.domain.statistics import MonthTotal, PeriodFilter, PeriodStatistics

    stats = PeriodStatistics(period=PeriodFilter(date(2024, 2, 15), date(2024, 11, 10)), cases=4, drafts=0, items=4,
                             by_month=(MonthTotal(2024, 4, 4),))
    # WHEN the chart of cases by month is drawn
    drawing = _report(stats).month_chart()
    chart = next(c for c in drawing.contents if hasattr(c, "categoryAxis"))
    # THEN every month from February to November is on the axis, the empty ones at both ends as zero
    assert chart.data == [[0, 0, 4, 0, 0, 0, 0, 0, 0, 0]]
    assert chart.categoryAxis.categoryNames[0] == "Feb\n2024" and chart.categoryAxis.categoryNames[-1] == "Nov"
    # AND the y axis has a title
    assert "Number of cases" in _strings(drawing)


def test_the_pie_shows_shares_of_cases_with_other_once():
    # GIVEN twelve cases: ten of one category each, one of several categories, one of the list's own "Other"
    from blo_desk.domain.statistics import SEVERAL_CATEGORIES, CodeCount, PeriodFilter, PeriodStatistics

    codes = ["narcotics", "psychotropics", "precursors", "firearms", "ammunition", "explosives", "currency",
             "tobacco", "alcohol", "counterfeit"]
    shares = tuple(CodeCount(code, 1) for code in codes) + (CodeCount(SEVERAL_CATEGORIES, 1), CodeCount("other", 1))
    stats = PeriodStatistics(period=PeriodFilter(date(2024, 1, 1), date(2024, 12, 31)), cases=12, drafts=0, items=14,
                             case_shares=shares)
    # WHEN the pie is drawn
    drawing = _report(stats).share_chart()
    pie = next(c for c in drawing.contents if hasattr(c, "slices"))
    legend = next(c for c in drawing.contents if hasattr(c, "colorNamePairs"))
    labels = [label for _, label in legend.colorNamePairs]
    # THEN its slices add up to the number of cases: each case once
    assert sum(pie.data) == 12 and len(pie.data) == len(labels) == 9
    # AND "Other" is named once, "Several categories" is a slice, and the chart says what it counts
    assert sum("Other" in label for label in labels) == 1
    assert any(label.startswith("Several categories") for label in labels)
    assert any("Each case is counted once" in text for text in _strings(drawing))


def test_a_long_legend_label_wraps_and_ends_in_an_ellipsis_past_three_lines():
    # GIVEN a label far longer than the legend's room WHEN it is wrapped
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from blo_desk.reports.fonts import REGULAR
    from blo_desk.reports.period import _wrap

    label = " ".join(["Boʻpripasы (включая пули для пневматического оружия)"] * 6)
    wrapped = _wrap(label, 200, 7.5)
    lines = wrapped.split("\n")
    # THEN it takes three lines, each within the room, the last ending in an ellipsis
    assert len(lines) == 3 and lines[-1].endswith("…")
    assert all(stringWidth(line, REGULAR, 7.5) <= 200 for line in lines)
    # AND a short label is left whole
    assert _wrap("Alcohol — 1 (8.3%)", 200, 7.5) == "Alcohol — 1 (8.3%)"
