"""At HQ: the trust store, verified all-or-nothing import of bundles, per-post gaps and alerts."""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date, datetime, timezone
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from blo_desk.domain.canonical import CONTENT_FIELDS, canonical_json, case_from_content, parse_ts
from blo_desk.domain.canonical import _dec as canonical_decimal, _ts as canonical_ts
from blo_desk.domain.enums import CaseStatus, Direction, PersonRole, Sex
from blo_desk.domain.audit import value_hash
from blo_desk.domain.errors import DomainError, PermissionDeniedError
from blo_desk.domain.permissions import Action, Principal
from blo_desk.i18n import N_
from blo_desk.domain.sync import (
    ALERT_AUDIT_CUT,
    ALERT_AUDIT_REWRITTEN,
    ALERT_DUPLICATE_SEQUENCE,
    ALREADY_IMPORTED,
    IMPORTED,
    REJECTED,
    VERIFIED,
    Alert,
    ImportReport,
    PostSyncStatus,
    SeenAtPosts,
    TrustedKey,
)
from blo_desk.exchange import minisign
from blo_desk.exchange.errors import (
    BundleRejected,
    CaseNumberTakenError,
    ForeignPostRecordError,
    KeyAlreadyTrustedError,
    KeyFileError,
    KeyNotTrustedError,
    MissingAttachmentError,
    RecordError,
    RecordHashMismatchError,
    RevisionConflictError,
    SequenceConflictError,
    StoreRefusedError,
    UnknownPostError,
)
from blo_desk.exchange.manifest import SUFFIX, AuditChain, Limits, Manifest
from blo_desk.exchange.verify import OpenedBundle, TrustedKey as VerifyKey, attachment_names, discard
from blo_desk.exchange.envelope import is_envelope
from blo_desk.services.audit import Guard
from blo_desk.services.bulk import collector_paused
from blo_desk.services.bundle_encryption import HqAgeKey, HqBundleEncryption
from blo_desk.services.clock import utc_now
from blo_desk.storage.blobs import BlobStore
from blo_desk.storage.sync_repository import SyncRepository, adopt_staged, case_columns
from blo_desk.storage.uow import UnitOfWorkFactory

#: A file of an import batch that cannot be read (same wording as an unreadable photo).
UNREADABLE_FILE = N_("The file {filename} cannot be read: {reason}")

STAGING_LEFTOVER_S = 3600  # a staged file untouched this long is a crash leftover (imports touch theirs as they go)


def empty_staging(folder: Path, *, older_than_s: float = STAGING_LEFTOVER_S) -> int:
    """Remove what a crashed import left in the staging folder (plain case data: decrypted bundles, photos,
    records); files younger than `older_than_s` may belong to an import running right now and are kept."""
    removed = 0
    try:
        entries = list(Path(folder).iterdir())
    except OSError:
        return 0
    limit = time.time() - older_than_s
    for entry in entries:
        try:
            if entry.is_file() and entry.stat().st_mtime < limit:
                entry.unlink()
                removed += 1
        except OSError:
            continue
    return removed


APPLY_CHUNK = 2000
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_TS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$")
_RECORD_KEYS = frozenset(
    {"case", "revision", "content_hash", "parent_hash", "reason", "actor", "created_at", "updated_at", "finalized_at"}
)
_CASE_KEYS = frozenset(CONTENT_FIELDS) | {"id", "occurred_at", "direction", "status", "items", "persons", "attachments"}
# Field types of parsed JSON values: `type(v) in ...` (a bool is not an int here, and JSON gives no subclasses).
_STR = frozenset({str})
_OPT_STR = frozenset({str, type(None)})
_ITEM = {"category": _STR, "description": _STR, "brand": _STR, "quantity": _OPT_STR, "unit": _STR,
         "packages": frozenset({int, type(None)}), "value": _OPT_STR, "currency": _STR, "seals": _STR}
_PERSON = {"role": _STR, "full_name": _STR, "birth_date": _OPT_STR, "sex": _OPT_STR, "nationality": _STR,
           "document_type": _STR, "document_number": _STR, "address": _STR}
_ATTACHMENT = {"sha256": _STR, "filename": _STR, "media_type": _STR, "size": frozenset({int}), "caption": _STR}
# Canonical JSON writes every object's keys sorted: the only order a canonical record's objects can have.
_RECORD_ORDER = tuple(sorted(_RECORD_KEYS))
_CASE_ORDER = tuple(sorted(_CASE_KEYS))
_CHILD_ORDERS = (("items", tuple(sorted(_ITEM))), ("persons", tuple(sorted(_PERSON))),
                 ("attachments", tuple(sorted(_ATTACHMENT))))
# What canonical JSON may hold outside its strings: brackets, separators, digits, minus, true, false, null.
_STRUCTURE = b"{}[],:-0123456789truefalsn"
_DIRECTIONS = frozenset(map(str, Direction))
_STATUSES = frozenset(map(str, CaseStatus))
_ROLES = frozenset(map(str, PersonRole))
_SEXES = frozenset(map(str, Sex))


def _check_children(line: int, rows: object, schema: dict, name: str) -> None:
    if type(rows) is not list:
        raise RecordError(line=line, field=f"case.{name}")
    fields = schema.items()
    for n, row in enumerate(rows):
        if type(row) is not dict or row.keys() != schema.keys():
            raise RecordError(line=line, field=f"case.{name}.{n}")
        for key, types in fields:
            if type(row[key]) not in types:
                raise RecordError(line=line, field=f"case.{name}.{n}.{key}")


def _check_timestamp(line: int, value: str, field: str) -> None:
    """A timestamp of the canonical shape must also be a real date and time (no month 13)."""
    try:
        datetime.fromisoformat(value[:-1])
    except ValueError:
        raise RecordError(line=line, field=field) from None


def is_canonical(raw: bytes, record: dict) -> bool:
    """Whether `raw` is exactly canonical_json(record), for a record check_record's field checks passed.

    Without re-encoding, when the line has no backslash: every string is then written as it is (JSON has no
    other way to spell a string without escapes, and the strict parser refused raw control characters), so the
    bytes are canonical when each object's keys come in sorted order (duplicates were refused while parsing),
    nothing but brackets, separators, integers and literals lies between the strings (no white space, no
    float, no "-0"). Any line this cannot prove is compared with its re-encoding, byte for byte."""
    if b"\\" not in raw and tuple(record) == _RECORD_ORDER:
        case = record["case"]
        if tuple(case) == _CASE_ORDER and all(tuple(row) == order for name, order in _CHILD_ORDERS
                                              for row in case[name]):
            structure = b"".join(raw.split(b'"')[::2])
            if not structure.translate(None, _STRUCTURE) and b"-0" not in structure:
                return True
    return canonical_json(record) == raw


def check_record(line: int, raw: bytes, record: object, *, post: str) -> dict:
    """Every field of one record has the right name and type, it belongs to the bundle's post, its content
    hash is right and it is written in canonical form. Returns the record."""
    if type(record) is not dict or record.keys() != _RECORD_KEYS:
        raise RecordError(line=line, field="record")
    case = record["case"]
    if type(case) is not dict or case.keys() != _CASE_KEYS:
        raise RecordError(line=line, field="case")
    if type(record["revision"]) is not int or not 1 <= record["revision"] < 2**31:
        raise RecordError(line=line, field="revision")
    if type(record["content_hash"]) is not str or not _HEX64.match(record["content_hash"]):
        raise RecordError(line=line, field="content_hash")
    parent = record["parent_hash"]
    if type(parent) is not str or not (parent == "" or _HEX64.match(parent)):
        raise RecordError(line=line, field="parent_hash")
    for name in ("reason", "actor"):
        if type(record[name]) is not str:
            raise RecordError(line=line, field=name)
    for name in ("created_at", "updated_at", "finalized_at"):
        value = record[name]
        if type(value) is str and _TS.match(value):
            _check_timestamp(line, value, name)
        elif not (name == "finalized_at" and value is None):
            raise RecordError(line=line, field=name)
    for name in (*CONTENT_FIELDS, "id", "direction", "status"):
        if type(case[name]) is not str:
            raise RecordError(line=line, field=f"case.{name}")
    if type(case["occurred_at"]) is not str or not _TS.match(case["occurred_at"]):
        raise RecordError(line=line, field="case.occurred_at")
    _check_timestamp(line, case["occurred_at"], "case.occurred_at")
    if not 1 <= len(case["id"]) <= 36:
        raise RecordError(line=line, field="case.id")
    _check_children(line, case["items"], _ITEM, "items")
    _check_children(line, case["persons"], _PERSON, "persons")
    _check_children(line, case["attachments"], _ATTACHMENT, "attachments")
    for attachment in case["attachments"]:
        if not _HEX64.match(attachment["sha256"]):
            raise RecordError(line=line, field="case.attachments.sha256")
    if case["post_code"] != post:
        raise ForeignPostRecordError(line=line, case_post=case["post_code"], post=post)
    if not is_canonical(raw, record):
        raise RecordError(line=line, field="canonical form")
    # In canonical form the case's own canonical JSON is the bytes between these two keys (a quote inside a
    # string is always escaped, so neither marker can occur earlier): hash them without encoding again.
    start = raw.index(b',"case":{') + len(b',"case":')
    end = raw.index(b'},"content_hash":"', start) + 1
    if hashlib.sha256(raw[start:end]).hexdigest() != record["content_hash"]:
        raise RecordHashMismatchError(line=line)
    return record


def check_content(line: int, record: dict) -> None:
    """The checks a round trip through Case made (case_from_content, then content_dict compared with the record),
    field by field on a record check_record passed: a value that does not parse (an unknown direction, status
    or role, a decimal or date that is none) is a RecordError; one that parses but is not written the one way
    content_dict writes it ("1.50", "", an ISO week date) is a RecordHashMismatchError, since the stored rows
    would not give back the hashed content."""
    case = record["case"]
    spelled_otherwise = False
    try:
        occurred = case["occurred_at"]
        if occurred[0] == "0":  # years before 1000: strftime drops the leading zeros, so the round trip differs
            spelled_otherwise = canonical_ts(parse_ts(occurred)) != occurred
        if case["direction"] not in _DIRECTIONS or case["status"] not in _STATUSES:
            raise ValueError
        for item in case["items"]:
            for value in (item["quantity"], item["value"]):
                if value is not None and canonical_decimal(Decimal(value)) != value:
                    spelled_otherwise = True
        for person in case["persons"]:
            if person["role"] not in _ROLES:
                raise ValueError
            born, sex = person["birth_date"], person["sex"]
            if born is not None and (born == "" or date.fromisoformat(born).isoformat() != born):
                spelled_otherwise = True
            if sex is not None and sex != "" and sex not in _SEXES:
                raise ValueError
            if sex == "":
                spelled_otherwise = True
    except (ValueError, InvalidOperation, ArithmeticError):
        raise RecordError(line=line, field="case") from None
    if spelled_otherwise:
        raise RecordHashMismatchError(line=line)


def case_of(line: int, record: dict):
    """The Case a record describes, with its revision and timestamps."""
    try:
        return case_from_content(record["case"], revision=record["revision"],
                                 created_at=parse_ts(record["created_at"]), updated_at=parse_ts(record["updated_at"]),
                                 finalized_at=parse_ts(record["finalized_at"]))
    except (KeyError, TypeError, ValueError, InvalidOperation, AttributeError):
        raise RecordError(line=line, field="case") from None


class _Apply:
    """One bundle's records applied inside one transaction, chunk by chunk, counting what changed."""

    def __init__(self, repo: SyncRepository, *, post: str, photos: set[str]) -> None:
        self.repo = repo
        self.post = post
        self.photos = photos
        self.new_ids: set[str] = set()
        self.updated_ids: set[str] = set()
        self.all_ids: set[str] = set()
        self.revisions_added = 0
        self.records = 0

    def run(self, records: Iterable[tuple[int, bytes, object]]) -> None:
        chunk: list[tuple[int, bytes, dict]] = []
        for line, raw, value in records:
            record = check_record(line, raw, value, post=self.post)
            for attachment in record["case"]["attachments"]:
                if attachment["sha256"] not in self.photos:
                    raise MissingAttachmentError(line=line, sha256=attachment["sha256"])
            chunk.append((line, raw, record))
            self.records += 1
            if len(chunk) >= APPLY_CHUNK:
                self._apply(chunk)
                chunk = []
        if chunk:
            self._apply(chunk)

    def _apply(self, chunk: list[tuple[int, bytes, dict]]) -> None:
        """Rows are written straight from the checked record dicts (a Case is built only to overwrite a case HQ
        already holds, the rare path)."""
        repo = self.repo
        ids = list(dict.fromkeys(r["case"]["id"] for _l, _raw, r in chunk))
        self.all_ids.update(ids)
        held_revisions = repo.held_revisions(ids)
        held_cases = repo.held_cases(ids)
        revision_rows: list[tuple[dict, str]] = []
        newest: dict[str, tuple[int, dict]] = {}
        for line, raw, record in chunk:
            case_id, revision, digest = record["case"]["id"], record["revision"], record["content_hash"]
            held = held_revisions.get((case_id, revision))
            if held is not None:
                if held != digest:
                    raise RevisionConflictError(case_number=record["case"]["case_number"], revision=revision)
            else:
                held_revisions[(case_id, revision)] = digest
                revision_rows.append((record, raw.decode("utf-8")))
            current = newest.get(case_id)
            if current is None or revision > current[1]["revision"]:
                newest[case_id] = (line, record)
        new: list[tuple[int, dict]] = []
        updated = []
        for case_id, (line, record) in newest.items():
            held_case = held_cases.get(case_id)
            if held_case is not None and held_case[1] != self.post:
                raise ForeignPostRecordError(line=line, case_post=held_case[1], post=self.post)
            if held_case is not None and record["revision"] <= held_case[0]:
                continue  # an older (or the same) revision never overwrites a newer one
            check_content(line, record)  # the stored rows must give back exactly the hashed content
            if held_case is None:
                new.append((line, record))
            else:
                case = case_of(line, record)
                updated.append((case, case_columns(case, content_hash=record["content_hash"]), held_case[2]))
                if case_id not in self.new_ids:
                    self.updated_ids.add(case_id)
        if new:
            taken = repo.case_ids_by_number([r["case"]["case_number"] for _l, r in new])
            for line, record in new:
                case = record["case"]
                if taken.get(case["case_number"], case["id"]) != case["id"]:
                    raise CaseNumberTakenError(line=line, case_number=case["case_number"])
            self.new_ids.update(r["case"]["id"] for _l, r in new)
        if updated:
            repo.write_cases([], updated)
        repo.insert_new_records([r for _l, r in new])
        repo.insert_revision_records(revision_rows)
        self.revisions_added += len(revision_rows)


def audit_chain_problems(manifest: Manifest, held: list[tuple[int, int, str, str]]) -> list[tuple[str, dict]]:
    """Compare the audit chain a bundle reports with what the post's other bundles reported (any order).

    A later bundle must report a chain at least as long as an earlier one, the same head at the same length,
    and (where it carries a checkpoint at the earlier length) the same hash there. Returns (alert kind, params).
    """
    mine = manifest.audit
    problems: list[tuple[str, dict]] = []
    for sequence, length, head, checkpoints in held:
        if sequence == manifest.sequence or not head:
            continue
        theirs = AuditChain(length=length, head=head,
                            checkpoints=tuple((int(n), h) for n, h in json.loads(checkpoints or "[]")))
        earlier, later = (theirs, mine) if sequence < manifest.sequence else (mine, theirs)
        early_seq, late_seq = (sequence, manifest.sequence) if sequence < manifest.sequence else (
            manifest.sequence, sequence)
        params = {"post": manifest.post, "seq": late_seq, "other_seq": early_seq, "length": later.length,
                  "seen": earlier.length}
        if later.length < earlier.length:
            problems.append((ALERT_AUDIT_CUT, params))
        elif later.length == earlier.length and later.head != earlier.head:
            problems.append((ALERT_AUDIT_REWRITTEN, params))
        elif dict(later.checkpoints).get(earlier.length, earlier.head) != earlier.head:
            problems.append((ALERT_AUDIT_REWRITTEN, params))
    return problems


class HqService(HqBundleEncryption):
    """The HQ side of sync bundles (encrypted ones and HQ's age key: HqBundleEncryption)."""

    def __init__(self, *, uow: UnitOfWorkFactory, blobs: BlobStore, clock: Callable[[], datetime] = utc_now,
                 limits: Limits = Limits(), guard: Guard | None = None, principal: Principal | None = None,
                 age_key: HqAgeKey | None = None) -> None:
        if guard is None:
            if principal is None:
                raise ValueError("HqService needs the principal it acts for (a logged-in user, or SYSTEM)")
            guard = Guard(uow=uow, principal=principal, clock=clock)
        self._uow = uow
        self._blobs = blobs
        self._clock = clock
        self._guard = guard
        self.limits = limits
        self._age_key = age_key  # HQ's age identity, which opens encrypted bundles (None: none on this machine)
        empty_staging(self._staging())  # crash leftovers of an earlier run

    @property
    def principal(self) -> Principal:
        return self._guard.principal

    def _require_any(self, *actions: Action, target: str) -> None:
        """Allowed when the role has any of `actions`; otherwise refused (and audited) under the first."""
        if not any(self._guard.allowed(a) for a in actions):
            self._guard.require(actions[0], target=target)

    def may_import(self) -> bool:
        return self._guard.allowed(Action.BUNDLE_IMPORT)

    # --- trust store --------------------------------------------------------------------------
    def trust_key(self, *, post_code: str, public_key: str, note: str = "") -> TrustedKey:
        """Register a post's public key (the text of its minisign .pub file, or the bare base64 line)."""
        code = post_code.strip().upper()
        self._guard.require(Action.KEYS_MANAGE, target=f"trust:{code}")
        key = minisign.parse_public_key(public_key)
        with self._uow() as uow:
            if code not in uow.reference.codes().posts:
                raise UnknownPostError(post=code)
            repo = SyncRepository(uow.session)
            existing = repo.trusted_key(key.key_id_text)
            if existing is not None:
                raise KeyAlreadyTrustedError(key_id=key.key_id_text, post=existing.post_code)
            trusted = TrustedKey(key_id=key.key_id_text, post_code=code,
                                 public_key=key.to_file_text().splitlines()[1], added_at=self._clock(), note=note)
            repo.add_trusted_key(trusted)
            self._guard.record(uow, action=Action.KEYS_MANAGE, target=f"trust:{code}",
                               after_hash=value_hash(trusted.public_key),
                               details={"op": "trust_key", "post": code, "key_id": trusted.key_id, "note": note})
            uow.commit()
            return trusted

    def trust_key_file(self, *, post_code: str, path: Path, note: str = "") -> TrustedKey:
        try:
            text = Path(path).read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise KeyFileError(N_("The key file {path} cannot be read: {reason}"), path=str(path),
                               reason=getattr(exc, "strerror", None) or str(exc)) from exc
        return self.trust_key(post_code=post_code, public_key=text, note=note)

    def revoke_key(self, *, key_id: str, from_sequence: int) -> TrustedKey:
        """Refuse bundles signed by this key from this sequence number on (those already applied stay)."""
        key_id = key_id.strip().upper()
        self._guard.require(Action.KEYS_MANAGE, target=f"trust-key:{key_id}")
        with self._uow() as uow:
            repo = SyncRepository(uow.session)
            before = repo.trusted_key(key_id)
            if before is None:
                raise KeyNotTrustedError(key_id=key_id)
            start = max(1, int(from_sequence))
            repo.revoke_key(key_id=key_id, from_sequence=start, at=self._clock())
            self._guard.record(uow, action=Action.KEYS_MANAGE, target=f"trust:{before.post_code}",
                               before_hash=value_hash(before.public_key),
                               details={"op": "revoke_key", "key_id": key_id, "from_sequence": start,
                                        "previously_from": before.revoked_from})
            uow.commit()
            after = repo.trusted_key(key_id)
            assert after is not None  # it was there before the revocation
            return after

    def trusted_keys(self) -> list[TrustedKey]:
        self._require_any(Action.BUNDLE_IMPORT, Action.KEYS_MANAGE, Action.AUDIT_VIEW, target="trust")
        with self._uow() as uow:
            return SyncRepository(uow.session).trusted_keys()

    def _key_lookup(self, key_id: str) -> VerifyKey | None:
        with self._uow() as uow:
            repo = SyncRepository(uow.session)
            found = repo.trusted_key(key_id)
            if found is None:
                own = repo.identity()
                if own is None or own.key_id != key_id:
                    return None
                return VerifyKey(post=own.post_code, public_key=minisign.parse_public_key(own.public_key))
        return VerifyKey(post=found.post_code, public_key=minisign.parse_public_key(found.public_key),
                         revoked_from=found.revoked_from)

    # --- verify and import --------------------------------------------------------------------
    def verify(self, *, path: Path) -> ImportReport:
        """Check a bundle completely (signature, members, every record) without applying anything."""
        path = Path(path)
        # Analysts check what they import; the post checks its own stick before it leaves.
        self._require_any(Action.BUNDLE_IMPORT, Action.BUNDLE_EXPORT, target=f"bundle:{path.name}")
        if is_envelope(path):
            return self._verify_envelope(path)
        try:
            with OpenedBundle(path, key_lookup=self._key_lookup, limits=self.limits) as bundle:
                bundle.verify_members(staging=None, spool_dir=self._staging())
                manifest = bundle.manifest
                photos = attachment_names(manifest)
                count = 0
                for line, raw, value in bundle.records():
                    record = check_record(line, raw, value, post=manifest.post)
                    for attachment in record["case"]["attachments"]:
                        if attachment["sha256"] not in photos:
                            raise MissingAttachmentError(line=line, sha256=attachment["sha256"])
                    case_of(line, record)
                    count += 1
        except BundleRejected as exc:
            return ImportReport(file_name=path.name, outcome=REJECTED, error=exc)
        return ImportReport(file_name=path.name, outcome=VERIFIED, post_code=manifest.post,
                            sequence=manifest.sequence, records=count)

    def import_bundles(self, *, paths: Iterable[Path],
                       progress: Callable[[int, int, ImportReport], None] | None = None) -> list[ImportReport]:
        """Import files one by one (a folder means every .blo in it, by name); each is whole or nothing.

        A file that fails for any other reason than a rejected bundle (unreadable, refused by the store, another
        domain error) is reported as rejected with that reason, and the batch goes on: the reports of the bundles
        already committed are never lost."""
        self._guard.require(Action.BUNDLE_IMPORT, target="bundles")
        empty_staging(self._staging())
        files: list[Path] = []
        for path in map(Path, paths):
            files.extend(sorted(path.glob(f"*{SUFFIX}")) if path.is_dir() else [path])
        reports = []
        for done, path in enumerate(files, start=1):
            try:
                report = self.import_bundle(path=path)
            except PermissionDeniedError:
                raise
            except (DomainError, OSError) as exc:
                error = exc if isinstance(exc, DomainError) else DomainError(
                    UNREADABLE_FILE, filename=path.name, reason=exc.strerror or str(exc))
                report = self._rejected(ImportReport(file_name=path.name, outcome=REJECTED, error=error))
            reports.append(report)
            if progress:
                progress(done, len(files), report)
        return reports

    def import_bundle(self, *, path: Path) -> ImportReport:
        """Verify, then apply in one transaction; a rejected bundle changes nothing (but may raise an alert)."""
        path = Path(path)
        self._guard.require(Action.BUNDLE_IMPORT, target=f"bundle:{path.name}")
        if is_envelope(path):
            return self._import_envelope(path)
        try:
            bundle = OpenedBundle(path, key_lookup=self._key_lookup, limits=self.limits)
        except BundleRejected as exc:
            return self._rejected(ImportReport(file_name=path.name, outcome=REJECTED, error=exc))
        with bundle:
            try:
                return self._import_opened(bundle, path)
            except BundleRejected as exc:
                return self._rejected(ImportReport(
                    file_name=path.name, outcome=REJECTED, post_code=bundle.manifest.post,
                    sequence=bundle.manifest.sequence, records=bundle.manifest.records, error=exc))

    def _rejected(self, report: ImportReport) -> ImportReport:
        """A rejected bundle changed nothing, but the attempt is in the audit trail (with the reason's kind)."""
        self._guard.record_alone(action=Action.BUNDLE_IMPORT, target=f"bundle:{report.file_name}",
                                 outcome="rejected",
                                 details={"post": report.post_code, "sequence": report.sequence,
                                          "reason": type(report.error).__name__ if report.error else ""})
        return report

    def _seen(self, bundle: OpenedBundle, path: Path) -> ImportReport | None:
        """An already applied bundle is a no-op; another bundle under a number already used is an alert."""
        manifest = bundle.manifest
        with self._uow() as uow:
            held = SyncRepository(uow.session).imported_bundle(manifest.post, manifest.sequence)
            if held is None:
                return None
            if held.manifest_sha256 == bundle.manifest_sha256:
                return ImportReport(file_name=path.name, outcome=ALREADY_IMPORTED, post_code=manifest.post,
                                    sequence=manifest.sequence, records=manifest.records,
                                    unchanged=manifest.cases)
        self._raise_alert(bundle, path)
        raise SequenceConflictError(post=manifest.post, seq=manifest.sequence)

    def _raise_alert(self, bundle: OpenedBundle, path: Path) -> None:
        manifest = bundle.manifest
        with self._uow() as uow:
            SyncRepository(uow.session).add_alert(
                kind=ALERT_DUPLICATE_SEQUENCE, post_code=manifest.post, sequence=manifest.sequence,
                manifest_sha256=bundle.manifest_sha256, file_name=path.name,
                params={"post": manifest.post, "seq": manifest.sequence, "file_name": path.name}, at=self._clock())
            self._guard.record(uow, action=Action.BUNDLE_IMPORT, target=f"alert:{manifest.post}",
                               details={"kind": ALERT_DUPLICATE_SEQUENCE, "sequence": manifest.sequence,
                                        "manifest_sha256": bundle.manifest_sha256})
            uow.commit()

    def _import_opened(self, bundle: OpenedBundle, path: Path) -> ImportReport:
        manifest = bundle.manifest
        seen = self._seen(bundle, path)
        if seen is not None:
            return seen
        staged = bundle.verify_members(staging=self._staging())
        try:
            with self._uow() as uow:
                repo = SyncRepository(uow.session)
                repo.lock_post(manifest.post)
                held = repo.imported_bundle(manifest.post, manifest.sequence)
                if held is not None:  # another analyst got there first
                    uow.session.rollback()
                    seen = self._seen(bundle, path)
                    if seen is not None:
                        return seen
                apply = _Apply(repo, post=manifest.post, photos=set(staged))
                try:
                    with collector_paused():
                        apply.run(bundle.records())
                except DBAPIError as exc:
                    raise StoreRefusedError(detail=type(exc.orig).__name__) from exc
                unchanged = len(apply.all_ids - apply.new_ids - apply.updated_ids)
                alerts = audit_chain_problems(manifest, repo.audit_reports(manifest.post))
                for kind, params in alerts:
                    repo.add_alert(kind=kind, post_code=manifest.post, sequence=params["seq"],  # the later one
                                   manifest_sha256=bundle.manifest_sha256, file_name=path.name, params=params,
                                   at=self._clock())
                chain = manifest.audit
                repo.record_bundle(
                    post_code=manifest.post, sequence=manifest.sequence, sha256=bundle.sha256,
                    manifest_sha256=bundle.manifest_sha256, previous_sha256=manifest.previous_sha256,
                    key_id=manifest.key_id, full=manifest.full, created_at=manifest.created_at,
                    imported_at=self._clock(), file_name=path.name, records=apply.records,
                    new_cases=len(apply.new_ids), updated_cases=len(apply.updated_ids), unchanged=unchanged,
                    audit_length=chain.length, audit_head=chain.head,
                    audit_checkpoints=canonical_json([list(p) for p in chain.checkpoints]).decode("ascii"))
                self._guard.record(uow, action=Action.BUNDLE_IMPORT, target=f"bundle:{manifest.file_name}",
                                   after_hash=bundle.sha256,
                                   details={"post": manifest.post, "sequence": manifest.sequence,
                                            "new": len(apply.new_ids), "updated": len(apply.updated_ids),
                                            "unchanged": unchanged, "alerts": [k for k, _p in alerts]})
                # Photos go in before the commit: a photo without its case is harmless, the reverse is not.
                stored = adopt_staged(self._blobs, staged)
                uow.commit()
        except DomainError:
            discard(staged)
            raise
        except DBAPIError as exc:
            discard(staged)
            raise StoreRefusedError(detail=type(exc.orig).__name__) from exc
        except BaseException:
            discard(staged)
            raise
        return ImportReport(file_name=path.name, outcome=IMPORTED, post_code=manifest.post,
                            sequence=manifest.sequence, records=apply.records, new=len(apply.new_ids),
                            updated=len(apply.updated_ids), unchanged=unchanged,
                            revisions_added=apply.revisions_added, attachments_stored=stored,
                            alerts=tuple(alerts))

    # --- status -------------------------------------------------------------------------------
    def status(self) -> list[PostSyncStatus]:
        """Every post with a key or a bundle: last sequence, the numbers missing, open alerts."""
        self._require_any(Action.BUNDLE_IMPORT, Action.AUDIT_VIEW, target="hq")
        with self._uow() as uow:
            repo = SyncRepository(uow.session)
            by_post = repo.sequences_by_post()
            keys = repo.keys_by_post()
            alerts = repo.alerts()
        alert_count: dict[str, int] = {}
        for alert in alerts:
            alert_count[alert.post_code] = alert_count.get(alert.post_code, 0) + 1
        result = []
        for post in sorted(set(by_post) | set(keys) | set(alert_count)):
            held = by_post.get(post, [])
            sequences = tuple(seq for seq, _at in held)
            last = max(sequences, default=0)
            missing = tuple(sorted(set(range(1, last + 1)) - set(sequences)))
            result.append(PostSyncStatus(post_code=post, sequences=sequences, last_sequence=last,
                                         last_imported_at=max((at for _s, at in held), default=None),
                                         missing=missing, alerts=alert_count.get(post, 0), keys=keys.get(post, 0)))
        return result

    def seen_at_several_posts(self, *, limit: int = 200) -> list[SeenAtPosts]:
        """Document numbers and plates that occur in cases of two or more posts (spaces, dashes, slashes and
        case ignored), most posts first: the same person or vehicle crossing at several places."""
        self._guard.require(Action.CASE_READ_ALL_POSTS, target="hq")
        with self._uow() as uow:
            return SyncRepository(uow.session).seen_at_several_posts(limit=limit)

    def alerts(self, *, include_resolved: bool = False) -> list[Alert]:
        self._require_any(Action.BUNDLE_IMPORT, Action.AUDIT_VIEW, target="hq")
        with self._uow() as uow:
            return SyncRepository(uow.session).alerts(include_resolved=include_resolved)
