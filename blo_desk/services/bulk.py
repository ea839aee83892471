"""Bulk work over many records (a bundle's export or import) without the cyclic garbage collector's rescans."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block. A bundle's thousands of rows and record dicts all live until
    their chunk is written, and every full collection walks them (and whatever else the process holds) again to
    find no cycles: a fifth of a 10,000-case import. Reference counting still frees everything; the collector
    runs again as before once the block is left."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
