"""One export at a time per data folder, across processes: a lock file that the desk and the command line both take."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from blo_desk.domain.errors import DomainError
from blo_desk.i18n import N_
from blo_desk.services.file_locks import try_lock

LOCK_FILE = "export.lock"
WAIT_S = 600.0  # an export of 1 GB of photos takes seconds; a holder this slow is stuck or a forgotten process


class ExportBusyError(DomainError):
    message = N_("Another export of this post is running (the desk or `blo-desk bundle export`, process {pid}); "
                 "try again when it has finished.")


_THREAD_LOCKS: dict[str, threading.Lock] = {}
_THREAD_LOCKS_GUARD = threading.Lock()


def _thread_lock(data_dir: Path) -> threading.Lock:
    """Threads of one process (the export dialog and the delivery tick) queue here before the file lock."""
    key = os.path.normcase(os.path.abspath(data_dir))
    with _THREAD_LOCKS_GUARD:
        return _THREAD_LOCKS.setdefault(key, threading.Lock())


def _holder(path: Path) -> str:
    try:
        return path.read_text("ascii").strip() or "?"
    except (OSError, UnicodeDecodeError):
        return "?"


@contextmanager
def export_lock(data_dir: Path, *, wait_s: float = WAIT_S, poll_s: float = 0.05) -> Iterator[None]:
    """Hold `<data folder>/export.lock` for the length of one export: a second exporter, in this process or
    another, waits up to `wait_s` for the first to finish, then gives up with ExportBusyError. The operating
    system releases the lock when its holder dies (kill -9 included): a stale file never blocks."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / LOCK_FILE
    deadline = time.monotonic() + wait_s
    lock = _thread_lock(data_dir)
    if not lock.acquire(timeout=max(wait_s, 0.001)):
        raise ExportBusyError(pid=os.getpid())
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            while not try_lock(fd):
                if time.monotonic() >= deadline:
                    raise ExportBusyError(pid=_holder(path))
                time.sleep(poll_s)
            os.ftruncate(fd, 0)
            os.write(fd, str(os.getpid()).encode("ascii"))
            yield
        finally:
            os.close(fd)  # releases the file lock
    finally:
        lock.release()
