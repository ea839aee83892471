"""The audit trail in the store: append an event in the caller's transaction, read the head, verify the chain."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import bindparam, func, insert, select, text, update
from sqlalchemy.orm import Session

from blo_desk.domain.audit import GENESIS_HASH, AuditEvent, AuditHead, AuditProblem, AuditReport, event_hash
from blo_desk.i18n import N_, N_plural
from blo_desk.storage.models import SettingRow
from blo_desk.storage.models_security import AuditEventRow

#: The sealed copy of the chain's head, kept in the setting table and rewritten with every event.
HEAD_SETTING = "audit.head"
VERIFY_BATCH = 5000
#: The sealed head rewritten with every event (built once: every save runs it).
_HEAD = select(SettingRow.value).where(SettingRow.key == HEAD_SETTING)
_HEAD_FOR_UPDATE = _HEAD.with_for_update()
_LOCK_HEAD = text("UPDATE setting SET value = value WHERE key = :head_key")
_REWRITE_HEAD = update(SettingRow).where(SettingRow.key == HEAD_SETTING).values(value=bindparam("head_value"))


def _now_text(at: datetime | None = None) -> str:
    at = at or datetime.now(timezone.utc)
    return at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _mac(key: bytes | None, length: int, head: str) -> str:
    if not key:
        return ""
    return hmac.new(key, f"blo-desk audit head|{length}|{head}".encode(), hashlib.sha256).hexdigest()


class AuditTrail:
    """Append-only, hash-chained events; `seal_key` (from the data key) MACs the head copy when the store has one."""

    def __init__(self, session: Session, *, seal_key: bytes | None = None) -> None:
        self.session = session
        self.seal_key = seal_key

    def _sealed_head(self, *, for_update: bool) -> str | None:
        """The sealed head copy; `for_update` locks it for this transaction (PostgreSQL: one appender at a time;
        SQLite's write lock does the same)."""
        return self.session.connection().execute(_HEAD_FOR_UPDATE if for_update else _HEAD).scalar()

    def head(self) -> AuditHead:
        """The chain as the events table holds it (length and last hash)."""
        last = self.session.execute(
            select(AuditEventRow.seq, AuditEventRow.hash).order_by(AuditEventRow.seq.desc()).limit(1)
        ).one_or_none()
        return AuditHead(length=0, head=GENESIS_HASH) if last is None else AuditHead(length=last[0], head=last[1])

    def append(
        self,
        *,
        actor: str,
        role: str,
        action: str,
        outcome: str = "ok",
        target: str = "",
        before_hash: str = "",
        after_hash: str = "",
        details: dict | None = None,
        at: datetime | None = None,
    ) -> AuditEvent:
        sealed_text = self.hold_head()
        if sealed_text is not None:
            sealed = json.loads(sealed_text)
            length, prev = int(sealed["length"]), sealed["head"]
        else:
            found = self.head()
            length, prev = found.length, found.head
        fields: dict[str, Any] = {
            "seq": length + 1,
            "at": _now_text(at),
            "actor": actor,
            "role": role,
            "action": action,
            "outcome": outcome,
            "target": target,
            "before_hash": before_hash or "",
            "after_hash": after_hash or "",
            "details": json.dumps(details or {}, sort_keys=True, separators=(",", ":"), ensure_ascii=False),
        }
        digest = event_hash(fields, prev)
        value = json.dumps({"length": length + 1, "head": digest, "mac": _mac(self.seal_key, length + 1, digest)})
        connection = self.session.connection()  # Core statements: an event is written on every save
        connection.execute(insert(AuditEventRow), {**fields, "prev_hash": prev, "hash": digest})
        if sealed_text is None:
            connection.execute(insert(SettingRow), {"key": HEAD_SETTING, "value": value})
        else:
            connection.execute(_REWRITE_HEAD, {"head_value": value})
        return AuditEvent(**fields, prev_hash=prev, hash=digest)

    def hold_head(self) -> str | None:
        """Hold the chain's head until this transaction ends, so that no other event is appended meanwhile; the
        sealed head copy (None on a new store)."""
        if self.session.get_bind().dialect.name == "sqlite":
            # Take SQLite's write lock before reading the head (PostgreSQL has FOR UPDATE): when this event is
            # the transaction's first write, another connection (a backup in a worker while the desk saves)
            # could otherwise append between the read and the insert, and both would take the same number.
            self.session.connection().execute(_LOCK_HEAD, {"head_key": HEAD_SETTING})
        return self._sealed_head(for_update=True)

    def has_action(self, action: str) -> bool:
        """Whether any event of this action was written."""
        return self.session.scalar(select(AuditEventRow.seq).where(AuditEventRow.action == action).limit(1)) is not None

    def failed_logins_of(self, target: str, *, outcome: str = "failed", since: datetime | None = None) -> int:
        """How many login events with this outcome the trail holds for `target` (user:<name>), since a moment."""
        stmt = select(func.count()).select_from(AuditEventRow).where(
            AuditEventRow.action == "user.login", AuditEventRow.target == target, AuditEventRow.outcome == outcome)
        if since is not None:
            stmt = stmt.where(AuditEventRow.at >= _now_text(since))
        return int(self.session.scalar(stmt) or 0)

    def lockouts_of(self, target: str) -> int:
        stmt = select(func.count()).select_from(AuditEventRow).where(
            AuditEventRow.action == "user.lockout", AuditEventRow.target == target)
        return int(self.session.scalar(stmt) or 0)

    def unknown_logins(self) -> list[tuple[str, int, str]]:
        """(username tried, failed attempts, last attempt as recorded) for every name no account has, most first."""
        stmt = (select(AuditEventRow.target, func.count(), func.max(AuditEventRow.at))
                .where(AuditEventRow.action == "user.login", AuditEventRow.outcome == "failed",
                       AuditEventRow.details.contains('"why":"unknown user"'))
                .group_by(AuditEventRow.target))
        found = [(target.removeprefix("user:"), int(count), last) for target, count, last in self.session.execute(stmt)]
        return sorted(found, key=lambda row: (-row[1], row[0]))

    def events(self, *, limit: int = 100, offset: int = 0, target: str = "", newest_first: bool = True) -> list[AuditEvent]:
        stmt = select(AuditEventRow)
        if target:
            stmt = stmt.where(AuditEventRow.target == target)
        order = AuditEventRow.seq.desc() if newest_first else AuditEventRow.seq.asc()
        stmt = stmt.order_by(order).offset(offset).limit(limit)
        return [_event(r) for r in self.session.scalars(stmt)]

    def verify(self) -> AuditReport:
        """Walk the whole chain; report edited, inserted, removed or cut events and a wrong sealed head."""
        return self._verify_from(0, GENESIS_HASH, with_cases=True)

    def verify_since(self, seq: int, head: str) -> AuditReport:
        """The incremental check: event `seq` must still be `head`, and every later event link to it."""
        problems: list[AuditProblem] = []
        if seq:
            found = self.session.scalar(select(AuditEventRow.hash).where(AuditEventRow.seq == seq))
            if found != head:
                problems.append(AuditProblem(
                    N_("Audit event {seq} is not the one checked before: the trail was rewritten."), {"seq": seq}))
                head = found or head
        report = self._verify_from(seq, head, with_cases=False)
        return AuditReport(length=report.length, head=report.head, problems=tuple(problems) + report.problems)

    def _verify_from(self, start: int, head: str, *, with_cases: bool) -> AuditReport:
        problems: list[AuditProblem] = []
        prev, expected_seq, last_seq = head, start + 1, start
        after = start
        while True:
            rows = self.session.execute(
                select(AuditEventRow).where(AuditEventRow.seq > after).order_by(AuditEventRow.seq).limit(VERIFY_BATCH)
            ).scalars().all()
            if not rows:
                break
            for r in rows:
                if r.seq != expected_seq:
                    problems.append(AuditProblem(N_("Events {first} to {last} are missing from the audit trail."),
                                                 {"first": expected_seq, "last": r.seq - 1}))
                fields = {name: getattr(r, name) for name in
                          ("seq", "at", "actor", "role", "action", "outcome", "target", "before_hash", "after_hash",
                           "details")}
                if event_hash(fields, r.prev_hash) != r.hash:
                    problems.append(AuditProblem(N_("Audit event {seq} was changed after it was written."),
                                                 {"seq": r.seq}))
                if r.prev_hash != prev:
                    problems.append(AuditProblem(
                        N_("Audit event {seq} does not follow the event before it (the chain is broken)."),
                        {"seq": r.seq}))
                prev, expected_seq, last_seq = r.hash, r.seq + 1, r.seq
            after = rows[-1].seq
        count = int(self.session.scalar(select(func.count()).select_from(AuditEventRow)) or 0)
        if with_cases and count != last_seq:
            problems.append(AuditProblem(N_("The audit trail has {count} events but is numbered up to {last}."),
                                         {"count": count, "last": last_seq}))
        sealed_text = self._sealed_head(for_update=False)
        if sealed_text is None:
            if last_seq:
                problems.append(AuditProblem(N_("The sealed head of the audit trail is missing.")))
        else:
            sealed = json.loads(sealed_text)
            length, head = int(sealed.get("length", -1)), sealed.get("head", "")
            if length > last_seq:
                problems.append(AuditProblem(
                    N_("The audit trail ends at event {found} but had {expected} events: the last ones were deleted."),
                    {"found": last_seq, "expected": length}))
            elif length < last_seq:
                problems.append(AuditProblem(
                    N_("The audit trail has {found} events but its sealed head says {expected}."),
                    {"found": last_seq, "expected": length}))
            elif head != prev:
                problems.append(AuditProblem(N_("The last audit event differs from the sealed head.")))
            if self.seal_key and not hmac.compare_digest(sealed.get("mac", ""), _mac(self.seal_key, length, head)):
                problems.append(AuditProblem(N_("The seal of the audit trail's head is wrong: it was edited.")))
        if with_cases:
            problems += self._case_problems()
        return AuditReport(length=last_seq, head=prev, problems=tuple(problems))

    def _case_problems(self) -> list[AuditProblem]:
        """Each case row must be its latest revision, and no amendment window may stay open."""
        problems = []
        mismatched = self.session.execute(text(
            "SELECT c.case_number FROM seizure_case c LEFT JOIN case_revision r "
            "ON r.case_id = c.id AND r.revision = c.revision "
            "WHERE r.content_hash IS NULL OR r.content_hash <> c.content_hash "
            "OR c.revision <> (SELECT max(revision) FROM case_revision m WHERE m.case_id = c.id) "
            "ORDER BY c.case_number LIMIT 20"
        )).scalars().all()
        for number in mismatched:
            problems.append(AuditProblem(N_("Case {case_number} does not match its recorded history."),
                                         {"case_number": number}))
        open_windows = self.session.execute(text("SELECT count(*) FROM case_amendment_window")).scalar()
        if open_windows:
            problems.append(AuditProblem(N_plural("{count} finalized case was left open for change.",
                                                    "{count} finalized cases were left open for change."),
                                         {"count": int(open_windows)}))
        return problems


def _event(r: AuditEventRow) -> AuditEvent:
    return AuditEvent(seq=r.seq, at=r.at, actor=r.actor, role=r.role, action=r.action, outcome=r.outcome,
                      target=r.target, before_hash=r.before_hash, after_hash=r.after_hash, details=r.details,
                      prev_hash=r.prev_hash, hash=r.hash)
