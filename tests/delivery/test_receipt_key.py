"""HQ's receipt-signing key: sealed with the data key on an encrypted store, refused when readable by others."""

from __future__ import annotations

import os
import stat

import pytest

from blo_desk.services.intake import (
    KEY_FILE,
    ReceiptKeyExposedError,
    ReceiptKeyLockedError,
    ensure_hq_key,
)
from blo_desk.storage.crypto import DataKey, Sealer


def test_on_an_encrypted_store_the_receipt_key_is_sealed(tmp_path):
    sealer = Sealer(DataKey.generate())
    # WHEN the key is created with the store's sealer THEN only a sealed 0600 file exists, and it reads back
    key = ensure_hq_key(tmp_path, sealer=sealer)
    plain = tmp_path / KEY_FILE
    sealed = plain.with_name(plain.name + ".sealed")
    assert not plain.exists() and sealed.exists()
    assert stat.S_IMODE(sealed.stat().st_mode) == 0o600
    assert b"minisign" not in sealed.read_bytes()
    assert ensure_hq_key(tmp_path, sealer=sealer).public_key.key_id_text == key.public_key.key_id_text
    # AND without the sealer (no login) the key is refused with a clear message
    with pytest.raises(ReceiptKeyLockedError):
        ensure_hq_key(tmp_path)


def test_a_plain_key_left_from_before_is_sealed_and_shredded(tmp_path):
    key = ensure_hq_key(tmp_path)
    plain = tmp_path / KEY_FILE
    assert stat.S_IMODE(plain.stat().st_mode) == 0o600
    again = ensure_hq_key(tmp_path, sealer=Sealer(DataKey.generate()))
    assert again.public_key.key_id_text == key.public_key.key_id_text
    assert not plain.exists() and plain.with_name(plain.name + ".sealed").exists()


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_a_receipt_key_readable_by_others_is_refused(tmp_path):
    ensure_hq_key(tmp_path)
    os.chmod(tmp_path / KEY_FILE, 0o644)
    with pytest.raises(ReceiptKeyExposedError):
        ensure_hq_key(tmp_path)
