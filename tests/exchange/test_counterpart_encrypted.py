"""Counterpart shares between encrypted stores (issue 16): each post's age identity is kept sealed with its store's
data key, and officers (not only administrators) share and receive."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from blo_desk.config import load_settings
from blo_desk.services.accounts import AccountService, PasswordPolicy
from blo_desk.services.demo import dustlik_case
from blo_desk.storage.crypto import KdfParams

POLICY = PasswordPolicy(kdf=KdfParams(memory_kib=19456, time_cost=2, parallelism=1))


def _login(settings, username: str, password: str):
    accounts = AccountService(settings, policy=POLICY)
    accounts.login(username=username, password=password)
    return accounts.open_services()


def test_officers_of_two_encrypted_posts_share_and_receive(tmp_path):
    # GIVEN two encrypted stores, each with an administrator who set the post up and wrote its card
    posts, fingerprints = {}, {}
    for code in ("UZ-DUS", "KG-DOS"):
        settings = load_settings(data_dir=tmp_path / code, language="en", plaintext_store=False)
        admin = AccountService(settings, policy=POLICY)
        admin.create_first_admin(username="admin", password="admin-password-1")
        services = admin.open_services()
        services.sync.set_up_post(post_code=code)
        services.users.add_user(username="officer", password="officer-password-1", role="officer", post_code=code)
        fingerprints[code] = services.sharing.write_card(path=tmp_path / f"{code}.card")[1]
        services.close()
        posts[code] = settings
    # AND each administrator added the other's card
    for code, other in (("UZ-DUS", "KG-DOS"), ("KG-DOS", "UZ-DUS")):
        admin = _login(posts[code], "admin", "admin-password-1")
        try:
            admin.sharing.add_counterpart(path=tmp_path / f"{other}.card", fingerprint=fingerprints[other])
        finally:
            admin.close()
    # THEN each post's age identity is on disk only sealed (0600), never as an age-keygen file
    for code in posts:
        keys = sorted(p.name for p in (tmp_path / code / "keys").glob("post-age*"))
        assert keys == ["post-age.key.sealed"]
        sealed = tmp_path / code / "keys" / keys[0]
        assert b"AGE-SECRET-KEY" not in sealed.read_bytes() and sealed.stat().st_mode & 0o777 == 0o600
    # WHEN Dustlik's officer shares a case and Dostuk's officer imports it
    dustlik = _login(posts["UZ-DUS"], "officer", "officer-password-1")
    try:
        case = dustlik.cases.save(case=replace(dustlik_case(), post_code="UZ-DUS"))
        sent = dustlik.sharing.share(references=[case.case_number], to="KG-DOS", out=tmp_path / "stick")
    finally:
        dustlik.close()
    dostuk = _login(posts["KG-DOS"], "officer", "officer-password-1")
    try:
        received = dostuk.sharing.import_share(path=Path(sent.path))
        # THEN the record is there, read-only, from Dustlik
        assert received.peer == "UZ-DUS"
        assert [r.reference for r in dostuk.sharing.shared_records()] == [case.case_number]
    finally:
        dostuk.close()
