"""Open a bundle and verify it before parsing anything: limits, names, signature, then every member's hash."""

from __future__ import annotations

import hashlib
import os
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, BinaryIO, cast

from blo_desk.exchange import minisign, strict_json
from blo_desk.exchange.errors import (
    BadSignatureError,
    BundleTooLargeError,
    BytesOutsideZipError,
    CompressionRatioError,
    CountMismatchError,
    DuplicateMemberError,
    KeyOtherPostError,
    KeyRevokedError,
    LineTooLongError,
    MemberCorruptError,
    MemberLayoutError,
    MemberMismatchError,
    MemberTooLargeError,
    MissingMemberError,
    NotABundleError,
    SignatureFormatError,
    TooManyMembersError,
    TrustedCommentMismatchError,
    UnexpectedMemberError,
    UnknownKeyError,
    UnsafeMemberNameError,
    UnsupportedMemberError,
    ZipCommentError,
)
from blo_desk.exchange.manifest import (
    ATTACHMENTS,
    MANIFEST,
    RECORDS,
    SIGNATURE,
    Limits,
    Manifest,
    manifest_from_dict,
)
from blo_desk.exchange.pack import CHUNK, MEMBER_COMPRESSION
from blo_desk.exchange.scratch import ScratchKey
from blo_desk.exchange.zip_layout import layout_problem

_ALLOWED_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-/")


@dataclass(frozen=True, slots=True)
class TrustedKey:
    """What the trust store says about a key id: whose it is and from which bundle on it is revoked."""

    post: str
    public_key: minisign.PublicKey
    revoked_from: int | None = None


KeyLookup = Callable[[str], "TrustedKey | None"]


def check_member_name(name: str) -> None:
    """Refuse anything that could escape a folder or mean two things on two systems."""
    unsafe = (
        not name
        or "\x00" in name
        or "\\" in name
        or name.startswith("/")
        or (len(name) >= 2 and name[1] == ":")
        or ":" in name
        or any(part in ("", ".", "..") for part in PurePosixPath(name).parts)
        or name != str(PurePosixPath(name))
        or not set(name) <= _ALLOWED_NAME_CHARS
        or len(name) > 200
    )
    if unsafe:
        raise UnsafeMemberNameError(name=name.replace("\x00", "\\0"))


class OpenedBundle:
    """A bundle whose container, signature and manifest were checked; `verify_members` checks the rest.

    Use as a context manager; nothing in it is trusted until `verify_members` has returned.
    """

    def __init__(self, path: Path, *, key_lookup: KeyLookup, limits: Limits = Limits(),
                 scratch: ScratchKey | None = None) -> None:
        """`scratch`: the file is a sealed scratch file of that key (a decrypted bundle at HQ), read as its plain bytes."""
        self.path = Path(path)
        self.limits = limits
        self._scratch = scratch
        self._fh: BinaryIO | None = None  # the zip's file (sealed scratch files are read through their key)
        self._zip: zipfile.ZipFile | None = None
        self._records_file: IO[bytes] | None = None  # records.jsonl, spooled while verify_members hashed it
        self._verified = False
        try:
            self._open(key_lookup)
        except BaseException:
            self.close()
            raise

    # --- context manager ---------------------------------------------------------------------
    def __enter__(self) -> OpenedBundle:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._records_file is not None:
            self._records_file.close()
            self._records_file = None
        if self._zip is not None:
            self._zip.close()
            self._zip = None
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    def _open_file(self) -> BinaryIO:
        if self._scratch is None:
            return self.path.open("rb")
        return cast(BinaryIO, self._scratch.open(self.path))  # a seekable binary file, as zipfile needs

    # --- step 1: container, signature, manifest ------------------------------------------------
    def _open(self, key_lookup: KeyLookup) -> None:
        limits = self.limits
        try:
            size = self.path.stat().st_size if self._scratch is None else self._scratch.plain_size(self.path)
        except OSError:
            raise NotABundleError(filename=self.path.name) from None
        if size > limits.max_bundle_bytes:
            raise BundleTooLargeError(size_mb=size // 1024**2, limit_mb=limits.max_bundle_bytes // 1024**2)
        digest = hashlib.sha256()
        with self._open_file() as fh:
            while chunk := fh.read(CHUNK):
                digest.update(chunk)
        self.sha256 = digest.hexdigest()
        self.size = size
        try:
            self._fh = self._open_file()
            self._zip = zipfile.ZipFile(self._fh)
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError):
            raise NotABundleError(filename=self.path.name) from None
        if len(infos) > limits.max_members:
            raise TooManyMembersError(count=len(infos), limit=limits.max_members)
        with self._open_file() as fh:
            problem = layout_problem(fh, size, infos)
        if problem is not None:
            if problem.kind == "comment":
                raise ZipCommentError(filename=self.path.name)
            if problem.kind == "outside":
                raise BytesOutsideZipError(filename=self.path.name)
            raise MemberLayoutError(name=problem.name)
        self._infos: dict[str, zipfile.ZipInfo] = {}
        total = 0
        for info in infos:
            name = info.orig_filename
            check_member_name(name)
            if name in self._infos:
                raise DuplicateMemberError(name=name)
            if info.is_dir() or info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise UnsupportedMemberError(name=name)
            limit = self._size_limit(name)
            if info.file_size > limit:
                raise MemberTooLargeError(name=name, size=info.file_size, limit=limit)
            if info.file_size > limits.ratio_floor:
                ratio = info.file_size // max(info.compress_size, 1)
                if ratio > limits.max_ratio:
                    raise CompressionRatioError(name=name, ratio=ratio, limit=limits.max_ratio)
            total += info.file_size
            self._infos[name] = info
        if total > limits.max_total_bytes:
            raise BundleTooLargeError(size_mb=total // 1024**2, limit_mb=limits.max_total_bytes // 1024**2)
        if SIGNATURE not in self._infos:
            raise SignatureFormatError()
        if MANIFEST not in self._infos:
            raise MissingMemberError(name=MANIFEST)
        signature = minisign.parse_signature(self._read_small(SIGNATURE))
        manifest_bytes = self._read_small(MANIFEST)
        trusted = key_lookup(signature.key_id_text)
        if trusted is None:
            raise UnknownKeyError(key_id=signature.key_id_text)
        minisign.verify(manifest_bytes, signature, trusted.public_key)
        # Only now, signed by a key we know, is the manifest parsed (strictly).
        manifest = manifest_from_dict(
            strict_json.loads(manifest_bytes, name=MANIFEST, max_depth=limits.max_depth,
                              max_number_chars=limits.max_number_chars)
        )
        if manifest.key_id != signature.key_id_text:
            raise BadSignatureError()
        if manifest.post != trusted.post:
            raise KeyOtherPostError(post=manifest.post, key_id=manifest.key_id, key_post=trusted.post)
        if trusted.revoked_from is not None and manifest.sequence >= trusted.revoked_from:
            raise KeyRevokedError(key_id=manifest.key_id, post=trusted.post, from_seq=trusted.revoked_from,
                                  seq=manifest.sequence)
        if signature.trusted_comment != manifest.trusted_comment:
            raise TrustedCommentMismatchError(post=manifest.post, seq=manifest.sequence)
        listed = {m.name: m for m in manifest.members}
        present = set(self._infos) - {MANIFEST, SIGNATURE}
        for name in sorted(set(listed) - present):
            raise MissingMemberError(name=name)
        for name in sorted(present - set(listed)):
            raise UnexpectedMemberError(name=name)
        for name, member in listed.items():
            if self._infos[name].file_size != member.size:
                raise MemberMismatchError(name=name)
        # Members exactly as listed: the manifest's order, then the manifest and its signature, each compressed as
        # the format says. Another order or compression is another container for the same bundle.
        expected = [m.name for m in manifest.members] + [MANIFEST, SIGNATURE]
        for info, name in zip(infos, expected, strict=True):
            if info.orig_filename != name:
                raise MemberLayoutError(name=info.orig_filename)
            if info.compress_type != MEMBER_COMPRESSION.get(name, zipfile.ZIP_STORED):
                raise MemberLayoutError(name=name)
        self.manifest: Manifest = manifest
        self.manifest_sha256 = hashlib.sha256(manifest_bytes).hexdigest()
        self.signature = signature

    def _size_limit(self, name: str) -> int:
        limits = self.limits
        if name == MANIFEST:
            return limits.max_manifest_bytes
        if name == SIGNATURE:
            return limits.max_signature_bytes
        if name == RECORDS:
            return limits.max_records_bytes
        return limits.max_attachment_bytes

    def _stream(self, name: str) -> Iterator[bytes]:
        """A member's bytes in chunks, never more than its stated size; damage becomes MemberCorruptError."""
        assert self._zip is not None
        info = self._infos[name]
        left = info.file_size
        try:
            with self._zip.open(info) as src:
                while True:
                    chunk = src.read(min(CHUNK, left + 1))
                    if not chunk:
                        break
                    left -= len(chunk)
                    if left < 0:
                        raise MemberCorruptError(name=name)
                    yield chunk
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError):
            raise MemberCorruptError(name=name) from None
        if left != 0:
            raise MemberCorruptError(name=name)

    def _read_small(self, name: str) -> bytes:
        return b"".join(self._stream(name))

    # --- step 2: every member against the signed manifest -------------------------------------
    def verify_members(self, *, staging: Path | None = None, spool_dir: Path | None = None,
                       seal: ScratchKey | None = None) -> dict[str, Path]:
        """Hash every member. Records are spooled (memory, then disk); photos are written to `staging` (when
        given, on the blob store's disk) and returned by SHA-256. Raises on the first mismatch.

        Records beyond 16 MB spill to `spool_dir` (default: `staging`, else the system's temporary folder): HQ
        passes the staging folder beside its store, so case data never lands in a shared /tmp. With `seal`, staged
        photos are sealed scratch files of that key (an encrypted store: no photo is in clear on disk)."""
        spool_dir = spool_dir if spool_dir is not None else staging
        if spool_dir is not None:
            spool_dir.mkdir(parents=True, exist_ok=True)
        staged: dict[str, Path] = {}
        try:
            for member in self.manifest.members:
                digest = hashlib.sha256()
                size = 0
                if member.name == RECORDS:
                    spool = tempfile.SpooledTemporaryFile(max_size=16 * 1024**2, prefix=".records-",
                                                          dir=None if spool_dir is None else str(spool_dir))
                    for chunk in self._stream(member.name):
                        digest.update(chunk)
                        spool.write(chunk)
                        size += len(chunk)
                    self._records_file = spool
                elif staging is not None:
                    staging.mkdir(parents=True, exist_ok=True)
                    fd, tmp = tempfile.mkstemp(dir=staging, prefix=".bundle-")
                    staged[member.sha256] = Path(tmp)
                    raw = os.fdopen(fd, "wb")
                    with raw if seal is None else seal.writer(raw) as out:
                        for chunk in self._stream(member.name):
                            digest.update(chunk)
                            out.write(chunk)
                            size += len(chunk)
                        out.flush()
                        os.fsync(out.fileno())
                else:
                    for chunk in self._stream(member.name):
                        digest.update(chunk)
                        size += len(chunk)
                if size != member.size or digest.hexdigest() != member.sha256:
                    raise MemberMismatchError(name=member.name)
        except BaseException:
            discard(staged)
            raise
        self._verified = True
        return staged

    # --- step 3: records, parsed strictly -----------------------------------------------------
    def record_lines(self) -> Iterator[tuple[int, bytes]]:
        """(line number, exact bytes without the newline) for every line of records.jsonl, after verify_members:
        lines within the limit, ended by a newline, as many as the manifest says (each checked as it is reached).
        `records` parses them; HQ's import parses them in a worker process, ahead of its writes."""
        if not self._verified or self._records_file is None:
            raise RuntimeError("verify_members() first")
        limits = self.limits
        spool = self._records_file
        spool.seek(0)
        count = 0
        while True:
            line = spool.readline(limits.max_line_bytes + 1)
            if not line:
                break
            count += 1
            if not line.endswith(b"\n"):
                if len(line) > limits.max_line_bytes:
                    raise LineTooLongError(name=RECORDS, line=count, limit=limits.max_line_bytes)
                raise MemberCorruptError(name=RECORDS)
            yield count, line[:-1]
        if count != self.manifest.records:
            raise CountMismatchError(expected=self.manifest.records, found=count)

    def records(self) -> Iterator[tuple[int, bytes, object]]:
        """(line number, exact bytes, parsed object) for every line of records.jsonl, after verify_members."""
        limits = self.limits
        for count, body in self.record_lines():
            value = strict_json.loads(body, name=RECORDS, line=count, max_depth=limits.max_depth,
                                      max_number_chars=limits.max_number_chars)
            yield count, body, value


def discard(staged: dict[str, Path]) -> None:
    for path in staged.values():
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass


def attachment_names(manifest: Manifest) -> set[str]:
    return {m.sha256 for m in manifest.members if m.name.startswith(ATTACHMENTS)}
