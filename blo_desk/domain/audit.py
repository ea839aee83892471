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
