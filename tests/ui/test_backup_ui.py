"""Backups in the desk: Backup… with progress and the status bar; the wizard's "Restore from a backup"; the login
window's "Forgot the administrator password?" with the recovery code."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from blo_desk.app import backend
from blo_desk.config import load_settings
from blo_desk.storage.backup_archive import verify_backup
from blo_desk.ui.backup import backup_now

from .conftest import ADMIN, PASSWORD, login_as, retype


def test_backup_from_the_desk_menu_and_its_age_in_the_status_bar(make_desk, encrypted_settings, qtbot, tmp_path):
    # GIVEN a supervisor's desk on an encrypted store never backed up
    desk = make_desk(encrypted_settings)
    driver = desk.backup_driver
    assert driver is not None
    qtbot.waitUntil(lambda: "never" in driver.label.text(), timeout=10_000)
    assert "back up now" in driver.label.text()  # never backed up: the warning shows
    assert desk.window.actions["backup"].isEnabled()
    # WHEN Tools ▸ Backup… writes to a folder (the folder dialog answered)
    backup_now(desk, folder=str(tmp_path / "stick"))
    qtbot.waitUntil(lambda: any((tmp_path / "stick").glob("*.blobak")) and "Backup written" in
                    desk.window.message_text, timeout=30_000)
    # THEN the file verifies and the status bar says today, without the warning
    written = next((tmp_path / "stick").glob("*.blobak"))
    assert verify_backup(written).encrypted
    qtbot.waitUntil(lambda: driver.label.text() == "Last backup: today", timeout=10_000)
    # AND its tip tells when, as every moment on the desk (the post's time)
    assert driver.label.toolTip().startswith("Last backup taken ")


def test_the_backup_age_counts_calendar_days_at_the_post(qtbot):
    from datetime import datetime, timezone

    from blo_desk.domain.backup import BackupStatus
    from blo_desk.i18n import set_local_zone
    from blo_desk.ui.backup import age_text

    # GIVEN a backup taken at 23:30 in Tashkent (18:30 UTC), read at 08:00 the next morning there
    taken = datetime(2024, 4, 20, 18, 30, tzinfo=timezone.utc)
    morning = datetime(2024, 4, 21, 3, 0, tzinfo=timezone.utc)
    status = BackupStatus(last_at=taken, last_path="", auto_folder="", keep=7, age_days=(morning - taken).total_seconds() / 86400)
    set_local_zone("Asia/Tashkent")
    # WHEN the officer reads the status bar THEN it was yesterday's backup, not today's (8.5 hours ago)
    assert age_text(status, now=morning) == "Last backup: 1 day ago"
    # AND at 23:50 the same evening it is today's
    assert age_text(status, now=datetime(2024, 4, 20, 18, 50, tzinfo=timezone.utc)) == "Last backup: today"


def test_the_wizard_restores_a_backup_and_the_post_logs_in(start_flow, encrypted_settings, qtbot, tmp_path):
    # GIVEN the backup of a post's store (a supervisor with cases, the post's key)
    old = login_as(encrypted_settings, username="sabina")
    services = old.open_services()
    try:
        result = services.backup.backup(folder=tmp_path / "stick")
    finally:
        services.close()
    # WHEN a new laptop starts BLO Desk for the first time and the wizard restores the backup
    new = load_settings(data_dir=tmp_path / "new-laptop", language="en", plaintext_store=False)
    flow = start_flow(new)
    assert flow.first_start is True
    wizard = flow.wizard
    wizard.choose_backup(backup=result.path, hq_status="")
    qtbot.waitUntil(flow.login.isVisible, timeout=30_000)
    # THEN the login window says so, as news rather than an error (not in the errors' red), and the post's user
    # logs in to the restored store
    assert "is restored" in flow.login.error.text()
    from blo_desk.ui.login import ERROR_STYLE

    assert flow.login.error.styleSheet() != ERROR_STYLE
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from blo_desk.i18n import translator  # the backup's moment, written as every moment on the desk

    created = datetime.fromisoformat(verify_backup(Path(result.path)).created_at)
    taken = translator().format_datetime(created.astimezone(ZoneInfo("Asia/Tashkent")))  # sabina's post, UZ-DUS
    assert f"The backup of {taken} is restored" in flow.login.error.text()
    qtbot.waitUntil(lambda: flow.login.button.isEnabled())
    retype(flow.login.username, "sabina")
    retype(flow.login.password, PASSWORD)
    qtbot.keyClick(flow.login.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: flow.desk is not None and flow.desk.ready, timeout=60_000)
    assert flow.desk.principal.username == "sabina"
    assert not (new.data_dir / "restore-pending.json").exists()  # the restore was recorded at that login


def test_forgot_the_administrator_password(start_flow, encrypted_settings, qtbot):
    # GIVEN a store with a recovery code whose administrator forgot the password
    accounts = login_as(encrypted_settings, username=ADMIN)
    services = accounts.open_services()
    try:
        code = services.users.create_recovery_code()
    finally:
        services.close()
    flow = start_flow(encrypted_settings)
    qtbot.waitUntil(lambda: flow.login.button.isEnabled())
    # WHEN "Forgot the administrator password?" is clicked and a wrong code typed
    qtbot.mouseClick(flow.login.forgot_button, Qt.MouseButton.LeftButton)
    dialog = flow.recover_dialog
    retype(dialog.fields["code"], "AAAAA-AAAAA-AAAAA-AAAAA-AAAAA-AAAAA")
    retype(dialog.fields["new"], "a brand new password")
    retype(dialog.fields["repeat"], "a brand new password")
    dialog._ok()
    # THEN it is refused next to the code
    qtbot.waitUntil(lambda: bool(dialog.errors["code"].text()), timeout=30_000)
    assert "does not open" in dialog.errors["code"].text()
    # WHEN the right code is typed THEN the desk opens for the administrator
    retype(dialog.fields["code"], code.lower())
    dialog._ok()
    qtbot.waitUntil(lambda: flow.desk is not None and flow.desk.ready, timeout=60_000)
    assert flow.desk.principal.username == ADMIN
    assert Path(encrypted_settings.keyring_path).exists()


def test_forgot_the_password_with_two_administrators_offers_them_to_choose(start_flow, encrypted_settings, qtbot):
    # GIVEN a store with a recovery code and two administrators
    accounts = login_as(encrypted_settings, username=ADMIN)
    services = accounts.open_services()
    try:
        code = services.users.create_recovery_code()
        services.users.add_user(username="nadia", password="nadia-password-1", role="admin", post_code="UZ-DUS")
    finally:
        services.close()
    flow = start_flow(encrypted_settings)
    qtbot.waitUntil(lambda: flow.login.button.isEnabled())
    # WHEN the right code is typed without naming the administrator
    qtbot.mouseClick(flow.login.forgot_button, Qt.MouseButton.LeftButton)
    dialog = flow.recover_dialog
    assert dialog.admin.isVisible() and dialog.admin.isEditable()
    retype(dialog.fields["code"], code)
    retype(dialog.fields["new"], "a brand new password")
    retype(dialog.fields["repeat"], "a brand new password")
    dialog._ok()
    # THEN the dialog asks which one, and offers both
    qtbot.waitUntil(lambda: bool(dialog.errors["admin"].text()), timeout=30_000)
    assert "choose" in dialog.errors["admin"].text()
    assert [dialog.admin.itemText(i) for i in range(dialog.admin.count())] == sorted([ADMIN, "nadia"])
    # WHEN nadia is chosen THEN the desk opens for her, with her new password
    dialog.admin.setCurrentIndex(dialog.admin.findText("nadia"))
    dialog._ok()
    qtbot.waitUntil(lambda: flow.desk is not None and flow.desk.ready, timeout=60_000)
    assert flow.desk.principal.username == "nadia"
    assert backend().accounts(encrypted_settings).login(username="nadia", password="a brand new password")


def test_the_desks_start_removes_a_part_a_killed_copy_out_left_on_a_stick(start_flow, encrypted_settings, qtbot,
                                                                          tmp_path):
    import json

    # GIVEN a readable part that an export killed during its copy-out left on a FAT stick, noted beside the store
    login_as(encrypted_settings, username=ADMIN)
    stick = tmp_path / "stick"
    stick.mkdir()
    part = stick / ".UZ-DUS-000003.blo.1a2b3c4d5e6f.part"
    part.write_bytes(b"PK\x03\x04 records of the case")
    notes = encrypted_settings.data_dir / "export-scratch"
    notes.mkdir(exist_ok=True)
    (notes / ".copy-out-0123456789ab.json").write_text(json.dumps({"part": str(part)}), "utf-8")
    # WHEN the desk starts (before anyone logs in)
    flow = start_flow(encrypted_settings)
    qtbot.waitUntil(lambda: flow.login.button.isEnabled())
    # THEN the part is gone from the stick, and so is its note
    assert not part.exists() and list(stick.iterdir()) == []
    assert list(notes.glob(".copy-out-*.json")) == []
