"""Plain data of sync bundles: post identity, outbox, trust store, import reports and per-post status."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from blo_desk.domain.errors import DomainError
from blo_desk.i18n import N_, Translator, _


@dataclass(frozen=True, slots=True)
class PostIdentity:
    post_code: str
    key_id: str  # as minisign prints it: 16 upper-case hex digits
    public_key: str  # the base64 line of the minisign public key
    created_at: datetime


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    """A bundle this post numbered; `acknowledged_at` is set once HQ confirmed it."""

    sequence: int
    file_name: str
    folder: str
    status: str  # reserved | written | failed
    sha256: str
    size: int
    full: bool
    records: int
    cases: int
    attachments: int
    created_at: datetime
    acknowledged_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ExportResult:
    sequence: int
    path: str
    sha256: str
    size: int
    records: int
    cases: int
    attachments: int
    full: bool
    encrypted: bool = False  # age-encrypted to HQ's pinned recipient (False: a plain signed bundle)


@dataclass(frozen=True, slots=True)
class TrustedKey:
    key_id: str
    post_code: str
    public_key: str
    added_at: datetime
    revoked_from: int | None = None
    revoked_at: datetime | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class Alert:
    id: int
    kind: str  # duplicate_sequence
    post_code: str
    sequence: int
    file_name: str
    raised_at: datetime
    message: str  # msgid with {named} placeholders
    params: dict[str, Any] = field(default_factory=dict)

    def translated(self, translator: Translator | None = None) -> str:
        text = translator.gettext(self.message) if translator else _(self.message)
        return text.format(**self.params)


ALERT_DUPLICATE_SEQUENCE = "duplicate_sequence"
ALERT_AUDIT_CUT = "audit_chain_cut"
ALERT_AUDIT_REWRITTEN = "audit_chain_rewritten"
ALERT_STORE_CHANGED = "store_changed"
ALERT_REVISION_CONFLICT = "revision_conflict"
ALERT_RESTORED = "post_restored"  # a restore the post announced: shown as such, not as a rewritten history
ALERT_RECOVERY_USED = "recovery_code_used"
ALERT_TWO_COPIES = "two_live_copies"
#: The alerts that say a post's history forked or was rewritten (a restore is not one of them).
EQUIVOCATION_ALERTS = frozenset({"duplicate_sequence", "audit_chain_cut", "audit_chain_rewritten", "two_live_copies"})
ALERT_MESSAGES = {
    ALERT_STORE_CHANGED: N_(
        "Post {post}: {count} of its cases or revisions in this store differ from what its bundles delivered "
        "(first: {case_number}); the store was changed outside the program."
    ),
    ALERT_DUPLICATE_SEQUENCE: N_(
        "Post {post} sent two different bundles numbered {seq} (file {file_name}); only the first was applied."
    ),
    ALERT_AUDIT_CUT: N_(
        "Post {post}: bundle {seq} reports an audit trail of {length} events, fewer than the {seen} events "
        "bundle {other_seq} reported; the post's history was cut."
    ),
    ALERT_AUDIT_REWRITTEN: N_(
        "Post {post}: the audit trail in bundle {seq} does not extend the one bundle {other_seq} reported "
        "({seen} events); the post's history was rewritten."
    ),
    ALERT_REVISION_CONFLICT: N_(
        "Post {post}: bundle {seq} (file {file_name}) is signed by the post but holds revision {revision} of case "
        "{case_number} with other content than HQ already holds; the bundle was refused."
    ),
    ALERT_TWO_COPIES: N_(
        "Post {post}: bundle {seq} does not come from the copy restored at bundle {other_seq}; two copies of the "
        "post with one key are in use."
    ),
    ALERT_RESTORED: N_(
        "Post {post} was restored from the backup of {backup_date}; bundles numbered above {lost_above} were "
        "lost to it; it continues at bundle {seq}."
    ),
    ALERT_RECOVERY_USED: N_(
        "Post {post}: the recovery code was used to set a new administrator password at {at} ({outcome})."
    ),
}

IMPORTED = "imported"
ALREADY_IMPORTED = "already_imported"
REJECTED = "rejected"
VERIFIED = "verified"


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What one bundle did at HQ: counts of cases new, updated and unchanged, or why it was rejected whole."""

    file_name: str
    outcome: str  # imported | already_imported | rejected | verified
    post_code: str = ""
    sequence: int | None = None
    records: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    revisions_added: int = 0
    attachments_stored: int = 0
    error: DomainError | None = None
    alerts: tuple[tuple[str, dict[str, Any]], ...] = ()  # (alert kind, message parameters) raised by this bundle
    encrypted: bool = False  # the file was an encrypted bundle (age envelope)
    contents_checked: bool = True  # False: only the envelope was checked (no HQ age key here, e.g. at the post)

    @property
    def rejected(self) -> bool:
        return self.outcome == REJECTED

    def alert_texts(self, translator: Translator | None = None) -> list[str]:
        gettext = translator.gettext if translator else _
        return [gettext(ALERT_MESSAGES.get(kind, kind)).format(**params) for kind, params in self.alerts]

    def reason(self, translator: Translator | None = None) -> str:
        return "" if self.error is None else self.error.translated(translator)


@dataclass(frozen=True, slots=True)
class PostSyncStatus:
    """One post as HQ sees it: the bundles held, the numbers missing, open alerts."""

    post_code: str
    sequences: tuple[int, ...]
    last_sequence: int
    last_imported_at: datetime | None
    missing: tuple[int, ...]
    alerts: int
    keys: int
    #: Numbers the post announced lost in a restore (never received): not missing, gone with the old laptop.
    lost: tuple[int, ...] = ()

    def held_ranges(self) -> list[tuple[int, int]]:
        return ranges(self.sequences)

    def summary(self, translator: Translator | None = None) -> str:
        """'have 1-4 and 6; 5 is missing', in the active language."""
        gettext = translator.gettext if translator else _
        held = format_ranges(self.held_ranges(), translator)
        if not self.sequences:
            return gettext("no bundle yet")
        if not self.missing:
            return gettext("have {held}; none missing").format(held=held)
        missing = format_ranges(ranges(self.missing), translator)
        if len(self.missing) == 1:
            return gettext("have {held}; {missing} is missing").format(held=held, missing=missing)
        return gettext("have {held}; {missing} are missing").format(held=held, missing=missing)


def ranges(numbers: tuple[int, ...] | list[int]) -> list[tuple[int, int]]:
    """Consecutive runs: (1, 2, 3, 4, 6) -> [(1, 4), (6, 6)]."""
    result: list[tuple[int, int]] = []
    for n in sorted(set(numbers)):
        if result and n == result[-1][1] + 1:
            result[-1] = (result[-1][0], n)
        else:
            result.append((n, n))
    return result


def format_ranges(runs: list[tuple[int, int]], translator: Translator | None = None) -> str:
    gettext = translator.gettext if translator else _
    parts = [str(a) if a == b else f"{a}-{b}" for a, b in runs]
    if len(parts) <= 1:
        return "".join(parts)
    return gettext("{first} and {last}").format(first=", ".join(parts[:-1]), last=parts[-1])


@dataclass(frozen=True, slots=True)
class SeenAtPosts:
    """One document number or plate found in the cases of more than one post (HQ's cross-post view)."""

    kind: str  # document | plate
    value: str  # as first written in a case
    posts: tuple[str, ...]
    cases: tuple[str, ...]  # case numbers
