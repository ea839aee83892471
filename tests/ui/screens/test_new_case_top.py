"""A new case opens at the top of its first section, with the first field focused, on a laptop's screen."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QScrollArea

from blo_desk.domain.permissions import SYSTEM
from blo_desk.i18n import set_language
from blo_desk.services.demo import load_demo
from blo_desk.services.registry import open_services
from blo_desk.ui.pages.editor.form_sections import SECTION_TITLES

from screen_checks import global_rect, settle


def _assert_at_the_top_with_the_first_field_focused(editor) -> None:
    settle()
    assert editor.tabs.currentIndex() == 0
    area = editor.tabs.currentWidget()
    assert isinstance(area, QScrollArea) and area.verticalScrollBar().value() == 0
    first = editor.fields["post_code"].widget
    assert QApplication.focusWidget() is first
    assert global_rect(area.viewport()).contains(global_rect(first))  # in sight, not scrolled past
    assert global_rect(area.viewport()).contains(global_rect(editor.summary_label))


@pytest.mark.parametrize("language", ["uz", "ru"])
def test_a_new_case_opens_at_its_top_even_after_a_case_scrolled_to_its_end(make_desk, settings, qtbot,
                                                                            laptop_screen, language):
    # GIVEN the demo cases and the desk in one language
    opened = open_services(settings, principal=SYSTEM)
    try:
        load_demo(cases=opened.cases)
    finally:
        opened.close()
    set_language(language)
    desk = make_desk(settings)
    editor = desk.editor
    # WHEN the officer starts a new case THEN it opens at the top, the first field focused
    desk.new_case()
    qtbot.waitUntil(lambda: desk.window.on_editor and editor.case is not None and editor.case.id is None)
    _assert_at_the_top_with_the_first_field_focused(editor)
    # WHEN the officer reads a case to the end of every section, goes back to the list and starts a new case
    desk.show_list()
    model = desk.list_page.model
    qtbot.waitUntil(lambda: not model.loading and bool(model.rows))
    desk.open_case(model.rows[0].id)
    qtbot.waitUntil(lambda: editor.case is not None and editor.case.id == model.rows[0].id)
    scrolled = 0
    for section in range(len(SECTION_TITLES)):
        editor.tabs.setCurrentIndex(section)
        settle()
        for area in editor.tabs.currentWidget().findChildren(QScrollArea) + [editor.tabs.currentWidget()]:
            if isinstance(area, QScrollArea) and area.verticalScrollBar().maximum() > 0:
                area.verticalScrollBar().setValue(area.verticalScrollBar().maximum())
                scrolled += 1
    assert scrolled, "no section was taller than the screen: nothing to scroll"
    editor.tabs.setCurrentIndex(0)
    desk.show_list()
    desk.new_case()
    qtbot.waitUntil(lambda: desk.window.on_editor and editor.case is not None and editor.case.id is None)
    # THEN the new case opens at the top of its first section, the first field focused and in sight
    _assert_at_the_top_with_the_first_field_focused(editor)
