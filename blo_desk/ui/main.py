"""Start the desk: QApplication, the window on screen first, then the store opened off the GUI thread."""

from __future__ import annotations

import os
import sys
import time

START = time.perf_counter()

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from blo_desk.i18n import active_language  # noqa: E402
from blo_desk.ui.actions import ActionSet  # noqa: E402
from blo_desk.ui.backend import Backend, lazy_backend  # noqa: E402
from blo_desk.ui.controller import DeskController  # noqa: E402
from blo_desk.ui.forms import STYLE_SHEET  # noqa: E402
from blo_desk.ui.language import QtLanguage  # noqa: E402
from blo_desk.ui.main_window import MainWindow  # noqa: E402
from blo_desk.ui.pages.case_editor import CaseEditorPage  # noqa: E402
from blo_desk.ui.pages.case_list import CaseListPage  # noqa: E402
from blo_desk.ui.tasks import TaskRunner  # noqa: E402

# BLO_DESK_QUIT_AFTER=paint|ready: quit once the window is painted, or once the store is open and the list
# loaded; used by the smoke test and the start-up benchmark.  The moment is printed as "BLO_DESK_<WHAT> <ms>".
QUIT_AFTER = "BLO_DESK_QUIT_AFTER"


def build_desk(settings, *, backend: Backend | None = None, ask_demo: bool = True,
               app: QApplication | None = None) -> DeskController:
    """The window, its pages, actions and controller, wired together (the store is not opened yet)."""
    runner = TaskRunner()
    editor = CaseEditorPage(runner)
    window = MainWindow(list_page=CaseListPage(runner), editor_page=editor)
    runner.setParent(window)
    qt_language = QtLanguage(app) if app is not None else None
    controller = DeskController(window=window, runner=runner, settings=settings, backend=backend or lazy_backend(),
                                qt_language=qt_language, ask_demo=ask_demo)
    window.install_actions(ActionSet(window, controller))
    window.setStyleSheet(STYLE_SHEET)
    if qt_language is not None:
        qt_language.apply(active_language())
    window.retranslate()
    controller.refresh_actions()
    return controller


def _application() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("BLO Desk")
    app.setOrganizationName("BLO")
    return app


def run(settings, *, selftest: bool = False, backend: Backend | None = None) -> int:
    if selftest:
        from blo_desk.ui.selftest import run_selftest

        return run_selftest(settings)
    app = _application()
    controller = build_desk(settings, backend=backend, app=app)
    window = controller.window
    quit_after = os.environ.get(QUIT_AFTER, "")

    def painted() -> None:
        if quit_after == "paint":
            print(f"BLO_DESK_PAINTED {(time.perf_counter() - START) * 1000:.1f}", flush=True)
            QTimer.singleShot(0, window.close)

    def ready() -> None:
        if quit_after != "ready":
            return
        if controller.startup_error is not None:
            print(f"BLO_DESK_FAILED {controller.startup_error!r}", flush=True)
            app.exit(3)
            return

        def listed() -> None:
            if controller.list_page.model.loading:
                QTimer.singleShot(20, listed)
                return
            print(f"BLO_DESK_READY {(time.perf_counter() - START) * 1000:.1f} "
                  f"rows={controller.list_page.model.rowCount()} total={controller.list_page.model.total}", flush=True)
            QTimer.singleShot(0, window.close)

        listed()

    window.first_painted.connect(painted)
    controller.callbacks_ready.append(ready)
    if quit_after:
        controller.ask_demo = False
    # Open the store once the first frame is on screen, off the GUI thread: importing SQLAlchemy and Alembic
    # on a worker still takes the GIL, so starting earlier would delay the first paint.
    window.first_painted.connect(lambda: QTimer.singleShot(0, controller.start))
    window.show()
    code = app.exec()
    controller.shutdown()
    return code
