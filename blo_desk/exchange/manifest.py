"""Bundle format: member names, limits, the manifest and the signature's trusted comment (versions 1 to 3)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from blo_desk.domain.canonical import canonical_json
from blo_desk.exchange.errors import ManifestError, UnsupportedFormatError

FORMAT_NAME = "blo-desk-bundle"
FORMAT_VERSION = 3  # what exports write: records may hold a real seizure's fields (V2) and a voided draft (V3)
READABLE_VERSIONS = (1, 2, 3)  # what imports accept; a version-1 bundle (records of the first layout) still imports
SUFFIX = ".blo"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.json.minisig"
RECORDS = "records.jsonl"
ATTACHMENTS = "attachments/"

POST_RE = re.compile(r"^[A-Z]{2}-[A-Z0-9]{2,12}$")
SHA_RE = re.compile(r"^[0-9a-f]{64}$")
KEY_ID_RE = re.compile(r"^[0-9A-F]{16}$")
TIMESTAMP_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$")
VERSION_RE = re.compile(r"^[0-9A-Za-z.+\-]{1,40}$")

_FIELDS = {
    "format",
    "format_version",
    "post",
    "key_id",
    "sequence",
    "previous_sha256",
    "created_at",
    "app_version",
    "schema_version",
    "full",
    "counts",
    "members",
    "audit",
}
#: Optional fields, written only when they hold something (so every other bundle is byte-for-byte as before).
_OPTIONAL = {"restore", "security_events", "share_events"}
_RESTORE = {"backup_created_at", "lost_above", "resumed_at", "audit_length", "audit_head", "restored_at"}
_EVENT = {"action", "outcome", "at", "audit_seq"}
#: A share, request or answer the post sent or received (issue 16): ids, counts and hashes, never the content.
SHARE_EVENT = {"id", "kind", "direction", "peer", "profile", "at", "sha256", "cases", "photos", "about", "due"}
SHARE_EVENT_OPTIONAL = {"references"}  # a share: the case numbers it carried (HQ counts a case once per pair)
MAX_SHARED_CASES = 10_000
MAX_SHARE_EVENTS = 1000
_SHARE_ID_RE = re.compile(r"^[0-9a-f]{32}$")
SECURITY_ACTIONS = ("store.restore", "user.recover")
MAX_EVENTS = 100
_COUNTS = {"records", "cases", "attachments"}
_AUDIT = {"length", "head", "checkpoints"}
MAX_CHECKPOINTS = 1000
GENESIS_HEAD = "0" * 64


@dataclass(frozen=True, slots=True)
class Limits:
    """What an importer accepts before reading a byte of content; generous for real posts, small for attacks."""

    max_bundle_bytes: int = 8 * 1024**3
    max_members: int = 100_000
    max_manifest_bytes: int = 32 * 1024**2
    max_signature_bytes: int = 4096
    max_records_bytes: int = 2 * 1024**3
    max_attachment_bytes: int = 64 * 1024**2
    max_total_bytes: int = 16 * 1024**3
    max_ratio: int = 200  # uncompressed / compressed, for members over ratio_floor bytes
    ratio_floor: int = 64 * 1024
    max_line_bytes: int = 4 * 1024**2
    max_depth: int = 16
    max_number_chars: int = 32


@dataclass(frozen=True, slots=True)
class Member:
    name: str
    sha256: str
    size: int


@dataclass(frozen=True, slots=True)
class AuditChain:
    """The exporting store's audit chain: its length and last hash, and the hash it now has at each length an
    earlier bundle reported, so HQ can tell a history that was cut (shorter) or rewritten (another hash)."""

    length: int = 0
    head: str = GENESIS_HEAD
    checkpoints: tuple[tuple[int, str], ...] = ()  # (length, hash of the event at that length), sorted

    def to_dict(self) -> dict:
        return {"length": self.length, "head": self.head,
                "checkpoints": [{"length": n, "hash": h} for n, h in self.checkpoints]}


@dataclass(frozen=True, slots=True)
class Manifest:
    post: str
    key_id: str
    sequence: int
    previous_sha256: str
    created_at: str
    app_version: str
    schema_version: str
    full: bool
    records: int
    cases: int
    attachments: int
    members: tuple[Member, ...] = field(default=())
    audit: AuditChain = field(default=AuditChain())
    format_version: int = FORMAT_VERSION
    #: After a restore from a backup: which backup, the numbers lost above, where the post went on (see
    #: domain.backup.RestoreNotice); HQ then reads the new audit chain as a restore, not as a rewritten history.
    restore: dict | None = None
    #: Uses of a recovery code and restores since the last bundle: (action, outcome, at, audit_seq) each.
    security_events: tuple[dict, ...] = ()
    #: Shares, requests and answers sent or received since the last bundle (SHARE_EVENT keys each).
    share_events: tuple[dict, ...] = ()

    def to_dict(self) -> dict:
        return {
            "format": FORMAT_NAME,
            "format_version": self.format_version,
            "post": self.post,
            "key_id": self.key_id,
            "sequence": self.sequence,
            "previous_sha256": self.previous_sha256,
            "created_at": self.created_at,
            "app_version": self.app_version,
            "schema_version": self.schema_version,
            "full": self.full,
            "counts": {"records": self.records, "cases": self.cases, "attachments": self.attachments},
            "members": [{"name": m.name, "sha256": m.sha256, "size": m.size} for m in self.members],
            "audit": self.audit.to_dict(),
            **({"restore": self.restore} if self.restore else {}),
            **({"security_events": list(self.security_events)} if self.security_events else {}),
            **({"share_events": list(self.share_events)} if self.share_events else {}),
        }

    def to_bytes(self) -> bytes:
        """Canonical JSON (sorted keys, no spaces, UTF-8) and a final newline."""
        return canonical_json(self.to_dict()) + b"\n"

    @property
    def trusted_comment(self) -> str:
        return trusted_comment(self.post, self.sequence, self.format_version)

    @property
    def file_name(self) -> str:
        return bundle_file_name(self.post, self.sequence)


def trusted_comment(post: str, sequence: int, version: int = FORMAT_VERSION) -> str:
    """The signed comment minisign prints on verification: which format, post and bundle number."""
    return f"blo-desk bundle v{version} post:{post} seq:{sequence}"


def bundle_file_name(post: str, sequence: int) -> str:
    return f"{post}-{sequence:06d}{SUFFIX}"


def attachment_member(sha256: str) -> str:
    return ATTACHMENTS + sha256


def _need(condition: bool, name: str) -> None:
    if not condition:
        raise ManifestError(field=name)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def manifest_from_dict(data: object) -> Manifest:
    """Check every field of a parsed manifest; unknown or missing fields are refused."""
    _need(isinstance(data, dict), "manifest")
    assert isinstance(data, dict)
    _need(data.get("format") == FORMAT_NAME, "format")
    version = data.get("format_version")
    _need(_is_int(version), "format_version")
    if version not in READABLE_VERSIONS:
        raise UnsupportedFormatError(found=version, supported=", ".join(map(str, READABLE_VERSIONS)))
    for name in sorted(_FIELDS - set(data)):
        raise ManifestError(field=name)
    for name in sorted(set(data) - _FIELDS - _OPTIONAL):
        raise ManifestError(field=name)
    _need(isinstance(data["post"], str) and bool(POST_RE.match(data["post"])), "post")
    _need(isinstance(data["key_id"], str) and bool(KEY_ID_RE.match(data["key_id"])), "key_id")
    _need(_is_int(data["sequence"]) and 1 <= data["sequence"] < 2**31, "sequence")
    previous = data["previous_sha256"]
    _need(isinstance(previous, str) and (previous == "" or bool(SHA_RE.match(previous))), "previous_sha256")
    _need(isinstance(data["created_at"], str) and bool(TIMESTAMP_RE.match(data["created_at"])), "created_at")
    for name in ("app_version", "schema_version"):
        _need(isinstance(data[name], str) and bool(VERSION_RE.match(data[name])), name)
    _need(isinstance(data["full"], bool), "full")
    counts = data["counts"]
    _need(isinstance(counts, dict) and set(counts) == _COUNTS, "counts")
    for name in sorted(_COUNTS):
        _need(_is_int(counts[name]) and 0 <= counts[name] < 2**31, f"counts.{name}")
    members = data["members"]
    _need(isinstance(members, list), "members")
    parsed: list[Member] = []
    seen: set[str] = set()
    for n, member in enumerate(members):
        where = f"members.{n}"
        _need(isinstance(member, dict) and set(member) == {"name", "sha256", "size"}, where)
        name, sha, size = member["name"], member["sha256"], member["size"]
        _need(isinstance(name, str) and name not in seen and name not in (MANIFEST, SIGNATURE), f"{where}.name")
        _need(name == RECORDS or (name.startswith(ATTACHMENTS) and bool(SHA_RE.match(name[len(ATTACHMENTS):]))),
              f"{where}.name")
        _need(isinstance(sha, str) and bool(SHA_RE.match(sha)), f"{where}.sha256")
        _need(_is_int(size) and 0 <= size < 2**63, f"{where}.size")
        if name.startswith(ATTACHMENTS):
            _need(name[len(ATTACHMENTS):] == sha, f"{where}.sha256")
        seen.add(name)
        parsed.append(Member(name=name, sha256=sha, size=size))
    _need(RECORDS in seen, "members")
    audit = _audit_from_dict(data["audit"])
    _need(sum(1 for m in parsed if m.name.startswith(ATTACHMENTS)) == counts["attachments"], "counts.attachments")
    return Manifest(
        post=data["post"],
        key_id=data["key_id"],
        sequence=data["sequence"],
        previous_sha256=previous,
        created_at=data["created_at"],
        app_version=data["app_version"],
        schema_version=data["schema_version"],
        full=data["full"],
        records=counts["records"],
        cases=counts["cases"],
        attachments=counts["attachments"],
        members=tuple(parsed),
        audit=audit,
        format_version=version,
        restore=_restore_from_dict(data["restore"]) if "restore" in data else None,
        security_events=_events_from_dict(data["security_events"]) if "security_events" in data else (),
        share_events=_share_events_from_dict(data["share_events"]) if "share_events" in data else (),
    )


def _restore_from_dict(data: object) -> dict:
    _need(isinstance(data, dict) and set(data) == _RESTORE, "restore")
    assert isinstance(data, dict)
    for name in ("lost_above", "resumed_at", "audit_length"):
        _need(_is_int(data[name]) and 0 <= data[name] < 2**31, f"restore.{name}")
    _need(data["resumed_at"] > data["lost_above"], "restore.resumed_at")
    _need(isinstance(data["audit_head"], str) and bool(SHA_RE.match(data["audit_head"])), "restore.audit_head")
    for name in ("backup_created_at", "restored_at"):
        _need(isinstance(data[name], str) and bool(TIMESTAMP_RE.match(data[name])), f"restore.{name}")
    return dict(data)


def _events_from_dict(data: object) -> tuple[dict, ...]:
    _need(isinstance(data, list) and 0 < len(data) <= MAX_EVENTS, "security_events")
    assert isinstance(data, list)
    for n, event in enumerate(data):
        where = f"security_events.{n}"
        _need(isinstance(event, dict) and set(event) == _EVENT, where)
        _need(event["action"] in SECURITY_ACTIONS and event["outcome"] in ("ok", "failed", "denied"), where)
        _need(isinstance(event["at"], str) and bool(TIMESTAMP_RE.match(event["at"])), f"{where}.at")
        _need(_is_int(event["audit_seq"]) and event["audit_seq"] >= 1, f"{where}.audit_seq")
    return tuple(dict(e) for e in data)


def _share_events_from_dict(data: object) -> tuple[dict, ...]:
    _need(isinstance(data, list) and 0 < len(data) <= MAX_SHARE_EVENTS, "share_events")
    assert isinstance(data, list)
    for n, event in enumerate(data):
        where = f"share_events.{n}"
        _need(isinstance(event, dict) and SHARE_EVENT <= set(event) <= SHARE_EVENT | SHARE_EVENT_OPTIONAL, where)
        _need(isinstance(event["id"], str) and bool(_SHARE_ID_RE.match(event["id"])), f"{where}.id")
        _need(event["kind"] in ("share", "request", "answer"), f"{where}.kind")
        _need(event["direction"] in ("sent", "received"), f"{where}.direction")
        _need(isinstance(event["peer"], str) and bool(POST_RE.match(event["peer"])), f"{where}.peer")
        _need(isinstance(event["profile"], str) and len(event["profile"]) <= 32, f"{where}.profile")
        _need(isinstance(event["at"], str) and bool(TIMESTAMP_RE.match(event["at"])), f"{where}.at")
        _need(isinstance(event["sha256"], str) and bool(SHA_RE.match(event["sha256"])), f"{where}.sha256")
        for name in ("cases", "photos"):
            _need(_is_int(event[name]) and 0 <= event[name] < 2**31, f"{where}.{name}")
        _need(isinstance(event["about"], str) and (event["about"] == "" or bool(_SHARE_ID_RE.match(event["about"]))),
              f"{where}.about")
        _need(isinstance(event["due"], str) and len(event["due"]) in (0, 10), f"{where}.due")
        if "references" in event:
            refs = event["references"]
            _need(event["kind"] == "share" and isinstance(refs, list) and len(refs) == event["cases"]
                  and len(refs) <= MAX_SHARED_CASES
                  and all(isinstance(r, str) and 0 < len(r) <= 64 and r.isprintable() for r in refs),
                  f"{where}.references")
    return tuple(dict(e) for e in data)


def _audit_from_dict(data: object) -> AuditChain:
    _need(isinstance(data, dict) and set(data) == _AUDIT, "audit")
    assert isinstance(data, dict)
    length, head, checkpoints = data["length"], data["head"], data["checkpoints"]
    _need(_is_int(length) and 0 <= length < 2**63, "audit.length")
    _need(isinstance(head, str) and bool(SHA_RE.match(head)), "audit.head")
    _need(isinstance(checkpoints, list) and len(checkpoints) <= MAX_CHECKPOINTS, "audit.checkpoints")
    parsed: list[tuple[int, str]] = []
    for n, point in enumerate(checkpoints):
        where = f"audit.checkpoints.{n}"
        _need(isinstance(point, dict) and set(point) == {"length", "hash"}, where)
        _need(_is_int(point["length"]) and 1 <= point["length"] <= length, f"{where}.length")
        _need(not parsed or point["length"] > parsed[-1][0], f"{where}.length")
        _need(isinstance(point["hash"], str) and bool(SHA_RE.match(point["hash"])), f"{where}.hash")
        parsed.append((point["length"], point["hash"]))
    return AuditChain(length=length, head=head, checkpoints=tuple(parsed))
