"""Guard against a Qt binding that loses references to True or None (PySide6 6.12 on CPython 3.11 aborts)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    flag = Signal(bool)
    ping = Signal()


def test_emitting_many_signals_keeps_true_and_none_alive(qapp):
    # GIVEN an object whose signals are connected to Python slots
    emitter = _Emitter()
    seen = []
    emitter.flag.connect(seen.append)
    emitter.ping.connect(lambda: None)
    true_before, none_before = sys.getrefcount(True), sys.getrefcount(None)
    # WHEN a working day's worth of signals is emitted from Python
    for _ in range(5000):
        emitter.flag.emit(True)
        emitter.ping.emit()
    # THEN the interpreter's True and None have not lost references (a binding bug would abort the app later)
    assert len(seen) == 5000
    assert sys.getrefcount(True) >= true_before
    assert sys.getrefcount(None) >= none_before - 10
