"""Logging in and managing users: argon2id passwords, lock-out, first admin, and the per-user wrapped data key."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from blo_desk.config import Settings
from blo_desk.domain.audit import AuditReport, value_hash
from blo_desk.domain.errors import (
    AccountExistsError,
    AccountLockedError,
    FirstStartError,
    InvalidCredentialsError,
    InvalidRecoveryCodeError,
    LoginRequiredError,
    NoRecoveryCodeError,
    RecoveryAccountError,
    RecoveryChoiceError,
)
from blo_desk.domain.permissions import SYSTEM, Action, Principal, Role
from blo_desk.domain.recovery import normalize_code
from blo_desk.services.clock import utc_now
from blo_desk.services.login_events import (
    FAILED,
    LOCKED,
    REFUSED_LOCKED,
    flush_queued,
    queue_failure,
    queue_refusal,
    record_login_event,
)
from blo_desk.services.users import PasswordPolicy, validate_new_user
from blo_desk.storage.crypto import MAX_QUEUED_NAME, RECOVERY_ENTRY, DataKey, Keyring, UnwrapError

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from blo_desk.services.registry import Services


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
                 clock: Callable[[], datetime] = utc_now, check_at_login: bool = True) -> None:
        self.settings = settings
        #: Run the fast check of the store (AuditService.check_recent) inside login(), as the commands do. The desk
        #: says False: it runs the check on a worker once its window is painted (seconds on a large store).
        self.check_at_login = check_at_login
        self.policy = policy or PasswordPolicy()
        self._clock = clock
        self._hasher = self.policy.hasher()
        self._opened: _Opened | None = None
        #: What the fast check at the last login found (None before a login, or when check_at_login is False).
        self.integrity: AuditReport | None = None
        # The engine of the last store this service opened (schema checked, lists seeded), with the key it was
        # opened with: the next open takes it over instead of opening the store again (first start -> login ->
        # the desk open the store once). Only one is kept.
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
                return uow.accounts.count() == 0
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
        validate_new_user(username, Role.ADMIN, post_code)
        self.policy.check_password(password)
        if not self.first_start():
            raise AccountExistsError(username=username)
        principal = Principal(username=username, role=Role.ADMIN, post_code=post_code, full_name=full_name)
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
                repo = uow.accounts
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
        known = keyring.has(username)
        if known and state.get("locked_until"):
            until = datetime.fromisoformat(state["locked_until"])
            if until > now:
                queue_refusal(keyring, username=username, now=now)
                keyring.save()
                raise AccountLockedError(minutes=_minutes_left(until, now))
        try:
            key = keyring.unwrap(username, password)
        except UnwrapError:
            # The store stays closed: the failure is counted and queued in the keyring, and the audit trail
            # records it at the next login of anyone (login_events.flush_queued), unknown usernames included.
            queue_failure(keyring, username=username, known=known, now=now, max_failures=self.policy.max_failures,
                          lockout_until=now + self.policy.lockout)
            keyring.save()
            raise InvalidCredentialsError() from None
        services = self._open_keyed(SYSTEM, key)
        try:
            flush_queued(keyring, services.uow, services.guard)
            self._report_recovery_failures(services, keyring)  # wrong recovery codes typed while it was closed
            principal = self._finish_login(services, username, password)
        finally:
            self._keep(services, key)  # the desk's services reuse this engine (the store is opened once)
        if keyring.params_of(username) != self.policy.kdf:  # parameters changed: re-wrap under the new cost
            keyring.wrap_for(username, password, key, self.policy.kdf)
        keyring.set_login_state(username, {"failures": 0, "locked_until": "", "unreported": 0})
        keyring.save()
        self._opened = _Opened(principal=principal, key=key)
        return principal

    # --- a forgotten administrator password -------------------------------------------------------
    def recover(self, *, code: str, new_password: str, username: str = "") -> Principal:
        """Open the store with the recovery code (from the sheet in the post's safe) and give an administrator
        (`username`; without one, the only active administrator) a new password. With several active
        administrators and no `username`, RecoveryChoiceError names them (the code was right: no failure counted). Wrong codes count toward a lock-out as passwords
        do; every use is audited (refused ones at the next opening of the store) and travels to HQ."""
        self.policy.check_password(new_password)
        keyring = Keyring(self.settings.keyring_path)
        if not keyring.exists:
            raise FirstStartError()
        if not keyring.has_recovery:
            raise NoRecoveryCodeError()
        now = self._clock()
        state = keyring.login_state(RECOVERY_ENTRY)
        if state.get("locked_until"):
            until = datetime.fromisoformat(state["locked_until"])
            if until > now:
                state["refused_while_locked"] = state.get("refused_while_locked", 0) + 1
                state["unreported"] = int(state.get("unreported", 0)) + 1
                keyring.set_login_state(RECOVERY_ENTRY, state)
                keyring.save()
                raise AccountLockedError(minutes=_minutes_left(until, now))
        try:
            key = keyring.unwrap_recovery(normalize_code(code) or "-")
        except UnwrapError:
            self._count_failure_in_keyring(keyring, RECOVERY_ENTRY, state, now)
            raise InvalidRecoveryCodeError() from None
        return self._recovered(keyring, key, username, new_password, state)

    def recover_with_escrow(self, *, identity_text: str, new_password: str, username: str = "") -> Principal:
        """At HQ, for a post's store sent there: open it with the escrow copy of its data key (encrypted to HQ's
        age recipient; `identity_text` is HQ's age identity file) and give an administrator a new password.
        Audited as a use of the recovery key (`via: escrow`)."""
        import base64
        import io

        from blo_desk.exchange.age import AgeDecryptError, decrypt_stream, parse_identity

        self.policy.check_password(new_password)
        keyring = Keyring(self.settings.keyring_path)
        if not keyring.exists:
            raise FirstStartError()
        escrow = keyring.escrow
        if escrow is None:
            raise NoRecoveryCodeError()
        out = io.BytesIO()
        try:
            decrypt_stream(io.BytesIO(base64.b64decode(escrow["age"])), out, identity=parse_identity(identity_text))
            key = DataKey(out.getvalue())
        except (AgeDecryptError, ValueError):
            raise InvalidRecoveryCodeError() from None
        if not keyring.matches(key):
            raise InvalidRecoveryCodeError()
        return self._recovered(keyring, key, username, new_password, keyring.login_state(RECOVERY_ENTRY),
                               via="escrow")

    def _recovered(self, keyring: Keyring, key: DataKey, username: str, new_password: str, state: dict, *,
                   via: str = "code") -> Principal:
        services = self._open_keyed(SYSTEM, key)
        try:
            self._report_recovery_failures(services, keyring)  # the wrong codes typed before this one
            principal = self._set_recovered_password(services, username.strip().lower(), new_password,
                                                     earlier=state, via=via)
        except (RecoveryAccountError, RecoveryChoiceError):
            keyring.save()  # the earlier wrong codes are in the audit trail now: never recorded twice
            raise
        finally:
            self._keep(services, key)
        keyring.reload()
        keyring.wrap_for(principal.username, new_password, key, self.policy.kdf)
        keyring.set_login_state(principal.username, {"failures": 0, "locked_until": "", "unreported": 0})
        keyring.set_login_state(RECOVERY_ENTRY, {"failures": 0, "locked_until": "", "unreported": 0})
        keyring.save()
        self._opened = _Opened(principal=principal, key=key)
        return principal

    def _set_recovered_password(self, services: Services, username: str, password: str, *,
                                earlier: dict, via: str = "code") -> Principal:
        now = self._clock()
        with services.uow() as uow:
            repo = uow.accounts
            admins = [a for a in repo.all() if a.role == str(Role.ADMIN)]
            active = [a for a in admins if a.active]
            if not username and len(active) > 1:
                names = tuple(sorted(a.username for a in active))
                services.guard.record(uow, action="user.recover", target="recovery", outcome="refused",
                                      actor=SYSTEM, details={"why": "administrator not chosen",
                                                             "administrators": len(names), "via": via})
                uow.commit()
                raise RecoveryChoiceError(administrators=names)
            account = next((a for a in admins if a.username == username), None) if username else \
                (active[0] if active else None)
            if account is None:
                services.guard.record(uow, action="user.recover", target=f"user:{username[:64]}", outcome="failed",
                                      actor=SYSTEM, details={"why": "no such administrator"})
                uow.commit()
                raise RecoveryAccountError(username=username or "-")
            new_hash = self._hasher.hash(password)
            repo.update(account.username, password_hash=new_hash, password_changed_at=now, failed_logins=0,
                        locked_until=None, last_login_at=now)
            services.guard.record(uow, action="user.recover", target=f"user:{account.username}", actor=SYSTEM,
                                  before_hash=value_hash(account.password_hash), after_hash=value_hash(new_hash),
                                  details={"failures_before": int(earlier.get("unreported", 0)),
                                           "lockouts": int(earlier.get("lockouts", 0)), "via": via})
            uow.commit()
        return Principal(username=account.username, role=Role.ADMIN, post_code=account.post_code,
                         full_name=account.full_name or "")

    def _report_recovery_failures(self, services: Services, keyring: Keyring) -> None:
        """Wrong recovery codes typed while the store was locked: audited once the store is open again."""
        state = keyring.login_state(RECOVERY_ENTRY)
        if not state.get("unreported"):
            return
        with services.uow() as uow:
            services.guard.record(uow, action="user.recover", target="recovery", outcome="failed", actor=SYSTEM,
                                  details={"failures": int(state["unreported"]),
                                           "lockouts": int(state.get("lockouts", 0)),
                                           "refused_while_locked": int(state.get("refused_while_locked", 0))})
            uow.commit()
        state["unreported"] = 0
        keyring.set_login_state(RECOVERY_ENTRY, state)

    def _count_failure_in_keyring(self, keyring: Keyring, username: str, state: dict, now: datetime) -> None:
        state["failures"] = int(state.get("failures", 0)) + 1
        state["unreported"] = int(state.get("unreported", 0)) + 1
        if state["failures"] >= self.policy.max_failures:
            state["locked_until"] = (now + self.policy.lockout).isoformat()
            state["failures"] = 0
            state["lockouts"] = int(state.get("lockouts", 0)) + 1
        keyring.set_login_state(username, state)
        keyring.save()

    def _finish_login(self, services: Services, username: str, password: str, *, verified: bool = False) -> Principal:
        """In the open store: check the account and its hash, rehash if the cost rose, audit, then (check_at_login)
        check the store against its audit chain (the fast check: `integrity`); returns the principal.

        `verified`: the caller checked this very hash a moment ago in this transaction's store (a plain store's login):
        argon2id is not run a second time."""
        now = self._clock()
        with services.uow() as uow:
            repo = uow.accounts
            account = repo.get(username)
            if account is None or not account.active or not (verified or self._verify(account.password_hash, password)):
                services.guard.record(uow, action="user.login", target=f"user:{username}", outcome="failed",
                                      actor=SYSTEM, details={"why": "no active account with this password"})
                uow.commit()
                raise InvalidCredentialsError()
            principal = Principal(username=account.username, role=Role(account.role), post_code=account.post_code,
                                  full_name=account.full_name or "")
            changes: dict = {"last_login_at": now, "failed_logins": 0, "locked_until": None}
            rehashed = self._needs_rehash(account.password_hash)
            if rehashed:
                changes["password_hash"] = self._hasher.hash(password)
            repo.update(username, **changes)
            services.guard.record(uow, action="user.login", target=f"user:{username}", actor=principal,
                                  details={"rehashed": rehashed})
            uow.commit()
        self.integrity = services.audit.check_recent() if self.check_at_login else None
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
                repo = uow.accounts
                if repo.count() == 0:
                    raise FirstStartError()
                account = repo.get(username)
                at = now.isoformat()
                if account is None or not account.active:
                    self._hasher.hash(password)  # same work as a real check: no timing hint that the name is unknown
                    name = username[:MAX_QUEUED_NAME]
                    record_login_event(services.guard, uow, kind=FAILED, username=name, known=False, at=at,
                                       count=services.guard.trail(uow).failed_logins_of(f"user:{name}") + 1)
                    uow.commit()
                    raise InvalidCredentialsError()
                if account.locked_until and account.locked_until > now:
                    record_login_event(services.guard, uow, kind=REFUSED_LOCKED, username=username, known=True,
                                       at=at, count=services.guard.trail(uow).failed_logins_of(
                                           f"user:{username}", outcome="denied", since=account.locked_until
                                           - self.policy.lockout) + 1,
                                       locked_until=account.locked_until.isoformat())
                    uow.commit()
                    raise AccountLockedError(minutes=_minutes_left(account.locked_until, now))
                if not self._verify(account.password_hash, password):
                    failures = account.failed_logins + 1
                    changes: dict = {"failed_logins": failures}
                    record_login_event(services.guard, uow, kind=FAILED, username=username, known=True, at=at,
                                       count=failures)
                    if failures >= self.policy.max_failures:
                        changes = {"failed_logins": 0, "locked_until": now + self.policy.lockout}
                        record_login_event(services.guard, uow, kind=LOCKED, username=username, known=True, at=at,
                                           count=failures, locked_until=changes["locked_until"].isoformat(),
                                           lockouts=services.guard.trail(uow).lockouts_of(f"user:{username}") + 1)
                    repo.update(username, **changes)
                    uow.commit()
                    raise InvalidCredentialsError()
            principal = self._finish_login(services, username, password, verified=True)
        finally:
            self._keep(services)  # the desk's services reuse this engine (the store is opened once)
        self._opened = _Opened(principal=principal, key=None)
        return principal

    # --- after login ---------------------------------------------------------------------------
    def log_out(self) -> None:
        """Forget the logged-in user and the data key their login unwrapped (the spare engine opened with it goes
        too); the next user logs in anew."""
        self._opened = None
        with self._spare_lock:
            spare, self._spare = self._spare, None
        if spare is not None:
            spare[0].dispose()

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
