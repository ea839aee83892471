"""The check code printed on a protocol: case id, revision and content hash, in ASCII, for checking paper copies."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from blo_desk.i18n import N_, Translator, translator

PREFIX = "BLO1"
SHORT_HASH_CHARS = 20  # 80 bits of the SHA-256: plenty to tell an altered copy from the record
MIN_HASH_CHARS = 16
SPOKEN_HASH_CHARS = 12  # 48 bits, read out as three groups of four: enough to tell an altered copy from the record
_CODE_RE = re.compile(r"^BLO1[:/]([0-9a-f-]{32,36})[:/](\d{1,9})[:/]([0-9a-f]{16,64})$")
# The spoken form: case number / revision / 12 hex digits in groups, e.g. "UZ-DUS-2024-00017/2/7D1F-0C52-A3B4".
_SPOKEN_RE = re.compile(r"^([A-Z0-9]+(?:-[A-Z0-9]+)+)/(\d{1,9})/([0-9A-F]{4}-?[0-9A-F]{4}-?[0-9A-F]{4})$")


@dataclass(frozen=True, slots=True)
class CheckCode:
    """What a protocol's check code says: this case, this revision, content with this hash (or hash prefix)."""

    case_id: str
    revision: int
    hash_hex: str  # the full SHA-256 or a prefix of at least MIN_HASH_CHARS hex digits (SPOKEN_HASH_CHARS spoken)
    case_number: str = ""  # set on a printed code, and on a spoken code read back (whose case_id is then "")

    def full(self) -> str:
        """The code with every hash digit given (QR content)."""
        return f"{PREFIX}:{self.case_id}:{self.revision}:{self.hash_hex}"

    def qr(self) -> str:
        """The full code in capitals, so that the QR holds it in alphanumeric mode (a smaller code, larger modules)."""
        return self.full().upper()

    def spoken(self) -> str:
        """The short code printed for a person to read out and type: case number, revision, 12 hex digits."""
        if not self.case_number:
            return self.short()
        digits = self.hash_hex[:SPOKEN_HASH_CHARS].upper()
        return f"{self.case_number}/{self.revision}/{digits[:4]}-{digits[4:8]}-{digits[8:12]}"

    def short(self) -> str:
        """The code printed for a person to read and type: the hash shortened to SHORT_HASH_CHARS digits."""
        return f"{PREFIX}:{self.case_id}:{self.revision}:{self.hash_hex[:SHORT_HASH_CHARS]}"

    def matches(self, stored_hash: str) -> bool:
        return stored_hash.lower().startswith(self.hash_hex)


def make_check_code(*, case_id: str, revision: int, content_hash: str, case_number: str = "") -> CheckCode:
    return CheckCode(case_id=case_id, revision=revision, hash_hex=content_hash.lower(), case_number=case_number)


def parse_check_code(text: str) -> CheckCode | None:
    """The code read from a QR or typed from paper (spaces and case ignored), or None when it is not one."""
    cleaned = re.sub(r"\s+", "", text or "").lower()
    spoken = _SPOKEN_RE.match(cleaned.upper())
    if spoken and not cleaned.startswith("blo1"):
        return CheckCode(case_id="", revision=int(spoken.group(2)), hash_hex=spoken.group(3).replace("-", "").lower(),
                         case_number=spoken.group(1))
    if cleaned.startswith("blo1"):
        cleaned = "BLO1" + cleaned[4:]
    found = _CODE_RE.match(cleaned)
    if not found:
        return None
    try:
        case_id = str(uuid.UUID(found.group(1)))
    except ValueError:
        return None
    return CheckCode(case_id=case_id, revision=int(found.group(2)), hash_hex=found.group(3))


class CheckOutcome(StrEnum):
    MATCH = "match"
    SUPERSEDED = "superseded"  # the copy matches its revision, but a later revision of the case replaced it
    MISMATCH = "mismatch"
    UNKNOWN = "unknown"  # that case or that revision is not held here
    MALFORMED = "malformed"


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The answer to "does this paper copy match the record?"."""

    outcome: CheckOutcome
    code: CheckCode | None = None
    case_number: str = ""
    latest_revision: int | None = None
    #: for SUPERSEDED: the revision that replaced the copy's, when it was saved and the reason given (amendments)
    replaced_by: int | None = None
    replaced_at: datetime | None = None
    reason: str = ""
    #: the case's zone (its post's): `replaced_at` is told in it, the zone named
    timezone: str = ""

    @property
    def matches(self) -> bool:
        """Whether the copy is the record as it stands now (a superseded copy matched only an older revision)."""
        return self.outcome == CheckOutcome.MATCH

    @property
    def exit_code(self) -> int:
        """The `verify-print` exit status: 0 match, 1 mismatch or unknown, 2 not a code, 3 superseded."""
        return {CheckOutcome.MATCH: 0, CheckOutcome.MALFORMED: 2, CheckOutcome.SUPERSEDED: 3}.get(self.outcome, 1)

    def message(self, tr: Translator | None = None) -> tuple[str, dict[str, Any]]:
        """An untranslated msgid and its named parameters, for the caller to translate; a moment among them is
        written in the language of `tr` (the active one by default), in the case's zone, the zone named."""
        code = self.code
        if self.outcome == CheckOutcome.SUPERSEDED:
            when = _moment_text(self.replaced_at, self.timezone, tr or translator())
            params = {"case_number": self.case_number, "revision": code.revision if code else 0,
                      "new_revision": self.replaced_by or 0, "when": when, "reason": self.reason,
                      "latest": self.latest_revision or 0}
            if self.reason:
                return (
                    N_("SUPERSEDED: this copy is revision {revision} of case {case_number}. Revision {new_revision} "
                       "replaced it on {when}; reason: {reason}. The current revision is {latest}."),
                    params,
                )
            return (
                N_("SUPERSEDED: this copy is revision {revision} of case {case_number}. Revision {new_revision} "
                   "replaced it on {when} (no reason recorded). The current revision is {latest}."),
                params,
            )
        if self.outcome == CheckOutcome.MATCH:
            return (
                N_("Match: case {case_number}, revision {revision}, is held and matches this copy."),
                {"case_number": self.case_number, "revision": code.revision if code else 0},
            )
        if self.outcome == CheckOutcome.MISMATCH:
            return (
                N_("MISMATCH: case {case_number}, revision {revision}, is held but its content differs from this copy."),
                {"case_number": self.case_number, "revision": code.revision if code else 0},
            )
        if self.outcome == CheckOutcome.UNKNOWN:
            if self.case_number:
                return (
                    N_("Unknown revision: case {case_number} is held, but not its revision {revision}."),
                    {"case_number": self.case_number, "revision": code.revision if code else 0},
                )
            return (N_("Unknown case: no case with id {case_id} is held here."), {"case_id": code.case_id if code else ""})
        return (N_("This is not a BLO Desk check code."), {})


def _moment_text(moment: datetime | None, zone: str, tr: Translator) -> str:
    """A moment as the desk writes it, in `zone` (else the desk's post zone), the zone named; naive is UTC."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return tr.format_datetime_zoned(moment, tz=zone or None)
