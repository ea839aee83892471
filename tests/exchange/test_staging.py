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


def test_a_decrypted_bundle_on_disk_is_sealed_under_a_key_only_the_import_holds(tmp_path):
    from blo_desk.domain.entities import CaseQuery
    from blo_desk.exchange.envelope import OpenedEnvelope
    from blo_desk.exchange.scratch import ScratchKey
    from blo_desk.exchange.verify import OpenedBundle

    import bundle_kit as kit

    # GIVEN an encrypted bundle of a post whose case names a person, and HQ holding the age key
    hq = kit.open_store(tmp_path / "hq")
    post = kit.make_post(tmp_path / "post", "UZ-DUS", cases=2, seed=2, photos=1)
    try:
        post.sync.pin_hq_recipient(recipient=hq.hq.age_recipient(create=True))
        hq.hq.trust_key(post_code="UZ-DUS", public_key=post.sync.public_key_text())
        path = post.sync.export(folder=tmp_path / "out").path
        names = [p.full_name for c in post.cases.list_cases(query=CaseQuery()).rows
                 for p in post.cases.get(case_id=c.id).persons if len(p.full_name) > 5]
        assert names
        key = ScratchKey()
        opened = OpenedEnvelope(path, key_lookup=hq.hq._key_lookup)
        # WHEN HQ decrypts it into its staging folder
        inner = opened.decrypt_to(tmp_path / "staging", identity=hq.hq._hq_identity(), seal=key)
        # THEN the file on disk holds no name of the cases (nor the zip's own markers) ...
        raw = inner.read_bytes()
        assert b"PK\x03\x04" not in raw and not any(n.encode() in raw for n in names)
        # ... AND read through the import's key it is the signed bundle, every member intact
        with OpenedBundle(inner, key_lookup=hq.hq._key_lookup, scratch=key) as bundle:
            bundle.verify_members(staging=tmp_path / "photos", seal=key)
            assert bundle.manifest.post == "UZ-DUS"
            assert sum(1 for _ in bundle.records()) == bundle.manifest.records
        # AND another key (a later process) reads nothing of it
        with ScratchKey().open(inner) as fh:
            assert not any(n.encode() in fh.read() for n in names)
    finally:
        post.close()
        hq.close()
