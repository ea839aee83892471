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
