"""Window sizes that follow the screen: a window opens at its preferred size or less, whole on the available area."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget

# What a window manager adds around a window (title bar, borders), kept free so the frame is on the screen too.
FRAME_WIDTH = 16
FRAME_HEIGHT = 40


def available(widget: QWidget) -> QRect | None:
    """The screen area a window may use (the taskbar and panels left out), from its parent's screen when it has one."""
    parent = widget.parentWidget()
    screen = (parent.screen() if parent is not None else None) or widget.screen()
    return None if screen is None else screen.availableGeometry()


def fitted_size(widget: QWidget, width: int, height: int) -> QSize:
    """`width` x `height`, made smaller where the screen is (frame included)."""
    room = available(widget)
    if room is None:
        return QSize(width, height)
    return QSize(min(width, room.width() - FRAME_WIDTH), min(height, room.height() - FRAME_HEIGHT))


def fit_to_screen(widget: QWidget, width: int, height: int) -> None:
    """Size a window at `width` x `height` or less, and place it whole on the available area: centred on its parent
    (or the screen), moved in where it would stick out. Call before show()."""
    size = fitted_size(widget, width, height)
    widget.resize(size)
    room = available(widget)
    if room is None:
        return
    parent = widget.parentWidget()
    centre = parent.window().frameGeometry().center() if parent is not None else room.center()
    place_inside(widget, room, QPoint(centre.x() - size.width() // 2, centre.y() - size.height() // 2))


def fit_to_content(widget: QWidget, *, width: int = 0, height: int = 0) -> None:
    """Size a window from what its layout asks for (at least `width` x `height`), within the screen; placed as
    fit_to_screen does. Call once its texts are set, before show()."""
    layout = widget.layout()
    if layout is not None:
        layout.activate()
    hint = widget.sizeHint()
    fit_to_screen(widget, max(hint.width(), width), max(hint.height(), height))


def place_inside(widget: QWidget, room: QRect, top_left: QPoint) -> None:
    """Move a window to `top_left`, shifted so that its frame is inside `room`."""
    size = widget.size()
    x = max(room.left(), min(top_left.x(), room.right() + 1 - size.width() - FRAME_WIDTH))
    y = max(room.top(), min(top_left.y(), room.bottom() + 1 - size.height() - FRAME_HEIGHT))
    widget.move(x, y)


def scrolling(content: QWidget) -> QScrollArea:
    """`content` in a frameless scroll area that follows its width: a long form scrolls instead of growing the
    window past the screen's bottom edge."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(content)
    return area
