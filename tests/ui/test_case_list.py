"""The case list: demo offer on an empty store, lazy paging, sorting, filters and search, retranslation."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from blo_desk.domain.enums import CaseStatus
from blo_desk.services.demo import load_demo
from blo_desk.ui.models.case_table import COL_DATE, COL_NUMBER, COL_VALUE, PAGE_SIZE

from desk_driver import type_text


@pytest.mark.slow
def test_a_large_store_is_paged_lazily_and_sorted_by_the_store(make_desk, settings, qtbot, services):
    # GIVEN 1,300 cases in the store
    from blo_desk.services.demo import generate

    generate(uow=services.uow, count=1300)
    desk = make_desk(settings, username="hq", role="analyst", post_code="")  # an analyst reads every post
    model = desk.list_page.model
    qtbot.waitUntil(lambda: model.total == 1300 and not model.loading, timeout=20_000)
    # THEN only the first page is held
    assert model.rowCount() == PAGE_SIZE
    # WHEN the view scrolls to the end
    table = desk.list_page.table
    while model.rowCount() < model.total:
        table.scrollToBottom()
        qtbot.waitUntil(lambda: not model.loading, timeout=10_000)
        if model.canFetchMore():
            model.fetchMore()
            qtbot.waitUntil(lambda: not model.loading, timeout=10_000)
    # THEN every case arrived once, newest first
    assert len({r.id for r in model.rows}) == 1300
    dates = [r.occurred_at for r in model.rows]
    assert dates == sorted(dates, reverse=True)
    # WHEN sorted by case number, ascending, by clicking the header
    table.horizontalHeader().setSortIndicator(COL_NUMBER, Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: model.query.sort_by == "case_number" and not model.loading and bool(model.rows))
    numbers = [r.case_number for r in model.rows]
    assert numbers == sorted(numbers) and model.rowCount() == PAGE_SIZE


def test_sorting_by_value_is_numeric(make_desk, settings, qtbot, services):
    # GIVEN 600 cases listed
    from blo_desk.services.demo import generate

    generate(uow=services.uow, count=600)
    desk = make_desk(settings, username="hq", role="analyst", post_code="")
    model, table = desk.list_page.model, desk.list_page.table
    qtbot.waitUntil(lambda: model.total == 600 and not model.loading, timeout=20_000)
    # WHEN sorted by value, descending, by clicking the header
    table.horizontalHeader().setSortIndicator(COL_VALUE, Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: model.query.sort_by == "total_value" and not model.loading and bool(model.rows))
    # THEN the largest values come first
    values = [r.total_value or 0 for r in model.rows]
    assert values == sorted(values, reverse=True)


def test_filters_and_search_narrow_the_list(make_desk, settings, qtbot, services):
    # GIVEN the demo cases, listed for an HQ analyst (who reads every post)
    load_demo(cases=services.cases)
    desk = make_desk(settings, username="hq", role="analyst", post_code="")
    page = desk.list_page
    page.refresh()
    qtbot.waitUntil(lambda: page.model.total == 12 and not page.model.loading)
    # WHEN filtered to drafts THEN only the two drafts are listed
    page.status_filter.set_code(str(CaseStatus.DRAFT))
    qtbot.waitUntil(lambda: not page.model.loading and page.model.total == 2)
    assert all(r.status == CaseStatus.DRAFT for r in page.model.rows)
    page.status_filter.set_code("")
    # WHEN filtered by commodity and post
    page.category_filter.set_code("ammunition")
    qtbot.waitUntil(lambda: not page.model.loading and page.model.query.category == "ammunition")
    assert {r.case_number for r in page.model.rows} == {"UZ-DUS-2024-00001", "TJ-PAK-2022-00001"}
    page.post_filter.set_code("UZ-DUS")
    qtbot.waitUntil(lambda: not page.model.loading and page.model.total == 1)
    page.category_filter.set_code("")
    page.post_filter.set_code("")
    # WHEN a date range is set
    from PySide6.QtCore import QDate

    page.date_from.setDate(QDate(2024, 4, 1))
    page.date_to.setDate(QDate(2024, 4, 20))
    qtbot.waitUntil(lambda: not page.model.loading and page.model.query.date_to is not None)
    assert {r.case_number for r in page.model.rows} == {"UZ-DUS-2024-00001", "UZ-GSK-2024-00001", "TJ-FOT-2024-00001"}
    page.date_from.setDate(page.date_from.minimumDate())
    page.date_to.setDate(page.date_to.minimumDate())
    # WHEN a passport number is typed in Cyrillic in the search box THEN the matching case is found
    page.search.setFocus()
    type_text(page.search, "Жумабаев")
    qtbot.waitUntil(lambda: page.model.query.text == "Жумабаев" and not page.model.loading, timeout=5000)
    assert [r.case_number for r in page.model.rows] == ["KZ-KON-2024-00001"]


def test_the_list_follows_the_language(make_desk, settings, qtbot, services):
    # GIVEN the demo cases listed in English
    load_demo(cases=services.cases)
    desk = make_desk(settings, username="hq", role="analyst", post_code="")
    model = desk.list_page.model
    desk.list_page.refresh()
    qtbot.waitUntil(lambda: model.total == 12 and not model.loading)
    row = next(i for i, r in enumerate(model.rows) if r.case_number == "UZ-DUS-2024-00001")
    assert model.index(row, COL_VALUE).data() == "UZS\u00a09,100,000"
    assert model.index(row, COL_DATE).data() == "20/04/2024, 10:40"
    # WHEN switched to Russian THEN money, dates and post names are Russian
    desk.window.actions["language_ru"].trigger()
    assert model.index(row, COL_VALUE).data() == "9\u00a0100\u00a0000\u00a0сум"
    assert model.index(row, COL_DATE).data() == "20.04.2024, 10:40"
    assert model.index(row, 2).data() == "Дустлик"


def test_searches_superseded_by_newer_typing_are_cancelled_not_queued(qtbot):
    # GIVEN the list's model on one worker thread, its store slow to answer the first search
    import threading

    from PySide6.QtWidgets import QWidget

    from blo_desk.domain.entities import CaseQuery, Page
    from blo_desk.ui.models.case_table import CaseTableModel
    from blo_desk.ui.tasks import TaskRunner

    holder = QWidget()  # the list page's part: owns the runner and the model, closed by qtbot at the end
    qtbot.addWidget(holder)
    runner = TaskRunner(holder, max_threads=1)
    asked: list[str] = []
    first = threading.Event()

    def fetch(query: CaseQuery, cancel=None) -> Page:  # the model passes its cancellation too
        asked.append(query.text)
        if query.text == "Kar":
            first.wait(10)
        return Page(rows=(), total=0, offset=0)

    model = CaseTableModel(runner, fetch=fetch, parent=holder)
    # WHEN the officer types on while the first search runs: two more searches, the last one wins
    model.set_query(CaseQuery(text="Kar"))
    qtbot.waitUntil(lambda: asked == ["Kar"])
    model.set_query(CaseQuery(text="Karim"))
    model.set_query(CaseQuery(text="Karimova"))
    first.set()
    qtbot.waitUntil(lambda: not model.loading and runner.active == 0)
    # THEN the store is asked the first (already running) and the last, never the one typing superseded
    assert asked == ["Kar", "Karimova"]
    assert model.query.text == "Karimova"
    runner.wait()
