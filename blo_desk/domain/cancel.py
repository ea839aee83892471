"""A cancellation handed to a long read, so that a search superseded by newer typing stops where it runs."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from blo_desk.domain.errors import DomainError
from blo_desk.i18n import N_


class CancelledError(DomainError):
    message = N_("The search was cancelled.")


class Cancellation:
    """Set once by any thread (`cancel`); the code doing the work registers how to interrupt it (`interrupting`),
    such as the database driver's cancel of the statement running on its connection."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cancelled = False
        self._interrupt: Callable[[], None] | None = None

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def cancel(self) -> None:
        # Under the lock: once `interrupting` has returned, no interrupt is sent any more (the connection may be
        # serving someone else by then).
        with self._lock:
            self._cancelled = True
            if self._interrupt is not None:
                self._interrupt()
                self._interrupt = None

    @contextmanager
    def interrupting(self, interrupt: Callable[[], None]) -> Iterator[None]:
        """While inside, `cancel` calls `interrupt`; raises CancelledError at once if already cancelled."""
        with self._lock:
            if self._cancelled:
                raise CancelledError()
            self._interrupt = interrupt
        try:
            yield
        finally:
            with self._lock:
                self._interrupt = None
