"""A forgotten administrator password: the recovery code sets a new one; wrong codes are refused, counted toward a
lock-out and audited; each use reaches HQ in the next bundle; the recovery sheet holds the code and no case."""

from __future__ import annotations

import json
import zipfile

import pytest

from blo_desk.domain.errors import AccountLockedError, InvalidCredentialsError, InvalidRecoveryCodeError
from blo_desk.domain.recovery import normalize_code
from blo_desk.services.accounts import AccountService, PasswordPolicy
from blo_desk.services.demo import dustlik_case
from blo_desk.storage.crypto import KdfParams

POLICY = PasswordPolicy(kdf=KdfParams(memory_kib=19456, time_cost=2, parallelism=1), max_failures=3)


@pytest.fixture
def store(encrypted_settings):
    """An encrypted post store with a recovery code, an officer and one case."""
    admin = AccountService(encrypted_settings, policy=POLICY)
    admin.create_first_admin(username="admin", password="admin-password-1")
    services = admin.open_services()
    services.users.policy = POLICY
    services.users.add_user(username="karim", password="officer-pass-1", role="officer", post_code="UZ-DUS")
    services.sync.set_up_post(post_code="UZ-DUS")
    code = services.users.create_recovery_code()
    sheet = services.users.recovery_sheet(code=code, language="uz")
    services.close()
    karim = AccountService(encrypted_settings, policy=POLICY)
    karim.login(username="karim", password="officer-pass-1")
    officer = karim.open_services()
    case = officer.cases.save(case=dustlik_case())
    officer.close()
    return encrypted_settings, code, sheet, case


def _events(settings, password="new-admin-pass-9"):
    accounts = AccountService(settings, policy=POLICY)
    accounts.login(username="admin", password=password)
    services = accounts.open_services()
    try:
        return [(e.action, e.outcome, json.loads(e.details) if isinstance(e.details, str) else e.details)
                for e in services.audit.events(limit=20)]
    finally:
        services.close()


def test_the_right_code_sets_a_new_administrator_password(store):
    settings, code, _sheet, _case = store
    # WHEN the code is typed from paper (lower case, spaces, O for 0) with a new password
    typed = code.lower().replace("-", " ").replace("0", "o")
    assert normalize_code(typed) == code
    principal = AccountService(settings, policy=POLICY).recover(code=typed, new_password="new-admin-pass-9")
    # THEN the administrator logs in with the new password only, and the use is audited
    assert principal.username == "admin"
    with pytest.raises(InvalidCredentialsError):
        AccountService(settings, policy=POLICY).login(username="admin", password="admin-password-1")
    events = _events(settings)
    assert ("user.recover", "ok") in [(a, o) for a, o, _d in events]


def test_wrong_codes_are_refused_counted_locked_out_and_audited(store):
    settings, code, _sheet, _case = store
    accounts = AccountService(settings, policy=POLICY)
    # WHEN wrong codes are typed up to the limit
    for wrong in ("AAAAA-AAAAA-AAAAA-AAAAA-AAAAA-AAAAA", "not a code", "ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ"):
        with pytest.raises(InvalidRecoveryCodeError):
            accounts.recover(code=wrong, new_password="new-admin-pass-9")
    # THEN even the right code is refused during the lock-out
    with pytest.raises(AccountLockedError):
        accounts.recover(code=code, new_password="new-admin-pass-9")
    # AND the refusals are in the audit trail at the next opening of the store, then travel to HQ
    events = _events(settings, password="admin-password-1")
    refused = [d for a, o, d in events if a == "user.recover" and o == "failed"]
    assert refused and refused[0]["failures"] == 4 and refused[0]["lockouts"] == 1
    accounts = AccountService(settings, policy=POLICY)
    accounts.login(username="karim", password="officer-pass-1")
    officer = accounts.open_services()
    try:
        bundle = officer.sync.export(folder=settings.data_dir.parent / "stick")
        public_key = officer.sync.public_key_text()
    finally:
        officer.close()
    with zipfile.ZipFile(bundle.path) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    assert [(e["action"], e["outcome"]) for e in manifest["security_events"]] == [("user.recover", "failed")]
    # AND HQ shows the refused uses when the bundle arrives
    from blo_desk.config import load_settings
    from blo_desk.domain.permissions import SYSTEM
    from blo_desk.services.registry import open_services

    hq = open_services(load_settings(data_dir=settings.data_dir.parent / "hq", plaintext_store=True),
                       principal=SYSTEM)
    try:
        hq.hq.trust_key(post_code="UZ-DUS", public_key=public_key)
        assert hq.hq.import_bundle(path=bundle.path).outcome == "imported"
        (alert,) = hq.hq.alerts()
        assert alert.kind == "recovery_code_used" and "(failed)" in alert.translated()
    finally:
        hq.close()


def test_the_recovery_sheet_holds_the_code_and_no_case(store):
    settings, code, sheet, case = store
    import io

    from pypdf import PdfReader

    # GIVEN the sheet printed in Uzbek WHEN its text is read
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(sheet)).pages)
    # THEN it shows the code in groups and the post, and nothing of any case
    assert code in text and "UZ-DUS" in text
    owner = case.persons[0]
    for secret in (owner.full_name, owner.document_number, case.case_number, "Oztay", "Karimova"):
        assert secret.encode() not in sheet and secret not in text, secret


def test_the_escrow_copy_opens_with_hqs_age_key(store):
    settings, _code, _sheet, _case = store
    import base64
    import io

    from blo_desk.exchange.age import decrypt_stream, generate_identity, recipient_of
    from blo_desk.storage.crypto import Keyring

    identity = generate_identity()
    accounts = AccountService(settings, policy=POLICY)
    accounts.login(username="admin", password="admin-password-1")
    services = accounts.open_services()
    try:
        services.users.create_recovery_code(escrow_to=recipient_of(identity))
    finally:
        services.close()
    escrow = Keyring(settings.keyring_path).escrow
    assert escrow is not None
    out = io.BytesIO()
    decrypt_stream(io.BytesIO(base64.b64decode(escrow["age"])), out, identity=identity)
    assert Keyring(settings.keyring_path).unwrap("admin", "admin-password-1").raw == out.getvalue()
    # AND at HQ the escrow copy, opened with HQ's age identity, gives the administrator a new password
    from blo_desk.exchange.age import identity_file_text

    at_hq = AccountService(settings, policy=POLICY)
    with pytest.raises(InvalidRecoveryCodeError):
        at_hq.recover_with_escrow(identity_text=identity_file_text(generate_identity()),
                                  new_password="hq-set-password-1")
    assert at_hq.recover_with_escrow(identity_text=identity_file_text(identity),
                                     new_password="hq-set-password-1").username == "admin"
    AccountService(settings, policy=POLICY).login(username="admin", password="hq-set-password-1")


def test_with_two_administrators_the_code_resets_the_one_chosen(store):
    from blo_desk.domain.errors import RecoveryAccountError, RecoveryChoiceError

    settings, code, _sheet, _case = store
    # GIVEN a second administrator, nadia
    accounts = AccountService(settings, policy=POLICY)
    accounts.login(username="admin", password="admin-password-1")
    services = accounts.open_services()
    services.users.policy = POLICY
    services.users.add_user(username="nadia", password="nadia-password-1", role="admin", post_code="UZ-DUS")
    services.close()
    # WHEN the code is used without naming an administrator
    with pytest.raises(RecoveryChoiceError) as choice:
        AccountService(settings, policy=POLICY).recover(code=code, new_password="new-admin-pass-9")
    # THEN nobody's password changes and both administrators are offered to choose from
    assert choice.value.administrators == ("admin", "nadia")
    assert "admin, nadia" in choice.value.translated()
    # AND a name that is no administrator is refused
    with pytest.raises(RecoveryAccountError):
        AccountService(settings, policy=POLICY).recover(code=code, new_password="new-admin-pass-9", username="karim")
    # WHEN nadia is chosen
    principal = AccountService(settings, policy=POLICY).recover(code=code, new_password="new-nadia-pass-9",
                                                                username="Nadia")
    # THEN nadia logs in with the new password, and the first administrator keeps hers
    assert principal.username == "nadia"
    AccountService(settings, policy=POLICY).login(username="nadia", password="new-nadia-pass-9")
    events = _events(settings, password="admin-password-1")
    recover = [(o, d) for a, o, d in events if a == "user.recover"]
    # AND each use is in the audit trail: the refused ones (no choice, not an administrator) and nadia's reset
    assert [o for o, _d in recover] == ["ok", "failed", "refused"]  # newest first
    assert recover[2][1]["why"] == "administrator not chosen"
    assert recover[1][1]["why"] == "no such administrator"
    # AND the code still resets the first administrator when she is named
    assert AccountService(settings, policy=POLICY).recover(code=code, new_password="new-admin-pass-9",
                                                           username="admin").username == "admin"
