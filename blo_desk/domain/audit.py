"""The audit trail as plain data: events, the chain head, a verification report, and the chain's hash rule."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from blo_desk.i18n import PluralMessage, Translator, translate_message

GENESIS_HASH = "0" * 64

#: The columns of an event that its hash covers, in this order (prev_hash is added last).
HASHED_FIELDS = ("seq", "at", "actor", "role", "action", "outcome", "target", "before_hash", "after_hash", "details")


def event_hash(fields: dict[str, Any], prev_hash: str) -> str:
    """SHA-256 over the canonical JSON of the hashed fields plus the previous event's hash."""
    body = {name: fields[name] for name in HASHED_FIELDS}
    body["prev_hash"] = prev_hash
    raw = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(raw).hexdigest()


def value_hash(data: object) -> str:
    """Hash of any JSON-able value (a user record, a setting, a post) for before/after."""
    if data is None:
        return ""
    raw = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode("utf-8")
    return hashlib.sha256(raw).hexdigest()


@dataclass(frozen=True, slots=True)
class AuditEvent:
    seq: int
    at: str
    actor: str
    role: str
    action: str
    outcome: str
    target: str
    before_hash: str
    after_hash: str
    details: str
    prev_hash: str
    hash: str


@dataclass(frozen=True, slots=True)
class AuditHead:
    """What a sync bundle's manifest carries so HQ sees a cut or rewritten history: length and last hash."""

    length: int
    head: str


@dataclass(frozen=True, slots=True)
class AuditProblem:
    message: str | PluralMessage  # untranslated msgid (or plural pair) with {named} placeholders
    params: dict[str, Any] = field(default_factory=dict)

    def translated(self, translator: Translator | None = None) -> str:
        return translate_message(self.message, self.params, translator)


@dataclass(frozen=True, slots=True)
class AuditReport:
    length: int
    head: str
    problems: tuple[AuditProblem, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


#: Events that record one revision of one case: target "case:<id>", after_hash the content hash, details.revision.
CASE_REVISION_ACTIONS = frozenset({"case.create", "case.edit_draft", "case.finalize", "case.amend", "case.void"})
#: The details key under which a bulk write (demo data, a bundle applied at HQ, the first content baseline) lists
#: every revision it wrote, as [case_id, case_number, revision, content_hash].
REVISIONS_KEY = "revisions"


@dataclass(frozen=True, slots=True)
class RecordedRevision:
    """One revision of a case as the audit chain recorded it when it was written."""

    case_id: str
    case_number: str
    revision: int
    content_hash: str
    seq: int  # the event that recorded it


def revision_entries(revisions: list[tuple[str, str, int, str]]) -> list[list[str | int]]:
    """What a bulk writer puts under REVISIONS_KEY: [case_id, case_number, revision, content_hash] per revision."""
    return [[case_id, number, int(revision), digest] for case_id, number, revision, digest in revisions]


def recorded_revisions(*, seq: int, action: str, outcome: str, target: str, after_hash: str,
                       details: str) -> list[RecordedRevision]:
    """The case revisions one audit event recorded (none for events about something else)."""
    if outcome != "ok":
        return []
    is_case_event = action in CASE_REVISION_ACTIONS and target.startswith("case:")
    if not is_case_event and f'"{REVISIONS_KEY}"' not in details:
        return []
    try:
        body = json.loads(details or "{}")
    except ValueError:
        return []
    if not isinstance(body, dict):
        return []
    found = []
    if is_case_event and after_hash and isinstance(body.get("revision"), int):
        found.append(RecordedRevision(case_id=target[5:], case_number=str(body.get("case_number", "")),
                                      revision=body["revision"], content_hash=after_hash, seq=seq))
    entries = body.get(REVISIONS_KEY)
    if isinstance(entries, list):
        for entry in entries:
            if isinstance(entry, list) and len(entry) == 4 and isinstance(entry[2], int):
                found.append(RecordedRevision(case_id=str(entry[0]), case_number=str(entry[1]), revision=entry[2],
                                              content_hash=str(entry[3]), seq=seq))
    return found
