"""The checkable lists of the case page (Together with, Also detected by, Technical means used) show whole rows."""

from __future__ import annotations

import pytest

from blo_desk.i18n import set_language
from blo_desk.ui.widgets.choices import CheckList

from screen_checks import settle


def shown_rows(checklist: CheckList) -> list[tuple[int, int]]:
    """(top, bottom) in the viewport of each row that is at least partly in sight."""
    view = checklist.viewport().rect()
    rows = []
    for index in range(checklist.count()):
        item = checklist.item(index)
        rect = checklist.visualItemRect(item)
        if not item.isHidden() and rect.intersects(view):
            rows.append((rect.top(), rect.bottom()))
    return rows


@pytest.mark.parametrize("language", ["uz", "ru", "en"])
def test_the_incident_tabs_check_lists_show_no_half_row(make_desk, settings, qtbot, language):
    # GIVEN the desk in one language on the laptop's screen, a new case open on its Incident tab
    set_language(language)
    desk = make_desk(settings)
    desk.new_case()
    editor = desk.editor
    qtbot.waitUntil(lambda: desk.window.on_editor and editor.case is not None)
    settle()
    lists = [w for w in editor.tabs.widget(0).findChildren(CheckList) if w.isVisibleTo(editor)]
    assert lists
    for checklist in lists:
        view = checklist.viewport().rect()
        rows = shown_rows(checklist)
        # THEN every row in sight is whole, and the list ends with its last row in sight (no sliver of the next)
        assert all(top >= 0 and bottom <= view.bottom() for top, bottom in rows), (checklist.objectName(), rows, view)
        assert rows and rows[-1][1] == view.bottom(), (checklist.objectName(), rows, view)
    # AND the long lists scroll to the rest (Also detected by: ten ways, five in sight)
    detected = editor.fields["other_detection_methods"].widget
    assert len(shown_rows(detected)) == 5 and detected.verticalScrollBar().maximum() > 0
