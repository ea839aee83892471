"""Encryption at rest: the store and the photos reveal nothing without a password; any authorized user opens them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from blo_desk.domain.errors import InvalidCredentialsError, StoreLockedError
from blo_desk.services.accounts import AccountService, PasswordPolicy
from blo_desk.services.demo import dustlik_case
from blo_desk.services.registry import open_services
from blo_desk.storage.crypto import DataKey, KdfParams, Keyring, Sealer
from blo_desk.storage.engine import open_sqlcipher

POLICY = PasswordPolicy(kdf=KdfParams(memory_kib=19456, time_cost=2, parallelism=1))
# A JPEG header and a marker that must never appear in the clear on disk.
PHOTO = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"PHOTO-SECRET-Karimova-AA1234567 " * 200 + b"\xff\xd9"


@pytest.fixture
def secured(encrypted_settings, tmp_path):
    """An encrypted store: admin + officer karim, who saved the Dustlik case with a photo."""
    admin = AccountService(encrypted_settings, policy=POLICY)
    admin.create_first_admin(username="admin", password="admin-password-1")
    services = admin.open_services()
    services.users.add_user(username="karim", password="officer-pass-1", role="officer", post_code="UZ-DUS")
    services.close()
    karim = AccountService(encrypted_settings, policy=POLICY)
    karim.login(username="karim", password="officer-pass-1")
    services = karim.open_services()
    photo = tmp_path / "carriage.jpg"
    photo.write_bytes(PHOTO)
    attachment = services.attachments.add_file(path=photo, caption="Baby carriage")
    case = services.cases.save(case=dustlik_case().__class__(**{**_fields(dustlik_case()),
                                                                "attachments": (attachment,)}))
    with services.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    services.close()
    photo.unlink()
    return encrypted_settings, case, attachment


def _fields(case):
    return {name: getattr(case, name) for name in case.__slots__}


def _all_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


def test_store_and_photos_hold_no_plaintext_of_a_suspect(secured):
    settings, case, attachment = secured
    owner = case.persons[0]
    assert owner.full_name.startswith("Karimova") and owner.document_number
    # GIVEN everything BLO Desk wrote to the data folder WHEN its raw bytes are searched
    raw = _all_bytes(settings.data_dir)
    # THEN no name, document number, narrative word or photo content appears
    for secret in (owner.full_name, owner.document_number, "Oztay", "Karimova", "PHOTO-SECRET", "JFIF"):
        assert secret.encode("utf-8") not in raw, secret
    assert b"SQLite format 3" not in (settings.data_dir / "blo_desk.sqlite3").read_bytes()[:16]


def test_without_a_valid_password_the_store_does_not_open(secured):
    settings, case, _ = secured
    store = settings.data_dir / "blo_desk.sqlite3"
    # WHEN a thief opens the file with plain SQLite, or with SQLCipher and a guessed key
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(store).execute("SELECT count(*) FROM seizure_case").fetchone()
    with pytest.raises(Exception, match="not a database"):
        open_sqlcipher(store, DataKey.generate())
    # OR the app without a login, or with a wrong password
    with pytest.raises(StoreLockedError):
        open_services(settings)
    with pytest.raises(InvalidCredentialsError):
        AccountService(settings, policy=POLICY).login(username="karim", password="guess-guess-guess")
    with pytest.raises(InvalidCredentialsError):
        AccountService(settings, policy=POLICY).login(username="mallory", password="guess-guess-guess")
    # THEN nothing opens; WITH a valid password (any authorized user) everything does, photos included
    for user, password in (("karim", "officer-pass-1"), ("admin", "admin-password-1")):
        accounts = AccountService(settings, policy=POLICY)
        accounts.login(username=user, password=password)
        services = accounts.open_services()
        try:
            if user == "karim":
                assert services.cases.get(case_id=case.id).persons[0].full_name.startswith("Karimova")
                assert services.cases.search(text="Karimova").total == 1
                assert services.attachments.read_bytes(sha256=case.attachments[0].sha256) == PHOTO
                assert services.attachments.path_of(sha256=case.attachments[0].sha256).read_bytes() == PHOTO
            else:
                assert services.audit.verify().ok
        finally:
            services.close()


def test_the_data_key_is_wrapped_per_user_and_seals_other_secrets(secured):
    settings, _, _ = secured
    keyring = Keyring(settings.keyring_path)
    # GIVEN the keyring WHEN each user's entry is unwrapped with their password THEN both give the same data key
    key = keyring.unwrap("admin", "admin-password-1")
    assert key.raw == keyring.unwrap("karim", "officer-pass-1").raw
    assert key.raw.hex() not in settings.keyring_path.read_text()
    # AND the sealer (for the post's signing key) round-trips, binds the purpose and rejects another key
    sealer = Sealer(key)
    sealed = sealer.seal(b"ed25519 secret key bytes", purpose="signing-key")
    assert b"ed25519" not in sealed
    assert sealer.unseal(sealed, purpose="signing-key") == b"ed25519 secret key bytes"
    with pytest.raises(ValueError):
        sealer.unseal(sealed, purpose="something-else")
    with pytest.raises(ValueError):
        Sealer(DataKey.generate()).unseal(sealed, purpose="signing-key")
