"""Managing users inside an open store: the password policy, user listings, adding, changing, removing and unlocking
users, and the officers of a post (name, rank, agency) that a case names among its seizing officers."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from blo_desk.config import Settings
from blo_desk.domain.accounts import UnknownLogin, UserInfo
from blo_desk.domain.audit import value_hash
from blo_desk.domain.entities import Officer
from blo_desk.domain.errors import (
    AccountExistsError,
    AccountNotFoundError,
    DomainError,
    InvalidCredentialsError,
    LastAdminError,
    NoRecoveryCodeError,
    WeakPasswordError,
)
from blo_desk.domain.permissions import ACCOUNT_ROLES, Action, Role
from blo_desk.domain.recovery import generate_code
from blo_desk.i18n import N_
from blo_desk.services.audit import Guard
from blo_desk.services.clock import utc_now
from blo_desk.services.login_events import flush_queued
from blo_desk.storage.accounts import Account, AccountRepository
from blo_desk.storage.crypto import DEFAULT_KDF, MINIMUM_KDF, DataKey, KdfParams, Keyring

if TYPE_CHECKING:
    from blo_desk.storage.uow import UnitOfWork, UnitOfWorkFactory

USERNAME_RE = re.compile(r"^[a-z][a-z0-9._-]{1,63}$")


class InvalidUsernameError(DomainError):
    message = N_("A username has 2 to 64 characters: small Latin letters, digits, dot, dash or underscore.")


class InvalidRoleError(DomainError):
    message = N_("Unknown role {role}; choose officer, supervisor, analyst or admin.")


class PostRequiredError(DomainError):
    message = N_("An officer or a supervisor works at a post: give its code.")


class InvalidFullNameError(DomainError):
    message = N_("A full name is plain text of at most {limit} characters.")


class InvalidRankError(DomainError):
    message = N_("A rank is plain text of at most {limit} characters.")


class UnknownAgencyError(DomainError):
    message = N_("Unknown agency {code}: choose one from the list of agencies.")


MAX_FULL_NAME = 200  # the columns of user_account
MAX_RANK = 100
DEFAULT_AGENCY = "customs"  # a new account's agency unless the administrator says otherwise
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")


def _plain(text: str, limit: int, error: type[DomainError]) -> str:
    """`text` stripped, when it is one line of at most `limit` characters (else `error`)."""
    text = (text or "").strip()
    if len(text) > limit or _CONTROL_RE.search(text):
        raise error(limit=limit)
    return text


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


def _info(a: Account, login_state: dict | None = None) -> UserInfo:
    """A user as listed; `login_state` (an encrypted store's keyring) holds the failures counted while closed."""
    failures, locked_until = a.failed_logins, a.locked_until
    if login_state:
        failures = int(login_state.get("failures", 0) or 0)
        if login_state.get("locked_until"):
            locked_until = datetime.fromisoformat(login_state["locked_until"])
    return UserInfo(username=a.username, full_name=a.full_name, role=Role(a.role), post_code=a.post_code,
                    active=a.active, locked_until=locked_until, last_login_at=a.last_login_at, rank=a.rank,
                    agency=a.agency, failed_logins=failures)


def _officer(a: Account) -> Officer:
    return Officer(full_name=a.full_name, rank=a.rank, agency=a.agency, username=a.username)


def validate_new_user(username: str, role: Role | str, post_code: str) -> Role:
    """The role of a new account, once its username, role and post are acceptable (else a DomainError)."""
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


def escrow_key(key: DataKey, recipient: str) -> str:
    """The data key encrypted to an age recipient (HQ's), ASCII (base64 of the age file)."""
    import base64
    import io

    from blo_desk.exchange.age import encrypt_stream

    out = io.BytesIO()
    encrypt_stream(io.BytesIO(key.raw), out, recipient=recipient)
    return base64.b64encode(out.getvalue()).decode("ascii")


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
        keyring = self._keyring()
        with self._uow() as uow:
            return [_info(a, keyring.login_state(a.username) if keyring else None)
                    for a in uow.accounts.all(include_inactive=include_inactive)]

    def unknown_logins(self) -> list[UnknownLogin]:
        """Usernames nobody has that were tried, with how many times (from the audit trail; queued ones first
        recorded)."""
        self._guard.require(Action.USERS_MANAGE, target="users")
        self._record_queued()
        with self._uow() as uow:
            return [UnknownLogin(username=name, attempts=count, last_recorded=last)
                    for name, count, last in self._guard.trail(uow).unknown_logins()]

    def _record_queued(self) -> None:
        """Login events queued in the keyring since this session opened the store go into the trail now."""
        keyring = self._keyring()
        if keyring is not None:
            flush_queued(keyring, self._uow, self._guard)

    def own_account(self) -> UserInfo | None:
        """The logged-in user's own account (name, rank, agency...; no hash); None for the program itself."""
        with self._uow() as uow:
            account = uow.accounts.get(self._guard.principal.username)
        return None if account is None or not account.active else _info(account)

    def post_officers(self, *, post_code: str) -> list[Officer]:
        """The active officers and supervisors of a post as seizing officers (full name, rank, agency, username),
        by name; administrators and analysts seize nothing and are left out.

        Officers and supervisors see their own post's users; analysts and administrators any post's.
        """
        self._guard.require(Action.OFFICERS_LIST, post_code=post_code, target=f"post:{post_code}")
        if not post_code:
            return []  # analysts and administrators without a post are nobody's seizing officers
        with self._uow() as uow:
            return [_officer(a) for a in uow.accounts.at_post(post_code)
                    if a.role in (Role.OFFICER, Role.SUPERVISOR)]

    def add_user(self, *, username: str, password: str, role: Role | str, post_code: str = "",
                 full_name: str = "", rank: str = "", agency: str = DEFAULT_AGENCY) -> UserInfo:
        username = username.strip().lower()
        self._guard.require(Action.USERS_MANAGE, target=f"user:{username}")
        role = validate_new_user(username, role, post_code)
        full_name = _plain(full_name, MAX_FULL_NAME, InvalidFullNameError)
        rank = _plain(rank, MAX_RANK, InvalidRankError)
        self.policy.check_password(password)
        now = self._clock()
        with self._uow() as uow:
            repo = uow.accounts
            existing = repo.get(username)
            if existing is not None and existing.active:
                raise AccountExistsError(username=username)
            self._check_agency(uow, agency)
            values = dict(full_name=full_name, rank=rank, agency=agency, role=str(role), post_code=post_code,
                          password_hash=self._hasher.hash(password), active=True, failed_logins=0, locked_until=None,
                          password_changed_at=now)
            if existing is None:
                repo.add(username=username, created_at=now, last_login_at=None, **values)
            else:
                repo.update(username, **values)
            after = repo.get(username)
            assert after is not None  # added or updated just above, in this transaction
            self._guard.record(uow, action="user.add", target=f"user:{username}",
                               before_hash=value_hash(existing.public()) if existing else "",
                               after_hash=value_hash(after.public()))
            keyring = self._keyring()
            if keyring is not None:  # saved before the commit: a key without an account opens nothing
                assert self._key is not None  # _keyring() gives a keyring only with a data key
                keyring.wrap_for(username, password, self._key, self.policy.kdf)
                keyring.save()
            uow.commit()
            return _info(after)

    def update_user(self, *, username: str, full_name: str, rank: str, agency: str) -> UserInfo:
        """An administrator corrects a user's full name, rank and agency (audited as user.update)."""
        self._guard.require(Action.USERS_MANAGE, target=f"user:{username}")
        full_name = _plain(full_name, MAX_FULL_NAME, InvalidFullNameError)
        rank = _plain(rank, MAX_RANK, InvalidRankError)
        with self._uow() as uow:
            repo = uow.accounts
            before = self._existing(repo, username)
            self._check_agency(uow, agency)
            repo.update(username, full_name=full_name, rank=rank, agency=agency)
            after = repo.get(username)
            assert after is not None  # updated just above, in this transaction
            self._guard.record(uow, action="user.update", target=f"user:{username}",
                               before_hash=value_hash(before.public()), after_hash=value_hash(after.public()))
            uow.commit()
            return _info(after)

    @staticmethod
    def _check_agency(uow: UnitOfWork, agency: str) -> None:
        if agency and not uow.reference.codes().allows("agency", agency):
            raise UnknownAgencyError(code=agency)

    def remove_user(self, *, username: str) -> None:
        """Deactivate the account and delete its wrapped key: that password no longer opens the store."""
        self._guard.require(Action.USERS_MANAGE, target=f"user:{username}")
        with self._uow() as uow:
            repo = uow.accounts
            before = self._existing(repo, username)
            if before.role == Role.ADMIN and repo.count(role=str(Role.ADMIN)) <= 1:
                raise LastAdminError()
            repo.update(username, active=False, password_hash="!removed")
            after = repo.get(username)
            assert after is not None  # deactivated, never deleted
            self._guard.record(uow, action="user.remove", target=f"user:{username}",
                               before_hash=value_hash(before.public()),
                               after_hash=value_hash(after.public()))
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
            account = uow.accounts.get(username)
        if account is None or not self._verify(account.password_hash, old_password):
            self._guard.record_alone(action="user.change_password", target=f"user:{username}", outcome="failed")
            raise InvalidCredentialsError()
        self._set_password(username, new_password, action="user.change_password")

    def create_recovery_code(self, *, escrow_to: str = "") -> str:
        """Administrators: wrap the data key to a new recovery code (replacing any earlier one) and return the
        code, to print on the recovery sheet; it is kept nowhere else. `escrow_to`: HQ's age recipient, which
        then also receives the data key (HQ can open this store if it is sent there)."""
        self._guard.require(Action.USERS_MANAGE, target="recovery")
        keyring = self._keyring()
        if keyring is None:
            raise NoRecoveryCodeError()
        assert self._key is not None  # _keyring() gives a keyring only with a data key
        code = generate_code()
        replaced = keyring.has_recovery
        keyring.wrap_recovery(code, self._key, self.policy.kdf)
        if escrow_to:
            keyring.set_escrow(recipient=escrow_to, armored=escrow_key(self._key, escrow_to))
        with self._uow() as uow:
            self._guard.record(uow, action="user.recovery_code", target="recovery",
                               details={"replaced": replaced, "escrow_to": escrow_to})
            keyring.save()
            uow.commit()
        return code

    def recovery_sheet(self, *, code: str, language: str) -> bytes:
        """The recovery sheet (PDF) for the code just made: the code in groups and as a QR code, in `language`."""
        from blo_desk.reports.recovery_sheet import recovery_sheet_pdf

        self._guard.require(Action.USERS_MANAGE, target="recovery")
        with self._uow() as uow:
            identity = uow.sync.identity()
        keyring = self._keyring()
        return recovery_sheet_pdf(code=code, post_code=identity.post_code if identity else "",
                                  store_id=keyring.store_id if keyring else "", created_at=self._clock(),
                                  language=language)

    def unlock(self, *, username: str) -> None:
        """Zero the user's failures and lift a lock-out. The failures themselves stay in the audit trail: those
        queued while the store was closed are recorded first, and the unlock event keeps the counts it zeroed."""
        self._guard.require(Action.USERS_MANAGE, target=f"user:{username}")
        self._record_queued()
        keyring = self._keyring()
        with self._uow() as uow:
            repo = uow.accounts
            before = _info(self._existing(repo, username), keyring.login_state(username) if keyring else None)
            state = keyring.login_state(username) if keyring else {}
            repo.update(username, failed_logins=0, locked_until=None)
            self._guard.record(uow, action="user.unlock", target=f"user:{username}",
                               details={"failures": before.failed_logins,
                                        "locked_until": before.locked_until.isoformat() if before.locked_until else "",
                                        "lockouts": int(state.get("lockouts", 0) or 0)
                                        or self._guard.trail(uow).lockouts_of(f"user:{username}"),
                                        "refused_while_locked": int(state.get("refused_while_locked", 0) or 0)})
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
            repo = uow.accounts
            before = self._existing(repo, username)
            new_hash = self._hasher.hash(new_password)
            repo.update(username, password_hash=new_hash, password_changed_at=now, failed_logins=0, locked_until=None)
            self._guard.record(uow, action=action, target=f"user:{username}",
                               before_hash=value_hash(before.password_hash), after_hash=value_hash(new_hash))
            keyring = self._keyring()
            if keyring is not None:
                assert self._key is not None  # _keyring() gives a keyring only with a data key
                keyring.wrap_for(username, new_password, self._key, self.policy.kdf)
                keyring.set_login_state(username, {"failures": 0, "locked_until": "", "unreported": 0})
                keyring.save()
            uow.commit()
