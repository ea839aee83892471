"""Report PDFs built in a child process, so that reportlab's pure-Python work never holds the desk's interpreter lock.

Built on a worker thread of the desk, a protocol kept the GUI thread waiting for the lock for up to 250 ms on a busy
two-core machine; a child process has a lock of its own. One child, started on first use and kept until close().
Requests and answers travel pickled over the child's standard input and a private copy of its standard output
(plain data in, bytes out). Should the child die (killed, out of memory), the build that met it runs in this process
instead, and the next one starts a new child.

The child is `python -c` importing this module (the desk's own `blo_desk`, whatever the current folder), or, in the
installed app, the app itself with CHILD_FLAG (see blo_desk/__main__.py).
"""

from __future__ import annotations

import importlib
import os
import pickle
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

T = TypeVar("T")
CHILD_FLAG = "--pdf-process"  # the installed app runs as the child when given this first
_ALLOWED = ("blo_desk.reports.",)  # the child runs functions of these modules only


def _ready() -> None:
    """In the child, before its first request: the builders and PDFium imported, the fonts registered."""
    import pypdfium2  # noqa: F401  (imported for their cost, now rather than later)

    from blo_desk.reports import period, protocol, raster  # noqa: F401
    from blo_desk.reports.fonts import register_fonts

    register_fonts()


def serve(requests: BinaryIO | None = None, answers: BinaryIO | None = None) -> None:
    """The child's loop: read (module, name, args, kwargs), answer ("ok", result) or ("error", exception)."""
    if answers is None:  # answers go out on a copy of stdout; anything a library prints goes to stderr instead
        answers = os.fdopen(os.dup(1), "wb")
        try:
            os.dup2(2, 1)
        except OSError:  # no stderr (a windowed app): to nowhere
            os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
        sys.stdout = sys.stderr if sys.stderr is not None else open(os.devnull, "w")  # noqa: SIM115
    requests = requests or os.fdopen(os.dup(0), "rb")  # fd 0 itself: sys.stdin is None in a windowed app
    _ready()
    while True:
        try:
            module, name, args, kwargs = pickle.load(requests)
        except (EOFError, OSError):
            return  # the desk closed the pipe (or went away)
        try:
            if not module.startswith(_ALLOWED):
                raise ValueError(f"{module}.{name} is not a report builder")
            answer: tuple[str, Any] = ("ok", getattr(importlib.import_module(module), name)(*args, **kwargs))
        except Exception as exc:  # noqa: BLE001 - handed to the desk, which raises it there
            answer = ("error", exc)
        try:
            pickle.dump(answer, answers, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError) as exc:  # an exception that does not pickle
            pickle.dump(("error", RuntimeError(repr(answer[1]) or str(exc))), answers)
        answers.flush()


def _child_command() -> list[str]:
    if getattr(sys, "frozen", False):
        return [sys.executable, CHILD_FLAG]
    root = str(Path(__file__).resolve().parents[2])  # the folder holding this very blo_desk package
    return [sys.executable, "-c",
            f"import sys; sys.path.insert(0, {root!r}); from blo_desk.reports.pdf_process import serve; serve()"]


class PdfProcess:
    """`process(fn, *args, **kwargs)` runs the module-level function `fn` of blo_desk.reports in the child.

    Thread-safe (one build at a time); `start()` starts the child ahead of the first build."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._child: subprocess.Popen | None = None
        self.closed = False

    def _ensure_child(self) -> subprocess.Popen:
        if self._child is None or self._child.poll() is not None:
            self._child = subprocess.Popen(_child_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                           stderr=None, close_fds=True,
                                           creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0))  # Windows
        return self._child

    def start(self) -> None:
        with self._lock:
            if not self.closed:
                self._ensure_child()

    @property
    def running(self) -> bool:
        child = self._child
        return child is not None and child.poll() is None

    def __call__(self, fn: Callable[..., T], /, *args, **kwargs) -> T:
        return self.call(fn.__module__, fn.__name__, *args, **kwargs)

    def call(self, module: str, name: str, /, *args, **kwargs) -> Any:
        """`module`.`name`(*args, **kwargs) in the child (the module is imported there only: a desk that prints
        never imports reportlab itself); here if the child is closed or died during this call."""
        with self._lock:
            if not self.closed:
                child = self._ensure_child()
                try:
                    assert child.stdin is not None and child.stdout is not None  # made with pipes
                    pickle.dump((module, name, args, kwargs), child.stdin, protocol=pickle.HIGHEST_PROTOCOL)
                    child.stdin.flush()
                    status, value = pickle.load(child.stdout)
                except (OSError, ValueError, EOFError, pickle.UnpicklingError):
                    self._stop(child)  # gone: this build runs here, the next one starts a new child
                    if self.closed:
                        raise RuntimeError("the PDF process was closed") from None
                else:
                    if status == "error":
                        raise value
                    return value
        if not module.startswith(_ALLOWED):
            raise ValueError(f"{module}.{name} is not a report builder")
        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    def _stop(self, child: subprocess.Popen) -> None:
        if self._child is child:
            self._child = None
        for stream in (child.stdin, child.stdout):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass
        try:
            child.wait(timeout=1)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()

    def close(self) -> None:
        """Stop the child: its stdin closed, it ends its loop; a build it is still busy with (or a hung one) is
        abandoned after a second, and the call waiting for it fails. Later calls build in this process."""
        self.closed = True
        child = self._child  # not under the lock: a worker may be holding it while it waits for this child
        if child is not None and child.poll() is None:
            try:
                if child.stdin is not None:
                    child.stdin.close()
                child.wait(timeout=1)
            except (OSError, ValueError, subprocess.TimeoutExpired):
                child.kill()
        with self._lock:
            if self._child is not None:
                self._stop(self._child)
