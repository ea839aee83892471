"""Fixtures for the desk: a real window over a real store in a temporary folder, driven offscreen."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent, QImage
from PySide6.QtWidgets import QApplication, QWidget

sys.path.insert(0, str(Path(__file__).resolve().parent))  # desk_driver, desk_probe: test helpers, not shipped

from desk_driver import type_text  # noqa: E402

PASSWORD = "correct horse battery"  # long enough for the password policy
ADMIN = "admin"


@pytest.fixture(autouse=True)
def _no_folder_remembered_yet(monkeypatch):
    """Each test starts with no remembered folders: a desk of an earlier test would otherwise lend its data
    folder's preferences (the last backup, share… folder) to dialogs opened without a desk."""
    from blo_desk.ui import file_dialogs

    monkeypatch.setattr(file_dialogs, "_memory", [])


def login_as(settings, *, username: str = "sabina", role: str = "supervisor", post_code: str = "UZ-DUS",
             full_name: str = ""):
    """An AccountService logged in as `username` (created by the first administrator when missing)."""
    from blo_desk.app import backend
    from blo_desk.domain.errors import AccountExistsError

    accounts = backend().accounts(settings)
    if accounts.first_start():
        accounts.create_first_admin(username=ADMIN, password=PASSWORD, post_code="UZ-DUS")
    if username != ADMIN:
        admin = backend().accounts(settings)
        admin.login(username=ADMIN, password=PASSWORD)
        services = admin.open_services()
        try:
            services.users.add_user(username=username, password=PASSWORD, role=role, post_code=post_code,
                                    full_name=full_name)
        except AccountExistsError:
            pass
        finally:
            services.close()
    accounts.login(username=username, password=PASSWORD)
    return accounts


@pytest.fixture
def make_desk(qtbot):
    """Build and start desks for a logged-in user (several may share one data folder, one after the other).

    By default a supervisor of UZ-DUS (enters, finalizes and amends that post's cases); all are closed at the end.
    """
    from blo_desk.app import backend
    from blo_desk.ui.backend import Session
    from blo_desk.ui.main import build_desk

    made = []

    def make(settings, *, ask_demo: bool = False, wait: bool = True, username: str = "sabina",
             role: str = "supervisor", post_code: str = "UZ-DUS", full_name: str = ""):
        accounts = login_as(settings, username=username, role=role, post_code=post_code, full_name=full_name)
        controller = build_desk(settings, session=Session(accounts, accounts.principal), backend=backend(),
                                ask_demo=ask_demo, app=QApplication.instance())
        qtbot.addWidget(controller.window)
        controller.window.show()
        controller.start()
        made.append(controller)
        if wait:
            qtbot.waitUntil(lambda: controller.ready or controller.startup_error is not None, timeout=30_000)
            assert controller.startup_error is None
        return controller

    yield make
    for controller in made:
        controller.shutdown()


@pytest.fixture
def start_flow(qtbot):
    """Start the desk as `blo-desk` does (login window first); every flow is closed at the end."""
    from blo_desk.app import backend
    from blo_desk.ui.main import StartFlow

    flows = []

    def start(settings, **kwargs):
        flow = StartFlow(settings, backend(), app=QApplication.instance(), ask_demo=False, **kwargs)
        qtbot.addWidget(flow.login)
        flow.start()
        flows.append(flow)
        qtbot.waitUntil(lambda: flow.first_start is not None or flow.error is not None, timeout=30_000)
        return flow

    yield start
    for flow in flows:
        flow.close()


def retype(widget: QWidget, text: str) -> None:
    """Select everything in a line edit and type over it, one key event per character."""
    widget.setFocus()
    if hasattr(widget, "selectAll"):
        widget.selectAll()
    type_text(widget, text)


def choose(combo, code: str) -> None:
    """Pick an entry of a combo with the keyboard: type the beginning of its label, as an officer would."""
    index = combo.findData(code)
    assert index >= 0, f"{code} not offered"
    combo.setFocus()
    type_text(combo, combo.itemText(index))
    assert combo.code() == code, (code, combo.currentText())


def drop_files(widget: QWidget, paths) -> None:
    """Drag files from the file manager and drop them on a widget."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    pos = QPointF(widget.rect().center())
    enter = QDragEnterEvent(QPoint(int(pos.x()), int(pos.y())), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted()
    drop = QDropEvent(pos, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, drop)


def make_png(path, text: str = "photo") -> None:
    image = QImage(320, 240, QImage.Format.Format_RGB32)
    image.fill(QColor("#8899aa"))
    assert image.save(str(path), "PNG")
