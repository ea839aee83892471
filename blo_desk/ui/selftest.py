"""`blo-desk --selftest`: open the window (offscreen when there is no display), store and reopen one case, exit."""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

SELFTEST_TIMEOUT_MS = 60_000


def throwaway_settings(settings, folder: Path, filename: str):
    """Settings for a scratch store in `folder`; unencrypted where the settings allow it (nothing secret in it)."""
    changes = {"data_dir": folder, "db_url": f"sqlite:///{folder / filename}"}
    if hasattr(settings, "plaintext_store"):
        changes["plaintext_store"] = True
    return replace(settings, **changes)


def run_selftest(settings) -> int:
    if sys.platform.startswith("linux") and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from blo_desk.ui.main import build_desk

    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory(prefix="blo-desk-selftest-") as folder:
        test_settings = throwaway_settings(settings, Path(folder), "selftest.sqlite3")
        controller = build_desk(test_settings, ask_demo=False, app=app)
        window = controller.window
        steps: list[str] = []
        loop = QEventLoop()
        result = {"code": 1}

        def fail(message: str) -> None:
            steps.append(f"FAILED: {message}")
            loop.quit()

        def ready() -> None:
            if controller.startup_error is not None:
                fail(f"store did not open: {controller.startup_error!r}")
                return
            steps.append("store opened")
            controller.new_case()
            editor = controller.editor
            editor.fields["procedure"].set_value("Self-test")
            editor.fields["narrative"].set_value("Self-test case: Oʻzbekcha, русский, English.")
            editor.saved.connect(saved)
            editor.save_failed.connect(lambda exc: fail(f"save failed: {exc!r}"))
            if not editor.save():
                fail(f"form not accepted: {[e.field for e in editor.errors]}")

        def saved(case) -> None:
            steps.append(f"saved {case.case_number}")
            controller.runner.run(lambda: controller.services.cases.get(case_id=case.id), on_done=reread,
                                  on_error=lambda exc: fail(repr(exc)))

        def reread(case) -> None:
            if case.narrative != "Self-test case: Oʻzbekcha, русский, English.":
                fail("the case read back differs")
                return
            steps.append("read back")
            result["code"] = 0
            loop.quit()

        controller.callbacks_ready.append(ready)
        window.show()
        controller.start()
        QTimer.singleShot(SELFTEST_TIMEOUT_MS, lambda: fail("timed out"))
        loop.exec()
        controller.shutdown()
        window.hide()
        window.deleteLater()
        print("selftest: " + "; ".join(steps) + ("; ok" if result["code"] == 0 else ""))
        return result["code"]
