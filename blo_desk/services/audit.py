"""Permission checks that audit their refusals, the audit-event writer every service uses, and audit queries."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from blo_desk.domain.audit import AuditEvent, AuditHead, AuditReport
from blo_desk.domain.errors import PermissionDeniedError
from blo_desk.domain.permissions import Action, Principal, denial_reason
from blo_desk.services.clock import utc_now
from blo_desk.storage.audit import AuditTrail
from blo_desk.storage.uow import UnitOfWork, UnitOfWorkFactory


class Guard:
    """One principal's permissions over one store: `require` refuses (and audits the refusal), `record` audits a write.

    Every service of a session shares one Guard, so all events carry the same actor and the same head seal.
    """

    def __init__(self, *, uow: UnitOfWorkFactory, principal: Principal, seal_key: bytes | None = None,
                 clock: Callable[[], datetime] = utc_now) -> None:
        self._uow = uow
        self.principal = principal
        self._seal_key = seal_key
        self._clock = clock

    def trail(self, uow: UnitOfWork) -> AuditTrail:
        """The audit trail inside `uow`'s transaction (for services of other modules that write)."""
        return uow.audit(seal_key=self._seal_key)

    def record(self, uow: UnitOfWork, *, action: Action | str, target: str = "", before_hash: str = "",
               after_hash: str = "", details: dict | None = None, outcome: str = "ok",
               actor: Principal | None = None) -> AuditEvent:
        """Append an event in the caller's transaction: it commits or rolls back with the change itself."""
        who = actor or self.principal
        return self.trail(uow).append(
            actor=who.username, role=str(who.role), action=str(action), outcome=outcome, target=target,
            before_hash=before_hash, after_hash=after_hash, details=details, at=self._clock(),
        )

    def record_alone(self, **event) -> AuditEvent:
        """Append an event in a transaction of its own (refusals, failed logins: the change itself did not happen)."""
        with self._uow() as uow:
            found = self.record(uow, **event)
            uow.commit()
            return found

    def allowed(self, action: Action, *, post_code: str | None = None, owner: str | None = None) -> bool:
        return denial_reason(self.principal, action, post_code=post_code, owner=owner) is None

    def require(self, action: Action, *, post_code: str | None = None, owner: str | None = None,
                target: str = "") -> None:
        """Return when allowed; otherwise audit the refusal (own transaction) and raise PermissionDeniedError."""
        reason = denial_reason(self.principal, action, post_code=post_code, owner=owner)
        if reason is None:
            return
        self.record_alone(action=action, target=target, outcome="denied",
                          details={"reason": reason, "post": post_code or ""})
        raise PermissionDeniedError(reason, role=self.principal.role.label, action=action.value,
                                    post=post_code or "", own_post=self.principal.post_code)


class AuditService:
    """Read and check the audit trail; `head()` is what a sync bundle's manifest carries."""

    def __init__(self, *, uow: UnitOfWorkFactory, guard: Guard) -> None:
        self._uow = uow
        self._guard = guard

    def head(self) -> AuditHead:
        """Length and last hash of this store's chain (no permission needed: it reveals no content)."""
        with self._uow() as uow:
            return self._guard.trail(uow).head()

    def verify(self) -> AuditReport:
        self._guard.require(Action.AUDIT_VIEW, target="audit")
        with self._uow() as uow:
            return self._guard.trail(uow).verify()

    def events(self, *, limit: int = 100, offset: int = 0, target: str = "") -> list[AuditEvent]:
        self._guard.require(Action.AUDIT_VIEW, target="audit")
        with self._uow() as uow:
            return self._guard.trail(uow).events(limit=limit, offset=offset, target=target)
