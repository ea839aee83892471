"""Smoke test: the real application starts in a real X window (Xvfb, xcb platform) and closes cleanly."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("Xvfb") is None, reason="Xvfb is not installed")


@pytest.fixture
def xvfb_display():
    """A private X server for this test; its display number is chosen by Xvfb itself."""
    read_fd, write_fd = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                              pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    try:
        with os.fdopen(read_fd) as pipe:
            number = pipe.readline().strip()
        assert number, "Xvfb did not report a display"
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_application_opens_a_real_window_and_closes_cleanly(tmp_path, xvfb_display):
    # GIVEN an encrypted store with an administrator and a supervisor, created from the command line
    data = str(tmp_path / "data")
    base = {k: v for k, v in os.environ.items() if k != "BLO_DESK_PLAINTEXT_STORE"}
    password = "correct horse battery"
    for args, extra in ((["user", "add", "admin", "--role", "admin", "--post", "UZ-DUS"], {}),
                        (["--user", "admin", "user", "add", "sabina", "--role", "supervisor", "--post", "UZ-DUS"],
                         {"BLO_DESK_PASSWORD": password})):
        made = subprocess.run([sys.executable, "-m", "blo_desk", "--data-dir", data, *args],
                              env={**base, "BLO_DESK_NEW_PASSWORD": password, **extra},
                              capture_output=True, text=True, timeout=120)
        assert made.returncode == 0, made.stdout + made.stderr[-3000:]
    env = {**base, "DISPLAY": xvfb_display, "QT_QPA_PLATFORM": "xcb", "BLO_DESK_QUIT_AFTER": "ready",
           "BLO_DESK_LANG": "ru", "BLO_DESK_PASSWORD": password}
    # WHEN `blo-desk --user sabina` starts, logs in, opens its store, lists the cases and is asked to close
    probe = str(Path(__file__).with_name("desk_probe.py"))  # python -m blo_desk, quitting at BLO_DESK_QUIT_AFTER
    done = subprocess.run([sys.executable, probe, "--data-dir", data, "--user", "sabina"], env=env,
                          capture_output=True, text=True, timeout=120)
    # THEN it painted its window, got ready, and exited with 0 without a traceback
    assert done.returncode == 0, done.stderr[-3000:]
    assert "BLO_DESK_READY" in done.stdout, done.stdout + done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    assert (tmp_path / "data" / "blo_desk.sqlite3").read_bytes()[:16] != b"SQLite format 3\x00"


def test_selftest_exits_zero(tmp_path):
    # GIVEN no display at all WHEN the self-test runs THEN it opens its window offscreen and exits 0
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "QT_QPA_PLATFORM")}
    done = subprocess.run([sys.executable, "-m", "blo_desk", "--data-dir", str(tmp_path / "data"), "--selftest"],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    assert "ok" in done.stdout
