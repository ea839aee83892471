"""Voiding a draft from the desk: a reason is asked, the case is read-only and hidden unless the filter shows it."""

from __future__ import annotations

from PySide6.QtCore import Qt

from blo_desk.domain.enums import CaseStatus

from .conftest import choose, retype
from desk_driver import type_text


def test_an_officer_voids_their_draft_with_a_reason_and_finds_it_with_the_filter(make_desk, settings, qtbot):
    # GIVEN an officer's two saved drafts, the second open in the editor
    desk = make_desk(settings, username="amina", role="officer")
    desk.window.resize(1366, 768)
    editor = desk.editor
    numbers = []
    for text in ("Kept", "Entered twice"):
        desk.new_case()
        qtbot.waitUntil(lambda: editor.case is not None and editor.case.id is None)
        retype(editor.fields["procedure"].widget, text)
        with qtbot.waitSignal(editor.saved, timeout=10_000):
            editor.save()
        numbers.append(editor.case.case_number)
    action = desk.window.actions["void"]
    assert action.isEnabled() and action in desk.window.actions.menus["case"].actions()
    # WHEN the officer chooses Case > Void draft: the Void button waits for a reason
    action.trigger()
    dialog = editor.void_dialog
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.ok_button.text() == "Void" and not dialog.ok_button.isEnabled()
    assert numbers[1] in dialog.label.text()
    dialog.reason.setFocus()
    type_text(dialog.reason, "Entered twice by mistake")
    with qtbot.waitSignal(editor.saved, timeout=10_000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    # THEN the case on screen is voided and read-only, with no Save, Finalize or Amend
    assert editor.case.status == CaseStatus.VOIDED
    assert "voided" in editor.banner.text() and editor.fields["procedure"].widget.isReadOnly()
    assert not editor.save_button.isVisible() and not editor.finalize_button.isVisible()
    assert not editor.amend_button.isVisible() and not action.isEnabled()
    # AND its history shows the save and the voiding, with its reason
    qtbot.waitUntil(lambda: editor.history_table.model().rowCount() == 2, timeout=10_000)
    assert editor.history[-1].reason == "Entered twice by mistake"
    # WHEN the officer goes to the list THEN only the kept case is listed
    desk.show_list()
    model = desk.list_page.model
    qtbot.waitUntil(lambda: not model.loading and [r.case_number for r in model.rows] == [numbers[0]],
                    timeout=10_000)
    # WHEN the status filter is set to Voided THEN the voided case is listed, with its status
    choose(desk.list_page.status_filter, "voided")
    qtbot.waitUntil(lambda: not model.loading and [r.case_number for r in model.rows] == [numbers[1]],
                    timeout=10_000)
    assert model.rows[0].status.label == "Voided"
