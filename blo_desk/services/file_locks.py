"""Advisory file locks that the operating system drops when their holder dies, even by kill -9 (flock, msvcrt)."""

from __future__ import annotations

import sys


def try_lock(fd: int) -> bool:
    """Take the exclusive lock of an open file without waiting; False when another open file holds it (in this
    process or another)."""
    if sys.platform == "win32":  # pragma: no cover - Windows desks
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
