"""The supervisor's period report: figures aggregated in SQL, and the PDF in each language."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from blo_desk.domain.statistics import PeriodFilter
from blo_desk.i18n import translator
from blo_desk.reports.fonts import missing_characters
from tests.reports.conftest import flat, font_report, pdf_pages, qpdf_check


def test_figures_count_the_demo_cases_by_category_post_month_and_concealment(demo):
    # GIVEN the twelve demo cases (2022 to 2024, two of them drafts)
    # WHEN April 2024 is aggregated for every post
    with demo.uow() as uow:
        stats = uow.reports.period_statistics(PeriodFilter(date(2024, 4, 1), date(2024, 4, 30)))
    # THEN the four April cases are counted, with the draft at Gisht-Kuprik among them
    assert stats.cases == 4 and stats.drafts == 1
    assert {p.post_code: p.cases for p in stats.by_post} == {"UZ-DUS": 2, "TJ-FOT": 1, "UZ-GSK": 1}
    # AND the Dustlik pellets are ammunition: 130 boxes worth 9,100,000 soʻm
    ammunition = next(c for c in stats.by_category if c.category == "ammunition")
    assert ammunition.cases == 1 and ammunition.quantities == (("box", Decimal(130)),)
    assert ammunition.values == (("UZS", Decimal(9_100_000)),)
    # AND the month and the total value add up
    assert [(m.year, m.month, m.cases) for m in stats.by_month] == [(2024, 4, 4)]
    assert dict(stats.values)["UZS"] == Decimal(9_100_000 + 1_800_000 + 3_400_000 + 17_000_000)
    assert {c.code for c in stats.concealment} >= {"baby_carriage", "spare_tyre", "in_cargo", "not_concealed"}
    assert [r.case_number for r in stats.case_rows][:1] == ["TJ-FOT-2024-00001"]


def test_a_voided_draft_is_not_counted(demo):
    # GIVEN the April 2024 draft at Gisht-Kuprik, voided as entered by mistake
    from blo_desk.domain.entities import CaseQuery
    from blo_desk.domain.enums import CaseStatus

    drafts = demo.cases.list_cases(query=CaseQuery(statuses=(CaseStatus.DRAFT,), post_code="UZ-GSK")).rows
    draft = next(r for r in drafts if r.occurred_at.year == 2024 and r.occurred_at.month == 4)
    demo.cases.void(case_id=draft.id, expected_revision=draft.revision, reason="Entered twice")
    # WHEN April 2024 is aggregated THEN three cases remain, none of them a draft, none at Gisht-Kuprik
    with demo.uow() as uow:
        stats = uow.reports.period_statistics(PeriodFilter(date(2024, 4, 1), date(2024, 4, 30)))
    assert stats.cases == 3 and stats.drafts == 0
    assert "UZ-GSK" not in {p.post_code for p in stats.by_post}


def test_a_post_filter_and_finalized_only_narrow_the_figures(demo):
    # GIVEN the demo cases WHEN only Gisht-Kuprik and Dustlik, finalized only, are asked for
    with demo.uow() as uow:
        stats = uow.reports.period_statistics(
            PeriodFilter(date(2024, 1, 1), date(2024, 12, 31), post_codes=("UZ-GSK", "UZ-DUS"), finalized_only=True)
        )
    # THEN the Gisht-Kuprik draft is left out and the two Dustlik cases remain
    assert stats.cases == 2 and stats.drafts == 0
    assert [p.post_code for p in stats.by_post] == ["UZ-DUS"]


def test_the_local_date_decides_the_period(demo):
    # GIVEN the Korday case at 22:10 on 21 November 2023, Almaty time (16:10 UTC)
    # WHEN the report covers 21 November only
    with demo.uow() as uow:
        stats = uow.reports.period_statistics(PeriodFilter(date(2023, 11, 21), date(2023, 11, 21)))
    # THEN the case is in it
    assert [r.case_number for r in stats.case_rows] == ["KZ-KOR-2023-00001"]


@pytest.mark.parametrize("lang", ["uz", "ru", "en", "uz+ru"])
def test_report_pdf_shows_headings_labels_and_figures_in_the_language(demo, tmp_path, lang):
    # GIVEN the demo cases
    # WHEN the report for 2021-2024 is printed in the language
    pdf = demo.printing.period_report(date_from=date(2021, 1, 1), date_to=date(2024, 12, 31), lang=lang)
    pages = pdf_pages(pdf, tmp_path)
    text = flat(" ".join(pages))
    primary = lang.split("+")[0]
    tr = translator(primary)
    # THEN the headings are there
    for heading in ("Report on seizures", "Totals by commodity category", "Totals by post", "Totals by month",
                    "Most common methods of concealment", "List of cases", "Cases by month",
                    "Cases by commodity category"):
        assert flat(tr.gettext(heading)) in text, heading
    # AND reference labels, post names and money are in the language, with babel's formats
    labels = {"uz": ("Giyohvand vositalar", "Doʻstlik", "Bolalar aravachasida", "79 300 000 soʻm"),
              "ru": ("Наркотические средства", "Дустлик", "В детской коляске", "79 300 000 сум"),
              "en": ("Narcotic drugs", "Dustlik", "In a baby carriage", "UZS 79,300,000")}[primary]
    for label in labels:
        assert label in text, label
    assert "UZ-DUS-2024-00001" in text and "None" not in text
    for number, page in enumerate(pages, start=1):
        assert flat(tr.gettext("Page {page} of {pages}").format(page=number, pages=len(pages))) in flat(page)
    # AND the fonts are embedded and cover every character; the PDF is valid
    assert all(embedded for _, embedded in font_report(pdf, tmp_path))
    assert missing_characters(" ".join(pages)) == set()
    assert qpdf_check(pdf, tmp_path).returncode == 0


def test_an_empty_period_prints_a_short_report(demo, tmp_path):
    # GIVEN no case in 2019 WHEN its report is printed THEN it says so, on one valid page
    pdf = demo.printing.period_report(date_from=date(2019, 1, 1), date_to=date(2019, 12, 31), lang="en")
    pages = pdf_pages(pdf, tmp_path)
    assert len(pages) == 1 and "No cases in this period." in flat(pages[0])
    assert qpdf_check(pdf, tmp_path).returncode == 0
