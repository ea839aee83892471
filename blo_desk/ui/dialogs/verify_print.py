"""Check a printed copy: type or scan a protocol's check code and see whether the paper is the record as it stands."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from blo_desk.domain.check_code import CheckOutcome, CheckResult
from blo_desk.i18n import _, add_language_listener, remove_language_listener

#: The colour of each answer: green for a match, amber for a superseded copy, red for the rest.
COLOURS = {CheckOutcome.MATCH: "#1b5e20", CheckOutcome.SUPERSEDED: "#8a4b00"}
ALARM = "#b00020"


class VerifyPrintDialog(QDialog):
    """A code field, a Check button and the answer `verify-print` gives; the check itself runs through `check`."""

    def __init__(self, parent: QWidget | None, *, check: Callable[[str, Callable[[CheckResult], None],
                                                                    Callable[[BaseException], None]], object]) -> None:
        super().__init__(parent)
        self.setObjectName("verifyPrintDialog")
        self._check = check
        self.answered: CheckResult | None = None
        self.code_label = QLabel()
        self.code = QLineEdit()
        self.code.setObjectName("verifyCode")
        self.code.setMinimumWidth(520)
        self.code.returnPressed.connect(self.start_check)
        self.code_label.setBuddy(self.code)
        self.check_button = QPushButton()
        self.check_button.setObjectName("verifyCheck")
        self.check_button.setDefault(True)
        self.check_button.clicked.connect(self.start_check)
        self.answer = QLabel()
        self.answer.setObjectName("verifyAnswer")
        self.answer.setWordWrap(True)
        self.answer.setMinimumHeight(self.answer.fontMetrics().lineSpacing() * 4)
        self.answer.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.code, 1)
        row.addWidget(self.check_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.code_label)
        layout.addLayout(row)
        layout.addWidget(self.answer)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        add_language_listener(self._language_changed)
        self.destroyed.connect(lambda *_a, cb=self._language_changed: remove_language_listener(cb))
        self.retranslate()

    def _language_changed(self, _language: str) -> None:
        self.retranslate()

    def retranslate(self) -> None:
        from blo_desk.ui.dialogs.common import translate_buttons

        self.setWindowTitle(_("Check a printed copy"))
        self.code_label.setText(_("&Check code (typed from the paper or read from its QR code):"))
        self.check_button.setText(_("Check"))
        translate_buttons(self.buttons)
        if self.answered is not None:
            self.show_result(self.answered)

    def start_check(self) -> None:
        code = self.code.text().strip()
        if not code:
            return
        self.check_button.setEnabled(False)
        self.answer.setText(_("Checking…"))
        self.answer.setStyleSheet("")
        self._check(code, self.show_result, self.show_error)

    def show_result(self, result: CheckResult) -> None:
        self.answered = result
        self.check_button.setEnabled(True)
        message, params = result.message()
        self.answer.setText(_(message).format(**params))
        self.answer.setStyleSheet(f"color: {COLOURS.get(result.outcome, ALARM)}; font-weight: bold;")
        self.adjustSize()

    def show_error(self, error: BaseException) -> None:
        self.answered = None
        self.check_button.setEnabled(True)
        translated = getattr(error, "translated", None)
        self.answer.setText(translated() if callable(translated) else str(error))
        self.answer.setStyleSheet(f"color: {ALARM};")
