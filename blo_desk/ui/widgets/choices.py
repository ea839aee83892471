"""Choosing several codes: a checkable list (joint agencies, other roles) and an ordered list (transit countries).

Both hold their choice as text too (codes joined by commas), so a form's Field, a draft and a recovery copy keep
them like any other typed value: `text_value()` / `set_text_value()`, and `value_changed` after every change.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from blo_desk.i18n import N_, _
from blo_desk.ui.forms import CodeCombo

Choices = Callable[[], list[tuple[str, str]]]
SEPARATOR = ","


def split_codes(text: str) -> tuple[str, ...]:
    """The codes of a multi-choice value as a form keeps it ("customs,border" -> ("customs", "border"))."""
    return tuple(code for code in (part.strip() for part in (text or "").split(SEPARATOR)) if code)


def join_codes(codes) -> str:
    return SEPARATOR.join(codes)


class CheckList(QListWidget):
    """Several codes of a short list, each a checkable row (Space toggles); one Tab stop for the whole list.

    The list is as tall as `rows` rows and scrolls beyond; `exclude(code)` hides one row (the lead agency, the
    main role), which then counts as not chosen.
    """

    value_changed = Signal()

    def __init__(self, choices: Choices, *, rows: int = 6, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._choices = choices
        self._rows = rows
        self._excluded = ""
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.itemChanged.connect(lambda _item: self.value_changed.emit())
        self.reload()

    def set_choices(self, choices: Choices) -> None:
        """Offer other choices from now on (a callable as in the constructor); the chosen codes are kept."""
        self._choices = choices
        self.reload()

    def reload(self) -> None:
        """Labels in the active language; the chosen codes are kept (a code the list lacks stays, shown as is)."""
        chosen = self.codes(include_excluded=True) if self.count() else ()
        self.blockSignals(True)
        self.clear()
        offered = list(self._choices())
        known = {code for code, _label in offered}
        for code, label in offered + [(c, c) for c in chosen if c not in known]:
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if code in chosen else Qt.CheckState.Unchecked)
            self.addItem(item)
        self.blockSignals(False)
        self.exclude(self._excluded)

    def _fit(self) -> None:
        """As tall as `rows` whole rows (fewer when fewer are offered): no sliver of a next row under the last."""
        visible = [i for i in range(self.count()) if not self.item(i).isHidden()]
        row = self.sizeHintForRow(visible[0]) if visible else 0
        if row <= 0:
            row = self.fontMetrics().height() + 4
        shown = max(1, min(self._rows, len(visible)))
        margins = self.contentsMargins()
        self.setFixedHeight((row + self.spacing()) * shown + margins.top() + margins.bottom())

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt API: a new font or style changes the rows' height
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API: measured as it is painted (its style sheet applied)
        super().showEvent(event)
        self._fit()

    def exclude(self, code: str) -> None:
        self._excluded = code or ""
        for index in range(self.count()):
            item = self.item(index)
            item.setHidden(bool(code) and item.data(Qt.ItemDataRole.UserRole) == code)
        self._fit()

    def codes(self, *, include_excluded: bool = False) -> tuple[str, ...]:
        """The chosen codes in the list's order."""
        out = []
        for index in range(self.count()):
            item = self.item(index)
            if item.checkState() == Qt.CheckState.Checked and (include_excluded or not item.isHidden()):
                out.append(item.data(Qt.ItemDataRole.UserRole))
        return tuple(out)

    def set_codes(self, codes) -> None:
        wanted = tuple(codes)
        known = {self.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.count())}
        if any(code not in known for code in wanted):
            self.blockSignals(True)
            for code in wanted:
                if code not in known:
                    item = QListWidgetItem(code)
                    item.setData(Qt.ItemDataRole.UserRole, code)
                    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                                  | Qt.ItemFlag.ItemIsUserCheckable)
                    self.addItem(item)
            self.blockSignals(False)
            self._fit()
        if self.codes(include_excluded=True) == tuple(c for c in self._all_codes() if c in wanted):
            return
        self.blockSignals(True)
        for index in range(self.count()):
            item = self.item(index)
            checked = item.data(Qt.ItemDataRole.UserRole) in wanted
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.blockSignals(False)
        self.value_changed.emit()

    def _all_codes(self) -> list[str]:
        return [self.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.count())]

    def check(self, code: str, checked: bool = True) -> None:
        """Tick or untick one code (what Space does on its row)."""
        for index in range(self.count()):
            item = self.item(index)
            if item.data(Qt.ItemDataRole.UserRole) == code:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def text_value(self) -> str:
        return join_codes(self.codes(include_excluded=True))

    def set_text_value(self, text: str) -> None:
        self.set_codes(split_codes(text))

    def wheelEvent(self, event) -> None:  # noqa: N802 - a short list inside a scrolled form: the form scrolls
        bar = self.verticalScrollBar()
        if bar.maximum() == 0:
            event.ignore()
        else:
            super().wheelEvent(event)


class CodeSequence(QWidget):
    """Codes chosen one by one, in order (the countries of a route): a combo with Add, the list with Remove."""

    value_changed = Signal()

    def __init__(self, choices: Choices, *, rows: int = 3, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._choices = choices
        self.combo = CodeCombo(choices, blank=True)
        self.add_button = QPushButton()
        self.add_button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.add_button.clicked.connect(self.add_current)
        self.list = QListWidget()
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        row = self.list.fontMetrics().height() + 6
        self.list.setFixedHeight(row * rows + 2 * self.list.frameWidth() + 2)
        self.remove_button = QPushButton()
        self.remove_button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.remove_button.clicked.connect(self.remove_current)
        self._codes: list[str] = []
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.combo, 1)
        top.addWidget(self.add_button)
        bottom = QHBoxLayout()
        bottom.setContentsMargins(0, 0, 0, 0)
        bottom.addWidget(self.list, 1)
        bottom.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addLayout(bottom)
        self.setFocusProxy(self.combo)
        self.reload()

    def codes(self) -> tuple[str, ...]:
        return tuple(self._codes)

    def set_codes(self, codes) -> None:
        codes = list(codes)
        if codes != self._codes:
            self._codes = codes
            self._render()
            self.value_changed.emit()

    def add_current(self) -> None:
        code = self.combo.code()
        if code and (not self._codes or self._codes[-1] != code):
            self._codes.append(code)
            self._render()
            self.list.setCurrentRow(len(self._codes) - 1)
            self.value_changed.emit()
        self.combo.set_code("")

    def remove_current(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self._codes):
            del self._codes[row]
            self._render()
            self.list.setCurrentRow(min(row, len(self._codes) - 1))
            self.value_changed.emit()

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Delete in the list removes the country
        if event.key() == Qt.Key.Key_Delete and self.list.hasFocus():
            self.remove_current()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.combo.hasFocus():
            self.add_current()
            return
        super().keyPressEvent(event)

    def _render(self) -> None:
        labels = dict(self._choices())
        self.list.clear()
        for number, code in enumerate(self._codes, start=1):
            item = QListWidgetItem(f"{number}. {labels.get(code, code)}")
            item.setData(Qt.ItemDataRole.UserRole, code)
            self.list.addItem(item)
        self._refresh_enabled()

    def _refresh_enabled(self) -> None:
        editable = self.isEnabled()
        self.remove_button.setEnabled(editable and bool(self._codes))

    def reload(self) -> None:
        self.combo.blockSignals(True)
        self.combo.reload()
        self.combo.blockSignals(False)
        self.add_button.setText(_(ADD_TEXT))
        self.remove_button.setText(_(REMOVE_TEXT))
        self._render()

    def text_value(self) -> str:
        return join_codes(self._codes)

    def set_text_value(self, text: str) -> None:
        self.set_codes(split_codes(text))

    def changeEvent(self, event) -> None:  # noqa: N802 - enabled or not (a finalized case)
        super().changeEvent(event)
        if hasattr(self, "remove_button"):
            self._refresh_enabled()


ADD_TEXT = N_("Add to the route")
REMOVE_TEXT = N_("Remove")
