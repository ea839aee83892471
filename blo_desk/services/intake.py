"""At HQ: resumable bundle uploads kept on disk, verified import of a finished upload, and signed receipts."""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from pathlib import Path

from blo_desk.domain.audit import value_hash
from blo_desk.domain.canonical import timestamp_text
from blo_desk.domain.errors import DomainError
from blo_desk.domain.permissions import Action
from blo_desk.domain.sync import ALREADY_IMPORTED, IMPORTED
from blo_desk.durable import fsync_dir, shred_unlink, write_private
from blo_desk.exchange import minisign
from blo_desk.exchange.errors import KeyFileError
from blo_desk.exchange.manifest import KEY_ID_RE, POST_RE, SHA_RE
from blo_desk.exchange.receipt import ReferenceUpdate, RevokedKey, make_receipt, reference_digest
from blo_desk.i18n import N_
from blo_desk.services.audit import Guard
from blo_desk.services.clock import utc_now
from blo_desk.services.hq import HqService
from blo_desk.services.reference import ReferenceService
from blo_desk.services.share_relay import ShareRelayBox
from blo_desk.storage.crypto import SEALED_SUFFIX, Sealer
from blo_desk.storage.uow import UnitOfWorkFactory

KEY_FILE = "keys/hq-receipts.key"
PUBLIC_KEY_FILE = "keys/hq-receipts.pub"
UPLOADS_FOLDER = "intake/uploads"


# --- why an upload was refused (each with the HTTP status the intake service answers) ---------------------
KEY_PURPOSE = "hq-receipt-key"  # what a sealed receipt key is bound to (AES-GCM associated data)


class ReceiptKeyExposedError(DomainError):
    message = N_("HQ's receipt key {path} is readable by other users; allow only its owner (permissions 0600).")


class ReceiptKeyLockedError(DomainError):
    message = N_("HQ's receipt key {path} is sealed with the store's key; log in to use it.")


class ReceiptKeyBrokenError(DomainError):
    message = N_("HQ's receipt key {path} cannot be unsealed: it was altered or belongs to another store.")


class IntakeRoleError(DomainError):
    message = N_("The account {username} ({role}) may not import bundles, so the intake service would take uploads "
                 "it cannot apply. Run `hq serve` under an HQ analyst's account, or as the service account without "
                 "--user on an unencrypted HQ store (see docs/hq-intake.md).")


class IntakeRefused(DomainError):
    status = 400
    code = "refused"
    message = N_("HQ refused the upload.")


class UploadHeaderError(IntakeRefused):
    code = "bad_request"
    message = N_("The upload request lacks the field {name} or its value is invalid.")


class UploadTooLargeError(IntakeRefused):
    status = 413
    code = "too_large"
    message = N_("The bundle is {size_mb} MB; HQ accepts at most {limit_mb} MB per bundle.")


class UploadKeyUnknownError(IntakeRefused):
    status = 403
    code = "unknown_key"
    message = N_("Key {key_id} is not registered at HQ for post {post}; ask HQ to trust the post's public key.")


class UploadKeyRevokedError(IntakeRefused):
    status = 403
    code = "revoked_key"
    message = N_("Key {key_id} of post {post} is revoked at HQ from bundle {from_seq} on.")


class TooManyUploadsError(IntakeRefused):
    status = 429
    code = "busy"
    message = N_("{count} uploads from {who} are already in progress; the limit is {limit}. Try again later.")


class UploadNotFoundError(IntakeRefused):
    status = 404
    code = "not_found"
    message = N_("HQ holds no upload {upload_id} (finished, expired or never started); start it again.")


class UploadOffsetError(IntakeRefused):
    status = 409
    code = "offset"
    message = N_("HQ holds {offset} bytes of this upload, not {given}; continue from byte {offset}.")


class UploadOverrunError(IntakeRefused):
    status = 413
    code = "overrun"
    message = N_("The upload sends more bytes than the {length} it announced.")


class UploadDamagedError(IntakeRefused):
    status = 422
    code = "damaged"
    message = N_("The uploaded bytes do not match the announced SHA-256; HQ discarded them, start again.")


class UploadIncompleteError(IntakeRefused):
    status = 409
    code = "incomplete"
    message = N_("HQ holds {offset} of {length} bytes of this upload; send the rest first.")


@dataclass(frozen=True, slots=True)
class IntakeLimits:
    """What one intake service accepts; tune with `blo-desk hq serve --max-mb ...`."""

    max_upload_bytes: int = 2 * 1024**3
    max_chunk_bytes: int = 64 * 1024**2  # one PATCH request body
    uploads_per_post: int = 2
    uploads_per_address: int = 8
    requests_per_address: int = 16  # requests in flight from one address
    expire_after_s: float = 48 * 3600
    concurrent_imports: int = 1


@dataclass(frozen=True, slots=True)
class Upload:
    """One upload in progress, as kept beside its bytes on disk (`<id>.json` and `<id>.part`)."""

    id: str
    post: str
    sequence: int
    sha256: str
    key_id: str
    length: int
    address: str
    created_at: str
    reference_digest: str = ""
    offset: int = 0


@dataclass(frozen=True, slots=True)
class SignedReceipt:
    body: bytes
    signature: str
    outcome: str

    def to_json(self) -> dict:
        return {"receipt": self.body.decode("utf-8"), "signature": self.signature, "outcome": self.outcome}


def upload_id(post: str, sequence: int, sha256: str) -> str:
    """The same bundle always gets the same upload: a client that lost the answer to its create resumes anyway."""
    return hashlib.sha256(f"{post}:{sequence}:{sha256}".encode()).hexdigest()[:32]


class _Slot:
    """In-memory state of one upload: a lock around writes and the generation of the request that may write."""

    def __init__(self, upload: Upload) -> None:
        self.upload = upload
        self.lock = threading.Lock()
        self.generation = 0
        self.finishing = threading.Lock()


class UploadWriter:
    """Appends one PATCH body at the upload's offset; a newer PATCH of the same upload takes over (the older
    connection is most likely dead), so the bytes on disk always continue the upload without gaps."""

    def __init__(self, service: IntakeService, slot: _Slot, generation: int, limit: int) -> None:
        self._service = service
        self._slot = slot
        self._generation = generation
        self._left = limit  # bytes this request may still add
        self._fh = open(service.part_path(slot.upload.id), "r+b")  # noqa: SIM115 - closed in close()
        self._fh.seek(slot.upload.offset)
        self.written = 0

    def write(self, data: bytes) -> None:
        slot = self._slot
        with slot.lock:
            if slot.generation != self._generation:
                raise UploadOffsetError(offset=slot.upload.offset, given=slot.upload.offset + len(data))
            if len(data) > self._left:
                raise UploadOverrunError(length=slot.upload.length)
            self._fh.write(data)
            self._left -= len(data)
            self.written += len(data)
            slot.upload = replace(slot.upload, offset=slot.upload.offset + len(data))

    def close(self) -> int:
        """Flush what arrived (also after a dropped connection: those bytes count) and return the offset."""
        with self._slot.lock:
            try:
                self._fh.flush()
                os.fsync(self._fh.fileno())
            finally:
                self._fh.close()
            return self._slot.upload.offset


class IntakeService:
    """The HQ side of delivery by upload; the HTTP layer (blo_desk.intake) only translates requests to calls."""

    def __init__(self, *, hq: HqService, uow: UnitOfWorkFactory, data_dir: Path, limits: IntakeLimits = IntakeLimits(),
                 clock: Callable[[], datetime] = utc_now, sealer: Sealer | None = None) -> None:
        if not hq.may_import():  # refuse to start rather than answer 500 at the end of every upload
            principal = hq.principal
            raise IntakeRoleError(username=principal.username, role=principal.role.label)
        self._hq = hq
        self._sealer = sealer  # the data key's sealer on an encrypted store: the receipt key is kept sealed
        self._uow = uow
        self._data_dir = Path(data_dir)
        self.limits = limits
        self._clock = clock
        self._key = self.ensure_key()
        self._slots: dict[str, _Slot] = {}
        self._lock = threading.Lock()
        self._imports = threading.BoundedSemaphore(max(1, limits.concurrent_imports))
        self._reference: tuple[float, ReferenceUpdate] | None = None
        #: counterpart shares relayed between posts, kept encrypted until their addressee collects them (issue 16)
        self.relay = ShareRelayBox(uow=uow, data_dir=self._data_dir, clock=clock)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._load()

    # --- HQ's receipt key ---------------------------------------------------------------------
    def ensure_key(self) -> minisign.SecretKey:
        """HQ's receipt-signing key (created on first use, 0600); its public half is what posts pin."""
        return ensure_hq_key(self._data_dir, sealer=self._sealer)

    @property
    def public_key(self) -> minisign.PublicKey:
        return self._key.public_key

    # --- uploads on disk ----------------------------------------------------------------------
    @property
    def folder(self) -> Path:
        return self._data_dir / UPLOADS_FOLDER

    def part_path(self, upload_id_: str) -> Path:
        return self.folder / f"{upload_id_}.part"

    def _meta_path(self, upload_id_: str) -> Path:
        return self.folder / f"{upload_id_}.json"

    def _load(self) -> None:
        """Uploads in progress survive a restart: each continues from the bytes already on disk."""
        for meta in sorted(self.folder.glob("*.json")):
            try:
                data = json.loads(meta.read_text("utf-8"))
                upload = Upload(**{k: v for k, v in data.items() if k != "offset"})
                offset = self.part_path(upload.id).stat().st_size
            except (OSError, ValueError, TypeError):
                self._delete_files(meta.stem)
                continue
            if offset > upload.length:
                self._delete_files(upload.id)
                continue
            self._slots[upload.id] = _Slot(replace(upload, offset=offset))
        for part in self.folder.glob("*.part"):
            if part.stem not in self._slots:
                part.unlink(missing_ok=True)
        self.expire()

    def _delete_files(self, upload_id_: str) -> None:
        for path in (self._meta_path(upload_id_), self.part_path(upload_id_)):
            path.unlink(missing_ok=True)

    def _forget(self, upload_id_: str) -> None:
        with self._lock:
            self._slots.pop(upload_id_, None)
        self._delete_files(upload_id_)

    def expire(self) -> int:
        """Drop uploads nobody touched for `expire_after_s`; returns how many."""
        cutoff = time.time() - self.limits.expire_after_s
        stale = []
        with self._lock:
            for upload_id_, _slot in list(self._slots.items()):
                try:
                    touched = self.part_path(upload_id_).stat().st_mtime
                except OSError:
                    touched = 0
                if touched < cutoff:
                    stale.append(upload_id_)
                    del self._slots[upload_id_]
        for upload_id_ in stale:
            self._delete_files(upload_id_)
        return len(stale)

    # --- the protocol -------------------------------------------------------------------------
    def create(self, *, post: str, sequence: int, sha256: str, key_id: str, length: int, address: str,
               reference_digest_: str = "") -> tuple[Upload | None, SignedReceipt | None]:
        """Open (or find again) the upload of one bundle. A bundle HQ already holds gets its receipt at once."""
        if not isinstance(post, str) or not POST_RE.fullmatch(post):
            raise UploadHeaderError(name="post")
        if sequence < 1 or sequence >= 2**31:
            raise UploadHeaderError(name="sequence")
        if not isinstance(sha256, str) or not SHA_RE.fullmatch(sha256):
            raise UploadHeaderError(name="sha256")
        if not isinstance(key_id, str) or not KEY_ID_RE.fullmatch(key_id):
            raise UploadHeaderError(name="key_id")
        if length < 1:
            raise UploadHeaderError(name="length")
        held = self.receipt(post=post, sequence=sequence, sha256=sha256, reference_digest_=reference_digest_)
        if held is not None:
            return None, held
        if length > self.limits.max_upload_bytes:
            raise UploadTooLargeError(size_mb=round(length / 1024**2, 1),
                                      limit_mb=round(self.limits.max_upload_bytes / 1024**2, 1))
        self._check_key(post=post, sequence=sequence, key_id=key_id)
        self.expire()
        new_id = upload_id(post, sequence, sha256)
        with self._lock:
            slot = self._slots.get(new_id)
            if slot is not None:
                if slot.upload.length != length:
                    raise UploadHeaderError(name="length")
                os.utime(self.part_path(new_id))
                return slot.upload, None
            active = [s.upload for s in self._slots.values()]
            by_post = sum(1 for u in active if u.post == post)
            if by_post >= self.limits.uploads_per_post:
                raise TooManyUploadsError(count=by_post, who=post, limit=self.limits.uploads_per_post)
            by_address = sum(1 for u in active if u.address == address)
            if by_address >= self.limits.uploads_per_address:
                raise TooManyUploadsError(count=by_address, who=address, limit=self.limits.uploads_per_address)
            upload = Upload(id=new_id, post=post, sequence=sequence, sha256=sha256, key_id=key_id, length=length,
                            address=address, created_at=timestamp_text(self._clock()), reference_digest=reference_digest_)
            self.part_path(new_id).touch()
            meta = {k: v for k, v in asdict(upload).items() if k != "offset"}
            tmp = self._meta_path(new_id).with_suffix(".json.tmp")
            with open(tmp, "w", encoding="utf-8") as fh:
                json.dump(meta, fh)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self._meta_path(new_id))
            fsync_dir(self.folder)
            self._slots[new_id] = _Slot(upload)
            return upload, None

    def _check_key(self, *, post: str, sequence: int, key_id: str) -> None:
        """Refuse early, before a byte is sent, an upload whose key HQ would refuse anyway (the full check of the
        signature happens on import)."""
        with self._uow() as uow:
            trusted = uow.sync.trusted_key(key_id)
        if trusted is None or trusted.post_code != post:
            raise UploadKeyUnknownError(key_id=key_id, post=post)
        if trusted.revoked_from is not None and sequence >= trusted.revoked_from:
            raise UploadKeyRevokedError(key_id=key_id, post=post, from_seq=trusted.revoked_from)

    def _slot(self, upload_id_: str) -> _Slot:
        with self._lock:
            slot = self._slots.get(upload_id_)
        if slot is None:
            raise UploadNotFoundError(upload_id=upload_id_)
        return slot

    def status(self, upload_id_: str) -> Upload:
        return self._slot(upload_id_).upload

    def writer(self, upload_id_: str, *, offset: int, content_length: int | None) -> UploadWriter:
        """Start appending a PATCH body at `offset` (which must be where the upload stands)."""
        slot = self._slot(upload_id_)
        with slot.lock:
            upload = slot.upload
            if offset != upload.offset:
                raise UploadOffsetError(offset=upload.offset, given=offset)
            room = upload.length - upload.offset
            if content_length is not None and content_length > room:
                raise UploadOverrunError(length=upload.length)
            slot.generation += 1
            generation = slot.generation
        return UploadWriter(self, slot, generation, min(room, self.limits.max_chunk_bytes))

    def finish(self, upload_id_: str) -> SignedReceipt:
        """A complete upload: check its hash, import it exactly as a file import does (verify first, then apply in
        one transaction), discard the upload either way, and sign the receipt. Rejections raise BundleRejected."""
        slot = self._slot(upload_id_)
        with slot.finishing:
            upload = self._slot(upload_id_).upload
            if upload.offset != upload.length:
                raise UploadIncompleteError(offset=upload.offset, length=upload.length)
            path = self.part_path(upload.id)
            digest = hashlib.sha256()
            with open(path, "rb") as fh:
                while chunk := fh.read(1024 * 1024):
                    digest.update(chunk)
            if digest.hexdigest() != upload.sha256:
                self._forget(upload.id)
                raise UploadDamagedError()
            named = path.with_name(f"{upload.post}-{upload.sequence:06d}.blo")
            try:
                os.replace(path, named)  # the import report names the bundle, not the upload id
                with self._imports:
                    report = self._hq.import_bundle(path=named)
            finally:
                named.unlink(missing_ok=True)
                self._forget(upload.id)
            if report.rejected:
                assert report.error is not None
                raise report.error
            assert report.sequence is not None  # an imported bundle has its number
            receipt = self.receipt(post=report.post_code, sequence=report.sequence, sha256=upload.sha256,
                                   reference_digest_=upload.reference_digest,
                                   outcome=IMPORTED if report.outcome == IMPORTED else ALREADY_IMPORTED)
            if receipt is None:  # the manifest names another post or number than announced: no receipt for that
                raise UploadDamagedError()
            return receipt

    # --- receipts -----------------------------------------------------------------------------
    def receipt(self, *, post: str, sequence: int, sha256: str, reference_digest_: str = "",
                outcome: str = ALREADY_IMPORTED) -> SignedReceipt | None:
        """A fresh signed receipt if HQ holds this bundle (post, sequence) and verified this very container
        (SHA-256 of the file) as carrying it, else None. A re-packaged copy imported first does not cost the post's
        own file its receipt: once verified, its file is a known container of the same bundle."""
        with self._uow() as uow:
            repo = uow.sync
            held = repo.imported_bundle(post, sequence)
            if held is None or (held.sha256 != sha256 and not repo.holds_container(post, sequence, sha256)):
                return None
            revoked = [RevokedKey(key_id=k.key_id, post=k.post_code, from_sequence=k.revoked_from)
                       for k in repo.trusted_keys() if k.revoked_from is not None]
        reference = self._reference_snapshot()
        body, signature = make_receipt(
            key=self._key, post=post, sequence=sequence, bundle_sha256=sha256, outcome=outcome,
            issued_at=timestamp_text(self._clock()), revoked_keys=revoked,
            reference=None if reference.digest == reference_digest_ else reference)
        return SignedReceipt(body=body, signature=signature, outcome=outcome)

    def _reference_snapshot(self) -> ReferenceUpdate:
        """HQ's posts and reference lists (cached for a minute): a post adds the entries it lacks."""
        now = time.monotonic()
        if self._reference is not None and now - self._reference[0] < 60:
            return self._reference[1]
        service = ReferenceService(uow=self._uow)
        posts = []
        for post in service.posts(include_inactive=True):
            posts.append(asdict(post))
        lists = {kind: [[i.code, i.label_uz, i.label_ru, i.label_en] for i in items]
                 for kind, items in sorted(service.all_lists().items())}
        snapshot = ReferenceUpdate(digest=reference_digest(posts, lists), posts=tuple(posts), lists=lists)
        self._reference = (now, snapshot)
        return snapshot


def _read_key_file(path: Path) -> bytes:
    try:
        if os.name != "nt" and path.stat().st_mode & 0o077:
            raise ReceiptKeyExposedError(path=str(path))
        return path.read_bytes()
    except OSError as exc:
        raise KeyFileError(N_("The key file {path} cannot be read: {reason}"), path=str(path),
                           reason=exc.strerror or str(exc)) from exc


RECEIPT_KEY_TARGET = "hq-receipt-key"


def receipt_key(guard: Guard, *, data_dir: Path, sealer: Sealer | None = None) -> minisign.SecretKey:
    """`blo-desk hq key`: HQ's receipt key, created on first use, for a role that manages keys (an administrator);
    refused otherwise. Either way the audit trail records it."""
    guard.require(Action.KEYS_MANAGE, target=RECEIPT_KEY_TARGET)
    plain = Path(data_dir) / KEY_FILE
    existed = plain.exists() or plain.with_name(plain.name + SEALED_SUFFIX).exists()
    key = ensure_hq_key(data_dir, sealer=sealer)
    guard.record_alone(action=Action.KEYS_MANAGE, target=RECEIPT_KEY_TARGET,
                       after_hash=value_hash(key.public_key.to_file_text()),
                       details={"op": "receipt_key", "key_id": key.public_key.key_id_text, "created": not existed})
    return key


def ensure_hq_key(data_dir: Path, *, sealer: Sealer | None = None) -> minisign.SecretKey:
    """Read HQ's receipt key from the data folder, creating it (0600 in a 0700 folder) on first use.

    Like HQ's age key (services.bundle_encryption.HqAgeKey): with the `sealer` of an encrypted store the key is
    kept sealed (`hq-receipts.key.sealed`), and a plain key left from before is sealed on first use and shredded;
    a key file readable by other users is refused."""
    plain = Path(data_dir) / KEY_FILE
    sealed = plain.with_name(plain.name + SEALED_SUFFIX)
    if sealed.exists():
        if sealer is None:
            raise ReceiptKeyLockedError(path=str(sealed))
        try:
            text = sealer.unseal(_read_key_file(sealed), purpose=KEY_PURPOSE).decode("ascii")
        except ValueError as exc:
            raise ReceiptKeyBrokenError(path=str(sealed)) from exc
        return minisign.parse_secret_key(text)
    if plain.exists():
        key = minisign.parse_secret_key(_read_key_file(plain).decode("ascii", errors="replace"))
        if sealer is not None:
            write_private(sealed, sealer.seal(key.to_file_text().encode("ascii"), purpose=KEY_PURPOSE))
            shred_unlink(plain)
        return key
    key = minisign.SecretKey.generate()
    if sealer is not None:
        write_private(sealed, sealer.seal(key.to_file_text().encode("ascii"), purpose=KEY_PURPOSE))
    else:
        write_private(plain, key.to_file_text())
    (Path(data_dir) / PUBLIC_KEY_FILE).write_text(key.public_key.to_file_text(), encoding="ascii")
    return key
