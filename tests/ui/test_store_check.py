"""The desk's side of the insider checks: the full check from the Tools menu, the warning after login, and the
failed logins the administrator sees in the Users dialog."""

from __future__ import annotations

import sqlite3

import pytest
from conftest import PASSWORD, login_as

from blo_desk.domain.errors import InvalidCredentialsError
from blo_desk.domain.permissions import SYSTEM
from blo_desk.services.demo import dustlik_case
from blo_desk.services.registry import open_services


def _saved_case(settings):
    services = open_services(settings, principal=SYSTEM)
    try:
        return services.cases.save(case=dustlik_case())
    finally:
        services.close()


def _delete_case(settings, case_id: str) -> None:
    conn = sqlite3.connect(settings.data_dir / "blo_desk.sqlite3")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("DELETE FROM seizure_case WHERE id = ?", (case_id,))
    conn.commit()
    conn.close()


def test_the_admin_checks_the_store_from_the_tools_menu(make_desk, settings, qtbot):
    # GIVEN the administrator's desk over a store with one case
    login_as(settings, username="admin", role="admin")
    case = _saved_case(settings)
    desk = make_desk(settings, username="admin", role="admin")
    action = desk.window.actions["check_store"]
    assert action.isEnabled()
    # WHEN the store is checked THEN it matches its audit trail
    action.trigger()
    qtbot.waitUntil(lambda: getattr(desk, "check_dialog", None) is not None, timeout=20_000)
    assert "matches the audit trail" in desk.check_dialog.text()
    desk.check_dialog.close()
    desk.check_dialog = None
    # WHEN the case is deleted outside the program and the store is checked again
    _delete_case(settings, case.id)
    action.trigger()
    qtbot.waitUntil(lambda: getattr(desk, "check_dialog", None) is not None, timeout=20_000)
    # THEN the check says so and names the case
    assert "changed outside BLO Desk" in desk.check_dialog.text()
    assert f"Case {case.case_number} is missing" in desk.check_dialog.detailedText()


def test_an_officer_is_warned_after_login_when_the_store_was_changed(make_desk, settings, qtbot):
    # GIVEN a case deleted outside the program since the last check
    login_as(settings, username="olim", role="officer")
    case = _saved_case(settings)
    _delete_case(settings, case.id)
    # WHEN an officer logs in and the desk opens
    desk = make_desk(settings, username="olim", role="officer")
    # THEN a warning says the store was changed, with the findings, and the officer has no full check to run
    qtbot.waitUntil(lambda: getattr(desk, "integrity_dialog", None) is not None, timeout=20_000)
    assert "changed outside BLO Desk" in desk.integrity_dialog.windowTitle()
    assert f"Case {case.case_number} is missing" in desk.integrity_dialog.detailedText()
    assert not desk.window.actions["check_store"].isEnabled()


def test_the_login_does_not_wait_for_the_check_and_its_warning_still_comes_after_the_desk_is_painted(
        make_desk, settings, qtbot):
    from blo_desk.app import backend

    # GIVEN a case deleted outside the program since the last check
    login_as(settings, username="olim", role="officer")
    case = _saved_case(settings)
    _delete_case(settings, case.id)
    # WHEN the officer logs in as the desk does
    accounts = backend().accounts(settings)
    accounts.login(username="olim", password=PASSWORD)
    # THEN the login itself did not check the store (seconds on a large store, before the desk could show)
    assert accounts.integrity is None
    # WHEN the desk opens
    desk = make_desk(settings, username="olim", role="officer")
    # THEN the check runs once the desk is up, and its warning names the case
    qtbot.waitUntil(lambda: getattr(desk, "integrity_dialog", None) is not None, timeout=30_000)
    assert desk.integrity is not None and not desk.integrity.ok
    assert f"Case {case.case_number} is missing" in desk.integrity_dialog.detailedText()
    # AND the finding is in the audit trail, and is found again at the next login (nothing lost if the officer
    # closed the desk before reading it)
    admin = login_as(settings, username="admin", role="admin")
    services = admin.open_services()
    try:
        assert any(e.action == "audit.content_check" and e.outcome == "failed" for e in services.audit.events())
    finally:
        services.close()
    again = make_desk(settings, username="olim", role="officer")
    qtbot.waitUntil(lambda: getattr(again, "integrity_dialog", None) is not None, timeout=30_000)
    assert f"Case {case.case_number} is missing" in again.integrity_dialog.detailedText()


def test_the_users_dialog_shows_failed_logins_and_unknown_names(make_desk, settings, qtbot):
    from blo_desk.app import backend

    # GIVEN an officer who mistyped twice and a name nobody has tried three times
    login_as(settings, username="olim", role="officer")
    for name, times in (("olim", 2), ("ghost", 3)):
        for _ in range(times):
            with pytest.raises(InvalidCredentialsError):
                backend().accounts(settings).login(username=name, password=PASSWORD + "x")
    # WHEN the administrator opens the users dialog
    desk = make_desk(settings, username="admin", role="admin")
    desk.window.actions["users"].trigger()
    dialog = desk.users_dialog
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2, timeout=10_000)
    # THEN olim's state shows the failures, and the unknown name is listed with its count
    row = [u.username for u in dialog.rows].index("olim")
    assert "2 failed logins" in dialog.table.item(row, 6).text()
    assert dialog.unknown.text() == "Unknown usernames tried: ghost (3)"
