"""What a user checks on a laptop screen, as test helpers: a window whole on the screen, its buttons in reach,
no text cut at the right edge."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QWidget,
)


def settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def scrolled(widget: QWidget, window: QWidget) -> bool:
    """Whether `widget` sits in a scroll area of `window` (reached by scrolling, so it may be out of view)."""
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def global_rect(widget: QWidget) -> QRect:
    return QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())


def assert_fits(window: QWidget, room: QRect) -> None:
    """The window (frame included) is on the screen, and every button outside a scroll area is inside it."""
    settle()
    name = window.objectName() or type(window).__name__
    frame = window.frameGeometry()
    assert room.contains(frame), f"{name}: {frame} is not inside the screen {room}"
    inside = global_rect(window)
    buttons = [b for b in window.findChildren(QPushButton) if b.isVisibleTo(window) and not scrolled(b, window)]
    for button in buttons:
        rect = global_rect(button)
        assert inside.contains(rect) and room.contains(rect), f"{name}: {button.text()!r} at {rect}, window {inside}"


def text_is_whole(widget: QWidget) -> bool:
    """A label or button shows all its text at its present size (a wrapped label: all its lines)."""
    if isinstance(widget, QLabel):
        if not widget.text() or widget.pixmap() is not None and not widget.pixmap().isNull():
            return True
        if widget.wordWrap() or widget.hasHeightForWidth():
            return widget.heightForWidth(widget.width()) <= widget.height() + 1
        return widget.sizeHint().width() <= widget.width() + 1 or widget.minimumSizeHint().width() <= widget.width()
    if isinstance(widget, QAbstractButton):
        return widget.sizeHint().width() <= widget.width() + 1
    return True


def assert_form_whole(form: QWidget) -> None:
    """Every label a form shows is whole, and every hint in a line edit fits in it."""
    for label in form.findChildren(QLabel):
        if label.isVisibleTo(form):
            assert text_is_whole(label), label.text()
    for edit in form.findChildren(QLineEdit):
        if edit.isVisibleTo(form) and edit.placeholderText():
            room = edit.width() - 12  # the frame and padding around the text
            assert edit.fontMetrics().horizontalAdvance(edit.placeholderText()) <= room, edit.placeholderText()


def assert_nothing_past_the_right_edge(area: QScrollArea) -> None:
    """In a scroll area that scrolls only down: every shown field, label and button lies within the visible width,
    and every label and button shows its whole text."""
    settle()
    view = global_rect(area.viewport())
    content = area.widget()
    assert content.width() <= view.width(), f"the page is {content.width()} wide in a view of {view.width()}"
    kinds = (QLabel, QLineEdit, QAbstractButton)
    shown = [w for w in content.findChildren(QWidget) if isinstance(w, kinds) and w.isVisibleTo(content)]
    for widget in shown:
        rect = global_rect(widget)
        text = widget.text() if hasattr(widget, "text") else ""
        assert view.left() <= rect.left() and rect.right() <= view.right(), f"{text!r} at {rect}, view {view}"
        assert text_is_whole(widget), f"{text!r} cut: {widget.size()} for {widget.sizeHint()}"


BREAKS_INSIDE = ("-", "/", "\\", "\u2011")  # a line that ends so has cut a code or a path in two


def painted_lines(text: str, font, width: int) -> list[str]:
    """The lines Qt lays `text` out in at `width` with word wrap (as a wrapped label and a text pane do)."""
    from PySide6.QtGui import QTextLayout, QTextOption

    lines: list[str] = []
    for paragraph in text.split("\n"):
        layout = QTextLayout(paragraph, font)
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WordWrap)
        layout.setTextOption(option)
        layout.beginLayout()
        while (line := layout.createLine()).isValid():
            line.setLineWidth(width)
            lines.append(paragraph[line.textStart():line.textStart() + line.textLength()])
        layout.endLayout()
    return lines


def broken_words(window: QWidget) -> list[tuple[str, str]]:
    """(line, next line) for each place a shown wrapped label or read-only text pane of `window` cuts a word (a post
    code, a case number, a path) at a hyphen or a slash. The text as painted: `QLabel.text` of the Qt class."""
    from PySide6.QtWidgets import QPlainTextEdit

    settle()
    cut = []
    panes: list[tuple[str, object, int]] = []
    for label in window.findChildren(QLabel):
        if label.isVisibleTo(window) and label.wordWrap():
            panes.append((QLabel.text(label), label.font(), label.contentsRect().width()))
    for pane in window.findChildren(QPlainTextEdit):
        if pane.isVisibleTo(window) and pane.isReadOnly():
            room = pane.viewport().width() - 2 * int(pane.document().documentMargin())
            panes.append((QPlainTextEdit.toPlainText(pane), pane.font(), room))
    for text, font, width in panes:
        cut += cut_lines(text, font, width)
    return cut


def cut_lines(text: str, font, width: int) -> list[tuple[str, str]]:
    """(line, next line) where `text` laid out at `width` is cut inside a word at a hyphen or a slash."""
    from itertools import pairwise

    lines = painted_lines(text, font, width)
    return [(a, b) for a, b in pairwise(lines) if a.endswith(BREAKS_INSIDE) and b[:1].isalnum()]
