"""Accounts and roles: each role refused (and audited) outside its rights; argon2id logins, lock-out, passwords."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest
from argon2 import extract_parameters

from blo_desk.domain.entities import CaseQuery, Post
from blo_desk.domain.errors import (
    AccountLockedError,
    InvalidCredentialsError,
    LastAdminError,
    PermissionDeniedError,
    StoreLockedError,
)
from blo_desk.domain.permissions import SYSTEM, Principal, Role
from blo_desk.services.accounts import AccountService, PasswordPolicy
from blo_desk.services.demo import dustlik_case
from blo_desk.services.registry import open_services
from blo_desk.storage.crypto import KdfParams, Keyring

OFFICER = Principal("karim", Role.OFFICER, "UZ-DUS")
OTHER_OFFICER = Principal("aziz", Role.OFFICER, "UZ-DUS")
SUPERVISOR = Principal("nodira", Role.SUPERVISOR, "UZ-DUS")
FAR_SUPERVISOR = Principal("timur", Role.SUPERVISOR, "UZ-GSK")
ANALYST = Principal("lola", Role.ANALYST, "")
ADMIN = Principal("admin", Role.ADMIN, "")


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 1, 8, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def store(settings):
    """A plaintext store with one draft by `karim` and one finalized case, both at UZ-DUS."""
    system = open_services(settings, principal=SYSTEM)
    officer = open_services(settings, principal=OFFICER)
    draft = officer.cases.save(case=dustlik_case())
    final = officer.cases.save(case=dustlik_case())
    final = officer.cases.finalize(case_id=final.id, expected_revision=final.revision)
    officer.close()
    yield system, draft, final
    system.close()


def _as(settings, principal):
    return open_services(settings, principal=principal)


FORBIDDEN = {
    "officer amends another officer's case": (OTHER_OFFICER, lambda s, d, f: s.cases.amend(
        case=replace(f, narrative="x"), reason="typo")),
    "officer adds a user": (OFFICER, lambda s, d, f: s.users.add_user(username="x1", password="p" * 12,
                                                                      role="officer", post_code="UZ-DUS")),
    "officer edits a post": (OFFICER, lambda s, d, f: s.reference.save_post(post=Post("UZ-DUS", "UZ", "a", "b", "c"))),
    "officer changes a setting": (OFFICER, lambda s, d, f: s.reference.set_setting(key="post", value="UZ-GSK")),
    "officer reads the audit": (OFFICER, lambda s, d, f: s.audit.verify()),
    "officer edits another officer's draft": (OTHER_OFFICER, lambda s, d, f: s.cases.save(case=replace(d, narrative="x"))),
    "officer finalizes another officer's case": (OTHER_OFFICER, lambda s, d, f: s.cases.finalize(case_id=d.id,
                                                                                                expected_revision=1)),
    "officer lists another post": (OFFICER, lambda s, d, f: s.cases.list_cases(query=CaseQuery(post_code="UZ-GSK"))),
    "supervisor adds a user": (SUPERVISOR, lambda s, d, f: s.users.add_user(username="x2", password="p" * 12,
                                                                           role="officer", post_code="UZ-DUS")),
    "supervisor edits a post": (SUPERVISOR, lambda s, d, f: s.reference.save_post(post=Post("UZ-DUS", "UZ", "a", "b", "c"))),
    "supervisor of another post reads": (FAR_SUPERVISOR, lambda s, d, f: s.cases.get(case_id=d.id)),
    "supervisor of another post amends": (FAR_SUPERVISOR, lambda s, d, f: s.cases.amend(
        case=replace(f, narrative="x"), reason="typo")),
    "analyst creates a case": (ANALYST, lambda s, d, f: s.cases.save(case=dustlik_case())),
    "analyst edits a draft": (ANALYST, lambda s, d, f: s.cases.save(case=replace(d, narrative="x"))),
    "analyst finalizes": (ANALYST, lambda s, d, f: s.cases.finalize(case_id=d.id, expected_revision=1)),
    "analyst amends": (ANALYST, lambda s, d, f: s.cases.amend(case=replace(f, narrative="x"), reason="typo")),
    "analyst adds a user": (ANALYST, lambda s, d, f: s.users.add_user(username="x3", password="p" * 12, role="admin")),
    "admin reads a case": (ADMIN, lambda s, d, f: s.cases.get(case_id=d.id)),
    "admin lists cases": (ADMIN, lambda s, d, f: s.cases.list_cases(query=CaseQuery())),
    "admin creates a case": (ADMIN, lambda s, d, f: s.cases.save(case=dustlik_case())),
    "admin amends": (ADMIN, lambda s, d, f: s.cases.amend(case=replace(f, narrative="x"), reason="typo")),
    "officer prints a period report": (OFFICER, lambda s, d, f: s.printing.period_report(
        date_from=date(2024, 1, 1), date_to=date(2024, 12, 31), lang="en")),
    "supervisor of another post prints a protocol": (FAR_SUPERVISOR, lambda s, d, f: s.printing.protocol(
        case_id=f.id, lang="en")),
    "admin prints a protocol": (ADMIN, lambda s, d, f: s.printing.protocol(case_id=f.id, lang="en")),
    "officer of another post checks a printed code": (Principal("ali", Role.OFFICER, "UZ-GSK"),
                                                       lambda s, d, f: s.printing.verify_code(code=_code(s, f))),
}


def _code(services, case) -> str:
    from blo_desk.domain.canonical import content_hash
    from blo_desk.domain.check_code import make_check_code

    return make_check_code(case_id=case.id, revision=case.revision, content_hash=content_hash(case)).full()


@pytest.mark.parametrize("name", sorted(FORBIDDEN))
def test_each_role_is_refused_outside_its_rights_and_the_refusal_is_audited(settings, store, name):
    system, draft, final = store
    principal, call = FORBIDDEN[name]
    services = _as(settings, principal)
    before = system.audit.head().length
    try:
        # GIVEN a user of this role WHEN they call a service their role does not allow
        with pytest.raises(PermissionDeniedError) as caught:
            call(services, draft, final)
    finally:
        services.close()
    # THEN it is refused with a readable message, nothing changed, and the refusal is one audit event
    assert caught.value.translated()
    events = system.audit.events(limit=5)
    assert system.audit.head().length == before + 1
    assert (events[0].actor, events[0].outcome) == (principal.username, "denied")
    assert system.cases.get(case_id=draft.id) == draft
    assert system.audit.verify().ok


def test_roles_do_what_they_are_for(settings, store):
    system, draft, final = store
    # GIVEN the supervisor of the post WHEN they edit the officer's draft and amend the finalized case THEN both work
    supervisor = _as(settings, SUPERVISOR)
    edited = supervisor.cases.save(case=replace(draft, narrative="Checked by the supervisor"))
    amended = supervisor.cases.amend(case=replace(final, narrative="Corrected"), reason="Typo in the narrative")
    assert (edited.revision, amended.revision) == (2, 3)
    supervisor.close()
    # AND the officer who finalized a case may amend it with a reason (whoever finalizes may amend)
    officer = _as(settings, OFFICER)
    again = officer.cases.amend(case=replace(amended, narrative="Corrected again"), reason="Seal number")
    assert again.revision == 4 and officer.cases.history(case_id=final.id)[-1].reason == "Seal number"
    officer.close()
    # AND the analyst searches every post, officers see their post only
    analyst = _as(settings, ANALYST)
    assert analyst.cases.list_cases(query=CaseQuery()).total == 2
    analyst.close()
    far = _as(settings, Principal("ali", Role.OFFICER, "UZ-GSK"))
    assert far.cases.list_cases(query=CaseQuery()).total == 0
    far.close()
    # AND every write is an audit event with the content hash before and after
    events = [e for e in system.audit.events(limit=50) if e.target == f"case:{final.id}"]
    assert events[0].action == "case.amend" and events[0].actor == OFFICER.username
    assert events[1].action == "case.amend" and events[1].actor == "nodira"
    assert events[0].before_hash and events[0].after_hash and events[0].before_hash != events[0].after_hash


def _policy(**kw) -> PasswordPolicy:
    return PasswordPolicy(kdf=KdfParams(memory_kib=19456, time_cost=2, parallelism=1), **kw)


def _first_admin(settings, clock=None, policy=None) -> AccountService:
    accounts = AccountService(settings, policy=policy or _policy(), clock=clock or Clock())
    accounts.create_first_admin(username="admin", password="admin-password-1")
    return accounts


def test_first_start_creates_the_admin_and_the_encrypted_store(encrypted_settings):
    # GIVEN a new data folder
    accounts = AccountService(encrypted_settings, policy=_policy())
    assert accounts.first_start()
    # WHEN the first administrator is created
    principal = accounts.create_first_admin(username="Admin", password="admin-password-1", post_code="UZ-DUS")
    # THEN they are logged in as admin, the store exists and is no longer at first start
    assert principal == Principal("admin", Role.ADMIN, "UZ-DUS")
    assert not AccountService(encrypted_settings).first_start()
    services = accounts.open_services()
    assert [u.username for u in services.users.list_users()] == ["admin"]
    services.close()
    # AND without a login the store does not open at all
    with pytest.raises(StoreLockedError):
        open_services(encrypted_settings)


@pytest.mark.parametrize("encrypted", [True, False], ids=["sqlcipher", "plaintext"])
def test_ten_wrong_passwords_lock_the_account_for_the_configured_time(settings, encrypted_settings, encrypted):
    chosen = encrypted_settings if encrypted else settings
    clock = Clock()
    policy = _policy(max_failures=5, lockout=timedelta(minutes=15))
    admin = _first_admin(chosen, clock, policy)
    services = admin.open_services()
    services.users.add_user(username="karim", password="officer-pass-1", role="officer", post_code="UZ-DUS")
    services.close()
    accounts = AccountService(chosen, policy=policy, clock=clock)
    # WHEN ten wrong passwords are typed
    outcomes = []
    for _ in range(10):
        try:
            accounts.login(username="karim", password="wrong-password")
        except (InvalidCredentialsError, AccountLockedError) as exc:
            outcomes.append(type(exc).__name__)
    # THEN five are wrong passwords, then the account is locked, even for the right password
    assert outcomes == ["InvalidCredentialsError"] * 5 + ["AccountLockedError"] * 5
    with pytest.raises(AccountLockedError) as caught:
        accounts.login(username="karim", password="officer-pass-1")
    assert "15" in caught.value.translated()
    # AND after the lock-out time the right password works again, and the failures are in the audit trail
    clock.now += timedelta(minutes=16)
    assert accounts.login(username="karim", password="officer-pass-1").username == "karim"
    services = admin.open_services()
    failed = [e for e in services.audit.events(limit=100) if e.action == "user.login" and e.outcome != "ok"]
    assert failed
    services.close()


def test_the_stored_hash_is_argon2id_with_at_least_owasp_parameters(settings):
    # GIVEN a user created with the default policy
    accounts = AccountService(settings)
    accounts.create_first_admin(username="admin", password="admin-password-1")
    services = open_services(settings, principal=SYSTEM)
    with services.uow() as uow:
        stored = uow.session.execute(
            __import__("sqlalchemy").text("SELECT password_hash FROM user_account")).scalar()
    services.close()
    # THEN it is an argon2id hash of at least 19 MiB and 2 iterations
    assert stored.startswith("$argon2id$")
    params = extract_parameters(stored)
    assert params.memory_cost >= 19456 and params.time_cost >= 2


def test_login_rehashes_when_the_parameters_rise(encrypted_settings):
    # GIVEN an admin created under the minimum cost
    _first_admin(encrypted_settings)
    assert Keyring(encrypted_settings.keyring_path).params_of("admin") == KdfParams(19456, 2, 1)
    # WHEN they log in with a policy that asks for more
    stronger = PasswordPolicy(kdf=KdfParams(memory_kib=32768, time_cost=3, parallelism=1))
    accounts = AccountService(encrypted_settings, policy=stronger)
    accounts.login(username="admin", password="admin-password-1")
    # THEN both the password hash and the wrapped key now use the new cost
    services = accounts.open_services()
    with services.uow() as uow:
        stored = uow.session.execute(__import__("sqlalchemy").text("SELECT password_hash FROM user_account")).scalar()
    services.close()
    assert extract_parameters(stored).memory_cost == 32768
    assert Keyring(encrypted_settings.keyring_path).params_of("admin") == KdfParams(32768, 3, 1)


def test_password_change_and_user_removal(encrypted_settings):
    admin = _first_admin(encrypted_settings)
    services = admin.open_services()
    services.users.add_user(username="karim", password="officer-pass-1", role="officer", post_code="UZ-DUS")
    services.close()
    # WHEN karim changes his password
    karim = AccountService(encrypted_settings, policy=_policy())
    karim.login(username="karim", password="officer-pass-1")
    own = karim.open_services()
    with pytest.raises(InvalidCredentialsError):
        own.users.change_password(old_password="not-my-password", new_password="officer-pass-2")
    own.users.change_password(old_password="officer-pass-1", new_password="officer-pass-2")
    own.close()
    # THEN only the new one opens the store
    with pytest.raises(InvalidCredentialsError):
        AccountService(encrypted_settings, policy=_policy()).login(username="karim", password="officer-pass-1")
    assert AccountService(encrypted_settings).login(username="karim", password="officer-pass-2").role == Role.OFFICER
    # WHEN the admin removes him THEN his wrapped key is gone and his password opens nothing
    services = admin.open_services()
    services.users.remove_user(username="karim")
    with pytest.raises(LastAdminError):
        services.users.remove_user(username="admin")
    services.close()
    assert not Keyring(encrypted_settings.keyring_path).has("karim")
    with pytest.raises(InvalidCredentialsError):
        AccountService(encrypted_settings).login(username="karim", password="officer-pass-2")


def test_log_out_forgets_the_user_and_the_key_until_the_next_login(settings):
    # GIVEN the administrator logged in, with the store opened once
    from blo_desk.domain.errors import LoginRequiredError

    accounts = _first_admin(settings)
    accounts.open_services().close()
    # WHEN they log out
    accounts.log_out()
    # THEN nobody is logged in and the store cannot be opened without a new login
    assert accounts.principal is None
    with pytest.raises(LoginRequiredError):
        accounts.open_services()
    # WHEN they log in again THEN the store opens as before
    accounts.login(username="admin", password="admin-password-1")
    services = accounts.open_services()
    try:
        assert services.principal.username == "admin"
    finally:
        services.close()
