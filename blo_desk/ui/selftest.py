"""`blo-desk --selftest`: a small window (offscreen when there is no display) that runs services.selftest and closes."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from blo_desk.ui.backend import Backend

SELFTEST_TIMEOUT_MS = 120_000


def run_selftest(backend: Backend, *, language: str = "en") -> int:
    """Show the self-test window, run the steps on a worker, print one line per step; 0 only if all passed."""
    if sys.platform.startswith("linux") and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QObject, QTimer, Signal
    from PySide6.QtWidgets import QApplication, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

    from blo_desk.i18n import _
    from blo_desk.ui.tasks import TaskRunner

    app = QApplication.instance() or QApplication(sys.argv[:1])

    class Lines(QObject):
        line = Signal(str)

    window = QWidget()
    window.setObjectName("selftestWindow")
    window.setWindowTitle(_("BLO Desk — self-test"))
    heading = QLabel(_("Self-test: store, administrator, case, protocol, bundle…"))
    log = QPlainTextEdit()
    log.setReadOnly(True)
    layout = QVBoxLayout(window)
    layout.addWidget(heading)
    layout.addWidget(log)
    window.resize(720, 320)
    lines = Lines()
    lines.line.connect(log.appendPlainText)
    result = {"code": 1}
    runner = TaskRunner(window)

    def report(text: str) -> None:  # worker thread: print at once, show through a queued signal
        print(text, flush=True)
        lines.line.emit(text)

    def done(ok: bool) -> None:
        result["code"] = 0 if ok else 1
        QTimer.singleShot(0, app.quit)

    def failed(exc: BaseException) -> None:
        print(f"selftest: FAILED: {type(exc).__name__}: {exc}", flush=True)
        print(getattr(exc, "traceback_text", ""), file=sys.stderr)
        QTimer.singleShot(0, app.quit)

    def start() -> None:
        selftest = backend.selftest

        def work() -> bool:
            assert selftest is not None, "the composition root gives the self-test"
            return selftest(report=report, language=language)

        runner.run(work, on_done=done, on_error=failed)

    def timed_out() -> None:
        print("selftest: FAILED: timed out", flush=True)
        app.quit()

    window.show()
    QTimer.singleShot(0, start)
    QTimer.singleShot(SELFTEST_TIMEOUT_MS, timed_out)
    app.exec()
    runner.wait(SELFTEST_TIMEOUT_MS)
    window.hide()
    window.deleteLater()
    return result["code"]
