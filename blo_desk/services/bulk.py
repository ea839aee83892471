"""Bulk work over many records (a bundle's export or import) without the cyclic garbage collector's rescans."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_pausing = threading.Lock()
_paused = 0  # blocks inside collector_paused now, in any thread (HQ imports in several lanes at once)
_resume = False  # whether the collector runs again once the last of them is left


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block. A bundle's thousands of rows and record dicts all live until
    their chunk is written, and every full collection walks them (and whatever else the process holds) again to
    find no cycles: a fifth of a 10,000-case import. Reference counting still frees everything; the collector
    runs again as before once the last such block (of any thread) is left."""
    global _paused, _resume
    with _pausing:
        if _paused == 0:
            _resume = gc.isenabled()
            gc.disable()
        _paused += 1
    try:
        yield
    finally:
        with _pausing:
            _paused -= 1
            if _paused == 0 and _resume:
                gc.enable()
