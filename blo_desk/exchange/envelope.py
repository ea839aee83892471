"""The encrypted bundle: the signed zip, age-encrypted to HQ, in a small zip whose signed envelope names the
ciphertext's SHA-256, so HQ checks who sent it (and that nothing changed) before it decrypts a byte.

One file per export, `<post>-<seq>.enc.blo`, a ZIP with exactly three stored members, in this order:
`bundle.age` (the age ciphertext of the plain `<post>-<seq>.blo`), `envelope.json` (canonical JSON + newline) and
`envelope.json.minisig` (minisign, by the post's key; trusted comment
`blo-desk envelope v1 post:<POST> seq:<SEQ> sha256:<SHA-256 of bundle.age>`). See docs/bundle-format.md.
"""

from __future__ import annotations

import hashlib
import os
import struct
import tempfile
import threading
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, cast

from blo_desk.domain.canonical import canonical_json
from blo_desk.durable import fsync_dir
from blo_desk.exchange import age, minisign, strict_json
from blo_desk.exchange.errors import BundleRejected, SignatureFormatError, StrictJsonError
from blo_desk.exchange.manifest import KEY_ID_RE, POST_RE, SHA_RE, SIGNATURE, TIMESTAMP_RE, Limits, Manifest
from blo_desk.exchange.pack import CHUNK, ZIP_TIME, WrittenBundle, write_zip
from blo_desk.exchange.scratch import ScratchKey
from blo_desk.exchange.verify import KeyLookup
from blo_desk.exchange.zip_layout import layout_problem
from blo_desk.i18n import N_

FORMAT_NAME = "blo-desk-envelope"
FORMAT_VERSION = 1
CIPHERTEXT = "bundle.age"
ENVELOPE = "envelope.json"
ENVELOPE_SIGNATURE = "envelope.json.minisig"
MEMBERS = (CIPHERTEXT, ENVELOPE, ENVELOPE_SIGNATURE)
ENCRYPTED_SUFFIX = ".enc.blo"
MAX_ENVELOPE_BYTES = 64 * 1024
MAX_SIGNATURE_BYTES = 4096
# age adds a header (~200 bytes for one recipient) and 16 bytes per 64 KiB chunk: 1/4096 plus a little.
_AGE_OVERHEAD = 1 / 4000
_FIELDS = {"format", "format_version", "post", "sequence", "key_id", "recipient", "created_at",
           "ciphertext_sha256", "ciphertext_size", "bundle_sha256", "bundle_size"}
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")


# --- why an encrypted bundle was refused (each says whether anything was decrypted) --------------------------
class EnvelopeFormatError(BundleRejected):
    message = N_("The file {filename} is not a complete encrypted bundle (damaged, truncated or another layout); "
                 "nothing was decrypted.")


class EnvelopeSignatureFormatError(BundleRejected):
    message = N_("The envelope signature of the encrypted bundle is missing or not in minisign's format; "
                 "nothing was decrypted.")


class EnvelopeUnknownKeyError(BundleRejected):
    message = N_("The envelope signature of the encrypted bundle is by key {key_id}, which is not in the trust "
                 "store; nothing was decrypted.")


class EnvelopeBadSignatureError(BundleRejected):
    message = N_("The envelope signature of the encrypted bundle does not match its envelope: the envelope was "
                 "altered or signed by another key; nothing was decrypted.")


class EnvelopeKeyRevokedError(BundleRejected):
    message = N_("The envelope signature is by key {key_id} of post {post}, revoked from bundle {from_seq} on; "
                 "this bundle is number {seq}; nothing was decrypted.")


class EnvelopeKeyOtherPostError(BundleRejected):
    message = N_("The envelope signature claims post {post} but is by key {key_id}, registered to post {key_post}; "
                 "nothing was decrypted.")


class EnvelopeFieldError(BundleRejected):
    message = N_("The envelope field {field} of the encrypted bundle is missing or invalid; nothing was decrypted.")


class CiphertextMismatchError(BundleRejected):
    message = N_("The encrypted bundle does not match the SHA-256 its envelope signature names (altered after it "
                 "was signed); nothing was decrypted.")


class WrongRecipientError(BundleRejected):
    message = N_("The bundle is encrypted to {recipient}, not to this HQ's age key {hq_recipient}; "
                 "nothing was decrypted.")


class NotForThisKeyError(BundleRejected):
    message = N_("HQ's age key does not open the encrypted bundle (it was encrypted to another key); "
                 "nothing was decrypted.")


class DecryptionFailedError(BundleRejected):
    message = N_("The encrypted bundle could not be decrypted ({detail}); nothing was imported.")


class DecryptedMismatchError(BundleRejected):
    message = N_("The decrypted bundle does not match the SHA-256 and size its envelope names; nothing was "
                 "imported.")


class EnvelopeMismatchError(BundleRejected):
    message = N_("The envelope names post {post} bundle {seq} with key {key_id}, but the bundle inside is post "
                 "{inner_post} bundle {inner_seq} with key {inner_key_id}; nothing was imported.")


class NoHqAgeKeyError(BundleRejected):
    message = N_("This installation holds no HQ age key, so it cannot open encrypted bundles; create or import it "
                 "with `blo-desk hq age-key`.")


# --- names ------------------------------------------------------------------------------------------------
def envelope_file_name(post: str, sequence: int) -> str:
    return f"{post}-{sequence:06d}{ENCRYPTED_SUFFIX}"


def envelope_trusted_comment(post: str, sequence: int, ciphertext_sha256: str) -> str:
    return f"blo-desk envelope v{FORMAT_VERSION} post:{post} seq:{sequence} sha256:{ciphertext_sha256}"


@dataclass(frozen=True, slots=True)
class Envelope:
    post: str
    sequence: int
    key_id: str
    recipient: str
    created_at: str
    ciphertext_sha256: str
    ciphertext_size: int
    bundle_sha256: str  # of the plain inner .blo, what `age -d` gives back
    bundle_size: int

    def to_bytes(self) -> bytes:
        return canonical_json({
            "format": FORMAT_NAME, "format_version": FORMAT_VERSION, "post": self.post, "sequence": self.sequence,
            "key_id": self.key_id, "recipient": self.recipient, "created_at": self.created_at,
            "ciphertext_sha256": self.ciphertext_sha256, "ciphertext_size": self.ciphertext_size,
            "bundle_sha256": self.bundle_sha256, "bundle_size": self.bundle_size,
        }) + b"\n"

    @property
    def trusted_comment(self) -> str:
        return envelope_trusted_comment(self.post, self.sequence, self.ciphertext_sha256)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def envelope_from_bytes(data: bytes) -> Envelope:
    try:
        value = strict_json.loads(data, name=ENVELOPE, max_depth=2, max_number_chars=20)
    except StrictJsonError:
        raise EnvelopeFieldError(field=ENVELOPE) from None
    if not isinstance(value, dict):
        raise EnvelopeFieldError(field=ENVELOPE)
    for name in sorted(_FIELDS ^ set(value)):
        raise EnvelopeFieldError(field=name)
    checks = {
        "format": value["format"] == FORMAT_NAME,
        "format_version": value["format_version"] == FORMAT_VERSION and _is_int(value["format_version"]),
        "post": isinstance(value["post"], str) and bool(POST_RE.match(value["post"])),
        "sequence": _is_int(value["sequence"]) and 1 <= value["sequence"] < 2**31,
        "key_id": isinstance(value["key_id"], str) and bool(KEY_ID_RE.match(value["key_id"])),
        "recipient": isinstance(value["recipient"], str) and bool(age.RECIPIENT_RE.match(value["recipient"])),
        "created_at": isinstance(value["created_at"], str) and bool(TIMESTAMP_RE.match(value["created_at"])),
        "ciphertext_sha256": isinstance(value["ciphertext_sha256"], str)
        and bool(SHA_RE.match(value["ciphertext_sha256"])),
        "ciphertext_size": _is_int(value["ciphertext_size"]) and 0 < value["ciphertext_size"] < 2**63,
        "bundle_sha256": isinstance(value["bundle_sha256"], str) and bool(SHA_RE.match(value["bundle_sha256"])),
        "bundle_size": _is_int(value["bundle_size"]) and 0 < value["bundle_size"] < 2**63,
    }
    for name, ok in checks.items():
        if not ok:
            raise EnvelopeFieldError(field=name)
    envelope = Envelope(**{k: value[k] for k in _FIELDS - {"format", "format_version"}})
    if envelope.to_bytes() != data:
        raise EnvelopeFieldError(field="canonical form")
    return envelope


# --- writing (at the post) ------------------------------------------------------------------------------------
class _Hashing:
    """A write-only stream that hashes and counts what passes on to `raw` (no tell/seek: zipfile streams)."""

    def __init__(self, raw: age.ByteWriter) -> None:
        self.raw = raw
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data) -> int:
        self.digest.update(data)
        self.size += len(data)
        self.raw.write(data)
        return len(data)

    def flush(self) -> None:
        self.raw.flush()


def _info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_STORED
    info.external_attr = 0o644 << 16
    return info


def write_envelope(
    *,
    folder: Path,
    manifest: Manifest,
    key: minisign.SecretKey,
    recipient: str,
    records: Iterable[bytes],
    attachments: Iterable[tuple[str, Path | Callable[[], BinaryIO]]],
    progress: Callable[[int, int], None] | None = None,
) -> WrittenBundle:
    """Write `<post>-<seq>.enc.blo` into folder. The plain bundle is never on disk: the zip is written into a pipe
    on this thread while a helper thread age-encrypts the other end straight into the envelope's `bundle.age`.
    Atomic like write_bundle (temporary name, fsync, rename). `sha256`/`size` of the result are the whole file's."""
    recipient = age.parse_recipient(recipient)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    name = envelope_file_name(manifest.post, manifest.sequence)
    target = folder / name
    fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".part")
    try:
        with os.fdopen(fd, "w+b") as raw:
            with zipfile.ZipFile(raw, "w", allowZip64=True) as zf:
                with zf.open(_info(CIPHERTEXT), "w", force_zip64=True) as member:
                    cipher = _Hashing(member)
                    final, plain_sha, plain_size = _encrypt_zip(cipher, recipient=recipient, manifest=manifest,
                                                                key=key, records=records, attachments=attachments,
                                                                progress=progress)
                envelope = Envelope(post=final.post, sequence=final.sequence, key_id=final.key_id,
                                    recipient=recipient, created_at=final.created_at,
                                    ciphertext_sha256=cipher.digest.hexdigest(), ciphertext_size=cipher.size,
                                    bundle_sha256=plain_sha, bundle_size=plain_size)
                body = envelope.to_bytes()
                zf.writestr(_info(ENVELOPE), body)
                signature = minisign.sign(body, key, trusted_comment=envelope.trusted_comment)
                zf.writestr(_info(ENVELOPE_SIGNATURE), signature.encode("ascii"))
            raw.flush()
            if os.name != "nt":
                os.fchmod(raw.fileno(), 0o644)  # it travels on sticks; only HQ's key opens it
            os.fsync(raw.fileno())
        digest = hashlib.sha256()
        total = 0
        with open(tmp_name, "rb") as fh:
            while chunk := fh.read(CHUNK):
                digest.update(chunk)
                total += len(chunk)
        os.replace(tmp_name, target)
        fsync_dir(folder)
    except BaseException:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
        raise
    return WrittenBundle(path=target, sha256=digest.hexdigest(), size=total, manifest=final)


def _encrypt_zip(cipher: _Hashing, *, recipient: str, manifest: Manifest, key: minisign.SecretKey,
                 records, attachments, progress) -> tuple[Manifest, str, int]:
    """The plain zip through a pipe into age: returns the final manifest and the plain zip's SHA-256 and size.
    The zip is written on the calling thread (progress callbacks and cancellation stay where the caller expects
    them); a helper thread runs the encryption. Either side failing stops the other and the error is raised."""
    read_fd, write_fd = os.pipe()
    reader = os.fdopen(read_fd, "rb", buffering=CHUNK)
    failure: list[BaseException] = []

    def encrypt() -> None:
        try:
            age.encrypt_stream(reader, cipher, recipient=recipient)
        except BaseException as exc:  # noqa: BLE001 - handed to the writing thread
            failure.append(exc)
        finally:
            reader.close()  # the writer then gets EPIPE instead of blocking on a full pipe

    helper = threading.Thread(target=encrypt, name="bundle-encrypt", daemon=True)
    helper.start()
    writer = os.fdopen(write_fd, "wb", buffering=CHUNK)
    plain = _Hashing(writer)
    try:
        final = write_zip(plain, manifest=manifest, key=key, records=records, attachments=attachments,
                          progress=progress)
        writer.close()
    except BaseException:
        try:
            writer.close()
        except OSError:
            pass
        helper.join()
        if failure and not isinstance(failure[0], BrokenPipeError):
            raise failure[0] from None
        raise
    helper.join()
    if failure:
        raise failure[0]
    return final, plain.digest.hexdigest(), plain.size


# --- reading (at HQ) ---------------------------------------------------------------------------------------
def is_envelope(path: Path) -> bool:
    """Whether the file is an encrypted bundle (a zip whose members are the envelope's), not a plain one. Cheap:
    only the zip directory is read. Anything unreadable is left to the plain reader to refuse."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = {info.orig_filename for info in zf.infolist()}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError):
        return False
    return ENVELOPE in names or CIPHERTEXT in names


def signing_post(path: Path, key_lookup: KeyLookup) -> str | None:
    """The post whose trusted key a bundle file (plain or encrypted) names in its signature, read from the signature
    alone: nothing is verified or parsed beyond it. What HQ groups a batch's files by, so that one post's bundles
    are imported one after the other, in order. None where the file names no trusted key (its import refuses it)."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = {info.orig_filename: info for info in zf.infolist()}
            info = infos.get(SIGNATURE) or infos.get(ENVELOPE_SIGNATURE)
            if info is None or info.file_size > MAX_SIGNATURE_BYTES:
                return None
            with zf.open(info) as fh:
                signature = minisign.parse_signature(fh.read(MAX_SIGNATURE_BYTES + 1))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError,
            zlib.error, SignatureFormatError):
        return None
    trusted = key_lookup(signature.key_id_text)
    return None if trusted is None else trusted.post


class _Range:
    """Reads `length` bytes of a file from `start`, hashing them: what the age decryptor consumes. pyrage asks
    for 8 KiB at a time, so the file is read (and hashed) 1 MiB at a time and served from that buffer."""

    def __init__(self, fh: BinaryIO, start: int, length: int) -> None:
        fh.seek(start)
        self._fh = fh
        self.left = length  # not yet read from the file
        self.digest = hashlib.sha256()
        self._buffer = memoryview(b"")

    def read(self, n: int = -1) -> bytes:
        if not self._buffer:
            if self.left <= 0:
                return b""
            data = self._fh.read(min(CHUNK, self.left))
            if not data:
                self.left = -1  # the file shrank: the hash check afterwards fails
                return b""
            self.left -= len(data)
            self.digest.update(data)
            self._buffer = memoryview(data)
        n = len(self._buffer) if n is None or n < 0 else n
        piece, self._buffer = self._buffer[:n], self._buffer[n:]
        return piece.tobytes()


class _Capped:
    """The decrypted bundle on its way to a private temporary file, hashed in 1 MiB steps, refused beyond
    `limit` bytes."""

    def __init__(self, raw: BinaryIO, limit: int) -> None:
        self.raw = raw
        self.limit = limit
        self.size = 0
        self.digest = hashlib.sha256()
        self.too_large = False
        self._pending = bytearray()

    def write(self, data) -> int:
        self.size += len(data)
        if self.size > self.limit:
            self.too_large = True
            raise OSError("the decrypted bundle is larger than its envelope says")
        self._pending += data
        if len(self._pending) >= CHUNK:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if self._pending:
            self.digest.update(self._pending)
            self.raw.write(self._pending)
            self._pending = bytearray()
        self.raw.flush()


class OpenedEnvelope:
    """An encrypted bundle whose container, envelope signature (trusted key, not revoked), envelope fields and
    ciphertext hash were checked; only then may `decrypt_to` run. Nothing is decrypted by opening."""

    def __init__(self, path: Path, *, key_lookup: KeyLookup, limits: Limits = Limits(),
                 recipient: str | None = None) -> None:
        self.path = Path(path)
        self.limits = limits
        try:
            size = self.path.stat().st_size
        except OSError:
            raise EnvelopeFormatError(filename=self.path.name) from None
        if size > limits.max_bundle_bytes + int(limits.max_bundle_bytes * _AGE_OVERHEAD) + 1024**2:
            from blo_desk.exchange.errors import BundleTooLargeError

            raise BundleTooLargeError(size_mb=size // 1024**2, limit_mb=limits.max_bundle_bytes // 1024**2)
        self.size = size
        try:
            with zipfile.ZipFile(self.path) as zf:
                infos = zf.infolist()
                names = [i.orig_filename for i in infos]
                if names != list(MEMBERS):
                    raise EnvelopeFormatError(filename=self.path.name)
                with self.path.open("rb") as fh:  # nothing before, between or after the members, no comment
                    if layout_problem(fh, size, infos) is not None:
                        raise EnvelopeFormatError(filename=self.path.name)
                by_name = {i.orig_filename: i for i in infos}
                for info in infos:
                    if info.flag_bits & 0x1 or info.compress_type != zipfile.ZIP_STORED or info.is_dir():
                        raise EnvelopeFormatError(filename=self.path.name)
                if by_name[ENVELOPE_SIGNATURE].file_size > MAX_SIGNATURE_BYTES:
                    raise EnvelopeSignatureFormatError()
                if by_name[ENVELOPE].file_size > MAX_ENVELOPE_BYTES:
                    raise EnvelopeFieldError(field=ENVELOPE)
                signature_bytes = zf.read(by_name[ENVELOPE_SIGNATURE])
                body = zf.read(by_name[ENVELOPE])
                ciphertext = by_name[CIPHERTEXT]
        except BundleRejected:
            raise
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError):
            raise EnvelopeFormatError(filename=self.path.name) from None
        # 1. who signed it: a key in the trust store, and the signature over the envelope's exact bytes
        try:
            signature = minisign.parse_signature(signature_bytes)
        except SignatureFormatError:
            raise EnvelopeSignatureFormatError() from None
        trusted = key_lookup(signature.key_id_text)
        if trusted is None:
            raise EnvelopeUnknownKeyError(key_id=signature.key_id_text)
        try:
            minisign.verify(body, signature, trusted.public_key)
        except BundleRejected:
            raise EnvelopeBadSignatureError() from None
        # 2. only now is the envelope parsed, strictly; it must agree with the key and the trusted comment
        envelope = envelope_from_bytes(body)
        if envelope.key_id != signature.key_id_text or signature.trusted_comment != envelope.trusted_comment:
            raise EnvelopeBadSignatureError()
        if envelope.post != trusted.post:
            raise EnvelopeKeyOtherPostError(post=envelope.post, key_id=envelope.key_id, key_post=trusted.post)
        if trusted.revoked_from is not None and envelope.sequence >= trusted.revoked_from:
            raise EnvelopeKeyRevokedError(key_id=envelope.key_id, post=trusted.post, from_seq=trusted.revoked_from,
                                          seq=envelope.sequence)
        if recipient is not None and envelope.recipient != recipient:
            raise WrongRecipientError(recipient=envelope.recipient, hq_recipient=recipient)
        if envelope.bundle_size > limits.max_bundle_bytes:
            from blo_desk.exchange.errors import BundleTooLargeError

            raise BundleTooLargeError(size_mb=envelope.bundle_size // 1024**2,
                                      limit_mb=limits.max_bundle_bytes // 1024**2)
        # 3. the ciphertext is what was signed: one pass hashes the whole file and the ciphertext's byte range
        self._start = self._data_offset(ciphertext)
        if ciphertext.file_size != envelope.ciphertext_size or ciphertext.compress_size != ciphertext.file_size:
            raise CiphertextMismatchError()
        whole = hashlib.sha256()
        part = hashlib.sha256()
        end = self._start + ciphertext.file_size
        position = 0
        with self.path.open("rb") as fh:
            while chunk := fh.read(CHUNK):
                whole.update(chunk)
                lo, hi = max(position, self._start), min(position + len(chunk), end)
                if lo < hi:
                    part.update(chunk[lo - position:hi - position])
                position += len(chunk)
        if part.hexdigest() != envelope.ciphertext_sha256:
            raise CiphertextMismatchError()
        self.sha256 = whole.hexdigest()  # of the whole file: what the post recorded and uploaded
        self.envelope_sha256 = hashlib.sha256(body).hexdigest()  # the bundle's identity at HQ, not the container
        self.envelope = envelope
        self.signature = signature

    def _data_offset(self, info: zipfile.ZipInfo) -> int:
        with self.path.open("rb") as fh:
            fh.seek(info.header_offset)
            header = fh.read(_LOCAL_HEADER.size)
        if len(header) != _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
            raise EnvelopeFormatError(filename=self.path.name)
        fields = _LOCAL_HEADER.unpack(header)
        name_length, extra_length = fields[-2], fields[-1]
        return info.header_offset + _LOCAL_HEADER.size + name_length + extra_length

    def decrypt_to(self, folder: Path, *, identity, seal: ScratchKey | None = None) -> Path:
        """Decrypt, streaming, into a new private file in `folder` (0600) and return it; the caller deletes it.
        The ciphertext is hashed again while it is read and the plain bundle checked against the envelope: a file
        swapped after `__init__` or a damaged chunk leaves no file behind. With `seal` the file is a sealed scratch
        file of that key (read it with `OpenedBundle(..., scratch=seal)`): no plain byte of the bundle on disk."""
        envelope = self.envelope
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".decrypted-", suffix=".blo")
        try:
            with open(self.path, "rb") as source, os.fdopen(fd, "wb") as out:
                reader = _Range(source, self._start, envelope.ciphertext_size)
                writer = _Capped(out if seal is None else cast(BinaryIO, seal.writer(out)), envelope.bundle_size)
                try:
                    age.decrypt_stream(reader, writer, identity=identity)
                except age.AgeDecryptError as exc:
                    if exc.no_key:
                        raise NotForThisKeyError() from None
                    raise DecryptionFailedError(detail=exc.detail) from None
                except OSError:
                    if writer.too_large:
                        raise DecryptedMismatchError() from None
                    raise
                writer.flush()
                os.fsync(out.fileno())
            if reader.left or reader.digest.hexdigest() != envelope.ciphertext_sha256:
                raise CiphertextMismatchError()
            if writer.size != envelope.bundle_size or writer.digest.hexdigest() != envelope.bundle_sha256:
                raise DecryptedMismatchError()
        except BaseException:
            _unlink(Path(tmp))
            raise
        return Path(tmp)


def _unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass

