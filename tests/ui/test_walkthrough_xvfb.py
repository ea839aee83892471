"""Walkthrough in a real X window (Xvfb, xcb) driven from outside with xdotool, as an officer would: enter a case,
quit with unsaved changes, and answer each choice of the question (Cancel, Discard, Save).

Run it alone: `python -m pytest tests/ui/test_walkthrough_xvfb.py -v`. It needs the `Xvfb` and `xdotool` programs
(.ci/system-packages.sh installs both) and is skipped, saying which is missing, where they are not installed.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

MISSING = [tool for tool in ("Xvfb", "xdotool") if shutil.which(tool) is None]
pytestmark = pytest.mark.skipif(bool(MISSING), reason=f"needs {' and '.join(MISSING)} (.ci/system-packages.sh)")

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))  # _xwindow: a private Xvfb and a look at its windows from outside

from _xwindow import Display, xvfb  # noqa: E402

PROBE = Path(__file__).with_name("desk_probe.py")  # python -m blo_desk, here told to stay open (BLO_DESK_QUIT_AFTER)
DESK = "BLO Desk — seizure cases — sabina (Supervisor)"
QUESTION = "Unsaved changes"
SCREEN = "1366x768x24"


class _ClientMessage(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("serial", ctypes.c_ulong), ("send_event", ctypes.c_int),
                ("display", ctypes.c_void_p), ("window", ctypes.c_ulong), ("message_type", ctypes.c_ulong),
                ("format", ctypes.c_int), ("data", ctypes.c_long * 5)]


class _Event(ctypes.Union):
    _fields_ = [("client", _ClientMessage), ("pad", ctypes.c_long * 24)]


def click_window_x(display_name: str, window: int) -> None:
    """What the window's X button does through a window manager: a WM_DELETE_WINDOW message to the window."""
    x = ctypes.CDLL("libX11.so.6")
    x.XOpenDisplay.restype = ctypes.c_void_p
    x.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x.XInternAtom.restype = ctypes.c_ulong
    x.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    x.XSendEvent.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_long, ctypes.POINTER(_Event)]
    x.XFlush.argtypes = [ctypes.c_void_p]
    x.XCloseDisplay.argtypes = [ctypes.c_void_p]
    display = x.XOpenDisplay(display_name.encode())
    event = _Event()
    event.client.type = 33  # ClientMessage
    event.client.window = window
    event.client.message_type = x.XInternAtom(display, b"WM_PROTOCOLS", 0)
    event.client.format = 32
    event.client.data[0] = x.XInternAtom(display, b"WM_DELETE_WINDOW", 0)
    event.client.data[1] = 0  # CurrentTime
    x.XSendEvent(display, window, 0, 0, ctypes.byref(event))
    x.XFlush(display)
    x.XCloseDisplay(display)


class Desk:
    """`blo-desk --user sabina` on a display, and the keyboard and the screen as a person has them."""

    def __init__(self, display: str, data: Path, password: str) -> None:
        self.display_name = display
        env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb", "BLO_DESK_QUIT_AFTER": "stay",
               "BLO_DESK_LANG": "en", "BLO_DESK_PASSWORD": password, "BLO_DESK_PLAINTEXT_STORE": "1",
               "PYTHONPATH": str(ROOT)}
        self.process = subprocess.Popen([sys.executable, str(PROBE), "--data-dir", str(data), "--user", "sabina"],
                                        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.screen = Display(display)
        for line in self.process.stdout:  # the store is open and the list shown
            if line.startswith(("BLO_DESK_READY", "BLO_DESK_FAILED")):
                assert line.startswith("BLO_DESK_READY"), line + self.process.stderr.read()[-3000:]
                break
        self.window = self.wait_for(DESK)

    def wait_for(self, title: str, timeout: float = 20) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.screen.find(title)
            if found is not None:
                return found
            assert self.process.poll() is None, f"the desk ended ({self.process.returncode}) before '{title}' showed"
            time.sleep(0.02)
        raise TimeoutError(f"no window '{title}' on screen within {timeout} s")

    def gone(self, title: str, timeout: float = 10) -> None:
        deadline = time.monotonic() + timeout
        while self.screen.find(title) is not None:
            assert time.monotonic() < deadline, f"'{title}' still on screen"
            time.sleep(0.02)

    def xdotool(self, *args: str) -> None:
        done = subprocess.run(["xdotool", *args], env={**os.environ, "DISPLAY": self.display_name},
                              capture_output=True, text=True, timeout=20)
        assert done.returncode == 0, done.stderr

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.xdotool("key", "--clearmodifiers", key)
            time.sleep(0.05)

    def type(self, text: str) -> None:
        self.xdotool("type", "--delay", "10", text)

    def enter_a_case(self, narrative: str) -> None:
        """Ctrl+N for a new case, Alt+6 for the narrative section (its text gets the focus), and type."""
        self.xdotool("windowfocus", "--sync", str(self.window))
        self.keys("ctrl+n")
        time.sleep(0.5)  # the new case's template comes from the store on a worker
        self.keys("alt+6")
        self.type(narrative)
        time.sleep(0.3)

    def ended(self, timeout: float = 30) -> int:
        code = self.process.wait(timeout=timeout)
        self.process.stdout.close()
        self.errors = self.process.stderr.read()
        self.process.stderr.close()
        self.screen.close()
        return code

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.ended()


@pytest.fixture
def store(tmp_path):
    """A plaintext store (fast; the walkthrough is about the window) with a supervisor of UZ-DUS."""
    from blo_desk.app import backend
    from blo_desk.config import load_settings

    from .conftest import PASSWORD

    settings = load_settings(data_dir=tmp_path / "data", language="en", plaintext_store=True)
    accounts = backend().accounts(settings)
    accounts.create_first_admin(username="admin", password=PASSWORD, post_code="UZ-DUS")
    services = accounts.open_services()
    try:
        services.users.add_user(username="sabina", password=PASSWORD, role="supervisor", post_code="UZ-DUS")
    finally:
        services.close()
    return settings, PASSWORD


def _stored_narratives(settings) -> list[str]:
    from blo_desk.domain.entities import CaseQuery
    from blo_desk.domain.permissions import SYSTEM
    from blo_desk.services.registry import open_services

    services = open_services(settings, principal=SYSTEM)
    try:
        rows = services.cases.list_cases(query=CaseQuery()).rows
        return [services.cases.get(case_id=r.id).narrative for r in rows]
    finally:
        services.close()


@contextlib.contextmanager
def _desk(display: str, settings, password: str):
    desk = Desk(display, settings.data_dir, password)
    try:
        yield desk
    finally:
        desk.stop()


def test_quitting_with_unsaved_changes_asks_and_each_answer_does_what_it_says(store):
    settings, password = store
    started = time.monotonic()
    with xvfb(SCREEN) as display:
        # GIVEN the desk in a real window, and a new case with a typed narrative
        with _desk(display, settings, password) as desk:
            desk.enter_a_case("Typed, then the officer changes their mind")
            # WHEN Ctrl+Q is pressed THEN the question is on screen and the desk is still open
            desk.keys("ctrl+q")
            desk.wait_for(QUESTION)
            # WHEN Cancel is chosen (Escape) THEN the question goes and the desk stays, with the case
            desk.keys("Escape")
            desk.gone(QUESTION)
            assert desk.screen.find(DESK) is not None and desk.process.poll() is None
            # WHEN the window's X is clicked and Discard chosen (Tab from Save, then Space)
            click_window_x(display, desk.window)
            desk.wait_for(QUESTION)
            desk.keys("Tab", "space")
            # THEN the desk ends cleanly and nothing was stored
            assert desk.ended() == 0, desk.errors[-3000:]
            assert "Traceback" not in desk.errors
        assert _stored_narratives(settings) == []
        assert not any((settings.data_dir / "recovery").glob("*")) if (settings.data_dir / "recovery").exists() \
            else True

        # GIVEN the desk again and a new case
        with _desk(display, settings, password) as desk:
            desk.enter_a_case("Kept: saved on the way out")
            # WHEN Ctrl+Q is pressed and Save chosen (Enter: the default button)
            desk.keys("ctrl+q")
            desk.wait_for(QUESTION)
            desk.keys("Return")
            # THEN the desk saves, ends cleanly, and the case is in the store with what was typed
            assert desk.ended() == 0, desk.errors[-3000:]
            assert "Traceback" not in desk.errors
        assert _stored_narratives(settings) == ["Kept: saved on the way out"]
    print(f"walkthrough took {time.monotonic() - started:.1f} s")
