"""Permission checks that audit their refusals, the audit-event writer every service uses, and audit queries."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime

from blo_desk.domain.audit import REVISIONS_KEY, AuditEvent, AuditHead, AuditReport, revision_entries, value_hash
from blo_desk.domain.errors import PermissionDeniedError
from blo_desk.domain.permissions import SYSTEM, Action, Principal, denial_reason
from blo_desk.domain.sync import ALERT_STORE_CHANGED
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


#: The setting that holds the last clean incremental check: {"seq": event number, "head": its hash}.
CHECKPOINT_SETTING = "audit.content_checked"
#: The one event that adopts, on the first check of a store older than this check, the revisions no event lists.
BASELINE_ACTION = "audit.content_baseline"
#: A check that found the store changed outside the program (its findings, for the record).
CHECK_ACTION = "audit.content_check"
FINDINGS_KEPT = 50  # case numbers a failed check's event lists


def _post_of(case_number: str) -> str:
    return case_number.rsplit("-", 2)[0] if case_number.count("-") >= 2 else ""


class AuditService:
    """Read and check the audit trail; `head()` is what a sync bundle's manifest carries."""

    def __init__(self, *, uow: UnitOfWorkFactory, guard: Guard, clock: Callable[[], datetime] = utc_now) -> None:
        self._uow = uow
        self._guard = guard
        self._clock = clock

    def head(self) -> AuditHead:
        """Length and last hash of this store's chain (no permission needed: it reveals no content)."""
        with self._uow() as uow:
            return self._guard.trail(uow).head()

    def verify(self, *, progress: Callable[[int, int], None] | None = None) -> AuditReport:
        """The full check: the chain, and every case and revision recomputed against what the chain recorded.
        It reads one snapshot of the store: a case saved while it runs is neither seen nor missed."""
        self._guard.require(Action.AUDIT_VIEW, target="audit")
        with self._uow.snapshot() as uow:
            chain = self._guard.trail(uow).verify()
            content = uow.content.problems(progress=progress)
        report = AuditReport(length=chain.length, head=chain.head, problems=chain.problems + tuple(content))
        if not report.ok:
            self._record_findings(report, full=True)
        return report

    def check_recent(self) -> AuditReport:
        """The fast check at login: the events since the last clean check link to it; the cases they name are
        recomputed; every case's and revision's hash column, revision number and presence is compared with the
        chain. A clean check moves the checkpoint; findings are audited and reported again at the next login.

        The first check of a store adopts, once, the revisions written before the chain recorded content hashes
        (an audit.content_baseline event), then checks everything. The check reads one snapshot of the store, so
        that the officer saving a case meanwhile raises no finding."""
        with self._uow() as uow:
            saved = uow.settings.get(CHECKPOINT_SETTING)
            if saved is None:
                self._adopt_legacy(uow)
                uow.commit()
        with self._uow.snapshot() as uow:
            trail = self._guard.trail(uow)
            if saved is None:
                chain = trail.verify()
                content = uow.content.problems()
            else:
                checkpoint = json.loads(saved)
                chain = trail.verify_since(int(checkpoint["seq"]), str(checkpoint["head"]))
                changed = {entry.case_id for entry in uow.content.recorded(after_seq=int(checkpoint["seq"])).values()}
                content = uow.content.problems(recompute=changed)
        report = AuditReport(length=chain.length, head=chain.head, problems=chain.problems + tuple(content))
        if report.ok:
            with self._uow() as uow:
                uow.settings.set(CHECKPOINT_SETTING, json.dumps({"seq": report.length, "head": report.head}))
                uow.commit()
        else:
            self._record_findings(report, full=saved is None)
        return report

    def _adopt_legacy(self, uow: UnitOfWork) -> None:
        """Record the revisions no event lists, once per store (the first check, after an upgrade or on a new
        store). The event is written even when it adopts nothing: later checks never adopt again, so a case slipped
        in after a removed checkpoint is not taken for a legacy one. The head is held first: no save can add a
        revision and its event between the reads below."""
        trail = self._guard.trail(uow)
        trail.hold_head()
        if trail.has_action(BASELINE_ACTION):
            return
        recorded = uow.content.recorded()
        numbers = uow.content.case_numbers()
        unlisted = [(case_id, numbers.get(case_id, ""), revision, digest)
                    for (case_id, revision), digest in sorted(uow.content.stored_revisions().items())
                    if (case_id, revision) not in recorded]
        self._guard.record(uow, action=BASELINE_ACTION, target="cases", actor=SYSTEM,
                           details={"count": len(unlisted), REVISIONS_KEY: revision_entries(unlisted)})

    def _record_findings(self, report: AuditReport, *, full: bool) -> None:
        """Audit what a check found (case numbers, no content); at HQ, a post's cases that changed are an alert."""
        cases = sorted({str(p.params["case_number"]) for p in report.problems if "case_number" in p.params})
        self._guard.record_alone(action=CHECK_ACTION, target="audit", outcome="failed",
                                 details={"full": full, "problems": len(report.problems),
                                          "cases": cases[:FINDINGS_KEPT]})
        with self._uow() as uow:
            identity = uow.sync.identity()
            own = identity.post_code if identity is not None else ""
            by_post: dict[str, list[str]] = {}
            for number in cases:
                post = _post_of(number)
                if post and post != own:
                    by_post.setdefault(post, []).append(number)
            for post, numbers in sorted(by_post.items()):
                uow.sync.add_alert(kind=ALERT_STORE_CHANGED, post_code=post, sequence=0,
                                   manifest_sha256=value_hash(numbers), file_name="",
                                   params={"post": post, "count": len(numbers), "case_number": numbers[0]},
                                   at=self._clock())
            uow.commit()

    def events(self, *, limit: int = 100, offset: int = 0, target: str = "") -> list[AuditEvent]:
        self._guard.require(Action.AUDIT_VIEW, target="audit")
        with self._uow() as uow:
            return self._guard.trail(uow).events(limit=limit, offset=offset, target=target)
