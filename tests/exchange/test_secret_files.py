"""A secret key written out for a person (`post secret-key --out`, `hq age-key --secret-out`) is 0600, and the
folder the person chose keeps its permissions."""

from __future__ import annotations

import os
import stat

import pytest

import bundle_kit as kit

pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_the_posts_secret_key_goes_out_0600_and_the_folder_is_left_alone(tmp_path):
    post = kit.make_post(tmp_path / "post", "UZ-DUS", cases=1, photos=0)
    try:
        # GIVEN a shared folder the administrator chose (0755) and one that does not exist yet
        shared = tmp_path / "shared"
        shared.mkdir()
        os.chmod(shared, 0o755)
        # WHEN the secret key is written to each
        written = post.sync.export_secret_key(folder=shared)
        fresh = post.sync.export_secret_key(folder=tmp_path / "new" / "keys")
    finally:
        post.close()
    # THEN each file is readable by its owner only, the chosen folder keeps 0755, a new folder is 0700
    assert _mode(written) == 0o600 and _mode(fresh) == 0o600
    assert _mode(shared) == 0o755
    assert _mode(tmp_path / "new" / "keys") == 0o700
    assert written.read_text().startswith("untrusted comment: minisign secret key")


def test_hqs_age_identity_goes_out_0600_and_the_folder_is_left_alone(tmp_path):
    hq = kit.open_store(tmp_path / "hq")
    try:
        hq.hq.age_recipient(create=True)
        shared = tmp_path / "shared"
        shared.mkdir()
        os.chmod(shared, 0o750)
        path = hq.hq.export_age_identity(path=shared / "hq-age.key")
    finally:
        hq.close()
    assert _mode(path) == 0o600
    assert _mode(shared) == 0o750
    assert "AGE-SECRET-KEY-" in path.read_text()
