"""Backups of a store: consistent while the desk saves, encrypted as the store is, checked by `backup verify`,
restored on a new laptop, and never left half-written under their final name."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from blo_desk.config import load_settings
from blo_desk.domain.entities import CaseQuery
from blo_desk.services.accounts import AccountService, PasswordPolicy
from blo_desk.services.backup import restore_backup
from blo_desk.services.demo import dustlik_case
from blo_desk.storage.backup_archive import BackupError, RestoreTargetError, verify_backup
from blo_desk.storage.crypto import KdfParams, Keyring
from blo_desk.storage.engine import open_sqlcipher

POLICY = PasswordPolicy(kdf=KdfParams(memory_kib=19456, time_cost=2, parallelism=1))
PHOTO = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"PHOTO-SECRET-Karimova-AA1234567 " * 200 + b"\xff\xd9"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def secured(encrypted_settings, tmp_path):
    """An encrypted post store: an admin, officer karim, the Dustlik case with a photo, and the post's key."""
    admin = AccountService(encrypted_settings, policy=POLICY)
    admin.create_first_admin(username="admin", password="admin-password-1")
    services = admin.open_services()
    services.users.add_user(username="karim", password="officer-pass-1", role="officer", post_code="UZ-DUS")
    services.sync.set_up_post(post_code="UZ-DUS")
    services.close()
    karim = AccountService(encrypted_settings, policy=POLICY)
    karim.login(username="karim", password="officer-pass-1")
    services = karim.open_services()
    photo = tmp_path / "carriage.jpg"
    photo.write_bytes(PHOTO)
    attachment = services.attachments.add_file(path=photo, caption="Baby carriage")
    photo.unlink()
    case = services.cases.save(case=replace(dustlik_case(), attachments=(attachment,)))
    yield encrypted_settings, services, case
    services.close()


def _login(settings, user="karim", password="officer-pass-1"):
    accounts = AccountService(settings, policy=POLICY)
    accounts.login(username=user, password=password)
    return accounts.open_services()


def test_a_backup_holds_no_plaintext_and_verifies(secured, tmp_path):
    settings, services, case = secured
    # WHEN an officer backs up the store
    result = services.backup.backup(folder=tmp_path / "stick")
    path = Path(result.path)
    # THEN one file holds the store, the keyring, the sealed signing key and the sealed photo
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
    assert {"store.sqlite3", "keyring.json", "backup.json"} <= names
    assert any(n.startswith("keys/") and n.endswith(".sealed") for n in names)
    assert f"attachments/{case.attachments[0].sha256[:2]}/{case.attachments[0].sha256}" in names
    # AND nothing in it reads in the clear (checked as the data folder is)
    raw = path.read_bytes()
    owner = case.persons[0]
    for secret in (owner.full_name, owner.document_number, "Oztay", "Karimova", "PHOTO-SECRET", "JFIF",
                   "SQLite format 3", "secret key"):
        assert secret.encode("utf-8") not in raw, secret
    # AND `backup verify` passes without a key, while any altered byte fails it
    info = verify_backup(path)
    assert info.encrypted and info.post_code == "UZ-DUS" and info.members == len(names) - 2
    assert services.backup.status().last_at is not None
    data = bytearray(raw)
    offset = raw.index(b"PK\x03\x04", 10) - 100  # a byte inside the first member (the store)
    data[offset] ^= 0xFF
    broken = tmp_path / "broken.blobak"
    broken.write_bytes(bytes(data))
    with pytest.raises(BackupError, match="damaged or was altered"):
        verify_backup(broken)
    (tmp_path / "cut.blobak").write_bytes(raw[: len(raw) // 2])
    with pytest.raises(BackupError, match="not a BLO Desk backup"):
        verify_backup(tmp_path / "cut.blobak")


def test_backup_taken_while_cases_are_saved_restores_whole(secured, tmp_path):
    settings, services, _case = secured
    saved: list[str] = []
    stop = threading.Event()
    writer = _login(settings)

    def keep_saving():
        for n in range(2000):
            if stop.is_set():
                return
            done = writer.cases.save(case=replace(dustlik_case(), narrative=f"Saved during the backup, no. {n}"))
            assert done.id is not None
            saved.append(done.id)

    thread = threading.Thread(target=keep_saving)
    thread.start()
    try:
        while len(saved) < 20:
            time.sleep(0.01)
        # WHEN a backup is taken while the desk keeps saving cases
        before = list(saved)
        result = services.backup.backup(folder=tmp_path / "stick")
        during = len(saved) - len(before)
    finally:
        stop.set()
        thread.join()
        writer.close()
    assert during > 0, "the writer did not run during the backup"
    # AND it is restored on a new laptop
    new = load_settings(data_dir=tmp_path / "new-laptop", language="en", plaintext_store=False)
    restore_backup(new, Path(result.path))
    restored = _login(new, "admin", "admin-password-1")
    try:
        # THEN the store is sound, its audit trail intact, and every case committed before the backup is there
        key = Keyring(new.keyring_path).unwrap("admin", "admin-password-1")
        conn = open_sqlcipher(new.data_dir / "blo_desk.sqlite3", key)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            conn.close()
        assert restored.audit.verify().ok
        assert any(e.action == "store.restore" for e in restored.audit.events(limit=3))
    finally:
        restored.close()
    # AND the photos and the signing key came along, still sealed and still readable with the key
    officer = _login(new)
    try:
        held = {row.id for row in officer.cases.list_cases(query=CaseQuery(limit=10_000)).rows}
        assert set(before) <= held
        sha = _case.attachments[0].sha256
        assert officer.attachments.read_bytes(sha256=sha) == PHOTO
        assert officer.sync.public_key_text()
    finally:
        officer.close()


def test_restore_refuses_a_folder_that_holds_a_store(secured, tmp_path):
    settings, services, _case = secured
    result = services.backup.backup(folder=tmp_path / "stick")
    with pytest.raises(RestoreTargetError):
        restore_backup(settings, Path(result.path))


def test_automatic_backups_keep_the_newest(secured, tmp_path):
    settings, services, _case = secured
    admin = _login(settings, "admin", "admin-password-1")
    try:
        admin.backup.configure(folder=str(tmp_path / "auto"), keep=2)
    finally:
        admin.close()
    from datetime import datetime, timedelta, timezone

    now = [datetime(2026, 5, 1, 8, 0, tzinfo=timezone.utc)]
    services.backup._clock = lambda: now[0]
    # WHEN four finalizes, a day apart, each trigger a backup
    for _ in range(4):
        assert services.backup.auto_backup(reason="finalize") is not None
        now[0] += timedelta(days=1)
    # THEN only the newest two are kept; a daily one is due only a day after the last
    kept = sorted(p.name for p in (tmp_path / "auto").iterdir())
    assert kept == ["blo-desk-UZ-DUS-20260503T080000Z.blobak", "blo-desk-UZ-DUS-20260504T080000Z.blobak"]
    now[0] -= timedelta(days=1) - timedelta(minutes=30)
    assert services.backup.auto_backup(reason="daily") is None
    assert services.backup.status().age_days == pytest.approx(30 / 1440, abs=1e-3)


KILLER = """
import sys, time
from pathlib import Path
from blo_desk.config import load_settings
from blo_desk.domain.permissions import SYSTEM
from blo_desk.services.registry import open_services
services = open_services(load_settings(data_dir=Path(sys.argv[1]), plaintext_store=True), principal=SYSTEM)
def progress(done, total):
    print(done, flush=True)
    time.sleep(0.02)
services.backup.backup(folder=Path(sys.argv[2]), progress=progress)
print("finished", flush=True)
"""


@pytest.mark.parametrize("after_lines", [1, 6])
def test_kill_9_during_a_backup_leaves_no_file_that_fails_verify(settings, tmp_path, after_lines):
    # GIVEN a store with enough photos that a backup takes a while
    from blo_desk.domain.permissions import SYSTEM
    from blo_desk.services.registry import open_services

    services = open_services(settings, principal=SYSTEM)
    for n in range(12):
        photo = tmp_path / f"p{n}.jpg"
        photo.write_bytes(b"\xff\xd8\xff\xe0" + os.urandom(256 * 1024))
        services.attachments.add_file(path=photo, caption="")
    services.close()
    out = tmp_path / "stick"
    # WHEN the backup process is killed with SIGKILL part-way
    proc = subprocess.Popen([sys.executable, "-c", KILLER, str(settings.data_dir), str(out)],
                            stdout=subprocess.PIPE, text=True, cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.stdout is not None
    for _ in range(after_lines):
        line = proc.stdout.readline()
        assert line and line.strip() != "finished"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    # THEN no file carries a backup's final name unless it verifies (a leftover has a temporary name)
    finals = list(out.glob("*.blobak"))
    for path in finals:
        verify_backup(path)
    assert not finals
    assert all(p.name.startswith(".") for p in out.iterdir())
