"""The desk on a laptop's screen: these tests run only where the offscreen screen is set to a laptop's size.

tests/ui/test_screens.py runs this folder in a child process for each size officers have (1366×768, 1280×720),
with QT_QPA_PLATFORM=offscreen:configfile=... giving the screen; in the main test run they are skipped."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

SCREEN_ENV = "BLO_DESK_TEST_SCREEN"  # "1366x768": the size the child process was given


def screen_config(path: Path, size: str) -> str:
    """Write the offscreen platform's configuration for one screen of `size`; the QT_QPA_PLATFORM value using it."""
    width, height = (int(v) for v in size.split("x"))
    path.write_text(json.dumps({"synchronousWindowSystemEvents": False, "windowFrameMargins": True, "screens": [
        {"name": "laptop", "x": 0, "y": 0, "width": width, "height": height, "logicalDpi": 96,
         "logicalBaseDpi": 96, "dpr": 1}]}), encoding="utf-8")
    return f"offscreen:configfile={path}"


@pytest.fixture(autouse=True)
def laptop_screen(qapp):
    """The screen's available geometry (a QRect); the test is skipped outside a laptop-sized child run."""
    size = os.environ.get(SCREEN_ENV)
    if not size:
        pytest.skip("run by tests/ui/test_screens.py on a laptop-sized offscreen screen")
    room = qapp.primaryScreen().availableGeometry()
    assert f"{room.width()}x{room.height()}" == size, "the offscreen screen was not set up"
    return room
