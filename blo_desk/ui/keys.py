"""Enter kept by the widget that has it (a table, a search field): Qt passes it on to the window, whose default
button it would press as well (in Shared with us: Ask the sender… behind a search or a chosen record)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QTableView


def _is_enter(event: QEvent) -> bool:
    """A plain Enter or Return (the keypad's too), no other modifier: Ctrl+Enter and the like go on as Qt sends them."""
    return event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
        and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) \
        and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier


class _EnterActivates(QObject):
    """On a table: its chosen row is activated, as a double-click does, and the key stops there."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if not (_is_enter(event) and isinstance(watched, QTableView)):
            return False
        current = watched.currentIndex()
        if current.isValid() and watched.selectionModel().isRowSelected(current.row(), current.parent()):
            watched.activated.emit(current)
        return True


class _EnterStays(QObject):
    """On a line edit: returnPressed, as Qt's own Enter gives it, and the key stops there."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if not (_is_enter(event) and isinstance(watched, QLineEdit)):
            return False
        watched.returnPressed.emit()
        return True


def enter_activates(view: QTableView) -> None:
    """Enter on `view` activates its chosen row (`activated`, as a double-click) and goes no further."""
    view.installEventFilter(_EnterActivates(view))


def enter_stays(field: QLineEdit) -> None:
    """Enter in `field` gives its `returnPressed` (a search runs) and presses no default button of the window."""
    field.installEventFilter(_EnterStays(field))
