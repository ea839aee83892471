"""Messages that name post codes, case numbers and files: never broken at a hyphen, and copied as they are written.

Qt wraps a label after any hyphen, so "Fotehobod (TJ-FOT)" became "(TJ-" | "FOT)". Codes are shown with non-breaking
hyphens (U+2011, drawn as "-"); where the officer can select the text it is copied with plain hyphens again. A file
is named by its name alone in the sentence (kept whole too), and its folder is shown apart, under the sentence, in a
read-only field on one line: selected and copied exactly, never wrapped (a long path scrolls in its field).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import PurePath

from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QContextMenuEvent, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QMenu, QPlainTextEdit, QVBoxLayout, QWidget

from blo_desk.i18n import _

NO_BREAK_HYPHEN = "\u2011"  # looks like "-"; Qt's rich text ignores <nobr> and an inline "white-space: nowrap"

# a post code or a case number ("TJ-FOT", "UZ-OYB-2024-00001"), not a piece of a path or a file name
CODE = re.compile(r"(?<![\w/\\.\-])[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+(?![\w/\\\-]|\.\w)")


def unbroken(text: str, whole: Iterable[str] = ()) -> str:
    """`text` as shown: each post code and case number in it, and each of `whole` (a file's name), stays on one line,
    its hyphens made non-breaking (Qt breaks a wrapped label after any hyphen: "UZ-" | "DUS-2024-00001")."""
    for piece in sorted({p for p in whole if p}, key=len, reverse=True):
        text = text.replace(piece, piece.replace("-", NO_BREAK_HYPHEN))
    return CODE.sub(lambda m: m.group(0).replace("-", NO_BREAK_HYPHEN), text)


def as_written(text: str) -> str:
    """The text as it was given (what a copy must give): plain hyphens again."""
    return text.replace(NO_BREAK_HYPHEN, "-")


class MessageLabel(QLabel):
    """A word-wrapped label for a message: the codes in it are never broken at a hyphen; `text()` is as written.

    `selectable`: the officer may select the text with the mouse; Ctrl+C and the menu's Copy give it as written."""

    def __init__(self, text: str = "", parent: QWidget | None = None, *, selectable: bool = False) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        if selectable:
            self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._whole: tuple[str, ...] = ()
        self.setText(text)

    def set_message(self, text: str, *, whole: Iterable[str] = ()) -> None:
        """Show `text`; each of `whole` (file names) is kept on one line as the codes are."""
        self._whole = tuple(whole)
        super().setText(unbroken(text, self._whole))

    def setText(self, text: str) -> None:  # noqa: N802 - Qt API
        self.set_message(text)

    def text(self) -> str:
        return as_written(super().text())

    def shown_text(self) -> str:
        """The text as painted (non-breaking hyphens in its codes)."""
        return super().text()

    def copy(self) -> None:
        """The selection (all of the text when nothing is selected) to the clipboard, as written."""
        chosen = self.selectedText() or super().text()
        QGuiApplication.clipboard().setText(as_written(chosen))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if event.matches(QKeySequence.StandardKey.Copy) and self.hasSelectedText():
            self.copy()
            event.accept()
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 - Qt API
        if not self.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse:
            super().contextMenuEvent(event)
            return
        menu = QMenu(self)
        menu.addAction(_("&Copy"), self.copy).setEnabled(self.hasSelectedText())
        menu.addAction(_("Select all"), lambda: self.setSelection(0, len(super(MessageLabel, self).text())))
        menu.exec(event.globalPos())


class MessageText(QPlainTextEdit):
    """A read-only pane of text: the codes in it are never broken at a hyphen, and a copy gives them as written."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)

    def setPlainText(self, text: str) -> None:  # noqa: N802 - Qt API
        super().setPlainText(unbroken(text))

    def toPlainText(self) -> str:  # noqa: N802 - Qt API
        return as_written(super().toPlainText())

    def createMimeDataFromSelection(self) -> QMimeData:  # noqa: N802 - Qt API: Copy, drag and the X11 selection
        data = QMimeData()
        data.setText(as_written(self.textCursor().selection().toPlainText()))
        return data


class ResultNote(QWidget):
    """A dialog's outcome (file written, error): a sentence, and under it the folder of each file it names.

    `say(text, files=...)`: `text` names each file by its full path; the sentence shows its name alone, and the folder
    is shown apart in a read-only one-line field that is selected and copied exactly (no hyphen is swapped in it).
    `text()` is the sentence as written, then each folder line ("Folder: /path"), for the tests and the logs."""

    def __init__(self, name: str, parent: QWidget | None = None, *, selectable: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.sentence = MessageLabel(selectable=selectable)
        self.sentence.setObjectName(f"{name}Text")
        self.folders = QFormLayout()
        self.folders.setContentsMargins(0, 0, 0, 0)
        self.folders.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.sentence)
        layout.addLayout(self.folders)
        self._folders: list[str] = []
        self._fields: list[QLineEdit] = []

    def say(self, text: str, *, files: Sequence[str | PurePath] = ()) -> None:
        paths = [PurePath(f) for f in files if str(f)]
        names = []
        for path in sorted(paths, key=lambda p: len(str(p)), reverse=True):  # the longest first: a path in a path
            text = text.replace(str(path), path.name)
            names.append(path.name)
        self.sentence.set_message(text, whole=names)
        self._set_folders(list(dict.fromkeys(str(p.parent) for p in paths)))

    def setText(self, text: str) -> None:  # noqa: N802 - Qt API
        self.say(text)

    def clear(self) -> None:
        self.say("")

    def text(self) -> str:
        lines = [self.sentence.text()] + [f"{_('Folder:')} {folder}" for folder in self._folders]
        return "\n".join(line for line in lines if line)

    def folder_fields(self) -> list[QLineEdit]:
        return list(self._fields)

    def _set_folders(self, folders: list[str]) -> None:
        self._folders, self._fields = folders, []
        while self.folders.rowCount():
            self.folders.removeRow(0)
        for folder in folders:
            field = QLineEdit(folder)
            field.setObjectName(f"{self.objectName()}Folder")
            field.setReadOnly(True)
            field.setFrame(False)
            field.setToolTip(folder)
            field.setCursorPosition(0)
            self.folders.addRow(_("Folder:"), field)
            self._fields.append(field)
