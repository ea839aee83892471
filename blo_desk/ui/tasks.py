"""The one helper that runs database, PDF and bundle work off the GUI thread and hands results back to it."""

from __future__ import annotations

import itertools
import threading
import traceback
from collections.abc import Callable, Iterator
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


class _Relay(QObject):
    """One per runner, living as long as it: workers emit here, Qt queues the call to the GUI thread.

    A QObject per task would be deleted on the GUI thread while a worker may still be inside its emit()
    (a use-after-free that crashed the interpreter during garbage collection); the relay is never deleted early.
    """

    finished = Signal(int, object)
    failed = Signal(int, object)
    progressed = Signal(int, int, int, str)


def cancel_tasks(tasks: list[Task]) -> None:
    """Cancel each of `tasks` (a window's own work, when the window goes: no callback reaches its deleted widgets)."""
    for task in tasks:
        task.cancel()


class OwnTasks:
    """A window's own work: each task tracked as it starts, and every one still running cancelled when the window
    goes (no callback reaches its deleted widgets) or when `cancel` is called."""

    def __init__(self, owner: QObject) -> None:
        self._running: list[Task] = []
        # the list, not this object or the window, is what the connection holds
        owner.destroyed.connect(lambda *_a, running=self._running: cancel_tasks(running))

    def track(self, task: Task) -> Task:
        """Hold `task` (and forget the ones that are done)."""
        self._running[:] = [*[t for t in self._running if not t.done], task]
        return task

    def cancel(self) -> None:
        """Cancel every task still running, and forget them."""
        cancel_tasks(self._running)
        self._running.clear()

    def __iter__(self) -> Iterator[Task]:
        return iter(list(self._running))

    def __len__(self) -> int:
        return len(self._running)


class Task(QObject):
    """A handle on one piece of background work: cancel it, follow its progress; callbacks run on the GUI thread."""

    progressed = Signal(int, int, str)
    ended = Signal()

    def __init__(self, runner: TaskRunner, task_id: int, on_done, on_error, on_progress) -> None:
        super().__init__(runner)
        self._runner = runner
        self.task_id = task_id
        self._on_done = on_done
        self._on_error = on_error
        self.done = False
        relay = runner._relay
        self.progress = Progress(lambda done, total, text: relay.progressed.emit(task_id, done, total, text))
        if on_progress is not None:
            self.progressed.connect(on_progress)

    def cancel(self) -> None:
        self.progress._event.set()

    @property
    def cancelled(self) -> bool:
        return self.progress.cancelled

    def _finished(self, result: Any) -> None:
        self._end()
        if not self.cancelled and self._on_done is not None:
            self._on_done(result)

    def _failed(self, exc: BaseException) -> None:
        self._end()
        if isinstance(exc, Cancelled) or self.cancelled:
            return
        if self._on_error is not None:
            self._on_error(exc)
        else:
            self._runner.report_unhandled(exc)

    def _progressed(self, done: int, total: int, text: str) -> None:
        self.progressed.emit(done, total, text)

    def _end(self) -> None:
        self.done = True
        self._runner._forget(self)
        self.ended.emit()


class _Runnable(QRunnable):
    def __init__(self, fn: Callable[..., Any], relay: _Relay, task_id: int, progress: Progress,
                 with_progress: bool) -> None:
        super().__init__()
        self._fn = fn
        self._relay = relay
        self._task_id = task_id
        self._progress = progress
        self._with_progress = with_progress
        self.setAutoDelete(True)

    def run(self) -> None:  # worker thread: never touch widgets here
        try:
            self._progress.check()  # cancelled while it waited for a thread (a search superseded by typing): skipped
            result = self._fn(self._progress) if self._with_progress else self._fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread, which decides
            exc.traceback_text = traceback.format_exc()  # type: ignore[attr-defined]
            self._relay.failed.emit(self._task_id, exc)
        else:
            self._relay.finished.emit(self._task_id, result)


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
        self.pool.setExpiryTimeout(-1)  # threads are kept: starting one again cost the GUI thread ~10 ms a task
        self._relay = _Relay(self)
        self._relay.finished.connect(self._relay_finished)
        self._relay.failed.connect(self._relay_failed)
        self._relay.progressed.connect(self._relay_progressed)
        self._running: dict[int, Task] = {}
        self._next_id = itertools.count(1)
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
        task_id = next(self._next_id)
        task = Task(self, task_id, on_done, on_error, on_progress)
        self._running[task_id] = task
        if len(self._running) == 1:
            self.busy_changed.emit(True)
        self.pool.start(_Runnable(fn, self._relay, task_id, task.progress, with_progress))
        return task

    @Slot(int, object)
    def _relay_finished(self, task_id: int, result: Any) -> None:
        task = self._running.get(task_id)
        if task is not None:
            task._finished(result)

    @Slot(int, object)
    def _relay_failed(self, task_id: int, exc: BaseException) -> None:
        task = self._running.get(task_id)
        if task is not None:
            task._failed(exc)

    @Slot(int, int, int, str)
    def _relay_progressed(self, task_id: int, done: int, total: int, text: str) -> None:
        task = self._running.get(task_id)
        if task is not None:
            task._progressed(done, total, text)

    def _forget(self, task: Task) -> None:
        self._running.pop(task.task_id, None)
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
        for task in list(self._running.values()):
            task.cancel()
