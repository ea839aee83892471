"""`blo-desk backup`, `backup verify`, `restore` and `recover` as an administrator runs them on an encrypted store."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(data_dir: Path, *args, password: str = "admin-password-1", new_password: str | None = None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("BLO_DESK_")}  # a real, encrypted store
    env.update(PYTHONPATH=str(ROOT), BLO_DESK_PASSWORD=password, BLO_DESK_NEW_PASSWORD=new_password or password)
    return subprocess.run([sys.executable, "-m", "blo_desk", "--lang", "en", "--data-dir", str(data_dir), *args],
                          capture_output=True, text=True, env=env, timeout=300)


@pytest.mark.slow  # nine commands in subprocesses, six of them logins at the real argon2id cost (~20 s idle)
def test_backup_verify_restore_and_recover_from_the_command_line(tmp_path):
    data, stick, new = tmp_path / "data", tmp_path / "stick", tmp_path / "new-laptop"
    # GIVEN a store whose first administrator was created from the command line, with the recovery sheet
    made = _run(data, "user", "add", "admin", "--role", "admin", "--recovery-sheet", str(tmp_path / "sheet.pdf"))
    assert made.returncode == 0, made.stderr
    lines = made.stdout.splitlines()
    code = lines[lines.index(next(line for line in lines if line.startswith("Recovery code"))) + 1].strip()
    assert len(code) == 35 and (tmp_path / "sheet.pdf").read_bytes().startswith(b"%PDF")
    # WHEN the administrator backs it up and checks the file
    backed = _run(data, "--user", "admin", "backup", "--out", str(stick))
    assert backed.returncode == 0, backed.stderr
    (backup,) = stick.glob("*.blobak")
    checked = _run(data, "backup", "verify", str(backup))
    assert checked.returncode == 0 and "Backup intact" in checked.stdout, checked.stderr
    damaged = tmp_path / "damaged.blobak"
    raw = bytearray(backup.read_bytes())
    raw[200] ^= 0xFF
    damaged.write_bytes(bytes(raw))
    assert _run(data, "backup", "verify", str(damaged)).returncode == 1
    # AND restores it on a new laptop
    restored = _run(data, "--user", "admin", "restore", str(backup), "--data-dir", str(new))
    assert restored.returncode == 0, restored.stderr
    assert "The restore is recorded" in restored.stdout
    # WHEN the administrator's password is forgotten there THEN the recovery code sets a new one
    wrong = _run(new, "recover", "--code", "AAAAA-AAAAA-AAAAA-AAAAA-AAAAA-AAAAA", new_password="a new password!")
    assert wrong.returncode == 2 and "does not open" in wrong.stderr
    recovered = _run(new, "recover", "--code", code, new_password="a new password!")
    assert recovered.returncode == 0, recovered.stderr
    listed = _run(new, "--user", "admin", "audit", "list", "--limit", "20", password="a new password!")
    assert listed.returncode == 0, listed.stderr
    actions = [line.split("\t")[4:6] for line in listed.stdout.splitlines()]
    assert ["user.recover", "ok"] in actions and ["user.recover", "failed"] in actions
    assert ["store.restore", "ok"] in actions
