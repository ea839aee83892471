"""The one helper that runs database, PDF and bundle work off the GUI thread and hands results back to it."""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot


class Cancelled(Exception):
    """Raised inside a task by `Progress.check()` once the task was cancelled."""


class Progress:
    """Handed to a task function that asks for it: report progress, notice cancellation."""

    def __init__(self, report: Callable[[int, int, str], None]) -> None:
        self._emit = report
        self._event = threading.Event()

    def report(self, done: int, total: int, text: str = "") -> None:
        self._emit(int(done), int(total), text)

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        if self._event.is_set():
            raise Cancelled()


class _Signals(QObject):
    """Emitted from the worker thread; the receiver (a Task) lives on the GUI thread, so Qt queues the call."""

    finished = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int, str)


class Task(QObject):
    """A handle on one piece of background work: cancel it, follow its progress; callbacks run on the GUI thread."""

    progressed = Signal(int, int, str)
    ended = Signal()

    def __init__(self, runner: TaskRunner, on_done, on_error, on_progress) -> None:
        super().__init__(runner)
        self._runner = runner
        self._on_done = on_done
        self._on_error = on_error
        self.done = False
        self.signals = _Signals()
        self.progress = Progress(lambda done, total, text: self.signals.progressed.emit(done, total, text))
        self.signals.finished.connect(self._finished)
        self.signals.failed.connect(self._failed)
        self.signals.progressed.connect(self._progressed)
        if on_progress is not None:
            self.progressed.connect(on_progress)

    def cancel(self) -> None:
        self.progress._event.set()

    @property
    def cancelled(self) -> bool:
        return self.progress.cancelled

    @Slot(object)
    def _finished(self, result: Any) -> None:
        self._end()
        if not self.cancelled and self._on_done is not None:
            self._on_done(result)

    @Slot(object)
    def _failed(self, exc: BaseException) -> None:
        self._end()
        if isinstance(exc, Cancelled) or self.cancelled:
            return
        if self._on_error is not None:
            self._on_error(exc)
        else:
            self._runner.report_unhandled(exc)

    @Slot(int, int, str)
    def _progressed(self, done: int, total: int, text: str) -> None:
        self.progressed.emit(done, total, text)

    def _end(self) -> None:
        self.done = True
        self._runner._forget(self)
        self.ended.emit()


class _Runnable(QRunnable):
    def __init__(self, fn: Callable[..., Any], signals: _Signals, progress: Progress | None) -> None:
        super().__init__()
        self._fn = fn
        self._signals = signals
        self._progress = progress
        self.setAutoDelete(True)

    def run(self) -> None:  # worker thread: never touch widgets here
        try:
            result = self._fn(self._progress) if self._progress is not None else self._fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread, which decides
            exc.traceback_text = traceback.format_exc()  # type: ignore[attr-defined]
            self._signals.failed.emit(exc)
        else:
            self._signals.finished.emit(result)


class TaskRunner(QObject):
    """Runs callables on a thread pool; `on_done` / `on_error` / `on_progress` are called on the GUI thread.

    The callable must not touch widgets: plain data in, plain data out (dataclasses, QImage).
    """

    busy_changed = Signal(bool)
    unhandled_error = Signal(object)

    def __init__(self, parent: QObject | None = None, *, max_threads: int = 4) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        self._running: set[Task] = set()
        self.unhandled: list[BaseException] = []

    def run(
        self,
        fn: Callable[..., Any],
        *,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[int, int, str], None] | None = None,
        with_progress: bool = False,
    ) -> Task:
        """Start `fn()` (or `fn(progress)` when `with_progress`) on the pool; returns the Task handle."""
        task = Task(self, on_done, on_error, on_progress)
        self._running.add(task)
        if len(self._running) == 1:
            self.busy_changed.emit(True)
        self.pool.start(_Runnable(fn, task.signals, task.progress if with_progress else None))
        return task

    def _forget(self, task: Task) -> None:
        self._running.discard(task)
        task.deleteLater()
        if not self._running:
            self.busy_changed.emit(False)

    def report_unhandled(self, exc: BaseException) -> None:
        self.unhandled.append(exc)
        self.unhandled_error.emit(exc)

    @property
    def active(self) -> int:
        return len(self._running)

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until the pool is idle (used on exit)."""
        return self.pool.waitForDone(msecs)

    def cancel_all(self) -> None:
        for task in list(self._running):
            task.cancel()
