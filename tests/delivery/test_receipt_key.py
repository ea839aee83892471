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


def test_hq_key_needs_the_right_to_manage_keys_and_is_audited(settings):
    import json

    from blo_desk.domain.errors import PermissionDeniedError
    from blo_desk.domain.permissions import Principal, Role
    from blo_desk.services.intake import PUBLIC_KEY_FILE, receipt_key
    from blo_desk.services.registry import open_services

    # GIVEN an officer at a post WHEN they ask for HQ's receipt key
    officer = open_services(settings, principal=Principal(username="karim", role=Role.OFFICER, post_code="UZ-DUS"))
    try:
        with pytest.raises(PermissionDeniedError) as refused:
            receipt_key(officer.guard, data_dir=settings.data_dir)
        # THEN it is refused with a message, no key is made, and the refusal is audited
        assert "Officer" in refused.value.translated()
        assert not (settings.data_dir / KEY_FILE).exists() and not (settings.data_dir / PUBLIC_KEY_FILE).exists()
    finally:
        officer.close()
    admin = open_services(settings, principal=Principal(username="admin", role=Role.ADMIN))
    try:
        # WHEN an administrator asks THEN the key is made, and that is audited with its id
        key = receipt_key(admin.guard, data_dir=settings.data_dir)
        events = admin.audit.events(limit=5, target="hq-receipt-key")
        assert [(e.actor, e.outcome) for e in events] == [("admin", "ok"), ("karim", "denied")]
        assert json.loads(events[0].details) == {"created": True, "key_id": key.public_key.key_id_text,
                                                 "op": "receipt_key"}
    finally:
        admin.close()
