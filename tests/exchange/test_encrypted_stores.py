"""Bundles between encrypted stores: the bundle carries the plain photo, each store keeps it sealed."""

from __future__ import annotations

import zipfile
from dataclasses import replace

from blo_desk.config import load_settings
from blo_desk.services.accounts import AccountService, PasswordPolicy
from blo_desk.services.demo import dustlik_case
from blo_desk.storage.crypto import KdfParams

PHOTO = b"\xff\xd8\xff\xe0" + b"PHOTO-SECRET-" * 500


POLICY = PasswordPolicy(kdf=KdfParams(memory_kib=19456, time_cost=2, parallelism=1))


def _user_services(folder, *, role: str, as_admin=None):
    """An encrypted store with an admin, and services opened as a logged-in user of that role at UZ-DUS.

    `as_admin(services)` runs first with the administrator's services (post set-up, trust store)."""
    settings = load_settings(data_dir=folder, language="en", plaintext_store=False)
    admin = AccountService(settings, policy=POLICY)
    admin.create_first_admin(username="admin", password="admin-password-1")
    services = admin.open_services()
    services.users.add_user(username="user", password="user-password-1", role=role, post_code="UZ-DUS")
    if as_admin is not None:
        as_admin(services)
    services.close()
    user = AccountService(settings, policy=POLICY)
    user.login(username="user", password="user-password-1")
    return user.open_services()


def _on_disk(services, sha256: str) -> bytes:
    return (services.settings.attachments_dir / sha256[:2] / sha256).read_bytes()


def test_export_and_import_between_encrypted_stores(tmp_path):
    # GIVEN an encrypted post store with a case and a sealed photo
    post = _user_services(tmp_path / "post", role="officer",
                          as_admin=lambda admin: admin.sync.set_up_post(post_code="UZ-DUS"))
    try:
        # AND its signing key is sealed with the store's data key (no minisign key in clear on disk)
        key_files = list((tmp_path / "post" / "keys").glob("*.key*"))
        assert [f.suffix for f in key_files] == [".sealed"]
        assert b"minisign" not in key_files[0].read_bytes() and key_files[0].stat().st_mode & 0o777 == 0o600
        photo = tmp_path / "carriage.jpg"
        photo.write_bytes(PHOTO)
        attachment = post.attachments.add_file(path=photo, caption="Baby carriage")
        photo.unlink()
        post.cases.save(case=replace(dustlik_case(), attachments=(attachment,)))
        assert b"PHOTO-SECRET" not in _on_disk(post, attachment.sha256)
        # WHEN it exports
        result = post.sync.export(folder=tmp_path / "stick")
        public_key = post.sync.public_key_text()
    finally:
        post.close()
    # THEN the bundle carries the plain photo under its hash (HQ and minisign users can check it)
    with zipfile.ZipFile(result.path) as zf:
        assert zf.read(f"attachments/{attachment.sha256}") == PHOTO
    # WHEN an encrypted HQ imports it
    hq = _user_services(tmp_path / "hq", role="analyst",
                        as_admin=lambda admin: admin.hq.trust_key(post_code="UZ-DUS", public_key=public_key))
    try:
        report = hq.hq.import_bundle(path=result.path)
        assert report.outcome == "imported", report.reason()
        # THEN HQ's photo file is sealed, yet reads back as the original
        stored = _on_disk(hq, attachment.sha256)
        assert b"PHOTO-SECRET" not in stored
        assert hq.sync._blobs.read_bytes(attachment.sha256) == PHOTO
    finally:
        hq.close()
