"""Files and folders are chosen in our language: Qt's own file dialog with our texts (Qt has no Uzbek), opening on a
stick or in the documents (never the program's folder), then where that kind of file was chosen last; and the other
texts Qt shows in our windows (standard buttons, details, edit menus) come from our catalogs too."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QFileDialog,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QToolButton,
    QTreeView,
)

from blo_desk.i18n import translator
from blo_desk.ui.backup import backup_now
from blo_desk.ui.file_dialogs import documents_folder, removable_media
from blo_desk.ui.qt_texts import QT_TEXTS

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A home folder with a Documents folder (where a first backup is offered when no stick is in)."""
    folder = tmp_path / "home"
    (folder / "Documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(folder))
    monkeypatch.delenv("XDG_DOCUMENTS_DIR", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder / ".config"))
    return folder


def _answer_file_dialog(seen: dict, choose: Path | None) -> None:
    """What an officer does with the open file dialog: read it (kept in `seen`), then choose `choose` or cancel."""
    dialog = next((w for w in QApplication.topLevelWidgets() if isinstance(w, QFileDialog) and w.isVisible()), None)
    if dialog is None:  # not open yet: look again in a moment
        QTimer.singleShot(10, lambda: _answer_file_dialog(seen, choose))
        return
    try:
        _read(dialog, seen)
    finally:  # answered even when reading failed, so the test fails instead of waiting for ever
        if choose is None:
            dialog.reject()
        else:
            dialog.setDirectory(str(choose))
            dialog.accept()


def _read(dialog: QFileDialog, seen: dict) -> None:
    for _ in range(5):  # as the officer sees it, once it has settled
        QApplication.processEvents()
    seen.update(
        title=dialog.windowTitle(), folder=Path(dialog.directory().absolutePath()), native=not dialog.testOption(
            QFileDialog.Option.DontUseNativeDialog),
        buttons=sorted(b.text() for b in dialog.findChildren(QPushButton) if b.isVisible()),
        labels={w: dialog.labelText(w) for w in QFileDialog.DialogLabel},
    )
    dialog.setViewMode(QFileDialog.ViewMode.Detail)  # the view with column headings
    QApplication.processEvents()
    seen.update(
        tips=sorted(b.toolTip() for b in dialog.findChildren(QToolButton) if b.isVisible() and b.toolTip()),
        headers=[dialog.findChild(QTreeView, "treeView").model().headerData(c, Qt.Orientation.Horizontal)
                 for c in range(4)],
    )


@pytest.mark.parametrize("language", ["uz", "ru", "en"])
def test_the_backup_folder_is_chosen_in_our_language_starting_in_the_documents(make_desk, settings, qtbot, home,
                                                                               tmp_path, language):
    # GIVEN a supervisor's desk in one language, never backed up, no folder chosen before
    desk = make_desk(settings)
    desk.switch_language(language)
    t = translator(language)
    stick = tmp_path / "stick"
    stick.mkdir()
    # WHEN the officer chooses Tools ▸ Backup… and reads the folder dialog, then picks a folder
    seen: dict = {}
    QTimer.singleShot(0, lambda: _answer_file_dialog(seen, stick))
    backup_now(desk)
    # THEN it is Qt's own dialog (not the system's, in the system's language), titled and labelled from our catalog
    assert not seen["native"]
    assert seen["title"] == t.gettext("Back up to which folder?")
    labels = seen["labels"]
    assert labels[QFileDialog.DialogLabel.LookIn] == t.gettext("Look in:")
    assert labels[QFileDialog.DialogLabel.FileName] == t.gettext("Folder:")
    assert labels[QFileDialog.DialogLabel.Accept] == t.gettext("&Choose")
    assert labels[QFileDialog.DialogLabel.Reject] == t.gettext("Cancel")
    assert t.gettext("Cancel") in seen["buttons"] and t.gettext("&Choose") in seen["buttons"]
    # AND its tool buttons and column headings too: nothing left in Qt's English where we have our words
    assert t.gettext("Back") in seen["tips"] and t.gettext("Create a new folder") in seen["tips"]
    assert seen["headers"] == [t.gettext(m) for m in ("Name", "Size", "Type", "Date modified")]
    if language != "en":
        assert "Cancel" not in seen["buttons"]
    # AND it opened on a stick, or else in the documents folder, never in the program's folder
    media = removable_media()
    assert seen["folder"] == (media[0] if media else home / "Documents") == (media[0] if media else documents_folder())
    assert seen["folder"] != Path.cwd()
    qtbot.waitUntil(lambda: any(stick.glob("*.blobak")), timeout=30_000)
    # WHEN the officer backs up again THEN the dialog opens where the last backup went (remembered for next time)
    again: dict = {}
    QTimer.singleShot(0, lambda: _answer_file_dialog(again, None))
    backup_now(desk)
    assert again["folder"] == stick


def test_every_file_choice_goes_through_the_one_helper():
    # GIVEN the program's source WHEN Qt's file dialog is looked for outside ui/file_dialogs.py
    used = [str(p.relative_to(ROOT)) for p in (ROOT / "blo_desk").rglob("*.py")
            if p.name not in ("file_dialogs.py", "qt_texts.py") and re.search(r"QFileDialog", p.read_text("utf-8"))]
    # THEN there is none: no system dialog, no English labels, no start in the program's folder slips in
    assert used == []


@pytest.mark.parametrize("language", ["uz", "ru"])
def test_qt_standard_buttons_details_and_edit_menus_speak_our_language(make_desk, settings, qtbot, language):
    # GIVEN the desk in Uzbek or Russian (Qt's translator for its own texts installed with the language)
    desk = make_desk(settings)
    desk.switch_language(language)
    t = translator(language)
    # WHEN Qt makes standard buttons itself (a button box nobody translated)
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
                           | QDialogButtonBox.StandardButton.Close | QDialogButtonBox.StandardButton.Discard
                           | QDialogButtonBox.StandardButton.Apply)
    # THEN each reads as our catalog says (for Uzbek Qt itself has nothing)
    for which, message in ((QDialogButtonBox.StandardButton.Ok, "OK"),
                           (QDialogButtonBox.StandardButton.Cancel, "Cancel"),
                           (QDialogButtonBox.StandardButton.Close, "Close"),
                           (QDialogButtonBox.StandardButton.Discard, "Discard"),
                           (QDialogButtonBox.StandardButton.Apply, "Apply")):
        assert box.button(which).text() == t.gettext(message)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == {"uz": "Bekor qilish", "ru": "Отмена"}[language]
    box.deleteLater()
    # AND a message with details offers them in our words
    message = QMessageBox(desk.window)
    message.setText("x")
    message.setDetailedText("trace")
    message.show()
    qtbot.waitUntil(message.isVisible)
    assert t.gettext("Show details…") in [b.text() for b in message.findChildren(QPushButton)]
    message.close()
    # AND a field's right-click menu too
    edit = QLineEdit(desk.window)
    menu = edit.createStandardContextMenu()
    texts = [a.text().split("\t")[0] for a in menu.actions() if a.text()]  # "&Copy\tCtrl+C"
    for source in ("&Copy", "&Paste", "Select all"):
        assert t.gettext(source) in texts, (source, texts)
    menu.deleteLater()
    # AND the questions a file dialog asks keep Qt's place for the name
    ours = QCoreApplication.translate("QFileDialog", "%1 already exists.\nDo you want to replace it?")
    assert ours == t.gettext("{name} already exists. Do you want to replace it?").format(name="%1")


def test_texts_qt_does_not_ask_us_for_stay_as_qt_has_them(make_desk, settings, qtbot):
    # GIVEN the desk in Uzbek WHEN Qt asks for a text we have no words for (a shortcut's key name)
    desk = make_desk(settings)
    desk.switch_language("uz")
    # THEN Qt keeps its own (our translator passes, it does not blank it)
    assert QCoreApplication.translate("QShortcut", "Ctrl") == "Ctrl"
    assert ("QShortcut", "Ctrl") not in QT_TEXTS
    assert desk.window.actions["save"].shortcut().toString() == "Ctrl+S"
