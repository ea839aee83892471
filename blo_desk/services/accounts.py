"""Logging in and managing users: argon2id passwords, lock-out, first admin, and the per-user wrapped data key."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from blo_desk.config import Settings
from blo_desk.domain.accounts import UserInfo
from blo_desk.domain.audit import value_hash
from blo_desk.domain.errors import (
    AccountExistsError,
    AccountLockedError,
    AccountNotFoundError,
    DomainError,
    FirstStartError,
    InvalidCredentialsError,
    LastAdminError,
    LoginRequiredError,
    WeakPasswordError,
)
from blo_desk.domain.permissions import ACCOUNT_ROLES, SYSTEM, Action, Principal, Role
from blo_desk.i18n import N_
from blo_desk.services.audit import Guard
from blo_desk.services.clock import utc_now
from blo_desk.storage.accounts import Account, AccountRepository
from blo_desk.storage.crypto import DEFAULT_KDF, MINIMUM_KDF, DataKey, KdfParams, Keyring, UnwrapError

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from blo_desk.services.registry import Services
    from blo_desk.storage.uow import UnitOfWorkFactory

USERNAME_RE = re.compile(r"^[a-z][a-z0-9._-]{1,63}$")


class InvalidUsernameError(DomainError):
    message = N_("A username has 2 to 64 characters: small Latin letters, digits, dot, dash or underscore.")


class InvalidRoleError(DomainError):
    message = N_("Unknown role {role}; choose officer, supervisor, analyst or admin.")


class PostRequiredError(DomainError):
    message = N_("An officer or a supervisor works at a post: give its code.")


@dataclass(frozen=True, slots=True)
class PasswordPolicy:
    """Login rules; the argon2id cost never goes below OWASP's floor (19 MiB, 2 passes)."""

    min_length: int = 10
    max_failures: int = 5  # wrong passwords in a row before the account is locked
    lockout: timedelta = timedelta(minutes=15)
    kdf: KdfParams = DEFAULT_KDF

    def __post_init__(self) -> None:
        if not self.kdf.at_least(MINIMUM_KDF):
            raise ValueError("argon2id parameters below the minimum (19 MiB, 2 iterations)")

    def hasher(self) -> PasswordHasher:
        return PasswordHasher(time_cost=self.kdf.time_cost, memory_cost=self.kdf.memory_kib,
                              parallelism=self.kdf.parallelism, hash_len=32, salt_len=16)

    def check_password(self, password: str) -> None:
        if len(password) < self.min_length:
            raise WeakPasswordError(min_length=self.min_length)


def _info(a: Account) -> UserInfo:
    return UserInfo(username=a.username, full_name=a.full_name, role=Role(a.role), post_code=a.post_code,
                    active=a.active, locked_until=a.locked_until, last_login_at=a.last_login_at)


def _validate_new(username: str, role: Role | str, post_code: str) -> Role:
    if not USERNAME_RE.match(username):
        raise InvalidUsernameError()
    try:
        role = Role(role)
    except ValueError:
        raise InvalidRoleError(role=str(role)) from None
    if role not in ACCOUNT_ROLES:
        raise InvalidRoleError(role=str(role))
    if role in (Role.OFFICER, Role.SUPERVISOR) and not post_code:
        raise PostRequiredError()
    return role


def _minutes_left(until: datetime, now: datetime) -> int:
    return max(1, int((until - now).total_seconds() + 59) // 60)


@dataclass
class _Opened:
    principal: Principal
    key: DataKey | None
    services: Services | None = field(default=None)


class AccountService:
    """The door to a store: first start, login (which unlocks an encrypted store), then the user's services.

    ```
    accounts = AccountService(settings)
    if accounts.first_start():
        principal = accounts.create_first_admin(username=..., password=..., post_code=...)
    else:
        principal = accounts.login(username=..., password=...)   # InvalidCredentialsError, AccountLockedError
    services = accounts.open_services()                          # everything runs as `principal`
    ```
    """

    def __init__(self, settings: Settings, *, policy: PasswordPolicy | None = None,
                 clock: Callable[[], datetime] = utc_now) -> None:
        self.settings = settings
        self.policy = policy or PasswordPolicy()
        self._clock = clock
        self._hasher = self.policy.hasher()
        self._opened: _Opened | None = None
        # The engine of the last store this service opened (schema checked, lists seeded), with the key it was
        # opened with: the next open takes it over instead of opening the store again (first start -> login ->
        # the desk open the store once). Only one is kept; logout() disposes of it.
        self._spare: tuple[Engine, DataKey | None] | None = None
        self._spare_lock = threading.Lock()

    # --- state before login ------------------------------------------------------------------
    @property
    def encrypted(self) -> bool:
        return self.settings.encrypted_store

    def first_start(self) -> bool:
        """True when no user exists yet (the first administrator must be created)."""
        if self.encrypted:
            return not Keyring(self.settings.keyring_path).exists and not self._store_file_exists()
        services = self._open_plain(SYSTEM)
        try:
            with services.uow() as uow:
                return AccountRepository(uow.session).count() == 0
        finally:
            self._keep(services)

    def _store_file_exists(self) -> bool:
        from blo_desk.storage.engine import sqlite_path

        path = sqlite_path(self.settings.db_url)
        return bool(path and path.exists() and path.stat().st_size > 0)

    def _open_plain(self, principal: Principal, *, reuse: bool = True) -> Services:
        from blo_desk.services.registry import open_services

        return open_services(self.settings, principal=principal, engine=self._take_spare(None) if reuse else None)

    def _open_keyed(self, principal: Principal, key: DataKey, *, reuse: bool = True) -> Services:
        from blo_desk.services.registry import open_services

        return open_services(self.settings, principal=principal, key=key,
                             engine=self._take_spare(key) if reuse else None)

    def _keep(self, services: Services, key: DataKey | None = None) -> None:
        """Keep the engine of `services` (opened with `key`, and done with) for the next open instead of disposing
        of it."""
        with self._spare_lock:
            earlier, self._spare = self._spare, (services.engine, key)
        if earlier is not None:
            earlier[0].dispose()

    def _take_spare(self, key: DataKey | None) -> Engine | None:
        with self._spare_lock:
            spare, self._spare = self._spare, None
        if spare is None:
            return None
        engine, spare_key = spare
        if (spare_key.raw if spare_key else None) == (key.raw if key else None):
            return engine
        engine.dispose()
        return None

    # --- first start ---------------------------------------------------------------------------
    def create_first_admin(self, *, username: str, password: str, full_name: str = "", post_code: str = "") -> Principal:
        """Create the store's first user (an admin); for SQLite this creates the encrypted store and its key."""
        username = username.strip().lower()
        _validate_new(username, Role.ADMIN, post_code)
        self.policy.check_password(password)
        if not self.first_start():
            raise AccountExistsError(username=username)
        principal = Principal(username=username, role=Role.ADMIN, post_code=post_code)
        key = None
        if self.encrypted:
            key = DataKey.generate()
            keyring = Keyring(self.settings.keyring_path)
            keyring.create(key)
            keyring.wrap_for(username, password, key, self.policy.kdf)
            services = self._open_keyed(SYSTEM, key)
            keyring.save()
        else:
            services = self._open_plain(SYSTEM)
        try:
            now = self._clock()
            with services.uow() as uow:
                repo = AccountRepository(uow.session)
                repo.add(username=username, full_name=full_name, role=str(Role.ADMIN), post_code=post_code,
                         password_hash=self._hasher.hash(password), active=True, failed_logins=0,
                         locked_until=None, created_at=now, password_changed_at=now, last_login_at=now)
                created = repo.get(username)
                assert created is not None  # just added
                services.guard.record(uow, action="user.first_admin", target=f"user:{username}",
                                      after_hash=value_hash(created.public()), actor=SYSTEM)
                uow.commit()
        finally:
            services.close()
        self._opened = _Opened(principal=principal, key=key)
        return principal

    # --- login ---------------------------------------------------------------------------------
    def login(self, *, username: str, password: str) -> Principal:
        """Check the password (argon2id) and unlock the store; raises InvalidCredentialsError or AccountLockedError."""
        username = username.strip().lower()
        if self.encrypted:
            return self._login_encrypted(username, password)
        return self._login_plain(username, password)

    def _login_encrypted(self, username: str, password: str) -> Principal:
        keyring = Keyring(self.settings.keyring_path)
        if not keyring.exists:
            raise FirstStartError()
        now = self._clock()
        state = keyring.login_state(username)
        if keyring.has(username) and state.get("locked_until"):
            until = datetime.fromisoformat(state["locked_until"])
            if until > now:
                state["refused_while_locked"] = state.get("refused_while_locked", 0) + 1
                keyring.set_login_state(username, state)
                keyring.save()
                raise AccountLockedError(minutes=_minutes_left(until, now))
        try:
            key = keyring.unwrap(username, password)
        except UnwrapError:
            if keyring.has(username):
                self._count_failure_in_keyring(keyring, username, state, now)
            raise InvalidCredentialsError() from None
        services = self._open_keyed(SYSTEM, key)
        try:
            principal = self._finish_login(services, username, password, earlier=state)
        finally:
            self._keep(services, key)  # the desk's services reuse this engine (the store is opened once)
        if keyring.params_of(username) != self.policy.kdf:  # parameters changed: re-wrap under the new cost
            keyring.wrap_for(username, password, key, self.policy.kdf)
        keyring.set_login_state(username, {"failures": 0, "locked_until": "", "unreported": 0})
        keyring.save()
        self._opened = _Opened(principal=principal, key=key)
        return principal

    def _count_failure_in_keyring(self, keyring: Keyring, username: str, state: dict, now: datetime) -> None:
        state["failures"] = int(state.get("failures", 0)) + 1
        state["unreported"] = int(state.get("unreported", 0)) + 1
        if state["failures"] >= self.policy.max_failures:
            state["locked_until"] = (now + self.policy.lockout).isoformat()
            state["failures"] = 0
            state["lockouts"] = int(state.get("lockouts", 0)) + 1
        keyring.set_login_state(username, state)
        keyring.save()

    def _finish_login(self, services: Services, username: str, password: str, *, earlier: dict) -> Principal:
        """In the open store: check the account and its hash, rehash if the cost rose, audit; returns the principal."""
        now = self._clock()
        with services.uow() as uow:
            repo = AccountRepository(uow.session)
            account = repo.get(username)
            if account is None or not account.active or not self._verify(account.password_hash, password):
                services.guard.record(uow, action="user.login", target=f"user:{username}", outcome="failed",
                                      actor=SYSTEM, details={"why": "no active account with this password"})
                uow.commit()
                raise InvalidCredentialsError()
            principal = Principal(username=account.username, role=Role(account.role), post_code=account.post_code)
            if earlier.get("unreported"):
                services.guard.record(uow, action="user.login", target=f"user:{username}", outcome="failed",
                                      actor=principal, details={"failures_before": int(earlier["unreported"]),
                                                                "lockouts": int(earlier.get("lockouts", 0)),
                                                                "refused_while_locked":
                                                                    int(earlier.get("refused_while_locked", 0))})
            changes: dict = {"last_login_at": now, "failed_logins": 0, "locked_until": None}
            rehashed = self._needs_rehash(account.password_hash)
            if rehashed:
                changes["password_hash"] = self._hasher.hash(password)
            repo.update(username, **changes)
            services.guard.record(uow, action="user.login", target=f"user:{username}", actor=principal,
                                  details={"rehashed": rehashed})
            uow.commit()
        return principal

    def _verify(self, stored: str, password: str) -> bool:
        try:
            return self._hasher.verify(stored, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def _needs_rehash(self, stored: str) -> bool:
        try:
            return self._hasher.check_needs_rehash(stored)
        except InvalidHashError:
            return True

    def _login_plain(self, username: str, password: str) -> Principal:
        services = self._open_plain(SYSTEM)
        try:
            now = self._clock()
            with services.uow() as uow:
                repo = AccountRepository(uow.session)
                if repo.count() == 0:
                    raise FirstStartError()
                account = repo.get(username)
                if account is None or not account.active:
                    self._hasher.hash(password)  # same work as a real check: no timing hint that the name is unknown
                    services.guard.record(uow, action="user.login", target=f"user:{username[:64]}", outcome="failed",
                                          actor=SYSTEM, details={"why": "unknown user"})
                    uow.commit()
                    raise InvalidCredentialsError()
                if account.locked_until and account.locked_until > now:
                    services.guard.record(uow, action="user.login", target=f"user:{username}", outcome="denied",
                                          actor=SYSTEM, details={"why": "locked"})
                    uow.commit()
                    raise AccountLockedError(minutes=_minutes_left(account.locked_until, now))
                if not self._verify(account.password_hash, password):
                    failures = account.failed_logins + 1
                    changes: dict = {"failed_logins": failures}
                    if failures >= self.policy.max_failures:
                        changes = {"failed_logins": 0, "locked_until": now + self.policy.lockout}
                    repo.update(username, **changes)
                    services.guard.record(uow, action="user.login", target=f"user:{username}", outcome="failed",
                                          actor=SYSTEM, details={"why": "wrong password",
                                                                 "locked": "locked_until" in changes})
                    uow.commit()
                    raise InvalidCredentialsError()
            principal = self._finish_login(services, username, password, earlier={})
        finally:
            self._keep(services)  # the desk's services reuse this engine (the store is opened once)
        self._opened = _Opened(principal=principal, key=None)
        return principal

    # --- after login ---------------------------------------------------------------------------
    @property
    def principal(self) -> Principal | None:
        return None if self._opened is None else self._opened.principal

    def open_services(self, *, as_system: bool = False) -> Services:
        """The services of the logged-in user (the store opened with the unlocked key).

        `as_system`: an administrator runs a maintenance command (demo data) with SYSTEM's rights; refused and
        audited for anyone else.
        """
        if self._opened is None:
            raise LoginRequiredError()
        opened = self._opened
        principal = opened.principal
        if as_system:
            probe = (self._open_keyed(principal, opened.key, reuse=False) if opened.key
                     else self._open_plain(principal, reuse=False))
            try:
                probe.guard.require(Action.USERS_MANAGE, target="system")
            finally:
                probe.close()
            principal = SYSTEM
        if opened.key is not None:
            return self._open_keyed(principal, opened.key, reuse=not as_system)
        return self._open_plain(principal, reuse=not as_system)

    def logout(self) -> None:
        self._opened = None
        with self._spare_lock:
            spare, self._spare = self._spare, None
        if spare is not None:
            spare[0].dispose()


class UserService:
    """Inside an open store: admins add, change and remove users; everyone changes their own password."""

    def __init__(self, *, uow: UnitOfWorkFactory, guard: Guard, settings: Settings, key: DataKey | None,
                 policy: PasswordPolicy | None = None, clock: Callable[[], datetime] = utc_now) -> None:
        self._uow = uow
        self._guard = guard
        self._settings = settings
        self._key = key
        self.policy = policy or PasswordPolicy()
        self._hasher = self.policy.hasher()
        self._clock = clock

    def _keyring(self) -> Keyring | None:
        if self._key is None:
            return None
        keyring = Keyring(self._settings.keyring_path)
        if keyring.store_id and not keyring.matches(self._key):
            raise ValueError("the keyring does not belong to this store")
        return keyring

    def list_users(self, *, include_inactive: bool = False) -> list[UserInfo]:
        self._guard.require(Action.USERS_MANAGE, target="users")
        with self._uow() as uow:
            return [_info(a) for a in AccountRepository(uow.session).all(include_inactive=include_inactive)]

    def add_user(self, *, username: str, password: str, role: Role | str, post_code: str = "",
                 full_name: str = "") -> UserInfo:
        username = username.strip().lower()
        self._guard.require(Action.USERS_MANAGE, target=f"user:{username}")
        role = _validate_new(username, role, post_code)
        self.policy.check_password(password)
        now = self._clock()
        with self._uow() as uow:
            repo = AccountRepository(uow.session)
            existing = repo.get(username)
            if existing is not None and existing.active:
                raise AccountExistsError(username=username)
            values = dict(full_name=full_name, role=str(role), post_code=post_code,
                          password_hash=self._hasher.hash(password), active=True, failed_logins=0, locked_until=None,
                          password_changed_at=now)
            if existing is None:
                repo.add(username=username, created_at=now, last_login_at=None, **values)
            else:
                repo.update(username, **values)
            after = repo.get(username)
            assert after is not None  # just added
            self._guard.record(uow, action="user.add", target=f"user:{username}",
                               before_hash=value_hash(existing.public()) if existing else "",
                               after_hash=value_hash(after.public()))
            keyring = self._keyring()
            if keyring is not None:  # saved before the commit: a key without an account opens nothing
                assert self._key is not None  # there is a keyring only with a key
                keyring.wrap_for(username, password, self._key, self.policy.kdf)
                keyring.save()
            uow.commit()
            return _info(after)

    def set_role(self, *, username: str, role: Role | str, post_code: str = "") -> UserInfo:
        self._guard.require(Action.USERS_MANAGE, target=f"user:{username}")
        role = _validate_new(username, role, post_code)
        with self._uow() as uow:
            repo = AccountRepository(uow.session)
            before = self._existing(repo, username)
            if before.role == Role.ADMIN and role != Role.ADMIN and repo.count(role=str(Role.ADMIN)) <= 1:
                raise LastAdminError()
            repo.update(username, role=str(role), post_code=post_code)
            after = repo.get(username)
            assert after is not None  # it exists (checked above)
            self._guard.record(uow, action="user.set_role", target=f"user:{username}",
                               before_hash=value_hash(before.public()), after_hash=value_hash(after.public()),
                               details={"role": str(role), "post": post_code})
            uow.commit()
            return _info(after)

    def remove_user(self, *, username: str) -> None:
        """Deactivate the account and delete its wrapped key: that password no longer opens the store."""
        self._guard.require(Action.USERS_MANAGE, target=f"user:{username}")
        with self._uow() as uow:
            repo = AccountRepository(uow.session)
            before = self._existing(repo, username)
            if before.role == Role.ADMIN and repo.count(role=str(Role.ADMIN)) <= 1:
                raise LastAdminError()
            repo.update(username, active=False, password_hash="!removed")
            after = repo.get(username)
            assert after is not None  # deactivated, not deleted
            self._guard.record(uow, action="user.remove", target=f"user:{username}",
                               before_hash=value_hash(before.public()), after_hash=value_hash(after.public()))
            keyring = self._keyring()
            if keyring is not None:
                keyring.remove(username)
                keyring.save()
            uow.commit()

    def reset_password(self, *, username: str, new_password: str) -> None:
        """An admin sets a new password for someone who forgot theirs (and unlocks the account)."""
        self._guard.require(Action.USERS_MANAGE, target=f"user:{username}")
        self._set_password(username, new_password, action="user.reset_password")

    def change_password(self, *, old_password: str, new_password: str) -> None:
        """The logged-in user changes their own password (the old one is checked again)."""
        username = self._guard.principal.username
        with self._uow() as uow:
            account = AccountRepository(uow.session).get(username)
        if account is None or not self._verify(account.password_hash, old_password):
            self._guard.record_alone(action="user.change_password", target=f"user:{username}", outcome="failed")
            raise InvalidCredentialsError()
        self._set_password(username, new_password, action="user.change_password")

    def unlock(self, *, username: str) -> None:
        self._guard.require(Action.USERS_MANAGE, target=f"user:{username}")
        with self._uow() as uow:
            repo = AccountRepository(uow.session)
            self._existing(repo, username)
            repo.update(username, failed_logins=0, locked_until=None)
            self._guard.record(uow, action="user.unlock", target=f"user:{username}")
            keyring = self._keyring()
            if keyring is not None:
                keyring.set_login_state(username, {"failures": 0, "locked_until": "", "unreported": 0})
                keyring.save()
            uow.commit()

    def _verify(self, stored: str, password: str) -> bool:
        try:
            return self._hasher.verify(stored, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    @staticmethod
    def _existing(repo: AccountRepository, username: str) -> Account:
        account = repo.get(username)
        if account is None or not account.active:
            raise AccountNotFoundError(username=username)
        return account

    def _set_password(self, username: str, new_password: str, *, action: str) -> None:
        self.policy.check_password(new_password)
        now = self._clock()
        with self._uow() as uow:
            repo = AccountRepository(uow.session)
            before = self._existing(repo, username)
            new_hash = self._hasher.hash(new_password)
            repo.update(username, password_hash=new_hash, password_changed_at=now, failed_logins=0, locked_until=None)
            self._guard.record(uow, action=action, target=f"user:{username}",
                               before_hash=value_hash(before.password_hash), after_hash=value_hash(new_hash))
            keyring = self._keyring()
            if keyring is not None:
                assert self._key is not None  # there is a keyring only with a key
                keyring.wrap_for(username, new_password, self._key, self.policy.kdf)
                keyring.set_login_state(username, {"failures": 0, "locked_until": "", "unreported": 0})
                keyring.save()
            uow.commit()
