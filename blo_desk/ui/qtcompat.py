"""Work-arounds for bugs of the Qt binding; today one: SignalInstance.emit() drops a reference to True.

PySide6 6.12.0 on CPython 3.11 returns True from `signal.emit()` without taking a reference, so every
Python-side emit lowers the reference count of True by one; after a few thousand emits the interpreter aborts
("bool_dealloc: deallocating True or False").  On 3.12+ True is immortal and nothing happens.  `emit()` below
gives the reference back, only when the running binding is measured to have the bug.
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject, Signal


class _Probe(QObject):
    ping = Signal()


def _emit_drops_a_reference() -> bool:
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(8):
        probe.ping.emit()
    return sys.getrefcount(True) < before


_COMPENSATE = _emit_drops_a_reference()
_incref = ctypes.pythonapi.Py_IncRef
_incref.argtypes = [ctypes.py_object]
_incref.restype = None


def emit(signal, *args) -> None:
    """`signal.emit(*args)`, giving back the reference the buggy binding takes from the returned bool."""
    result = signal.emit(*args)
    if _COMPENSATE and (result is True or result is False):
        _incref(result)


def binding_has_emit_bug() -> bool:
    return _COMPENSATE
