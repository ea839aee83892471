"""Start the desk as `python -m blo_desk` does, and quit at the moment a smoke test or a start-up benchmark waits for.

BLO_DESK_QUIT_AFTER=paint|desk|ready: quit once the first window (login or wizard) is painted, once the desk is
painted after the login, or once the store is open and the list loaded; =stay: print the moment the list is
loaded and go on running (a walkthrough drives the window from outside and quits it like a person).  The moment is printed as
"BLO_DESK_<WHAT> <ms since start>".  Run: python tests/ui/desk_probe.py [--data-dir DIR] [--lang LANG] [--user NAME]
(the global options of `blo-desk`; with --user, the password may come from BLO_DESK_PASSWORD).
"""

from __future__ import annotations

import time

START = time.perf_counter()

import os  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

QUIT_AFTER = "BLO_DESK_QUIT_AFTER"
PROBE = Path(__file__).resolve()  # run it as a script: [sys.executable, str(PROBE), ...]
sys.path.insert(0, str(PROBE.parents[2]))  # the checkout's blo_desk, as `python -m blo_desk` run from its root


def _since_start() -> str:
    return f"{(time.perf_counter() - START) * 1000:.1f}"


def watch(flow, app, quit_after: str) -> None:
    """Print the moments of the start-up flow and quit at `quit_after`."""
    from PySide6.QtCore import QTimer

    def first_painted() -> None:
        if quit_after:  # also on the way to the desk: the benchmark measures login window -> desk in one process
            print(f"BLO_DESK_PAINTED {_since_start()}", flush=True)
        if quit_after == "paint":
            QTimer.singleShot(0, app.quit)

    def failed(exc) -> None:
        if quit_after in ("desk", "ready", "stay"):
            print(f"BLO_DESK_FAILED {exc!r}", flush=True)
            app.exit(3)

    def desk_opened(desk) -> None:
        window = desk.window

        def painted() -> None:
            if quit_after == "desk":
                print(f"BLO_DESK_DESK_PAINTED {_since_start()}", flush=True)
                QTimer.singleShot(0, window.close)

        def ready() -> None:
            if quit_after not in ("ready", "stay"):
                return
            if desk.startup_error is not None:
                print(f"BLO_DESK_FAILED {desk.startup_error!r}", flush=True)
                app.exit(3)
                return

            def listed() -> None:
                model = desk.list_page.model
                if model.loading:
                    QTimer.singleShot(20, listed)
                    return
                print(f"BLO_DESK_READY {_since_start()} rows={model.rowCount()} total={model.total}", flush=True)
                if quit_after == "ready":
                    QTimer.singleShot(0, window.close)

            listed()

        window.first_painted.connect(painted)
        desk.callbacks_ready.append(ready)

    flow.login.first_painted.connect(first_painted)
    flow.login_failed.connect(failed)
    flow.desk_opened.connect(desk_opened)


def main(argv: list[str]) -> int:
    from blo_desk.app import backend
    from blo_desk.cli import build_parser
    from blo_desk.config import load_settings

    args = build_parser(commands=False).parse_args(argv)
    settings = load_settings(data_dir=args.data_dir, db_url=args.db_url, language=args.lang)
    from blo_desk.ui.main import run

    quit_after = os.environ.get(QUIT_AFTER, "")
    return run(settings, backend=backend(), user=args.user,
               language_chosen=bool(args.lang or os.environ.get("BLO_DESK_LANG")), ask_demo=not quit_after,
               watch=lambda flow, app: watch(flow, app, quit_after))


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
