"""What officers see on the laptops they have: tests/ui/screens/ run on a 1366×768 and a 1280×720 screen."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .screens.conftest import SCREEN_ENV, screen_config

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow  # a child pytest per screen size (one QApplication per process): ~20-40 s each on an idle machine
@pytest.mark.parametrize("size", ["1366x768", "1280x720"])
def test_the_desk_on_a_laptop_screen(size, tmp_path):
    # GIVEN an offscreen screen of a laptop's size (one QApplication per process, so a child pytest per size)
    env = {**os.environ, "QT_QPA_PLATFORM": screen_config(tmp_path / "screen.json", size), SCREEN_ENV: size}
    # WHEN the screen tests run on it
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider",
                           str(Path(__file__).parent / "screens")],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    # THEN every one passes (none skipped: the screen was there)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert "skipped" not in done.stdout.splitlines()[-1], done.stdout[-2000:]
