"""The case list on a laptop's screen: its narrow columns are as wide as their words in every language."""

from __future__ import annotations

from dataclasses import replace

import pytest
from conftest import retype

from blo_desk.domain.enums import CaseStatus
from blo_desk.domain.permissions import SYSTEM
from blo_desk.i18n import set_language
from blo_desk.services.demo import load_demo
from blo_desk.services.registry import open_services
from blo_desk.ui.models.case_table import COL_DATE, COL_NUMBER, COL_POST, COL_STATUS, COL_VALUE

from screen_checks import settle

NARROW = (COL_NUMBER, COL_DATE, COL_POST, COL_STATUS, COL_VALUE)


@pytest.mark.parametrize("language", ["uz", "ru", "en"])
def test_every_status_date_post_and_value_is_shown_whole_in_the_list(make_desk, settings, qtbot, laptop_screen,
                                                                     language):
    # GIVEN the demo cases and a draft voided at this post, the desk in one language
    opened = open_services(settings, principal=SYSTEM)
    try:
        load_demo(cases=opened.cases)
    finally:
        opened.close()
    set_language(language)
    desk = make_desk(settings)
    editor = desk.editor
    desk.new_case()
    qtbot.waitUntil(lambda: editor.case is not None and editor.case.id is None)
    retype(editor.fields["procedure"].widget, "Entered twice")
    with qtbot.waitSignal(editor.saved, timeout=10_000):
        editor.save()
    with qtbot.waitSignal(editor.saved, timeout=10_000):
        editor.void("Entered twice by mistake")
    # WHEN the list shows every case, voided ones too
    desk.show_list()
    page = desk.list_page
    page.model.set_query(replace(page.query(), statuses=tuple(CaseStatus)))
    qtbot.waitUntil(lambda: not page.model.loading and CaseStatus.VOIDED in {r.status for r in page.model.rows},
                    timeout=10_000)
    settle()
    # THEN each narrow column is as wide as its heading and as every text in it (no "…" in a status or a date)
    table, header, model = page.table, page.table.horizontalHeader(), page.model
    metrics = table.fontMetrics()
    for column in NARROW:
        assert header.sectionSize(column) >= header.sectionSizeHint(column), model.headerData(column, 1)
        for row in range(model.rowCount()):
            text = model.data(model.index(row, column))
            assert metrics.horizontalAdvance(text) + 8 <= header.sectionSize(column), (text, header.sectionSize(column))
    # AND every status word there is would fit, not only those listed now
    for status in CaseStatus:
        assert metrics.horizontalAdvance(status.label) + 8 <= header.sectionSize(COL_STATUS), status.label
    # AND the seized items still have room: the row is no wider than the window
    assert sum(header.sectionSize(c) for c in range(model.columnCount())) <= table.viewport().width()
