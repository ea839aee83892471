"""Defects found by driving the real window (QA of issue 14), each pinned by what the officer does and sees."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog

from blo_desk.ui.first_run import PAGE_KEY, PAGE_PEOPLE, PAGE_POST

from .conftest import retype


def _answer_file_dialog(answers: list, choose: Path) -> None:
    """The officer types a file name into the open file dialog and accepts it (looked for until it is open)."""
    dialog = next((w for w in QApplication.topLevelWidgets() if isinstance(w, QFileDialog) and w.isVisible()), None)
    if dialog is None:
        QTimer.singleShot(10, lambda: _answer_file_dialog(answers, choose))
        return
    answers.append(dialog.windowTitle())
    dialog.selectFile(str(choose))
    dialog.accept()


def test_the_wizards_save_recovery_sheet_button_asks_where_and_writes_the_pdf(start_flow, encrypted_settings,
                                                                              qtbot, tmp_path):
    # GIVEN the first-run wizard on the key page, the recovery code shown
    flow = start_flow(encrypted_settings)
    wizard = flow.wizard
    qtbot.waitUntil(wizard.isVisible)
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    assert wizard.page == PAGE_POST
    qtbot.waitUntil(lambda: wizard.post_combo.count() > 0)
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    fields = wizard.admin_fields
    retype(fields["username"], "admin")
    for key in ("password", "repeat"):
        retype(fields[key], "correct horse battery")
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.page == PAGE_KEY, timeout=30_000)
    assert wizard.recovery_button.isVisible()
    # WHEN the officer clicks "Save the recovery sheet (PDF)…" and names a file in the dialog
    target = tmp_path / "sheet.pdf"
    answers: list = []
    QTimer.singleShot(0, lambda: _answer_file_dialog(answers, target))
    qtbot.mouseClick(wizard.recovery_button, Qt.MouseButton.LeftButton)
    # THEN the dialog was asked (not the click's "checked" taken for a path) and the PDF is written, and said so
    assert answers == ["Save the recovery sheet"]
    qtbot.waitUntil(target.exists, timeout=10_000)
    assert target.read_bytes().startswith(b"%PDF")
    # AND the sheet names the post it belongs to (it said "Post: -", made before the post was set up)
    import io

    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(target.read_bytes())).pages)
    assert wizard.identity.post_code in text, text
    qtbot.waitUntil(lambda: "Recovery sheet saved as" in wizard.status.text())
    assert "bool" not in wizard.status.text()
    # WHEN the officer goes on to the next page THEN the line about the sheet is not left under it
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    assert wizard.page == PAGE_PEOPLE
    assert wizard.status.text() == ""


def test_the_wizards_restore_button_asks_for_the_backup_file(start_flow, encrypted_settings, qtbot):
    # GIVEN the first-run wizard's first page
    flow = start_flow(encrypted_settings)
    wizard = flow.wizard
    qtbot.waitUntil(wizard.isVisible)
    # WHEN the officer clicks "Restore from a backup…" and cancels the file dialog
    seen: list = []

    def cancel() -> None:
        dialog = next((w for w in QApplication.topLevelWidgets() if isinstance(w, QFileDialog) and w.isVisible()),
                      None)
        if dialog is None:
            QTimer.singleShot(10, cancel)
            return
        seen.append(dialog.windowTitle())
        dialog.reject()

    QTimer.singleShot(0, cancel)
    qtbot.mouseClick(wizard.restore_button, Qt.MouseButton.LeftButton)
    # THEN the backup file was asked for, and cancelling leaves the wizard as it was, with no error shown
    assert seen == ["Choose the backup to restore"]
    assert wizard.restore_error.text() == "" and "bool" not in wizard.status.text()


@pytest.mark.parametrize("language", ["uz", "ru", "en"])
def test_a_password_message_in_the_add_user_dialog_is_shown_whole(make_desk, settings, qtbot, language):
    # GIVEN the administrator adding a user, in each language
    desk = make_desk(settings, username="admin", role="admin")
    desk.switch_language(language)
    desk.window.actions["users"].trigger()
    dialog = desk.users_dialog
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1)
    qtbot.mouseClick(dialog.buttons["add"], Qt.MouseButton.LeftButton)
    add = dialog.add_dialog
    qtbot.waitUntil(add.isVisible)
    # WHEN a name and a too short password are given and OK pressed
    retype(add.fields["username"], "jasur")
    retype(add.fields["repeat"], "short")
    add.buttons.button(add.buttons.StandardButton.Ok).click()
    message = add.errors["new"]
    qtbot.waitUntil(lambda: message.text() != "")
    QApplication.processEvents()
    # THEN the message (two lines in Uzbek and Russian) has the height its wrapped lines need: nothing cut off
    assert message.height() >= message.heightForWidth(message.width()), message.text()
    # AND the dialog, grown for it, is still whole on the screen with its buttons
    room = add.screen().availableGeometry()
    assert room.contains(add.frameGeometry())
    ok = add.buttons.button(add.buttons.StandardButton.Ok)
    assert ok.isVisible() and add.rect().contains(ok.geometry().translated(ok.parentWidget().pos()))


@pytest.mark.parametrize("language", ["ru", "uz"])
def test_the_backup_message_in_the_status_bar_is_readable_next_to_the_long_labels(make_desk, encrypted_settings,
                                                                                  qtbot, tmp_path, language):
    from PySide6.QtWidgets import QLabel

    from blo_desk.ui.backup import backup_now

    # GIVEN a supervisor's desk at 1366x768 in Russian or Uzbek, its status bar labels (office, user, outbox,
    # backup) all shown: in Russian they need more than the whole bar
    desk = make_desk(encrypted_settings)
    desk.switch_language(language)
    window = desk.window
    window.resize(1350, 728)
    outbox = window.findChild(QLabel, "deliveryStatus")
    qtbot.waitUntil(lambda: outbox is not None and outbox.text() != "", timeout=10_000)
    # WHEN the officer backs up to a stick (a short path, as /media/usb is)
    stick = Path(tempfile.mkdtemp(prefix="usb"))
    try:
        backup_now(desk, folder=str(stick))
        qtbot.waitUntil(lambda: any(stick.glob("*.blobak")) and str(stick) in window.message_text, timeout=30_000)
    finally:
        shutil.rmtree(stick)
    QApplication.processEvents()
    # THEN the line at the left shows the whole message, where it went (it was "Р…": the labels took the bar)
    line = window.status_text
    assert not line.is_elided, (line.width(), line.text())
    assert line.elided_text() == line.text()
    # AND the labels at the right gave up room instead (their whole text in their tooltips), all inside the window
    for label in (window.post_label, window.user_label, outbox):
        assert label.geometry().right() <= window.statusBar().width()


def test_the_not_finalized_notice_goes_once_the_marked_field_is_completed_and_the_question_is_asked(
        make_desk, settings, services, qtbot):
    from dataclasses import replace

    from blo_desk.services.demo import dustlik_case

    # GIVEN a draft with no detection method, opened by Finalize with the field marked and the notice above the page
    complete = dustlik_case()
    draft = services.cases.save(case=replace(complete, detection_method=""))
    desk = make_desk(settings)
    desk.open_case(draft.id)
    qtbot.waitUntil(lambda: desk.window.on_editor and desk.editor.case is not None
                    and desk.editor.case.id == draft.id, timeout=10_000)
    desk.window.actions["finalize"].trigger()
    qtbot.waitUntil(lambda: bool(desk.editor.errors))
    assert desk.window.notice_text == "Not finalized: complete the marked fields first."
    # WHEN the officer chooses the detection method and presses Finalize again
    combo = desk.editor.fields["detection_method"].widget
    combo.setCurrentIndex(combo.findData(complete.detection_method))
    desk.window.actions["finalize"].trigger()
    # THEN the question is asked, and the notice that the case is incomplete is gone from above it
    qtbot.waitUntil(lambda: desk.editor.finalize_dialog is not None and desk.editor.finalize_dialog.isVisible())
    assert desk.window.notice_text == ""
    desk.editor.finalize_dialog.reject()


def test_the_outbox_counter_counts_a_draft_as_soon_as_it_is_saved(make_desk, settings, qtbot):
    from PySide6.QtWidgets import QLabel

    from desk_driver import type_text

    # GIVEN a desk whose outbox says nothing waits
    desk = make_desk(settings)
    outbox = desk.window.findChild(QLabel, "deliveryStatus")
    qtbot.waitUntil(lambda: outbox is not None and outbox.text().startswith("Outbox: 0 cases waiting"),
                    timeout=10_000)
    # WHEN the officer types a new case and saves it
    desk.new_case()
    qtbot.waitUntil(lambda: desk.window.on_editor and desk.editor.case is not None)
    narrative = desk.editor.fields["narrative"].widget
    narrative.setFocus()
    type_text(narrative, "Two bags under the trailer floor")
    desk.save()
    qtbot.waitUntil(lambda: desk.editor.case is not None and bool(desk.editor.case.case_number), timeout=10_000)
    # THEN the outbox counts it within seconds, not at the next minute's tick
    qtbot.waitUntil(lambda: outbox.text().startswith("Outbox: 1 case waiting"), timeout=5_000)


def test_void_draft_is_offered_for_the_draft_selected_in_the_list_and_asks_for_its_reason(make_desk, settings,
                                                                                          services, qtbot):
    from blo_desk.domain.enums import CaseStatus
    from blo_desk.services.demo import dustlik_case

    # GIVEN a draft and a finalized case in the list, nothing selected
    draft = services.cases.save(case=dustlik_case())
    final = services.cases.finalize(case_id=services.cases.save(case=dustlik_case()).id, expected_revision=1)
    desk = make_desk(settings)
    desk.show_list()
    page, action = desk.list_page, desk.window.actions["void"]
    qtbot.waitUntil(lambda: not page.model.loading and len(page.model.rows) == 2)

    def select(number: str) -> None:
        row = next(r for r, s in enumerate(page.model.rows) if s.case_number == number)
        page.table.clearSelection()
        qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton,
                         pos=page.table.visualRect(page.model.index(row, 0)).center())

    assert not action.isEnabled()
    # WHEN the finalized case is selected THEN Void draft is not offered for it
    select(final.case_number)
    assert not action.isEnabled()
    # WHEN the draft is selected THEN it is, as Finalize and Print are
    select(draft.case_number)
    assert action.isEnabled()
    # WHEN it is chosen THEN the draft opens and its reason is asked for, naming it
    action.trigger()
    qtbot.waitUntil(lambda: getattr(desk.editor, "void_dialog", None) is not None
                    and desk.editor.void_dialog.isVisible(), timeout=10_000)
    assert desk.window.on_editor and desk.editor.case.id == draft.id
    assert draft.case_number in desk.editor.void_dialog.label.text()
    desk.editor.void_dialog.reject()
    assert services.cases.get(case_id=draft.id).status == CaseStatus.DRAFT  # cancelled: nothing voided
