"""Durable writes: whole or nothing, keys private, ordinary files as readable as any other."""

from __future__ import annotations

import os
import stat

import pytest

from blo_desk.durable import atomic_file, write_atomically


def test_a_failed_write_leaves_the_old_file_and_no_debris(tmp_path):
    # GIVEN a file with content
    target = tmp_path / "keyring.json"
    write_atomically(target, b"old")
    # WHEN a new write fails half way
    with pytest.raises(RuntimeError):
        with atomic_file(target) as fh:
            fh.write(b"new, but half")
            raise RuntimeError("power cut")
    # THEN the old content is there and nothing else is left in the folder
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["keyring.json"]


@pytest.mark.skipif(os.name == "nt", reason="POSIX modes")
def test_keys_are_owner_only_and_ordinary_files_follow_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        write_atomically(tmp_path / "key", b"secret", mode=0o600)
        write_atomically(tmp_path / "protocol.pdf", b"%PDF")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "key").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "protocol.pdf").stat().st_mode) == 0o644


def test_write_private_is_owner_only_and_never_replaces_a_file(tmp_path):
    import stat

    import pytest

    from blo_desk.durable import shred_unlink, write_private

    path = tmp_path / "keys" / "a.key"
    write_private(path, "secret")
    assert path.read_bytes() == b"secret"
    if os.name != "nt":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    with pytest.raises(FileExistsError):
        write_private(path, b"other")
    assert list(path.parent.iterdir()) == [path]  # no temporary file left behind
    shred_unlink(path)
    assert not path.exists()
    shred_unlink(path)  # a missing file is no error
