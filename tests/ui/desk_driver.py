"""Helpers to drive the desk in tests and benchmarks without a person: wait for the event loop, type any text."""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget


def wait_until(condition, timeout: float = 20.0, step_ms: int = 10) -> None:
    """Process events until `condition()` is true; raise TimeoutError otherwise."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        QCoreApplication.processEvents()
        time.sleep(step_ms / 1000)
    QCoreApplication.processEvents()


def type_text(widget: QWidget, text: str) -> None:
    """Send one key press and release per character (QTest's keyClicks aborts on non-ASCII characters)."""
    for ch in text:
        if ch == "\n":
            key, ch_text = Qt.Key.Key_Return, "\r"
        else:
            key, ch_text = Qt.Key.Key_unknown, ch
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, ch_text))
