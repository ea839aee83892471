"""Attacks by an insider holding the data key, reproduced: rewritten cases and revisions, deleted drafts, failed
logins that vanish. Each one is named by `audit verify` (or the check at login) or kept in the audit trail."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from dataclasses import replace

import pytest

from blo_desk.domain.entities import Person
from blo_desk.domain.enums import PersonRole
from blo_desk.domain.errors import AccountLockedError, CaseFinalizedError, InvalidCredentialsError
from blo_desk.services.accounts import AccountService, PasswordPolicy
from blo_desk.services.demo import dustlik_case, generate
from blo_desk.storage.crypto import KdfParams, Keyring
from blo_desk.storage.engine import open_sqlcipher

POLICY = PasswordPolicy(kdf=KdfParams(memory_kib=19456, time_cost=2, parallelism=1), max_failures=3)
PASSPORT = "AA1234567"


def _owner_case():
    case = dustlik_case()
    owner = Person(role=PersonRole.OWNER, full_name="Karimova Dilnoza", nationality="UZ", document_type="passport",
                   document_number=PASSPORT)
    return replace(case, persons=(owner, *case.persons[1:]))


def _tamper(conn, *statements: tuple[str, tuple]) -> None:
    """What an insider with a SQLite tool does: drop every trigger, change rows, put the triggers back."""
    triggers = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
    for name, _sql in triggers:
        conn.execute(f"DROP TRIGGER {name}")
    for sql, params in statements:
        conn.execute(sql, params)
    for _name, sql in triggers:
        conn.execute(sql)
    conn.commit()
    conn.close()


def _plain(settings):
    conn = sqlite3.connect(settings.data_dir / "blo_desk.sqlite3")
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


def _refused(event) -> bool:
    """A failed or refused login, or a lock-out."""
    return event.action == "user.lockout" or (event.action == "user.login" and event.outcome != "ok")


def _messages(report) -> list[str]:
    return [p.translated() for p in report.problems]


@pytest.fixture
def post(encrypted_settings):
    """An encrypted post store: admin, and supervisor saida who saved and finalized the Dustlik case."""
    admin = AccountService(encrypted_settings, policy=POLICY)
    admin.create_first_admin(username="admin", password="admin-password-1", post_code="UZ-DUS")
    services = admin.open_services()
    services.users.add_user(username="saida", password="supervisor-1", role="supervisor", post_code="UZ-DUS")
    services.close()
    saida = AccountService(encrypted_settings, policy=POLICY)
    saida.login(username="saida", password="supervisor-1")
    services = saida.open_services()
    saved = services.cases.save(case=_owner_case())
    final = services.cases.finalize(case_id=saved.id, expected_revision=saved.revision)
    services.close()
    return encrypted_settings, final


def test_an_insider_rewrites_a_finalized_case_and_audit_verify_names_it(post):
    settings, final = post
    # GIVEN an officer who unwraps the data key with her own password and opens the store with a SQLite tool
    key = Keyring(settings.keyring_path).unwrap("saida", "supervisor-1")
    conn = open_sqlcipher(settings.data_dir / "blo_desk.sqlite3", key)
    # WHEN she drops the triggers, rewrites the narrative and the owner's passport number, and recreates them
    _tamper(conn, ("UPDATE seizure_case SET narrative = 'Nothing was found.' WHERE id = ?", (final.id,)),
            ("UPDATE person SET document_number = 'ZZ0000000' WHERE case_id = ? AND document_number = ?",
             (final.id, PASSPORT)))
    # THEN `blo-desk audit verify` names the case and exits non-zero
    env = {**os.environ, "BLO_DESK_DATA_DIR": str(settings.data_dir), "BLO_DESK_PLAINTEXT_STORE": "0",
           "BLO_DESK_USER": "admin", "BLO_DESK_PASSWORD": "admin-password-1"}
    done = subprocess.run([sys.executable, "-m", "blo_desk", "--lang", "en", "audit", "verify"], capture_output=True,
                          text=True, env=env, timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"Case {final.case_number} differs from revision {final.revision}" in done.stderr
    assert "changed outside the program" in done.stderr
    # AND the check changed nothing: the rewritten case is still there to be examined, and the finding is audited
    accounts = AccountService(settings, policy=POLICY)
    accounts.login(username="admin", password="admin-password-1")
    services = accounts.open_services()
    try:
        with services.uow() as uow:
            held = uow.cases.get(final.id)
        assert held.narrative == "Nothing was found." and held.persons[0].document_number == "ZZ0000000"
        found = [e for e in services.audit.events(limit=50) if e.action == "audit.content_check"]
        assert found and found[0].outcome == "failed" and final.case_number in json.loads(found[0].details)["cases"]
    finally:
        services.close()


def test_deleted_drafts_and_revision_records_are_named_missing_at_the_next_login(settings):
    # GIVEN a plain store with an administrator, a draft, a draft saved twice and a finalized case
    accounts = AccountService(settings, policy=POLICY)
    accounts.create_first_admin(username="admin", password="admin-password-1")
    from blo_desk.domain.permissions import SYSTEM
    from blo_desk.services.registry import open_services

    services = open_services(settings, principal=SYSTEM)
    gone = services.cases.save(case=dustlik_case())
    twice = services.cases.save(case=dustlik_case())
    twice = services.cases.save(case=replace(twice, narrative="Second version"))
    final = services.cases.save(case=dustlik_case())
    final = services.cases.finalize(case_id=final.id, expected_revision=final.revision)
    assert services.audit.verify().ok
    services.close()
    # WHEN an insider deletes the first draft, revision 1 of the second, and revision 1 of the finalized case
    _tamper(_plain(settings), ("DELETE FROM seizure_case WHERE id = ?", (gone.id,)),
            ("DELETE FROM case_revision WHERE case_id = ? AND revision = 1", (twice.id,)),
            ("DELETE FROM case_revision WHERE case_id = ? AND revision = 1", (final.id,)))
    # THEN the fast check at the next login names them
    accounts = AccountService(settings, policy=POLICY)
    accounts.login(username="admin", password="admin-password-1")
    assert accounts.integrity is not None and not accounts.integrity.ok
    login = _messages(accounts.integrity)
    assert f"Case {gone.case_number} is missing: the audit trail records it up to revision 1." in login
    assert f"Revision 1 of case {twice.case_number} is missing." in login
    assert f"Revision 1 of case {final.case_number} is missing." in login
    # AND so does the full check, which changes no case
    services = accounts.open_services()
    try:
        report = services.audit.verify()
        assert set(login) <= set(_messages(report))
        with services.uow() as uow:
            assert uow.cases.get(final.id) == final
    finally:
        services.close()


def test_an_edited_revision_record_and_a_case_added_outside_the_program_are_named(services, settings):
    # GIVEN a finalized case
    saved = services.cases.save(case=dustlik_case())
    final = services.cases.finalize(case_id=saved.id, expected_revision=saved.revision)
    # WHEN its first revision record is rewritten (history) and a case is inserted without the program
    with _plain(settings) as conn:
        record = json.loads(conn.execute("SELECT record FROM case_revision WHERE case_id = ? AND revision = 1",
                                         (final.id,)).fetchone()[0])
    record["case"]["narrative"] = "Rewritten history"
    _tamper(_plain(settings), ("UPDATE case_revision SET record = ? WHERE case_id = ? AND revision = 1",
                               (json.dumps(record), final.id)))
    generate(uow=services.uow, count=1, seed=9)  # written straight to the tables: no audit event
    # THEN verify names both
    messages = _messages(services.audit.verify())
    assert f"Revision 1 of case {final.case_number} differs from what the audit trail recorded." in messages
    assert any("is not in the audit trail: it was added outside the program." in m for m in messages)
    # AND the content check of the case itself (its rows) still passes: only the history was touched
    assert not any(f"Case {final.case_number} differs" in m for m in messages)


def test_saving_over_a_finalized_case_is_refused_and_audited(services):
    saved = services.cases.save(case=dustlik_case())
    final = services.cases.finalize(case_id=saved.id, expected_revision=saved.revision)
    # WHEN someone saves a draft over the finalized case
    with pytest.raises(CaseFinalizedError) as refused:
        services.cases.save(case=replace(final, narrative="Changed after the fact"))
    # THEN it is refused with a message, the case is unchanged, and the refusal is in the audit trail
    assert final.case_number in refused.value.translated()
    assert services.cases.get(case_id=final.id) == final
    event = services.audit.events(limit=1)[0]
    assert (event.action, event.outcome, event.target) == ("case.edit_draft", "refused", f"case:{final.id}")
    assert json.loads(event.details) == {"case_number": final.case_number, "reason": "CaseFinalizedError"}
    assert services.audit.verify().ok


def test_failed_logins_lockouts_and_unknown_names_reach_the_audit_trail_and_survive_an_unlock(post):
    settings, _final = post
    karim = AccountService(settings, policy=POLICY)
    # GIVEN three wrong passwords for saida (the lock-out), a try while locked, and two for a name nobody has
    for _ in range(3):
        with pytest.raises(InvalidCredentialsError):
            karim.login(username="saida", password="wrong-password")
    with pytest.raises(AccountLockedError):
        karim.login(username="saida", password="supervisor-1")
    for _ in range(2):
        with pytest.raises(InvalidCredentialsError):
            karim.login(username="mallory", password="guess-guess")
    # THEN while the store is closed they wait in the keyring
    queued, dropped = Keyring(settings.keyring_path).queued_login_events()
    assert [(e["kind"], e["username"], e["count"]) for e in queued] == [
        ("failed", "saida", 1), ("failed", "saida", 2), ("failed", "saida", 3), ("locked", "saida", 3),
        ("refused_locked", "saida", 1), ("failed", "mallory", 1), ("failed", "mallory", 2)] and dropped == 0
    # WHEN the administrator logs in
    admin = AccountService(settings, policy=POLICY)
    admin.login(username="admin", password="admin-password-1")
    services = admin.open_services()
    try:
        events = list(reversed(services.audit.events(limit=100)))
        logins = [(e.action, e.outcome, e.target, json.loads(e.details)["count"]) for e in events if _refused(e)]
        # THEN every attempt, the lock-out and the refusal are recorded with their counts, the unknown name too
        assert logins == [("user.login", "failed", "user:saida", 1), ("user.login", "failed", "user:saida", 2),
                          ("user.login", "failed", "user:saida", 3), ("user.lockout", "ok", "user:saida", 3),
                          ("user.login", "denied", "user:saida", 1), ("user.login", "failed", "user:mallory", 1),
                          ("user.login", "failed", "user:mallory", 2)]
        assert Keyring(settings.keyring_path).queued_login_events() == ([], 0)
        # AND the administrator sees saida locked and mallory's attempts
        saida = next(u for u in services.users.list_users() if u.username == "saida")
        assert saida.locked_until is not None
        assert [(u.username, u.attempts) for u in services.users.unknown_logins()] == [("mallory", 2)]
        # WHEN saida fails once more and the administrator then unlocks her
        with pytest.raises(AccountLockedError):
            AccountService(settings, policy=POLICY).login(username="saida", password="supervisor-1")
        services.users.unlock(username="saida")
        # THEN the unlock records what it lifted, and no failure was erased (the new one was recorded first)
        after = list(reversed(services.audit.events(limit=100)))
        unlock = after[-1]
        assert unlock.action == "user.unlock" and json.loads(unlock.details)["locked_until"]
        assert json.loads(unlock.details)["refused_while_locked"] == 2
        assert [e for e in after if _refused(e)][:7] == [e for e in events if _refused(e)]
        assert sum(1 for e in after if e.target == "user:saida" and e.outcome == "denied") == 2
        assert services.audit.verify().ok
    finally:
        services.close()


def test_unknown_usernames_on_a_plain_store_are_counted_and_listed_by_the_cli(settings, tmp_path):
    accounts = AccountService(settings, policy=POLICY)
    accounts.create_first_admin(username="admin", password="admin-password-1")
    for _ in range(3):
        with pytest.raises(InvalidCredentialsError):
            AccountService(settings, policy=POLICY).login(username="root", password="toor-toor-toor")
    env = {**os.environ, "BLO_DESK_DATA_DIR": str(settings.data_dir), "BLO_DESK_PLAINTEXT_STORE": "1"}
    done = subprocess.run([sys.executable, "-m", "blo_desk", "--lang", "en", "user", "list"], capture_output=True,
                          text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Unknown usernames tried" in done.stdout
    assert "root\t3" in done.stdout


def test_removing_the_login_checkpoint_does_not_let_a_slipped_in_case_pass_as_legacy(services, settings):
    # GIVEN a store checked once at login (the first check writes the baseline and the checkpoint)
    services.cases.save(case=dustlik_case())
    assert services.audit.check_recent().ok
    # WHEN an insider removes the checkpoint and slips a case in without the program
    _tamper(_plain(settings), ("DELETE FROM setting WHERE key = 'audit.content_checked'", ()))
    generate(uow=services.uow, count=1, seed=4)
    # THEN the next login check (a full one now) names the case instead of adopting it
    report = services.audit.check_recent()
    assert any("is not in the audit trail: it was added outside the program." in m for m in _messages(report))
    assert [e.action for e in services.audit.events(limit=100)].count("audit.content_baseline") == 1


def test_an_unknown_username_costs_the_same_argon2id_work_as_a_wrong_password(post, monkeypatch):
    from argon2 import low_level

    from blo_desk.storage import crypto

    settings, _final = post
    # GIVEN the real argon2id derivation, watched (each call still runs in full)
    derivations: list[tuple[int, int, int, int]] = []
    real = low_level.hash_secret_raw

    def watched(secret, salt, *, time_cost, memory_cost, parallelism, hash_len, type):  # noqa: A002 - argon2's name
        derivations.append((memory_cost, time_cost, parallelism, len(salt)))
        return real(secret, salt, time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism,
                    hash_len=hash_len, type=type)

    monkeypatch.setattr(crypto, "hash_secret_raw", watched)
    accounts = AccountService(settings, policy=POLICY)
    # WHEN a wrong password is typed for saida, who exists, and then for mallory, whom nobody is
    with pytest.raises(InvalidCredentialsError):
        accounts.login(username="saida", password="wrong-password")
    known = list(derivations)
    derivations.clear()
    with pytest.raises(InvalidCredentialsError) as unknown_refusal:
        accounts.login(username="mallory", password="wrong-password")
    unknown = list(derivations)
    # THEN both did exactly one argon2id derivation of the same cost, and were refused in the same words
    assert known == unknown == [(POLICY.kdf.memory_kib, POLICY.kdf.time_cost, POLICY.kdf.parallelism, 16)]
    assert unknown_refusal.value.translated() == InvalidCredentialsError().translated()
    # AND both attempts are counted, as before: the unknown name as unknown, nothing of it kept as a user
    queued, _dropped = Keyring(settings.keyring_path).queued_login_events()
    assert [(e["username"], e["known"], e["count"]) for e in queued] == [("saida", True, 1), ("mallory", False, 1)]
    assert not Keyring(settings.keyring_path).has("mallory")
