"""Nothing typed is lost, nothing is saved unasked: Save / Discard / Cancel on quit, case switch and log-out."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QMessageBox

from blo_desk.domain.permissions import Action, Principal, Role, check
from blo_desk.i18n import set_language, translator

from .conftest import retype

SCREEN = (1366, 768)


def _new_case(desk, qtbot):
    desk.window.resize(*SCREEN)
    desk.new_case()
    qtbot.waitUntil(lambda: desk.window.on_editor and desk.editor.case is not None)
    return desk.editor


def _unsaved_dialog(desk, qtbot):
    qtbot.waitUntil(lambda: getattr(desk, "unsaved_dialog", None) is not None and desk.unsaved_dialog.isVisible())
    return desk.unsaved_dialog


def _press_quit(desk) -> None:
    """Ctrl+Q, the shortcut of Case > Quit (QTest's key clicks do not reach window shortcuts offscreen)."""
    action = desk.window.actions["quit"]
    assert action.shortcut() == QKeySequence("Ctrl+Q")
    action.trigger()


def _stored_cases(desk):
    return list(desk.services.cases.list_cases(query=desk.list_page.model.query).rows)


def test_quit_with_unsaved_changes_asks_save_discard_cancel_in_the_users_language(make_desk, settings, qtbot):
    # GIVEN an Uzbek officer's new case with typed text
    set_language("uz")
    desk = make_desk(settings)
    editor = _new_case(desk, qtbot)
    retype(editor.fields["procedure"].widget, "Yoʻlovchi yoʻlagi")
    # WHEN Ctrl+Q is pressed
    _press_quit(desk)
    # THEN the question has our own three buttons in Uzbek, and the desk is still open
    dialog = _unsaved_dialog(desk, qtbot)
    uz = translator("uz").gettext
    assert [b.text() for b in (dialog.save_button, dialog.discard_button, dialog.cancel_button)] == [
        uz("Save"), uz("Discard"), uz("Cancel")]
    assert dialog.text() == uz("The new case has not been saved.")
    assert desk.window.isVisible()
    # WHEN Cancel is chosen THEN the form is as typed, nothing is stored, and the recovery copy is on disk
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert desk.window.isVisible() and editor.fields["procedure"].value() == "Yoʻlovchi yoʻlagi"
    assert _stored_cases(desk) == [] and desk.recovery.path.exists()
    # AND a second Ctrl+Q asks again
    _press_quit(desk)
    assert _unsaved_dialog(desk, qtbot) is not dialog


def test_quit_and_discard_stores_nothing_and_leaves_no_recovery_copy(make_desk, settings, qtbot):
    # GIVEN a new case with typed text (an abandoned form)
    desk = make_desk(settings)
    editor = _new_case(desk, qtbot)
    retype(editor.fields["procedure"].widget, "Abandoned")
    # WHEN the window's X is clicked and Discard chosen
    desk.window.close()
    dialog = _unsaved_dialog(desk, qtbot)
    qtbot.mouseClick(dialog.discard_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not desk.window.isVisible(), timeout=10_000)
    # THEN no numbered draft was made, and the next start opens on an empty list
    again = make_desk(settings)
    assert _stored_cases(again) == []
    assert not again.recovery.path.exists() and not again.window.on_editor


def test_quit_and_save_stores_one_revision_then_closes(make_desk, settings, qtbot):
    # GIVEN a new case with typed text
    desk = make_desk(settings)
    editor = _new_case(desk, qtbot)
    retype(editor.fields["procedure"].widget, "Typed just before closing")
    # WHEN Ctrl+Q is pressed and Save chosen
    _press_quit(desk)
    qtbot.mouseClick(_unsaved_dialog(desk, qtbot).save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not desk.window.isVisible(), timeout=10_000)
    # THEN the case is stored with one revision in its history, and no recovery copy is left
    again = make_desk(settings)
    rows = _stored_cases(again)
    assert len(rows) == 1
    assert again.services.cases.get(case_id=rows[0].id).procedure == "Typed just before closing"
    assert len(again.services.cases.history(case_id=rows[0].id)) == 1
    assert not again.recovery.path.exists()


def test_closing_an_untouched_new_form_saves_nothing_and_asks_nothing(make_desk, settings, qtbot):
    # GIVEN a new case opened but not touched
    desk = make_desk(settings)
    _new_case(desk, qtbot)
    # WHEN the window is closed
    desk.window.close()
    qtbot.waitUntil(lambda: not desk.window.isVisible(), timeout=10_000)
    # THEN no question was asked and no case was made
    assert getattr(desk, "unsaved_dialog", None) is None
    assert _stored_cases(make_desk(settings)) == []


def test_a_refused_save_keeps_the_form_the_recovery_copy_and_the_window(make_desk, settings, qtbot):
    # GIVEN a new case, and a store that refuses it (the case belongs to another post)
    desk = make_desk(settings)
    editor = _new_case(desk, qtbot)
    retype(editor.fields["procedure"].widget, "Must not be lost")
    other = Principal(username="sabina", role=Role.SUPERVISOR, post_code="UZ-SAR")

    def refuse(*, case):
        check(other, Action.CASE_CREATE, post_code=case.post_code)

    desk.services.cases.save = refuse
    # WHEN the officer quits and chooses Save
    _press_quit(desk)
    qtbot.mouseClick(_unsaved_dialog(desk, qtbot).save_button, Qt.MouseButton.LeftButton)
    # THEN the refusal is shown, the window stays, the form and the recovery copy are kept
    qtbot.waitUntil(lambda: desk.window.findChild(QMessageBox, "errorDialog") is not None, timeout=10_000)
    error = desk.window.findChild(QMessageBox, "errorDialog")
    assert "UZ-DUS" in error.text() and "UZ-SAR" in error.text()
    assert desk.window.isVisible()
    assert editor.fields["procedure"].value() == "Must not be lost" and editor.dirty
    assert desk.recovery.read()["fields"]["procedure"] == "Must not be lost"
    # WHEN the officer quits again THEN the question comes again (the refusal did not end the desk)
    error.close()
    _press_quit(desk)
    dialog = _unsaved_dialog(desk, qtbot)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert desk.window.isVisible() and desk.recovery.path.exists()


def test_switching_case_with_unsaved_changes_asks_and_cancel_stays(make_desk, settings, qtbot):
    # GIVEN one saved case, and a second, new case with typed text
    desk = make_desk(settings)
    editor = _new_case(desk, qtbot)
    retype(editor.fields["procedure"].widget, "First")
    with qtbot.waitSignal(editor.saved, timeout=10_000):
        editor.save()
    first = editor.case
    desk.new_case()
    qtbot.waitUntil(lambda: editor.case is not None and editor.case.id is None)
    retype(editor.fields["procedure"].widget, "Second, not saved")
    # WHEN the officer opens the first case from the list with a double-click (which both activates the row and
    # double-clicks it: two requests to open)
    desk.open_case(first.id)
    desk.open_case(first.id)
    dialog = _unsaved_dialog(desk, qtbot)
    # THEN they are asked once; Cancel keeps the new case on screen as typed, and no second question follows
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert editor.case.id is None and editor.fields["procedure"].value() == "Second, not saved"
    qtbot.wait(200)
    assert [w for w in QApplication.topLevelWidgets() if w.objectName() == "unsavedDialog" and w.isVisible()] == []
    # WHEN they ask again and Discard THEN the first case opens and only it is stored
    desk.open_case(first.id)
    qtbot.mouseClick(_unsaved_dialog(desk, qtbot).discard_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.case is not None and editor.case.id == first.id, timeout=10_000)
    assert [r.id for r in _stored_cases(desk)] == [first.id]


def test_autosave_writes_the_recovery_copy_and_never_a_revision(make_desk, settings, qtbot):
    # GIVEN a saved draft (revision 1)
    desk = make_desk(settings)
    editor = _new_case(desk, qtbot)
    with qtbot.waitSignal(editor.saved, timeout=10_000):
        editor.save()
    case_id = editor.case.id
    # WHEN the officer types for a while and stops
    retype(editor.fields["procedure"].widget, "Typing on")
    qtbot.waitUntil(lambda: desk.recovery.path.exists(), timeout=5_000)
    qtbot.wait(300)
    # THEN the recovery copy holds what was typed; the store still has one revision
    assert desk.recovery.read()["fields"]["procedure"] == "Typing on"
    assert len(desk.services.cases.history(case_id=case_id)) == 1
    # WHEN the officer saves, twice, with a change in between
    with qtbot.waitSignal(editor.saved, timeout=10_000):
        editor.save()
    retype(editor.fields["procedure"].widget, "Typing on, and on")
    with qtbot.waitSignal(editor.saved, timeout=10_000):
        editor.save()
    # THEN the history on screen shows exactly the three saves a person made
    editor.load_history()
    qtbot.waitUntil(lambda: editor.history_table.model().rowCount() == 3, timeout=10_000)
    assert len(desk.services.cases.history(case_id=case_id)) == 3


def test_half_entered_rows_get_no_warning_mark_while_typing(make_desk, settings, qtbot):
    # GIVEN a new case with an item row just added and nothing typed in it yet
    desk = make_desk(settings)
    editor = _new_case(desk, qtbot)
    editor.items.add_record()
    retype(editor.items.fields["description"].widget, "Pel")
    # WHEN the officer pauses (the recovery copy is written)
    qtbot.waitUntil(lambda: desk.recovery.path.exists(), timeout=5_000)
    qtbot.wait(200)
    # THEN no tab carries a ⚠ and no message is shown: nothing was validated unasked
    assert not any("⚠" in editor.tabs.tabText(i) for i in range(editor.tabs.count()))
    assert editor.errors == []


@pytest.mark.parametrize("answer", ["save", "discard"])
def test_log_out_returns_to_the_login_window_without_quitting(qtbot, settings, answer):
    from blo_desk.app import backend
    from blo_desk.ui.main import StartFlow

    from .conftest import PASSWORD, login_as

    # GIVEN two users of the post, and the desk of the first, with a new case typed
    login_as(settings, username="amina", role="officer")
    login_as(settings, username="bobur", role="officer")
    flow = StartFlow(settings, backend(), app=QApplication.instance(), ask_demo=False, user="amina",
                     password=PASSWORD)
    qtbot.addWidget(flow.login)
    flow.start()
    try:
        qtbot.waitUntil(lambda: flow.desk is not None and flow.desk.ready, timeout=30_000)
        desk = flow.desk
        editor = _new_case(desk, qtbot)
        retype(editor.fields["procedure"].widget, "Before the change of shift")
        # WHEN the officer chooses Log out and answers the question
        desk.window.actions["log_out"].trigger()
        dialog = _unsaved_dialog(desk, qtbot)
        qtbot.mouseClick(getattr(dialog, f"{answer}_button"), Qt.MouseButton.LeftButton)
        # THEN the login window is back, empty, and the desk is gone; the application did not quit
        qtbot.waitUntil(lambda: flow.login.isVisible() and flow.desk is None, timeout=10_000)
        assert flow.login.password.text() == "" and flow.login.button.isEnabled()
        # AND it is whole on the screen, at its own size (not the desk's, at the desk's place)
        room = flow.login.screen().availableGeometry()
        assert room.contains(flow.login.geometry()), (room, flow.login.geometry())
        # WHEN the next officer logs in THEN their desk opens, and the first one's case was kept only if saved
        retype(flow.login.username, "bobur")
        retype(flow.login.password, PASSWORD)
        qtbot.mouseClick(flow.login.button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: flow.desk is not None and flow.desk.ready, timeout=30_000)
        assert flow.desk.principal.username == "bobur"
        rows = flow.desk.services.cases.list_cases(query=flow.desk.list_page.model.query).rows
        assert len(rows) == (1 if answer == "save" else 0)
    finally:
        flow.close()


def test_a_recovery_copy_typed_for_another_post_is_restored_not_dropped(make_desk, settings, qtbot):
    import json

    from blo_desk.ui.recovery import RecoveryFile

    # GIVEN a recovery copy of a new case typed for post UZ-KUD (its save was refused: the officer works at UZ-DUS)
    recovery = RecoveryFile(settings.data_dir, user="sabina")
    recovery.path.parent.mkdir(parents=True, exist_ok=True)
    recovery.path.write_text(json.dumps({"version": 1, "meta": {}, "mode": "draft",
                                         "fields": {"post_code": "UZ-KUD", "procedure": "Typed at the wrong post"}}),
                             encoding="utf-8")
    # WHEN the desk starts
    desk = make_desk(settings)
    # THEN the editor shows what was typed, still unsaved, and the copy is kept until it is saved or discarded
    qtbot.waitUntil(lambda: desk.window.on_editor, timeout=10_000)
    editor = desk.editor
    assert editor.fields["procedure"].value() == "Typed at the wrong post"
    assert editor.fields["post_code"].value() == "UZ-KUD" and editor.dirty and editor.is_new
    assert recovery.path.exists()
