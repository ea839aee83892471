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
