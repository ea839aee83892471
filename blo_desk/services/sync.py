"""At the post: set up the signing identity, export signed bundles, keep the outbox of unacknowledged ones."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from sqlalchemy.exc import IntegrityError

from blo_desk import __version__
from blo_desk.domain.audit import value_hash
from blo_desk.domain.canonical import timestamp_text
from blo_desk.domain.errors import PermissionDeniedError
from blo_desk.domain.permissions import Action, Principal, Role
from blo_desk.domain.sync import ExportResult, OutboxEntry, PostIdentity
from blo_desk.durable import shred_unlink, write_private
from blo_desk.exchange import minisign
from blo_desk.exchange.envelope import envelope_file_name, write_envelope
from blo_desk.exchange.errors import (
    ExportWriteError,
    NothingToExportError,
    PostAlreadySetUpError,
    PostNotSetUpError,
    SealedKeyBrokenError,
    SealedKeyLockedError,
    SecretKeyError,
    SecretKeyExposedError,
    SecretKeyMismatchError,
    StoredPhotoCorruptError,
    UnknownPostError,
)
from blo_desk.exchange.manifest import POST_RE, SECURITY_ACTIONS, AuditChain, Manifest, bundle_file_name
from blo_desk.exchange.pack import remove_interrupted_copies, remove_stale_parts, write_bundle
from blo_desk.i18n import N_
from blo_desk.services.audit import Guard
from blo_desk.services.bulk import collector_paused
from blo_desk.services.bundle_encryption import EncryptionRequiredError, PostBundleEncryption
from blo_desk.services.clock import utc_now
from blo_desk.services.export_lock import ExportBusyError, export_lock
from blo_desk.storage.blobs import BlobStore
from blo_desk.storage.crypto import SEALED_SUFFIX, Sealer  # keys/<POST>-<KEYID>.key.sealed
from blo_desk.storage.migrate import head_revision
from blo_desk.storage.uow import UnitOfWorkFactory

KEYS_FOLDER = "keys"
#: Where a plain export's zip is written, sealed under a key held in memory, before it is copied to its folder:
#: the local disk, so that a stick is written once.
EXPORT_SCRATCH = "export-scratch"
SECRET_KEY_FILE = "post.key"
_NO_ATTACHMENTS = b'"attachments":[]'
#: Refusal when an officer or supervisor of another post tries to export this installation's bundles.
OTHER_POST_EXPORT = N_("This installation sends the cases of post {post}; you work at post {own_post}.")


PhotoSource = Path | Callable[[], BinaryIO]  # a photo file, or a function that opens its (unsealed) bytes


def key_purpose(key_id: str) -> str:
    """What a sealed signing key is bound to (AES-GCM associated data): it cannot pass for another key's file."""
    return f"post-signing-key:{key_id}"


class SyncService(PostBundleEncryption):
    """The post side of sync bundles (encryption to HQ's age key: PostBundleEncryption)."""

    def __init__(self, *, uow: UnitOfWorkFactory, data_dir: Path, blobs: BlobStore,
                 clock: Callable[[], datetime] = utc_now, guard: Guard | None = None,
                 principal: Principal | None = None, sealer: Sealer | None = None) -> None:
        if guard is None:
            if principal is None:
                raise ValueError("SyncService needs the principal it acts for (a logged-in user, or SYSTEM)")
            guard = Guard(uow=uow, principal=principal, clock=clock)
        self._uow = uow
        self._data_dir = Path(data_dir)
        self._blobs = blobs
        self._clock = clock
        self._guard = guard
        self._sealer = sealer  # the data key's sealer on an encrypted store: the signing key is kept sealed

    @property
    def principal(self) -> Principal:
        return self._guard.principal

    def _require_export(self, identity: PostIdentity, target: str) -> None:
        """BUNDLE_EXPORT, and officers and supervisors only for the post this installation sends for."""
        guard = self._guard
        guard.require(Action.BUNDLE_EXPORT, target=target)
        me = guard.principal
        if me.role in (Role.OFFICER, Role.SUPERVISOR) and me.post_code != identity.post_code:
            guard.record_alone(action=Action.BUNDLE_EXPORT, target=target, outcome="denied",
                               details={"reason": OTHER_POST_EXPORT, "post": identity.post_code})
            raise PermissionDeniedError(OTHER_POST_EXPORT, post=identity.post_code, own_post=me.post_code or "-")

    # --- identity -----------------------------------------------------------------------------
    def identity(self) -> PostIdentity | None:
        with self._uow() as uow:
            return uow.sync.identity()

    def set_up_post(self, *, post_code: str) -> PostIdentity:
        """Give this installation a post code and a fresh Ed25519 key; the secret key stays in the data folder."""
        code = post_code.strip().upper()
        self._guard.require(Action.KEYS_MANAGE, target=f"post-key:{code}")
        with self._uow() as uow:
            repo = uow.sync
            existing = repo.identity()
            if existing is not None:
                raise PostAlreadySetUpError(post=existing.post_code, key_id=existing.key_id)
            if not POST_RE.match(code) or code not in uow.reference.codes().posts:
                raise UnknownPostError(post=code)
            key = minisign.SecretKey.generate()
            key_id = key.public_key.key_id_text
            relative = f"{KEYS_FOLDER}/{code}-{key_id}.key"
            if self._sealer is not None:  # encrypted store: the key file is as unreadable as the store itself
                relative += SEALED_SUFFIX
                write_private(self._data_dir / relative,
                               self._sealer.seal(key.to_file_text().encode("ascii"), purpose=key_purpose(key_id)))
            else:
                write_private(self._data_dir / relative, key.to_file_text())
            public_line = key.public_key.to_file_text().splitlines()[1]
            identity = PostIdentity(post_code=code, key_id=key_id, public_key=public_line,
                                    created_at=self._clock())
            repo.set_identity(identity, secret_key_file=relative)
            self._guard.record(uow, action=Action.KEYS_MANAGE, target=f"post-key:{code}",
                               after_hash=value_hash(public_line),
                               details={"op": "set_up_post", "post": code, "key_id": key_id,
                                        "sealed": self._sealer is not None})
            uow.commit()
        self.export_public_key(folder=self._data_dir / KEYS_FOLDER)
        return identity

    def new_key(self) -> PostIdentity:
        """Administrators: a fresh signing key for the post set up here (after a stolen laptop, once HQ revoked
        the old key). Bundles go on with the same numbers under the new key, which HQ trusts after the usual
        read-out by telephone. The old key file is shredded."""
        identity = self._require_identity()
        code = identity.post_code
        self._guard.require(Action.KEYS_MANAGE, target=f"post-key:{code}")
        with self._uow() as uow:
            old_relative = uow.sync.secret_key_file()
        key = minisign.SecretKey.generate()
        key_id = key.public_key.key_id_text
        relative = f"{KEYS_FOLDER}/{code}-{key_id}.key"
        if self._sealer is not None:
            relative += SEALED_SUFFIX
            write_private(self._data_dir / relative,
                          self._sealer.seal(key.to_file_text().encode("ascii"), purpose=key_purpose(key_id)))
        else:
            write_private(self._data_dir / relative, key.to_file_text())
        public_line = key.public_key.to_file_text().splitlines()[1]
        renewed = PostIdentity(post_code=code, key_id=key_id, public_key=public_line, created_at=self._clock())
        with self._uow() as uow:
            uow.sync.set_identity(renewed, secret_key_file=relative)
            self._guard.record(uow, action=Action.KEYS_MANAGE, target=f"post-key:{code}",
                               before_hash=value_hash(identity.public_key), after_hash=value_hash(public_line),
                               details={"op": "new_key", "post": code, "key_id": key_id,
                                        "previous_key_id": identity.key_id})
            uow.commit()
        if old_relative and old_relative != relative:
            shred_unlink(self._data_dir / old_relative)
        self.export_public_key(folder=self._data_dir / KEYS_FOLDER)
        return renewed

    def public_key_text(self) -> str:
        """The minisign public key file to hand to HQ (and to anyone checking bundles with `minisign -V`)."""
        identity = self._require_identity()
        key = minisign.parse_public_key(identity.public_key)
        return key.to_file_text()

    def export_public_key(self, *, folder: Path) -> Path:
        identity = self._require_identity()
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{identity.post_code}-{identity.key_id}.pub"
        path.write_text(self.public_key_text(), encoding="ascii")
        return path

    def _require_identity(self) -> PostIdentity:
        identity = self.identity()
        if identity is None:
            raise PostNotSetUpError()
        return identity

    def signing_key(self) -> minisign.SecretKey:
        """The post's signing key, for another signed format of the post (counterpart shares); checked against
        the identity the post registered."""
        identity = self._require_identity()
        key = self._secret_key()
        if key.public_key.key_id_text != identity.key_id:
            raise SecretKeyMismatchError(path=SECRET_KEY_FILE, key_id=identity.key_id)
        return key

    def _secret_key(self) -> minisign.SecretKey:
        """The signing key, unsealed with the data key on an encrypted store (a plain key file left from before
        is sealed in place on first use, so the key is never kept readable beside an encrypted store)."""
        with self._uow() as uow:
            repo = uow.sync
            relative = repo.secret_key_file()
            identity = repo.identity()
        if relative is None or identity is None:
            raise PostNotSetUpError()
        path = self._data_dir / relative
        try:
            if os.name != "nt" and path.stat().st_mode & 0o077:
                raise SecretKeyExposedError(path=str(path))
            data = path.read_bytes()
        except OSError as exc:
            raise SecretKeyError(path=str(path), reason=exc.strerror or str(exc)) from exc
        if Sealer.is_sealed(data):
            if self._sealer is None:
                raise SealedKeyLockedError(path=str(path))
            try:
                data = self._sealer.unseal(data, purpose=key_purpose(identity.key_id))
            except ValueError as exc:
                raise SealedKeyBrokenError(path=str(path)) from exc
            return minisign.parse_secret_key(data.decode("ascii"))
        key = minisign.parse_secret_key(data.decode("ascii", errors="replace"))
        if self._sealer is not None:
            self._seal_plain_key(relative, key, identity)
        return key

    def _seal_plain_key(self, relative: str, key: minisign.SecretKey, identity: PostIdentity) -> None:
        """Replace a plain key file by a sealed one (0600), then forget the plain one."""
        assert self._sealer is not None  # called on an encrypted store only
        sealed_relative = relative + SEALED_SUFFIX
        target = self._data_dir / sealed_relative
        if target.exists():
            target.unlink()
        write_private(target, self._sealer.seal(key.to_file_text().encode("ascii"),
                                                 purpose=key_purpose(identity.key_id)))
        with self._uow() as uow:
            uow.sync.set_identity(identity, secret_key_file=sealed_relative)
            self._guard.record(uow, action=Action.KEYS_MANAGE, target=f"post-key:{identity.post_code}",
                               details={"op": "seal_key", "key_id": identity.key_id})
            uow.commit()
        shred_unlink(self._data_dir / relative)

    def export_secret_key(self, *, folder: Path) -> Path:
        """Administrators only: write the plain minisign secret key (0600) to `folder`, e.g. to move the post to
        a new laptop or to sign with the stock tool. Audited; the file must be kept as safe as the laptop."""
        identity = self._require_identity()
        target_name = f"post-key:{identity.post_code}"
        self._guard.require(Action.KEYS_MANAGE, target=target_name)
        key = self._secret_key()
        path = Path(folder) / f"{identity.post_code}-{identity.key_id}.key"
        with self._uow() as uow:
            self._guard.record(uow, action=Action.KEYS_MANAGE, target=target_name,
                               details={"op": "export_secret_key", "key_id": identity.key_id, "to": str(path)})
            uow.commit()
        write_private(path, key.to_file_text(), folder_is_ours=False)  # the file 0600; the folder as it was
        return path

    # --- export -------------------------------------------------------------------------------
    def default_folder(self) -> Path:
        return self._data_dir / "outbox"

    @collector_paused()  # thousands of rows held at once: no collector rescans of them (see services.bulk)
    def export(self, *, folder: Path | None = None, full: bool = False,
               progress: Callable[[int, int], None] | None = None,
               require_encryption: bool | None = None) -> ExportResult:
        """Write the next bundle: every revision not yet exported (all of them when `full`).

        With HQ's age recipient pinned the file is the encrypted envelope (`<post>-<seq>.enc.blo`), otherwise the
        plain signed bundle; `require_encryption` (default: the post's setting) refuses the plain one.

        The sequence number is reserved and committed before the file is written, so it is never reused even if
        writing fails; a failed number shows as a gap at HQ, explained by the chain of previous-bundle hashes.

        Exports of one data folder are serialised by a lock file in it (services.export_lock), which the desk and
        `blo-desk bundle export` from a shell both take: a second exporter waits for the first to finish, so it
        never reserves the same sequence number nor chains to a stale previous bundle."""
        with export_lock(self._data_dir):
            try:
                return self._export(folder=folder, full=full, progress=progress,
                                    require_encryption=require_encryption)
            except IntegrityError as exc:  # an exporter that ignores the lock (an older version) took the number
                raise ExportBusyError(pid="?") from exc

    def _export(self, *, folder: Path | None, full: bool, progress: Callable[[int, int], None] | None,
                require_encryption: bool | None) -> ExportResult:
        identity = self._require_identity()
        self._require_export(identity, f"bundle:{identity.post_code}")
        key = self._secret_key()
        if key.public_key.key_id_text != identity.key_id:
            raise SecretKeyMismatchError(path=SECRET_KEY_FILE, key_id=identity.key_id)
        out = Path(folder) if folder is not None else self.default_folder()
        recipient = self.hq_recipient()
        if recipient is None and (self.encryption_required() if require_encryption is None else require_encryption):
            raise EncryptionRequiredError()
        spool = self._data_dir / EXPORT_SCRATCH
        for folder_ in (out, spool):  # what killed exports left (we hold the export lock: no export is writing now)
            if folder_.is_dir():
                remove_stale_parts(folder_, identity.post_code)
        if spool.is_dir():
            remove_interrupted_copies(spool)  # plain parts a killed copy-out left on a stick, wherever it wrote
        now = self._clock()
        with self._uow() as uow:
            repo = uow.sync
            rows = repo.revisions_to_export(post_code=identity.post_code, full=full)
            last = repo.last_sequence()
            if not rows:
                raise NothingToExportError(seq=last)
            sequence = last + 1
            previous = repo.last_written()
            file_name = (envelope_file_name if recipient else bundle_file_name)(identity.post_code, sequence)
            repo.reserve(sequence=sequence, post_code=identity.post_code, file_name=file_name, folder=str(out),
                         full=full, created_at=now)
            # The export is audited in the transaction that reserves its number; the chain's head after that
            # event is what the manifest reports (and what the post remembers having reported).
            self._guard.record(uow, action=Action.BUNDLE_EXPORT, target=f"bundle:{file_name}",
                               details={"sequence": sequence, "records": len(rows), "full": full,
                                        "folder": str(out), "encrypted_to": recipient or ""})
            trail = self._guard.trail(uow)
            head = trail.head()
            checkpoints = repo.audit_checkpoints(head.length)
            restore = repo.restore_notice()
            security_events = tuple(repo.security_events(actions=SECURITY_ACTIONS))
            share_events = tuple(uow.shares.unreported_events())  # what passed with counterparts (issue 16)
            repo.set_reported_audit(sequence=sequence, length=head.length, head=head.head)
            uow.commit()
        audit = AuditChain(length=head.length, head=head.head, checkpoints=checkpoints)
        records = [record.encode("utf-8") for _c, _r, record, _e in rows]
        photos: dict[str, PhotoSource] = {}
        for line in records:
            if _NO_ATTACHMENTS in line:
                continue
            for attachment in json.loads(line)["case"]["attachments"]:
                photos.setdefault(attachment["sha256"], self._photo_source(attachment["sha256"]))
        manifest = Manifest(
            post=identity.post_code,
            key_id=identity.key_id,
            sequence=sequence,
            previous_sha256=previous.sha256 if previous else "",
            created_at=timestamp_text(now),
            app_version=__version__,
            schema_version=head_revision(),
            full=full,
            records=len(records),
            cases=len({c for c, _r, _rec, _e in rows}),
            attachments=len(photos),
            audit=audit,
            restore=restore,
            security_events=security_events,
            share_events=share_events,
        )
        try:
            if recipient:
                written = write_envelope(folder=out, manifest=manifest, key=key, recipient=recipient,
                                         records=records, attachments=sorted(photos.items()), progress=progress)
            else:
                written = write_bundle(folder=out, manifest=manifest, key=key, records=records,
                                       attachments=sorted(photos.items()), progress=progress, scratch_dir=spool)
        except OSError as exc:
            self._mark_failed(sequence, file_name, exc)
            raise ExportWriteError(folder=str(out), reason=exc.strerror or str(exc)) from exc
        except BaseException as exc:
            self._mark_failed(sequence, file_name, exc)
            raise
        with self._uow() as uow:
            repo = uow.sync
            repo.mark_written(sequence=sequence, sha256=written.sha256, previous_sha256=manifest.previous_sha256,
                              size=written.size, records=manifest.records, cases=manifest.cases,
                              attachments=manifest.attachments)
            repo.mark_exported(((c, r) for c, r, _rec, done in rows if not done), sequence=sequence)
            uow.shares.mark_reported([e["id"] for e in share_events], sequence=sequence)
            uow.commit()
        return ExportResult(sequence=sequence, path=str(written.path), sha256=written.sha256, size=written.size,
                            records=manifest.records, cases=manifest.cases, attachments=manifest.attachments,
                            full=full, encrypted=bool(recipient))

    def _mark_failed(self, sequence: int, file_name: str, exc: BaseException) -> None:
        with self._uow() as uow:
            uow.sync.mark_failed(sequence=sequence)
            self._guard.record(uow, action=Action.BUNDLE_EXPORT, target=f"bundle:{file_name}", outcome="failed",
                               details={"sequence": sequence, "error": type(exc).__name__})
            uow.commit()

    def _photo_source(self, sha256: str) -> PhotoSource:
        """The plain photo for the bundle: the file itself, or (in an encrypted store) its unsealed bytes, read
        only when the packer reaches it (photos are capped at 50 MB, one is held at a time)."""
        if not self._blobs.encrypted:
            return self._blobs.path_for(sha256)

        def opener() -> BinaryIO:
            try:
                return io.BytesIO(self._blobs.read_bytes(sha256))
            except ValueError as exc:
                raise StoredPhotoCorruptError(sha256=sha256) from exc

        return opener

    # --- outbox -------------------------------------------------------------------------------
    def outbox(self, *, include_acknowledged: bool = False) -> list[OutboxEntry]:
        """Bundles written and not yet acknowledged by HQ (all of them, when asked)."""
        self._require_outbox()
        with self._uow() as uow:
            return uow.sync.outbox(include_acknowledged=include_acknowledged)

    def cases_waiting(self) -> int:
        """How many of this post's cases HQ has not confirmed yet (not yet bundled, or bundled and unconfirmed)."""
        self._require_outbox()
        identity = self.identity()
        # before the post's key is set up nothing is bundled: every case of the user's post waits
        post_code = identity.post_code if identity is not None else self._guard.principal.post_code
        if not post_code:
            return 0
        with self._uow() as uow:
            return uow.sync.cases_waiting(post_code=post_code)

    def _require_outbox(self) -> None:
        identity = self.identity()
        if identity is None:
            self._guard.require(Action.BUNDLE_EXPORT, target="outbox")
        else:
            self._require_export(identity, "outbox")

    def acknowledge(self, *, up_to: int) -> int:
        """HQ confirmed every bundle up to this number: they leave the outbox. Returns how many did."""
        self._require_outbox()
        with self._uow() as uow:
            count = uow.sync.acknowledge(up_to=up_to, at=self._clock())
            if count:
                self._guard.record(uow, action=Action.BUNDLE_EXPORT, target="outbox",
                                   details={"op": "acknowledge", "up_to": up_to, "count": count})
            uow.commit()
            return count



def remove_interrupted_exports(data_dir: Path) -> int:
    """At the desk's start: remove the plain parts that a copy-out killed on a file system without unnamed files
    (FAT, exFAT, NTFS, Windows) left on a stick, as noted beside the store (a stick not plugged in is tried at the
    next start or export). Skipped while an export runs (it holds the lock, and removes them itself next time).
    Returns how many parts were removed."""
    spool = Path(data_dir) / EXPORT_SCRATCH
    if not spool.is_dir():
        return 0
    try:
        with export_lock(data_dir, wait_s=0):
            return remove_interrupted_copies(spool)
    except (ExportBusyError, OSError):  # never in the way of the desk's start
        return 0
