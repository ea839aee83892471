"""Dialogs with our own translated buttons (Qt has no Uzbek catalog): confirm, unsaved changes, inform, reasons, photo."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from blo_desk.i18n import _
from blo_desk.ui.screen_fit import fit_to_screen
from blo_desk.ui.widgets.whole_text import MessageLabel, as_written, unbroken


def translate_buttons(box: QDialogButtonBox) -> None:
    """Set the texts of standard buttons from our catalogs, so they follow uz / ru / en."""
    texts = {
        QDialogButtonBox.StandardButton.Ok: _("OK"),
        QDialogButtonBox.StandardButton.Cancel: _("Cancel"),
        QDialogButtonBox.StandardButton.Close: _("Close"),
        QDialogButtonBox.StandardButton.Yes: _("Yes"),
        QDialogButtonBox.StandardButton.No: _("No"),
        QDialogButtonBox.StandardButton.Save: _("Save"),
    }
    for which, text in texts.items():
        button = box.button(which)
        if button is not None:
            button.setText(text)


def record_table(name: str, headings: list[str]) -> QTableWidget:
    """A read-only table of records (users, offence articles), one whole row chosen at a time, no row numbers."""
    table = QTableWidget(0, len(headings))
    table.setObjectName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.setHorizontalHeaderLabels(headings)
    return table


def button_row(dialog: QDialog, prefix: str, buttons: list[tuple[str, str]]) -> tuple[QHBoxLayout,
                                                                                    dict[str, QPushButton]]:
    """A row of a list dialog's buttons ((key, text) each, named `{prefix}_{key}`), then Close at its right."""
    row, made = QHBoxLayout(), {}
    for key, text in buttons:
        button = made[key] = QPushButton(text)
        button.setObjectName(f"{prefix}_{key}")
        row.addWidget(button)
    row.addStretch(1)
    close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    translate_buttons(close)
    close.rejected.connect(dialog.reject)
    row.addWidget(close)
    return row, made


class MessageBox(QMessageBox):
    """A message box whose post codes and case numbers are never broken across lines (shown with non-breaking
    hyphens), read (`text()`) and copied (Ctrl+C) as written."""

    def setText(self, text: str) -> None:  # noqa: N802 - Qt API
        super().setText(unbroken(text))

    def text(self) -> str:
        return as_written(super().text())

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        super().keyPressEvent(event)
        if event.matches(QKeySequence.StandardKey.Copy):
            clipboard = QGuiApplication.clipboard()
            clipboard.setText(as_written(clipboard.text()))


def confirm(
    parent: QWidget,
    *,
    title: str,
    text: str,
    accept_text: str,
    on_accept: Callable[[], None],
    reject_text: str | None = None,
    informative: str = "",
    keep_whole: Sequence[str] = (),
) -> QMessageBox:
    """A non-blocking question with our own button texts; `on_accept` runs when the officer confirms. Post codes and
    case numbers in `text` are never broken across two lines, nor is any of `keep_whole` (a record's reference)."""
    box = MessageBox(parent)
    box.setObjectName("confirmDialog")
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    QMessageBox.setText(box, unbroken(text, keep_whole))
    if informative:
        box.setInformativeText(informative)
    yes = box.addButton(accept_text, QMessageBox.ButtonRole.AcceptRole)
    no = box.addButton(reject_text or _("Cancel"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(no)
    box.setEscapeButton(no)
    box.accept_button = yes  # type: ignore[attr-defined]
    box.reject_button = no  # type: ignore[attr-defined]

    def clicked(button) -> None:
        if button is yes:
            on_accept()

    box.buttonClicked.connect(clicked)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def ask_unsaved(
    parent: QWidget,
    *,
    text: str,
    on_save: Callable[[], None],
    on_discard: Callable[[], None],
    on_cancel: Callable[[], None] | None = None,
) -> QMessageBox:
    """Save / Discard / Cancel for a form with unsaved changes (non-blocking); Cancel and Escape keep editing."""
    box = MessageBox(parent)
    box.setObjectName("unsavedDialog")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(_("Unsaved changes"))
    box.setText(text)
    box.setInformativeText(_("Save the changes, discard them, or go back to the case."))
    save = box.addButton(_("Save"), QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton(_("Discard"), QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(save)
    box.setEscapeButton(cancel)
    box.save_button = save  # type: ignore[attr-defined]
    box.discard_button = discard  # type: ignore[attr-defined]
    box.cancel_button = cancel  # type: ignore[attr-defined]

    def clicked(button) -> None:
        if button is save:
            on_save()
        elif button is discard:
            on_discard()
        elif on_cancel is not None:
            on_cancel()

    box.buttonClicked.connect(clicked)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def inform(parent: QWidget, *, title: str, text: str, error: bool = False, details: str = "") -> QMessageBox:
    """A non-blocking message with one translated Close button."""
    box = MessageBox(parent)
    box.setObjectName("errorDialog" if error else "infoDialog")
    box.setIcon(QMessageBox.Icon.Warning if error else QMessageBox.Icon.Information)
    box.setWindowTitle(title)
    box.setText(text)
    if details:
        box.setDetailedText(details)
    box.close_button = box.addButton(_("Close"), QMessageBox.ButtonRole.AcceptRole)  # type: ignore[attr-defined]
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


class AmendDialog(QDialog):
    """Asks for the reason of an amendment; OK stays disabled until a reason is typed."""

    object_name = "amendDialog"

    def __init__(self, parent: QWidget, *, case_number: str, on_reason: Callable[[str], None]) -> None:
        super().__init__(parent)
        self.setObjectName(self.object_name)
        self._case_number = case_number
        self._on_reason = on_reason
        self.label = MessageLabel()
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("amendReason")
        self.reason.setTabChangesFocus(True)
        self.label.setBuddy(self.reason)
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setStyleSheet("color: #b00020;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.reason)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        self.reason.textChanged.connect(self._update)
        self.retranslate()
        self._update()
        self.resize(460, 240)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Amend case {case_number}").format(case_number=self._case_number))
        self.label.setText(
            _("Case {case_number} is finalized. Why does it need to change? The reason is kept in its history.")
            .format(case_number=self._case_number)
        )
        translate_buttons(self.buttons)
        self.ok_button.setText(_("Amend"))

    @property
    def ok_button(self):
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def missing_reason(self) -> str:
        return _("Give the reason for the amendment.")

    def _update(self) -> None:
        has_reason = bool(self.reason.toPlainText().strip())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(has_reason)
        if has_reason:
            self.error.clear()

    def _accept(self) -> None:
        text = self.reason.toPlainText().strip()
        if not text:
            self.error.setText(self.missing_reason())
            return
        self.accept()
        self._on_reason(text)


class VoidDialog(AmendDialog):
    """Asks why a draft is voided; Void stays disabled until a reason is typed."""

    object_name = "voidDialog"

    def retranslate(self) -> None:
        self.setWindowTitle(_("Void draft {case_number}").format(case_number=self._case_number))
        self.label.setText(
            _("Void draft {case_number}? It is kept with its history and sent to HQ as voided, but no longer listed "
              "and cannot be changed. Why is it voided?").format(case_number=self._case_number))
        translate_buttons(self.buttons)
        self.ok_button.setText(_("Void"))

    def missing_reason(self) -> str:
        return _("Give the reason for voiding the draft.")


class PhotoDialog(QDialog):
    """Shows one photo at full size, scrollable."""

    def __init__(self, parent: QWidget, *, pixmap: QPixmap, title: str) -> None:
        super().__init__(parent)
        self.setObjectName("photoDialog")
        self.setWindowTitle(title)
        view = QLabel()
        view.setPixmap(pixmap)
        area = QScrollArea()
        area.setWidget(view)
        area.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        translate_buttons(self.buttons)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(area)
        layout.addWidget(self.buttons)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        size = pixmap.size()
        fit_to_screen(self, min(size.width() + 40, 1000), min(size.height() + 80, 750))
