"""Plain case data during an HQ import stays in the staging folder beside the store, and crash leftovers go."""

from __future__ import annotations

import os
import tempfile
import time

from blo_desk.services.hq import empty_staging


def test_crash_leftovers_are_removed_and_files_of_a_running_import_kept(tmp_path):
    old = tmp_path / ".decrypted-x.blo"
    old.write_bytes(b"plain case data")
    past = time.time() - 2 * 3600
    os.utime(old, (past, past))
    fresh = tmp_path / ".bundle-y"
    fresh.write_bytes(b"being imported")
    assert empty_staging(tmp_path) == 1
    assert not old.exists() and fresh.exists()
    assert empty_staging(tmp_path / "missing") == 0


def test_records_beyond_the_memory_limit_spill_to_the_given_folder(tmp_path, monkeypatch):
    # The spool is created with dir=<staging>: check what verify_members asks SpooledTemporaryFile for
    from blo_desk.exchange import verify

    seen = {}
    real = tempfile.SpooledTemporaryFile

    def spy(*args, **kwargs):
        seen.update(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(verify.tempfile, "SpooledTemporaryFile", spy)
    import bundle_kit as kit

    post = kit.make_post(tmp_path / "post", "UZ-DUS", cases=2, seed=1, photos=0)
    try:
        path = post.sync.export(folder=tmp_path / "out").path
        key = post.sync.public_key_text()
    finally:
        post.close()
    from blo_desk.exchange import minisign
    from blo_desk.exchange.verify import OpenedBundle, TrustedKey

    public = minisign.parse_public_key(key)
    lookup = lambda key_id: TrustedKey(post="UZ-DUS", public_key=public)  # noqa: E731
    with OpenedBundle(path, key_lookup=lookup) as bundle:
        bundle.verify_members(staging=tmp_path / "staging")
    assert seen["dir"] == str(tmp_path / "staging")


def test_a_killed_imports_workspace_goes_when_the_store_opens_and_a_running_ones_stays(tmp_path):
    import signal
    import subprocess
    import sys

    from blo_desk.services.staging import workspace

    import bundle_kit as kit

    # GIVEN an HQ store, and an import process killed (kill -9) with a decrypted bundle in its workspace
    hq = kit.open_store(tmp_path / "hq")
    staging = hq.settings.attachments_dir / ".staging"
    hq.close()
    script = ("import sys, time\nfrom pathlib import Path\nfrom blo_desk.services.staging import workspace\n"
              "with workspace(Path(sys.argv[1])) as work:\n"
              " (work / '.decrypted-1.blo').write_bytes(b'plain case data' * 1000)\n"
              " print('ready', flush=True); time.sleep(60)\n")
    child = subprocess.Popen([sys.executable, "-c", script, str(staging)], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "ready"
        with workspace(staging) as running:  # AND an import of this process running right now
            (running / ".bundle-x").write_bytes(b"a photo on its way")
            # WHILE the other import still runs, opening the store leaves both workspaces alone
            kit.open_store(tmp_path / "hq").close()
            assert len(list(staging.rglob(".decrypted-*.blo"))) == 1
            os.kill(child.pid, signal.SIGKILL)
            child.wait(10)
            # WHEN the store is opened again (minutes, not an hour, after the kill)
            kit.open_store(tmp_path / "hq").close()
            # THEN the killed import's plain data is gone, and the running import's file is still there
            assert list(staging.rglob(".decrypted-*.blo")) == []
            assert (running / ".bundle-x").exists()
        # AND the running import's workspace went with it when it ended: the staging folder is empty
        assert list(staging.iterdir()) == []
    finally:
        if child.poll() is None:
            child.kill()
