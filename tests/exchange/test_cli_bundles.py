"""The bundle commands as an officer and an analyst run them: post init, export, trust, import, verify, status."""

from __future__ import annotations

import os
import subprocess
import sys


def _run(data_dir, *args):
    env = {**os.environ, "BLO_DESK_DATA_DIR": str(data_dir)}
    return subprocess.run([sys.executable, "-m", "blo_desk", "--lang", "en", *args], capture_output=True, text=True,
                          env=env, timeout=120)


def test_post_to_hq_from_the_command_line(tmp_path):
    post, hq, stick = tmp_path / "post", tmp_path / "hq", tmp_path / "stick"
    # GIVEN a post set up with its key and the demo cases
    done = _run(post, "post", "init", "--code", "UZ-DUS")
    assert done.returncode == 0 and "UZ-DUS" in done.stdout, done.stderr
    assert _run(post, "demo").returncode == 0
    # WHEN it exports to a stick and hands over its public key
    exported = _run(post, "bundle", "export", "--out", str(stick))
    assert exported.returncode == 0, exported.stderr
    assert "Bundle 1 written" in exported.stdout
    key = _run(post, "post", "key", "--out", str(stick))
    assert key.returncode == 0, key.stderr
    bundle = next(stick.glob("*.blo"))
    # THEN HQ trusts the key, verifies and imports the bundle, and shows the post's status
    assert _run(hq, "hq", "trust", "add", "--post", "UZ-DUS", "--key", key.stdout.strip()).returncode == 0
    verified = _run(hq, "bundle", "verify", str(bundle))
    assert verified.returncode == 0 and "valid" in verified.stdout, verified.stdout + verified.stderr
    imported = _run(hq, "bundle", "import", str(stick))
    assert imported.returncode == 0 and "imported: 2 new" in imported.stdout, imported.stdout + imported.stderr
    status = _run(hq, "hq", "status")
    assert "UZ-DUS\t1\thave 1; none missing" in status.stdout
    # AND a damaged copy is rejected with a reason and a non-zero exit code
    damaged = tmp_path / "UZ-DUS-000009.blo"
    damaged.write_bytes(bundle.read_bytes()[:200])
    rejected = _run(hq, "bundle", "import", str(damaged))
    assert rejected.returncode == 1 and "rejected" in rejected.stdout
    # AND the post's outbox lists bundle 1 until it is acknowledged
    assert "UZ-DUS-000001.blo" in _run(post, "bundle", "outbox").stdout
    assert _run(post, "bundle", "ack", "1").returncode == 0
    assert "UZ-DUS-000001.blo" not in _run(post, "bundle", "outbox").stdout


def test_bundle_commands_log_in_on_encrypted_stores(tmp_path):
    from blo_desk.config import load_settings
    from blo_desk.services.accounts import AccountService, PasswordPolicy
    from blo_desk.storage.crypto import KdfParams

    policy = PasswordPolicy(kdf=KdfParams(memory_kib=19456, time_cost=2, parallelism=1))
    post, stick = tmp_path / "post", tmp_path / "stick"
    admin = AccountService(load_settings(data_dir=post, language="en", plaintext_store=False), policy=policy)
    admin.create_first_admin(username="admin", password="admin-password-1", post_code="UZ-DUS")
    services = admin.open_services()
    services.users.add_user(username="karim", password="officer-pass-1", role="officer", post_code="UZ-DUS")
    services.close()

    def run(user, password, *args):
        env = {**os.environ, "BLO_DESK_DATA_DIR": str(post), "BLO_DESK_PLAINTEXT_STORE": "0",
               "BLO_DESK_USER": user, "BLO_DESK_PASSWORD": password}
        return subprocess.run([sys.executable, "-m", "blo_desk", "--lang", "en", *args], capture_output=True,
                              text=True, env=env, timeout=120)

    # GIVEN an encrypted post store WHEN the officer tries to set up the post THEN the role refuses it
    refused = run("karim", "officer-pass-1", "post", "init", "--code", "UZ-DUS")
    assert refused.returncode != 0 and "keys.manage" in refused.stdout + refused.stderr
    # WHEN the admin logs in to set it up, and the officer to export THEN both work on the encrypted store
    done = run("admin", "admin-password-1", "post", "init", "--code", "UZ-DUS")
    assert done.returncode == 0, done.stdout + done.stderr
    assert [p.suffix for p in (post / "keys").glob("*.key*")] == [".sealed"]
    from blo_desk.services.demo import dustlik_case

    officer = AccountService(load_settings(data_dir=post, language="en", plaintext_store=False), policy=policy)
    officer.login(username="karim", password="officer-pass-1")
    services = officer.open_services()
    services.cases.save(case=dustlik_case())
    services.close()
    exported = run("karim", "officer-pass-1", "bundle", "export", "--out", str(stick))
    assert exported.returncode == 0 and "Bundle 1 written" in exported.stdout, exported.stdout + exported.stderr
    assert "UZ-DUS-000001.blo" in run("karim", "officer-pass-1", "bundle", "outbox").stdout
    assert run("karim", "wrong-password", "bundle", "outbox").returncode != 0
    # AND only the admin may take the secret key out, readable by its owner only
    secret = run("admin", "admin-password-1", "post", "secret-key", "--out", str(tmp_path / "k"))
    assert secret.returncode == 0, secret.stdout + secret.stderr
    written = next((tmp_path / "k").glob("*.key"))
    assert written.read_text().startswith("untrusted comment: minisign secret key")
    assert written.stat().st_mode & 0o777 == 0o600
    assert run("karim", "officer-pass-1", "post", "secret-key", "--out", str(tmp_path / "k2")).returncode != 0
