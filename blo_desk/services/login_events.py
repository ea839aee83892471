"""Failed logins, lock-outs and refusals in the audit trail: written at once, or queued while the store is closed."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from blo_desk.domain.permissions import SYSTEM
from blo_desk.storage.crypto import Keyring

if TYPE_CHECKING:
    from blo_desk.services.audit import Guard
    from blo_desk.storage.uow import UnitOfWork, UnitOfWorkFactory

#: The setting holding the number of the last queued login event the audit trail recorded (never twice).
RECORDED_SETTING = "audit.login_queue_recorded"

FAILED = "failed"  # a wrong password, or a username nobody has
LOCKED = "locked"  # too many failures in a row: the account is locked for a while
REFUSED_LOCKED = "refused_locked"  # a login tried while the account was locked
WRONG_PASSWORD = "wrong password"
UNKNOWN_USER = "unknown user"


def record_login_event(guard: Guard, uow: UnitOfWork, *, kind: str, username: str, known: bool, count: int,
                       at: str, queued: bool = False, locked_until: str = "", lockouts: int = 0) -> None:
    """One login event in the caller's transaction, with its count (the n-th failure in a row, the n-th lock-out,
    the n-th refusal while locked, or the n-th try of an unknown name)."""
    details: dict = {"count": count, "attempted_at": at}
    if queued:
        details["queued"] = True  # happened while the store was closed; recorded at the next login
    if kind == LOCKED:
        guard.record(uow, action="user.lockout", target=f"user:{username}", actor=SYSTEM,
                     details={**details, "locked_until": locked_until, "lockouts": lockouts})
    elif kind == REFUSED_LOCKED:
        guard.record(uow, action="user.login", target=f"user:{username}", outcome="denied", actor=SYSTEM,
                     details={**details, "why": "locked", "locked_until": locked_until})
    else:
        guard.record(uow, action="user.login", target=f"user:{username}", outcome="failed", actor=SYSTEM,
                     details={**details, "why": WRONG_PASSWORD if known else UNKNOWN_USER})


def queue_failure(keyring: Keyring, *, username: str, known: bool, now: datetime, max_failures: int,
                  lockout_until: datetime) -> None:
    """A failed login at an encrypted store (closed until a login succeeds): counted in the keyring and queued for
    the audit trail, with a lock-out once `max_failures` come in a row. The caller saves the keyring."""
    at = now.isoformat()
    if not known:
        keyring.queue_login_event(kind=FAILED, username=username, known=False, count=keyring.unknown_count(username),
                                  at=at)
        return
    state = keyring.login_state(username)
    state["failures"] = int(state.get("failures", 0)) + 1
    keyring.queue_login_event(kind=FAILED, username=username, known=True, count=state["failures"], at=at)
    if state["failures"] >= max_failures:
        state["locked_until"] = lockout_until.isoformat()
        state["lockouts"] = int(state.get("lockouts", 0)) + 1
        keyring.queue_login_event(kind=LOCKED, username=username, known=True, count=state["failures"], at=at,
                                  details={"locked_until": state["locked_until"], "lockouts": state["lockouts"]})
        state["failures"] = 0
    keyring.set_login_state(username, state)


def queue_refusal(keyring: Keyring, *, username: str, now: datetime) -> None:
    """A login refused because the account is locked (encrypted store): counted and queued."""
    state = keyring.login_state(username)
    state["refused_while_locked"] = int(state.get("refused_while_locked", 0)) + 1
    keyring.set_login_state(username, state)
    keyring.queue_login_event(kind=REFUSED_LOCKED, username=username, known=True,
                              count=state["refused_while_locked"], at=now.isoformat(),
                              details={"locked_until": state.get("locked_until", "")})


def flush_queued(keyring: Keyring, uow_factory: UnitOfWorkFactory, guard: Guard) -> int:
    """Write every queued login event into the audit trail (one transaction), then drop them from the keyring.

    The number of the last one recorded is kept in the store in the same transaction, so a crash between the
    commit and the keyring's save never records an event twice. Returns how many were written."""
    queue, dropped = keyring.queued_login_events()
    if not queue and not dropped:
        return 0
    written = 0
    with uow_factory() as uow:
        done = int(uow.settings.get(RECORDED_SETTING, "0") or 0)
        last = done
        for entry in queue:
            number = int(entry["n"])
            if number <= done:
                continue
            record_login_event(guard, uow, kind=entry["kind"], username=entry["username"],
                               known=bool(entry["known"]), count=int(entry["count"]), at=entry["at"], queued=True,
                               locked_until=entry.get("locked_until", ""), lockouts=int(entry.get("lockouts", 0)))
            last = max(last, number)
            written += 1
        if dropped:
            guard.record(uow, action="user.login", target="users", outcome="failed", actor=SYSTEM,
                         details={"why": "queue full", "count": dropped, "queued": True})
        uow.settings.set(RECORDED_SETTING, str(last))
        uow.commit()
    keyring.forget_login_events(up_to=last, dropped=dropped)
    keyring.save()
    return written
