"""Form building blocks: a labelled field with its inline error, number fields that echo, combos, parsers."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from blo_desk.domain.errors import FieldError
from blo_desk.i18n import N_, _, translator
from blo_desk.numbers import NumberError, read_number, read_whole, write_number
from blo_desk.ui.widgets.dates import DateLineEdit

ERROR_STYLE = "color: #b00020;"
INVALID_PROPERTY = "invalid"
STYLE_SHEET = """
QLineEdit[invalid="true"], QComboBox[invalid="true"], QPlainTextEdit[invalid="true"] { border: 2px solid #b00020; }
QLabel#fieldError { color: #b00020; }
QToolButton#officersOfPost { padding-right: 16px; }
QLabel#fieldNote { color: #505050; }
QLabel#fieldNote[invalid="true"] { color: #b00020; }
QLineEdit[readOnly="true"], QPlainTextEdit[readOnly="true"] { background: #f2f2f2; color: #202020; }
QLabel#banner { background: #fff4ce; padding: 6px; border: 1px solid #e0c060; }
QLabel#bannerFinal { background: #e6f2e6; padding: 6px; border: 1px solid #7fb07f; }
QFrame#notice { background: #fde7e9; border: 1px solid #c0504d; }
"""


class ParseError(ValueError):
    """A typed value that is not understood; `message` is a msgid with {named} `params`."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message.format(**params) if params else message)
        self.message = message
        self.params = params

    @classmethod
    def of(cls, error: NumberError) -> ParseError:
        return cls(error.message, **error.params)


# Day first in every language (i18n.DATE_LOCALES): the officer may type any of . / - or a space between the parts.
_DATE_PATTERNS = (
    (re.compile(r"^(\d{1,2})\s*[./ -]\s*(\d{1,2})\s*[./ -]\s*(\d{4})$"), ("d", "m", "y")),
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), ("y", "m", "d")),
    (re.compile(r"^(\d{2})(\d{2})(\d{4})$"), ("d", "m", "y")),
)


def parse_date(text: str) -> date | None:
    """A date as the UI language writes it (20/04/2024, 20.04.2024), also with - or a space, yyyy-mm-dd or
    ddmmyyyy; empty -> None."""
    text = text.strip()
    if not text:
        return None
    for pattern, order in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            parts = dict(zip(order, (int(g) for g in match.groups()), strict=True))
            try:
                return date(parts["y"], parts["m"], parts["d"])
            except ValueError as exc:
                raise ParseError(N_("This date does not exist.")) from exc
    raise ParseError(N_("Enter the date as {format}."), format=translator().date_hint())


def format_date(value: date | None) -> str:
    """A date as the UI language writes it (i18n's one formatter): 20/04/2024, 20.04.2024."""
    return translator().format_date(value)


def parse_time(text: str) -> time | None:
    text = text.strip()
    if not text:
        return None
    match = re.match(r"^(\d{1,2})[:.]?(\d{2})$", text)
    if not match:
        raise ParseError(N_("Enter the time as HH:MM."))
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        raise ParseError(N_("Enter the time as HH:MM."))
    return time(hour, minute)


def format_time(value: datetime | time | None) -> str:
    return "" if value is None else f"{value.hour:02d}:{value.minute:02d}"


def parse_decimal(text: str) -> Decimal | None:
    """A number typed in the UI language's way (`85,505` is 85.505 in uz and ru); empty -> None."""
    try:
        return read_number(text)
    except NumberError as exc:
        raise ParseError.of(exc) from exc


def parse_int(text: str) -> int | None:
    try:
        value = read_whole(text)
    except NumberError as exc:
        raise ParseError.of(exc) from exc
    if value is not None and abs(value) > 10**12:
        raise ParseError(N_("Enter a whole number."))
    return value


def plain_decimal(value: Decimal | None) -> str:
    """A Decimal as the officer would type it back in the UI language (every digit kept)."""
    return write_number(value)


class ErrorLine(QLabel):
    """The place of a field's error message, right under the field: one line kept while it is empty, so the fields
    below never move when a message comes and goes (nor when it is hidden), more lines when a long message wraps."""

    def __init__(self, name: str = "fieldError", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setWordWrap(True)
        self.setMinimumHeight(self.fontMetrics().lineSpacing())
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        policy = self.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.setSizePolicy(policy)


def under_field(widget: QWidget, error: QLabel) -> QVBoxLayout:
    """`widget` with its error line under it, as every field of the case editor shows it."""
    layout = QVBoxLayout()
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(widget)
    layout.addWidget(error)
    return layout


class Field(QWidget):
    """A form field: the input widget with its error message right under it; the label is kept by the form."""

    def __init__(self, key: str, label: str, widget: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.label_msgid = label
        self.widget = widget
        self.label = QLabel()
        self.label.setBuddy(widget)
        self.error = ErrorLine()
        self.error.hide()
        widget.setObjectName(f"field_{key}")
        self.error.setProperty("field", key)
        self.setLayout(under_field(widget, self.error))
        self._errors: list[FieldError] = []
        self._watch_edits(widget)
        self.retranslate()

    def _watch_edits(self, widget: QWidget) -> None:
        """A message about the value goes as soon as the officer changes it (the next save checks again)."""
        changed = getattr(widget, "value_changed", None)  # a multi-choice (ui/widgets/choices.py)
        if changed is not None:
            changed.connect(self._edited)
        elif isinstance(widget, CodeCombo):
            widget.code_changed.connect(lambda _v: self._edited())
        elif isinstance(widget, QPlainTextEdit):
            widget.textChanged.connect(self._edited)
        elif isinstance(widget, QLineEdit):
            widget.textEdited.connect(lambda _v: self._edited())

    def _edited(self) -> None:
        if self._errors and not isinstance(self, NumberField):
            self._errors = []
            self._show_errors()

    def retranslate(self) -> None:
        self.label.setText(_(self.label_msgid))
        if isinstance(self.widget, DateLineEdit):  # its example and its calendar button's tip
            self.widget.retranslate()
        self._show_errors()

    def set_errors(self, errors: list[FieldError]) -> None:
        self._errors = list(errors)
        self._show_errors()

    def _show_errors(self) -> None:
        text = "\n".join(e.translated() for e in self._errors)
        self.error.setText(text)
        self.error.setVisible(bool(text))
        if self.widget.property(INVALID_PROPERTY) != bool(text):
            self.widget.setProperty(INVALID_PROPERTY, bool(text))
            self.widget.style().unpolish(self.widget)
            self.widget.style().polish(self.widget)

    @property
    def errors(self) -> list[FieldError]:
        return list(self._errors)

    # --- values as plain strings (codes for combos), so drafts and recovery copies keep exactly what was typed
    def value(self) -> str:
        w = self.widget
        if hasattr(w, "text_value"):  # a multi-choice (ui/widgets/choices.py): its codes joined by commas
            return w.text_value()
        if isinstance(w, CodeCombo):
            return w.code()
        if isinstance(w, QPlainTextEdit):
            return w.toPlainText()
        if isinstance(w, QLineEdit):
            return w.text()
        return ""

    def set_value(self, value: str) -> None:
        w = self.widget
        if hasattr(w, "set_text_value"):
            w.set_text_value(value or "")
        elif isinstance(w, CodeCombo):
            w.set_code(value or "")
        elif isinstance(w, QPlainTextEdit):
            if w.toPlainText() != (value or ""):
                w.setPlainText(value or "")
        elif isinstance(w, QLineEdit):
            if w.text() != (value or ""):
                w.setText(value or "")

    def set_read_only(self, read_only: bool) -> None:
        w = self.widget
        if isinstance(w, (QLineEdit, QPlainTextEdit)):
            if w.isReadOnly() != read_only:
                w.setReadOnly(read_only)
                # The style sheet's [readOnly="true"] look is applied when the widget is polished: polish again,
                # or a read-only field of a finalized case would still look editable.
                w.style().unpolish(w)
                w.style().polish(w)
        else:
            w.setEnabled(not read_only)


class NumberField(Field):
    """A number field with a note under it that always holds its place: how the value was understood, or why not.

    `describe(text)` returns the echo (e.g. "= 85,505 kg", "" for an empty field) or raises NumberError.
    """

    NOTE_LINES = 2  # the longest message (a number read two ways) fits in two lines of the detail form

    def __init__(self, key: str, label: str, widget: QLineEdit, describe, parent: QWidget | None = None) -> None:
        self.describe = describe
        super().__init__(key, label, widget, parent)
        self.error.setObjectName("fieldNote")
        self.error.setMinimumHeight(self.error.fontMetrics().lineSpacing() * self.NOTE_LINES)
        self.error.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.error.show()

    def refresh(self) -> None:
        """Read the text again (after typing, or when the unit or currency it is echoed in changed)."""
        self._show_errors()

    def set_errors(self, errors: list[FieldError]) -> None:
        self._errors = list(errors)
        self._typed_since_errors = False
        self._show_errors()

    def _show_errors(self) -> None:
        bad = False
        try:
            note = self.describe(self.value())
        except NumberError as exc:
            note, bad = exc.translated(), True
        saved = [e.translated() for e in self._errors] if not getattr(self, "_typed_since_errors", True) else []
        if saved and not bad:  # a rule of the case about this value (e.g. more than zero), shown until retyped
            note, bad = "\n".join(saved), True
        self.error.setText(note)
        if self.error.property(INVALID_PROPERTY) != bad:
            for widget in (self.widget, self.error):
                widget.setProperty(INVALID_PROPERTY, bad)
                widget.style().unpolish(widget)
                widget.style().polish(widget)

    def typed(self) -> None:
        """The officer changed the text: the live reading replaces the errors of the last save."""
        self._typed_since_errors = True
        self._show_errors()


class CodeCombo(QComboBox):
    """A combo of (code, label) pairs; labels are re-read on retranslate, the chosen code is kept.

    `choices` is a callable returning [(code, label)] in the active language; `editable_codes` lets the officer
    type a code not in the list (for currencies).
    """

    code_changed = Signal(str)

    def __init__(self, choices, *, blank: bool = True, editable_codes: bool = False, parent=None) -> None:
        super().__init__(parent)
        self._choices = choices
        self._blank = blank
        self._blank_label = None
        self._stale = False  # choices not read since a reload while hidden (read when shown)
        self.setEditable(editable_codes)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(14)
        from PySide6.QtWidgets import QSizePolicy

        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.currentIndexChanged.connect(lambda _i: self.code_changed.emit(self.code()))
        if editable_codes:
            self.editTextChanged.connect(lambda _t: self.code_changed.emit(self.code()))
        self.reload()

    def set_choices(self, choices) -> None:
        """Offer other choices from now on (a callable as in the constructor); the chosen code is kept."""
        self._choices = choices
        self.reload()

    def reload(self) -> None:
        """Read the choices again (a language switch, new reference data). A hidden combo (another tab, the editor
        behind the list) only relabels its chosen entry now and reads the rest when it is shown: a language switch
        stays quick with a hundred combos and a few thousand country names."""
        read_before = self.count() > (1 if self._blank else 0)  # else the reference data has just arrived
        if read_before and not self.isVisible() and not self.isEditable():  # an editable one keeps typed text
            self._stale = True
            index = self.currentIndex()
            if index >= 0 and self.currentData():
                label = dict(self._choices()).get(self.currentData())
                if label is not None:
                    self.setItemText(index, label)
            elif index == 0 and self._blank:
                self.setItemText(0, self.blank_label())
            return
        self._read_choices()

    def _read_choices(self) -> None:
        self._stale = False
        code = self.code() if self.count() else ""
        self.blockSignals(True)
        self.clear()
        if self._blank:
            self.addItem(self.blank_label(), "")
        for value, label in self._choices():
            self.addItem(label, value)
        self.blockSignals(False)
        self.set_code(code)

    def blank_label(self) -> str:
        """The text of the empty entry ("—"; the list's filters say "All")."""
        return self._blank_label() if self._blank_label is not None else "—"

    def set_blank_label(self, label) -> None:
        """`label()` gives the empty entry's text in the active language."""
        self._blank_label = label
        if self._blank and self.count():
            self.setItemText(0, self.blank_label())

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        if self._stale:
            self.blockSignals(True)  # the chosen code does not change: nobody is told
            self._read_choices()
            self.blockSignals(False)
        super().showEvent(event)

    def showPopup(self) -> None:  # noqa: N802 - Qt API
        if self._stale:
            self.blockSignals(True)
            self._read_choices()
            self.blockSignals(False)
        super().showPopup()

    def code(self) -> str:
        if self.isEditable():
            text = self.currentText().strip()
            index = self.findText(text)
            if index >= 0:
                return self.itemData(index) or ""
            return text.upper()
        data = self.currentData()
        return data or ""

    def set_code(self, code: str) -> None:
        index = self.findData(code)
        if index >= 0:
            self.setCurrentIndex(index)
        elif self.isEditable():
            self.setEditText(code)
        elif code:
            # A code the list no longer has (renamed or removed by an admin): keep it visible rather than lose it.
            self.addItem(code, code)
            self.setCurrentIndex(self.count() - 1)
        else:
            self.setCurrentIndex(0 if self.count() else -1)

    def wheelEvent(self, event) -> None:  # noqa: N802 - scrolling the form must not change values by accident
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()
