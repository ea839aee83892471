"""Qt says nothing about our widgets while the program starts and is used: no "setTabOrder ... same window" warning
(a tab order set across windows is skipped by Qt, so the keyboard order was not what we meant)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from blo_desk.app import backend
from blo_desk.ui.first_run import PAGE_ADMIN, PAGE_DEMO, PAGE_KEY, PAGE_PEOPLE
from blo_desk.ui.main import StartFlow

from .conftest import retype


def _tab_order_warnings(qtlog) -> list[str]:
    return [r.message for r in qtlog.records if "setTabOrder" in r.message]


def test_first_start_desk_and_users_dialog_print_no_tab_order_warning(settings, qtbot, qtlog):
    # GIVEN a laptop with no store: the program starts with the first-run wizard
    flow = StartFlow(settings, backend(), app=QApplication.instance(), ask_demo=False)
    qtbot.addWidget(flow.login)
    try:
        flow.start()
        qtbot.waitUntil(lambda: flow.wizard is not None and bool(flow.wizard.posts), timeout=30_000)
        wizard = flow.wizard
        # WHEN the administrator goes through every page, creating the store, the first officer and supervisor
        wizard.next()
        wizard.next()
        assert wizard.page == PAGE_ADMIN
        for key, text in (("username", "amina"), ("password", "correct horse battery"),
                          ("repeat", "correct horse battery")):
            retype(wizard.admin_fields[key], text)
        wizard.next()
        qtbot.waitUntil(lambda: wizard.page == PAGE_KEY, timeout=30_000)
        wizard.next()
        assert wizard.page == PAGE_PEOPLE
        for role in ("officer", "supervisor"):
            retype(wizard.people_fields[role]["username"], f"first.{role}")
            for key in ("password", "repeat"):
                retype(wizard.people_fields[role][key], f"{role} password 1")
        # AND Tab goes down the officer's column, then to the supervisor's (the order those calls set)
        wizard.people_fields["officer"]["repeat"].setFocus()
        qtbot.keyClick(wizard.people_fields["officer"]["repeat"], Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is wizard.people_fields["supervisor"]["username"]
        wizard.next()
        qtbot.waitUntil(lambda: wizard.page == PAGE_DEMO, timeout=30_000)
        wizard.next()
        # AND the desk opens, and the administrator opens Users and Add user
        qtbot.waitUntil(lambda: flow.desk is not None and flow.desk.ready, timeout=30_000)
        desk = flow.desk
        desk.manage_users()
        qtbot.waitUntil(lambda: len(desk.users_dialog.rows) == 3, timeout=10_000)
        desk.users_dialog.add()
        qtbot.waitUntil(desk.users_dialog.add_dialog.isVisible)
        desk.users_dialog.add_dialog.close()
        desk.users_dialog.close()
        # THEN Qt printed no tab-order warning
        assert _tab_order_warnings(qtlog) == []
    finally:
        flow.close()


def test_a_supervisors_desk_and_a_new_case_print_no_tab_order_warning(make_desk, settings, qtbot, qtlog):
    # GIVEN a supervisor's desk WHEN a new case is started and its sections visited
    desk = make_desk(settings)
    desk.new_case()
    qtbot.waitUntil(lambda: desk.editor.case is not None and desk.window.on_editor)
    for section in range(desk.editor.tabs.count()):
        desk.editor.tabs.setCurrentIndex(section)
    # THEN Qt printed no tab-order warning
    assert _tab_order_warnings(qtlog) == []
