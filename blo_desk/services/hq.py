"""At HQ: the trust store, verified all-or-nothing import of bundles, per-post gaps and alerts."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from blo_desk.domain.audit import REVISIONS_KEY, revision_entries, value_hash
from blo_desk.domain.backup import LostCase
from blo_desk.domain.canonical import canonical_json, timestamp_text
from blo_desk.domain.errors import DomainError, PermissionDeniedError
from blo_desk.domain.permissions import Action, Principal
from blo_desk.domain.sync import (
    ALERT_AUDIT_CUT,
    ALERT_AUDIT_REWRITTEN,
    ALERT_DUPLICATE_SEQUENCE,
    ALERT_RECOVERY_USED,
    ALERT_RESTORED,
    ALERT_REVISION_CONFLICT,
    ALERT_TWO_COPIES,
    ALREADY_IMPORTED,
    IMPORTED,
    REJECTED,
    VERIFIED,
    Alert,
    ImportReport,
    PostSyncStatus,
    SeenAtPosts,
    TrustedKey,
    ranges,
)
from blo_desk.exchange import minisign
from blo_desk.exchange.envelope import is_envelope, signing_post
from blo_desk.exchange.errors import (
    BundleRejected,
    CaseNumberTakenError,
    ForceNeedsReasonError,
    ForeignPostRecordError,
    KeyAlreadyTrustedError,
    KeyFileError,
    KeyNotTrustedError,
    KeySignedBundlesError,
    RevisionConflictError,
    RevocationLoosensError,
    SequenceConflictError,
    StoreRefusedError,
    UnknownPostError,
)
from blo_desk.exchange.manifest import SUFFIX, AuditChain, Limits, Manifest
from blo_desk.exchange.records import (
    case_of,
    check_all_referenced,
    check_attachments,
    check_record,
    record_format,
)
from blo_desk.exchange.scratch import ScratchKey
from blo_desk.exchange.verify import OpenedBundle, attachment_names, discard
from blo_desk.exchange.verify import TrustedKey as VerifyKey
from blo_desk.i18n import N_
from blo_desk.services.audit import Guard
from blo_desk.services.bulk import collector_paused
from blo_desk.services.bundle_encryption import HqAgeKey, HqBundleEncryption
from blo_desk.services.clock import utc_now
from blo_desk.services.import_lanes import PG_LANES, in_lanes
from blo_desk.services.import_work import CheckedRecord, RecordChecks
from blo_desk.services.staging import empty_staging, workspace
from blo_desk.storage.blobs import BlobStore
from blo_desk.storage.case_rows import case_columns
from blo_desk.storage.sync_repository import SyncRepository, adopt_staged
from blo_desk.storage.uow import UnitOfWorkFactory

#: A file of an import batch that cannot be read (same wording as an unreadable photo).
UNREADABLE_FILE = N_("The file {filename} cannot be read: {reason}")

APPLY_CHUNK = 2000  # records checked and written together


def _read_sealed(key: ScratchKey, path: Path) -> bytes:
    with key.open(path) as fh:
        return fh.read()


class _Apply:
    """One bundle's records applied inside one transaction, chunk by chunk, counting what changed. The records come
    checked (import_work.check_chunk: everything that needs only the bundle), with their rows built; here they
    meet what HQ holds."""

    def __init__(self, repo: SyncRepository, *, post: str, photos: set[str]) -> None:
        self.repo = repo
        self.post = post
        self.photos = photos
        self.new_ids: set[str] = set()
        self.updated_ids: set[str] = set()
        self.all_ids: set[str] = set()
        self.revisions_added = 0
        self.records = 0
        self.recorded: list[tuple[str, str, int, str]] = []  # what the import's audit event lists (revision_entries)
        self.referenced: set[str] = set()  # photos the records name

    def run(self, chunks: Iterable[list[CheckedRecord]]) -> None:
        for chunk in chunks:
            for record in chunk:
                self.referenced.update(record.attachments)
            self.records += len(chunk)
            self._apply(chunk)
        check_all_referenced(self.photos, self.referenced)

    def _apply(self, chunk: list[CheckedRecord]) -> None:
        """Rows are written as the checks built them (a Case is built only to overwrite a case HQ already holds,
        the rare path)."""
        repo = self.repo
        ids = list(dict.fromkeys(r.case_id for r in chunk))
        self.all_ids.update(ids)
        held_cases = repo.held_cases(ids)
        # A revision is held only for a case held (its foreign key): a chunk of new cases asks for no revisions.
        held_revisions = repo.held_revisions([i for i in ids if i in held_cases]) if held_cases else {}
        revision_rows: list[CheckedRecord] = []
        newest: dict[str, CheckedRecord] = {}
        for record in chunk:
            case_id, revision = record.case_id, record.revision
            held = held_revisions.get((case_id, revision))
            if held is not None:
                if held != record.content_hash:
                    raise RevisionConflictError(case_number=record.case_number, revision=revision)
            else:
                held_revisions[(case_id, revision)] = record.content_hash
                revision_rows.append(record)
            current = newest.get(case_id)
            if current is None or revision > current.revision:
                newest[case_id] = record
        new: list[CheckedRecord] = []
        updated = []
        for case_id, record in newest.items():
            held_case = held_cases.get(case_id)
            if held_case is not None and held_case[1] != self.post:
                raise ForeignPostRecordError(line=record.line, case_post=held_case[1], post=self.post)
            if held_case is not None and record.revision <= held_case[0]:
                continue  # an older (or the same) revision never overwrites a newer one
            if record.content_error is not None:  # the stored rows would not give back exactly the hashed content
                raise record.content_error
            if held_case is None:
                new.append(record)
            else:
                case = case_of(record.line, json.loads(record.text))  # a record the worker parsed strictly
                updated.append((case, case_columns(case, content_hash=record.content_hash), held_case[2]))
                if case_id not in self.new_ids:
                    self.updated_ids.add(case_id)
        if new:
            taken = repo.case_ids_by_number([r.case_number for r in new])
            for record in new:
                if taken.get(record.case_number, record.case_id) != record.case_id:
                    raise CaseNumberTakenError(line=record.line, case_number=record.case_number)
            self.new_ids.update(r.case_id for r in new)
        if updated:
            repo.write_cases(updated)
        repo.insert_case_rows([(r.case_row, r.items, r.persons, r.attachment_rows, r.body) for r in new
                               if r.case_row is not None])
        repo.insert_revision_rows([r.revision_row for r in revision_rows])
        self.revisions_added += len(revision_rows)
        self.recorded += [(r.case_id, r.case_number, r.revision, r.content_hash) for r in revision_rows]


#: What PostgreSQL answers to a transaction that wrote a key another one committed meanwhile (unique_violation), or
#: that waited on another in a cycle (deadlock_detected).
_RACE_STATES = frozenset({"23505", "40P01"})


def _lost_a_race(exc: StoreRefusedError) -> bool:
    """Whether the store refused a bundle because a concurrent import wrote the same keys first."""
    cause = exc.__cause__
    return isinstance(cause, DBAPIError) and getattr(cause.orig, "sqlstate", None) in _RACE_STATES


def _lost_to_restore(early: int, late: int, restores: list[tuple[int, int]]) -> bool:
    """Whether bundle `early` was lost in a restore that bundle `late` comes after (its chain is not extended)."""
    return any(lost_above < early < resumed_at <= late for lost_above, resumed_at in restores)


def audit_chain_problems(manifest: Manifest, held: list[tuple[int, int, str, str]],
                         restores: Sequence[tuple[int, int]] = ()) -> list[tuple[str, dict]]:
    """Compare the audit chain a bundle reports with what the post's other bundles reported (any order).

    A later bundle must report a chain at least as long as an earlier one, the same head at the same length,
    and (where it carries a checkpoint at the earlier length) the same hash there. Returns (alert kind, params).
    `restores`: (lost above, resumed at) of the restores the post announced: a bundle numbered in between was
    lost with the old laptop, and bundles from the resumed number on extend the backup's chain, not its chain.
    """
    mine = manifest.audit
    problems: list[tuple[str, dict]] = []
    announced = manifest.restore["resumed_at"] if manifest.restore else 0
    # A restored post carries its restore in every later bundle: a later bundle without it is another live copy.
    for _lost_above, resumed_at in restores:
        if manifest.sequence >= resumed_at and announced < resumed_at:
            problems.append((ALERT_TWO_COPIES, {"post": manifest.post, "seq": manifest.sequence,
                                                "other_seq": resumed_at}))
    restores = list(restores)
    if manifest.restore and (manifest.restore["lost_above"], announced) not in restores:
        # A restore announced for the first time: a bundle already held at or above its number came from a copy
        # that was not restored (the restored one announces its restore in each of its bundles).
        for sequence, *_rest in held:
            if sequence >= announced and sequence != manifest.sequence:
                problems.append((ALERT_TWO_COPIES, {"post": manifest.post, "seq": sequence,
                                                    "other_seq": announced}))
        restores.append((manifest.restore["lost_above"], announced))
    for sequence, length, head, checkpoints in held:
        if sequence == manifest.sequence or not head:
            continue
        if _lost_to_restore(min(sequence, manifest.sequence), max(sequence, manifest.sequence), restores):
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
        # Decrypted bundles (and, on an encrypted store, staged photos) are sealed on disk under a key that only
        # this process holds: a kill leaves nothing readable in the staging folder.
        self._scratch = ScratchKey()
        # Files of different posts imported at once on PostgreSQL (import_lanes); SQLite has one writer.
        self._lanes = 1 if uow.dialect == "sqlite" else PG_LANES
        # The records' checks, in worker processes for a big bundle, one per lane (started on first use, kept until
        # close)
        self._checks = RecordChecks(chunk=APPLY_CHUNK, workers=self._lanes)
        empty_staging(self._staging())  # crash leftovers of an earlier run

    def close(self) -> None:
        """Stop the worker process of the records' checks, if one was started."""
        self._checks.close()

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
            repo = uow.sync
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

    def revoke_key(self, *, key_id: str, from_sequence: int, force: bool = False, reason: str = "") -> TrustedKey:
        """Refuse bundles signed by this key from this sequence number on (those already applied stay).

        A revocation only tightens: an earlier start than before, never a later one, unless `force` is given with
        a `reason` (kept in the audit trail), e.g. to undo a typing error."""
        key_id = key_id.strip().upper()
        reason = reason.strip()
        self._guard.require(Action.KEYS_MANAGE, target=f"trust-key:{key_id}")
        start = max(1, int(from_sequence))
        with self._uow() as uow:
            current = uow.sync.trusted_key(key_id)
        if current is None:
            raise KeyNotTrustedError(key_id=key_id)
        if current.revoked_from is not None and start > current.revoked_from and not (force and reason):
            self._guard.record_alone(action=Action.KEYS_MANAGE, target=f"trust:{current.post_code}",
                                     outcome="refused",
                                     details={"op": "revoke_key", "key_id": key_id, "from_sequence": start,
                                              "previously_from": current.revoked_from, "force": force})
            if force:
                raise ForceNeedsReasonError()
            raise RevocationLoosensError(key_id=key_id, current=current.revoked_from, wanted=start, last=start - 1)
        with self._uow() as uow:
            repo = uow.sync
            before = repo.trusted_key(key_id)
            if before is None:
                raise KeyNotTrustedError(key_id=key_id)
            loosens = before.revoked_from is not None and start > before.revoked_from
            if loosens and not (force and reason):  # tightened by someone else meanwhile: check again
                raise RevocationLoosensError(key_id=key_id, current=before.revoked_from, wanted=start,
                                             last=start - 1)
            repo.revoke_key(key_id=key_id, from_sequence=start, at=self._clock())
            self._guard.record(uow, action=Action.KEYS_MANAGE, target=f"trust:{before.post_code}",
                               before_hash=value_hash(before.public_key),
                               details={"op": "revoke_key", "key_id": key_id, "from_sequence": start,
                                        "previously_from": before.revoked_from, "loosened": loosens,
                                        "reason": reason})
            uow.commit()
            after = repo.trusted_key(key_id)
            assert after is not None  # it was there before the revocation
            return after

    def remove_key(self, *, key_id: str, reason: str = "") -> TrustedKey:
        """Take a key out of the trust store, e.g. one registered to the wrong post; only a key that never signed
        a bundle HQ imported (those stay, to be revoked)."""
        key_id = key_id.strip().upper()
        self._guard.require(Action.KEYS_MANAGE, target=f"trust-key:{key_id}")
        with self._uow() as uow:
            repo = uow.sync
            before = repo.trusted_key(key_id)
            if before is None:
                raise KeyNotTrustedError(key_id=key_id)
            signed = repo.bundles_signed_by(key_id)
            if signed:
                raise KeySignedBundlesError(key_id=key_id, count=signed)
            repo.remove_trusted_key(key_id)
            self._guard.record(uow, action=Action.KEYS_MANAGE, target=f"trust:{before.post_code}",
                               before_hash=value_hash(before.public_key),
                               details={"op": "remove_key", "key_id": key_id, "post": before.post_code,
                                        "reason": reason.strip()})
            uow.commit()
            return before

    def trusted_keys(self) -> list[TrustedKey]:
        self._require_any(Action.BUNDLE_IMPORT, Action.KEYS_MANAGE, Action.AUDIT_VIEW, target="trust")
        with self._uow() as uow:
            return uow.sync.trusted_keys()

    def _key_lookup(self, key_id: str) -> VerifyKey | None:
        with self._uow() as uow:
            repo = uow.sync
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
        return self._verify_plain(path)

    def _verify_plain(self, path: Path, scratch: ScratchKey | None = None) -> ImportReport:
        """`scratch`: the file is a decrypted bundle sealed under that key."""
        try:
            with workspace(self._staging()) as work, \
                    OpenedBundle(path, key_lookup=self._key_lookup, limits=self.limits, scratch=scratch) as bundle:
                bundle.verify_members(staging=None, spool_dir=work)
                manifest = bundle.manifest
                photos = attachment_names(manifest)
                referenced: set[str] = set()
                count = 0
                for line, raw, value in bundle.records():
                    record = check_record(line, raw, value, post=manifest.post,
                                          fmt=record_format(manifest.format_version))
                    check_attachments(line, record, photos)
                    referenced.update(a["sha256"] for a in record["case"]["attachments"])
                    case_of(line, record)
                    count += 1
                check_all_referenced(photos, referenced)
        except BundleRejected as exc:
            return ImportReport(file_name=path.name, outcome=REJECTED, error=exc)
        return ImportReport(file_name=path.name, outcome=VERIFIED, post_code=manifest.post,
                            sequence=manifest.sequence, records=count)

    def import_bundles(self, *, paths: Iterable[Path],
                       progress: Callable[[int, int, ImportReport], None] | None = None) -> list[ImportReport]:
        """Import files (a folder means every .blo in it, by name); each is whole or nothing. The reports come back
        in the files' order; `progress` is called in this thread as each file is done.

        On PostgreSQL, files of different posts are imported at once, in PG_LANES lanes; one post's files are
        imported one after the other, in their order. A file that fails for any other reason than a rejected
        bundle (unreadable, refused by the store, another domain error) is reported as rejected with that reason,
        and the batch goes on: the reports of the bundles already committed are never lost."""
        self._guard.require(Action.BUNDLE_IMPORT, target="bundles")
        empty_staging(self._staging())
        files: list[Path] = []
        for path in map(Path, paths):
            files.extend(sorted(path.glob(f"*{SUFFIX}")) if path.is_dir() else [path])
        reports: dict[int, ImportReport] = {}
        # One post's files in order in one lane: grouped by the post whose key signed them (read, not verified).
        lanes = in_lanes(files, group=lambda path: signing_post(path, self._key_lookup), work=self._import_one,
                         lanes=self._lanes)
        for done, (index, report) in enumerate(lanes, start=1):
            reports[index] = report
            if progress:
                progress(done, len(files), report)
        return [reports[index] for index in range(len(files))]

    def _import_one(self, path: Path) -> ImportReport:
        """One file of a batch: a file that fails for any other reason than a rejected bundle is reported rejected
        with that reason (a permission refused stops the batch)."""
        try:
            return self.import_bundle(path=path)
        except PermissionDeniedError:
            raise
        except (DomainError, OSError) as exc:
            error = exc if isinstance(exc, DomainError) else DomainError(
                UNREADABLE_FILE, filename=path.name, reason=exc.strerror or str(exc))
            return self._rejected(ImportReport(file_name=path.name, outcome=REJECTED, error=error))

    def import_bundle(self, *, path: Path) -> ImportReport:
        """Verify, then apply in one transaction; a rejected bundle changes nothing (but may raise an alert)."""
        path = Path(path)
        self._guard.require(Action.BUNDLE_IMPORT, target=f"bundle:{path.name}")
        try:
            return self._import_file(path)
        finally:
            empty_staging(self._staging())  # what killed imports (of any process) left: gone after each import

    def _import_file(self, path: Path) -> ImportReport:
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

    def _seen(self, bundle: OpenedBundle, path: Path, identity: str = "") -> ImportReport | None:
        """An already applied bundle is a no-op; another bundle under a number already used is an alert.

        A bundle is known by what its post signed (the manifest, or the envelope of an encrypted bundle), never by
        its container: a re-packaged copy of a bundle held is "already imported", and its container is remembered
        so that the post's upload of either file gets its receipt."""
        manifest = bundle.manifest
        with self._uow() as uow:
            held = uow.sync.imported_bundle(manifest.post, manifest.sequence)
            if held is None:
                return None
            if held.manifest_sha256 == bundle.manifest_sha256:
                self._remember_container(uow, post=manifest.post, sequence=manifest.sequence, sha256=bundle.sha256,
                                         identity=identity or bundle.manifest_sha256)
                return ImportReport(file_name=path.name, outcome=ALREADY_IMPORTED, post_code=manifest.post,
                                    sequence=manifest.sequence, records=manifest.records,
                                    unchanged=manifest.cases)
        self._raise_alert(bundle, path)
        raise SequenceConflictError(post=manifest.post, seq=manifest.sequence)

    @staticmethod
    def _remember_container(uow, *, post: str, sequence: int, sha256: str, identity: str) -> None:
        """Keep a verified container of a bundle held; two imports of one copy at once both end well."""
        try:
            uow.sync.add_container(post_code=post, sequence=sequence, sha256=sha256, identity_sha256=identity)
            uow.commit()
        except DBAPIError:
            uow.session.rollback()

    def _raise_alert(self, bundle: OpenedBundle, path: Path, kind: str = ALERT_DUPLICATE_SEQUENCE,
                     extra: dict | None = None) -> None:
        """An alert for the analyst (own transaction, audited): the bundle itself is refused."""
        manifest = bundle.manifest
        params = {"post": manifest.post, "seq": manifest.sequence, "file_name": path.name, **(extra or {})}
        with self._uow() as uow:
            uow.sync.add_alert(
                kind=kind, post_code=manifest.post, sequence=manifest.sequence,
                manifest_sha256=bundle.manifest_sha256, file_name=path.name, params=params, at=self._clock())
            self._guard.record(uow, action=Action.BUNDLE_IMPORT, target=f"alert:{manifest.post}",
                               details={"kind": kind, "sequence": manifest.sequence,
                                        "manifest_sha256": bundle.manifest_sha256, **(extra or {})})
            uow.commit()

    def _import_opened(self, bundle: OpenedBundle, path: Path, identity: str = "") -> ImportReport:
        """`identity`: what the post signed when it is not the manifest (the envelope of an encrypted bundle).

        A bundle that wrote a case or case number another import wrote at the same time (another lane, another
        analyst, the intake service) is refused by the store's unique key once that import commits; it is then
        applied once more, and meets that case as held: refused with the reason an import after it gives (a
        revision held with other content, a case of another post, a number taken), or imported if nothing
        conflicts any more."""
        try:
            return self._apply_unseen(bundle, path, identity)
        except StoreRefusedError as exc:
            if not _lost_a_race(exc):
                raise
        return self._apply_unseen(bundle, path, identity)

    def _apply_unseen(self, bundle: OpenedBundle, path: Path, identity: str) -> ImportReport:
        seen = self._seen(bundle, path, identity)
        if seen is not None:
            return seen
        with workspace(self._staging()) as work:
            return self._apply_verified(bundle, path, identity, work)

    def _apply_verified(self, bundle: OpenedBundle, path: Path, identity: str, work: Path) -> ImportReport:
        """Hash every member into the import's workspace `work`, then apply in one transaction."""
        manifest = bundle.manifest
        seal = self._scratch if self._blobs.encrypted else None  # a plain store holds its photos in clear anyway
        staged = bundle.verify_members(staging=work, seal=seal)
        try:
            with self._uow() as uow:
                repo = uow.sync
                repo.lock_post(manifest.post)
                held = repo.imported_bundle(manifest.post, manifest.sequence)
                if held is not None:  # another analyst got there first
                    uow.session.rollback()
                    seen = self._seen(bundle, path, identity)
                    if seen is not None:
                        return seen
                apply = _Apply(repo, post=manifest.post, photos=set(staged))
                try:
                    with collector_paused():
                        apply.run(self._checks.chunks(bundle, photos=set(staged), sqlite=repo.is_sqlite))
                except DBAPIError as exc:
                    raise StoreRefusedError(detail=type(exc.orig).__name__) from exc
                unchanged = len(apply.all_ids - apply.new_ids - apply.updated_ids)
                alerts = audit_chain_problems(manifest, repo.audit_reports(manifest.post),
                                              repo.restores(manifest.post))
                self._record_notices(repo, manifest, path)
                if manifest.share_events:  # what the post exchanged with counterparts: events, not content
                    uow.shares.add_hq_events(reporter=manifest.post, sequence=manifest.sequence,
                                             events=manifest.share_events)
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
                repo.add_container(post_code=manifest.post, sequence=manifest.sequence, sha256=bundle.sha256,
                                   identity_sha256=identity or bundle.manifest_sha256)
                self._guard.record(uow, action=Action.BUNDLE_IMPORT, target=f"bundle:{manifest.file_name}",
                                   after_hash=bundle.sha256,
                                   details={"post": manifest.post, "sequence": manifest.sequence,
                                            "new": len(apply.new_ids), "updated": len(apply.updated_ids),
                                            "unchanged": unchanged, "alerts": [k for k, _p in alerts],
                                            REVISIONS_KEY: revision_entries(apply.recorded)})
                # Photos go in before the commit: a photo without its case is harmless, the reverse is not.
                stored = adopt_staged(self._blobs, staged,
                                      read=None if seal is None else lambda p: _read_sealed(seal, p))
                uow.commit()
        except RevisionConflictError as exc:
            discard(staged)
            # Signed by the post, yet it contradicts a revision HQ holds: the analyst must look at it.
            self._raise_alert(bundle, path, ALERT_REVISION_CONFLICT,
                              {"case_number": exc.params["case_number"], "revision": exc.params["revision"]})
            raise
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

    def _record_notices(self, repo: SyncRepository, manifest: Manifest, path: Path) -> None:
        """A restore and uses of the recovery code the post announced: shown to analysts, once each."""
        if manifest.restore:
            notice = manifest.restore
            repo.add_alert(kind=ALERT_RESTORED, post_code=manifest.post, sequence=notice["resumed_at"],
                           manifest_sha256="", file_name=path.name, at=self._clock(),
                           params={"post": manifest.post, "backup_date": notice["backup_created_at"][:10],
                                   "lost_above": notice["lost_above"], "seq": notice["resumed_at"],
                                   "audit_length": notice["audit_length"],
                                   "backup_created_at": notice["backup_created_at"],
                                   "restored_at": notice["restored_at"]})
        for event in manifest.security_events:
            if event["action"] == "user.recover":
                repo.add_alert(kind=ALERT_RECOVERY_USED, post_code=manifest.post, sequence=event["audit_seq"],
                               manifest_sha256="", file_name=path.name, at=self._clock(),
                               params={"post": manifest.post, "at": event["at"][:16].replace("T", " "),
                                       "outcome": event["outcome"]})

    def lost_in_restore(self, *, post_code: str) -> list[LostCase]:
        """The cases a restored post lost with its old laptop, from what HQ received: every revision saved after
        the backup it was restored from and before the restore. The post re-enters or re-prints them."""
        code = post_code.strip().upper()
        self._guard.require(Action.CASE_READ_ALL_POSTS, target=f"post:{code}")
        with self._uow() as uow:
            windows = [(a.params.get("backup_created_at", ""), a.params.get("restored_at", ""))
                       for a in uow.sync.alerts(include_resolved=True)
                       if a.kind == ALERT_RESTORED and a.post_code == code]
            found: dict[tuple[str, int], LostCase] = {}
            for start, end in windows:
                if not start or not end:
                    continue
                for case in uow.sync.revisions_saved_between(code, start=start, end=end):
                    found[(case.case_id, case.revision)] = case
        return sorted(found.values(), key=lambda c: (c.saved_at, c.case_number, c.revision))

    def restored_posts(self) -> list[str]:
        """The posts that announced a restore from a backup (each may have lost cases with its old laptop)."""
        self._guard.require(Action.CASE_READ_ALL_POSTS, target="restored-posts")
        with self._uow() as uow:
            return sorted({a.post_code for a in uow.sync.alerts(include_resolved=True) if a.kind == ALERT_RESTORED})

    def write_lost_cases(self, *, post_code: str, path: Path, language: str = "en") -> Path:
        """The list of `lost_in_restore` as a file for the post: a PDF (`.pdf`) or a UTF-8 CSV (any other name),
        in `language`. Audited: the list names cases of that post."""
        from blo_desk.durable import write_atomically
        from blo_desk.reports.lost_cases import lost_cases_pdf, write_lost_cases_csv

        code = post_code.strip().upper()
        cases = self.lost_in_restore(post_code=code)
        path = Path(path)
        if path.suffix.lower() == ".pdf":
            write_atomically(path, lost_cases_pdf(post=code, cases=cases, language=language, made_at=self._clock()))
        else:
            write_lost_cases_csv(path, cases=cases, language=language)
        self._guard.record_alone(action=Action.CASE_READ_ALL_POSTS, target=f"post:{code}",
                                 details={"op": "lost_cases_list", "cases": len(cases), "file": path.name})
        return path

    def post_status_file(self, *, post_code: str) -> dict:
        """HQ's small status file for one post (for a restore on a new laptop): the highest bundle number HQ
        received from it, so that the restored post continues above it and never reuses a number."""
        code = post_code.strip().upper()
        self._require_any(Action.BUNDLE_IMPORT, Action.KEYS_MANAGE, target=f"post-status:{code}")
        with self._uow() as uow:
            repo = uow.sync
            held = [seq for seq, _at in repo.sequences_by_post().get(code, [])]
            reports = repo.audit_reports(code)
            self._guard.record(uow, action=Action.KEYS_MANAGE, target=f"post-status:{code}",
                               details={"op": "post_status", "last_sequence": max(held, default=0)})
            uow.commit()
        last = max(held, default=0)
        chain = next(((length, head) for seq, length, head, _c in reports if seq == last), (0, ""))
        return {"format": "blo-desk-post-status", "format_version": 1, "post": code, "last_sequence": last,
                "held": [list(r) for r in ranges(held)], "audit_length": chain[0], "audit_head": chain[1],
                "issued_at": timestamp_text(self._clock())}

    # --- status -------------------------------------------------------------------------------
    def status(self) -> list[PostSyncStatus]:
        """Every post with a key or a bundle: last sequence, the numbers missing, open alerts."""
        self._require_any(Action.BUNDLE_IMPORT, Action.AUDIT_VIEW, target="hq")
        with self._uow() as uow:
            repo = uow.sync
            by_post = repo.sequences_by_post()
            keys = repo.keys_by_post()
            alerts = repo.alerts()
        alert_count: dict[str, int] = {}
        for alert in alerts:
            alert_count[alert.post_code] = alert_count.get(alert.post_code, 0) + 1
        result = []
        lost_by_post: dict[str, set[int]] = {}
        for alert in alerts:
            if alert.kind == ALERT_RESTORED:
                lost_by_post.setdefault(alert.post_code, set()).update(
                    range(int(alert.params["lost_above"]) + 1, int(alert.params["seq"])))
        for post in sorted(set(by_post) | set(keys) | set(alert_count)):
            held = by_post.get(post, [])
            sequences = tuple(seq for seq, _at in held)
            last = max(sequences, default=0)
            gaps = set(range(1, last + 1)) - set(sequences)
            lost = gaps & lost_by_post.get(post, set())
            result.append(PostSyncStatus(post_code=post, sequences=sequences, last_sequence=last,
                                         last_imported_at=max((at for _s, at in held), default=None),
                                         missing=tuple(sorted(gaps - lost)), alerts=alert_count.get(post, 0),
                                         keys=keys.get(post, 0), lost=tuple(sorted(lost))))
        return result

    def seen_at_several_posts(self, *, limit: int = 200) -> list[SeenAtPosts]:
        """Document numbers and plates that occur in cases of two or more posts (spaces, dashes, slashes and
        case ignored), most posts first: the same person or vehicle crossing at several places."""
        self._guard.require(Action.CASE_READ_ALL_POSTS, target="hq")
        with self._uow() as uow:
            return uow.sync.seen_at_several_posts(limit=limit)

    def alerts(self, *, include_resolved: bool = False) -> list[Alert]:
        self._require_any(Action.BUNDLE_IMPORT, Action.AUDIT_VIEW, target="hq")
        with self._uow() as uow:
            return uow.sync.alerts(include_resolved=include_resolved)
