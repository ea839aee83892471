"""Write one bundle: records and photos streamed into a zip sealed while it grows, then the signed manifest."""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

from blo_desk.durable import fsync_dir, write_atomically
from blo_desk.exchange import minisign
from blo_desk.exchange.age import ByteWriter
from blo_desk.exchange.errors import StoredPhotoCorruptError
from blo_desk.exchange.manifest import MANIFEST, RECORDS, SIGNATURE, Manifest, Member, attachment_member
from blo_desk.exchange.scratch import ScratchKey

CHUNK = 1024 * 1024
# A fixed timestamp in the zip headers: the content, not the clock, decides the bytes.
ZIP_TIME = (2000, 1, 1, 0, 0, 0)
#: The plain copy-out goes into an unnamed file where the file system has them (O_TMPFILE); tests set this False
#: to take the way of FAT, exFAT, NTFS and Windows (a named part, noted beside the store until it is gone).
USE_UNNAMED_FILES = True
COPY_NOTE_PREFIX = ".copy-out-"  # a note, beside the store, of a plain part being written on the stick
# How each member is compressed (docs/bundle-format.md); photos, stored, are every other member.
MEMBER_COMPRESSION = {RECORDS: zipfile.ZIP_DEFLATED, MANIFEST: zipfile.ZIP_DEFLATED, SIGNATURE: zipfile.ZIP_STORED}


@dataclass(frozen=True, slots=True)
class WrittenBundle:
    path: Path
    sha256: str  # of the whole .blo file: the next bundle's previous_sha256
    size: int
    manifest: Manifest


def _info(name: str, compress: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = compress
    info.external_attr = 0o644 << 16
    return info


def remove_stale_parts(folder: Path, post: str) -> int:
    """Delete what killed exports of this post left in `folder` (`.<post>-<seq>.blo.<random>.part`, plain or
    encrypted): call it only while holding the export lock, when no export of the post is writing. Returns how many."""
    removed = 0
    try:
        leftovers = sorted(Path(folder).glob(f".{post}-*.part"))
    except OSError:
        return 0
    for path in leftovers:
        if path.name.endswith(".part") and ".blo." in path.name and path.is_file():
            try:
                path.unlink()
                removed += 1
            except OSError:
                continue
    if removed:
        fsync_dir(Path(folder))
    return removed


def _is_part_name(path: Path) -> bool:
    return path.name.startswith(".") and path.name.endswith(".part") and ".blo." in path.name


def remove_interrupted_copies(notes: Path) -> int:
    """Delete the plain parts that copy-outs killed on a file system without unnamed files left wherever they were
    (a stick), as noted in `notes` (beside the store); a note whose folder is not there now (the stick is out) is
    kept for the next time. Call it only while holding the export lock. Returns how many parts were removed."""
    removed = 0
    try:
        found = sorted(Path(notes).glob(f"{COPY_NOTE_PREFIX}*.json"))
    except OSError:
        return 0
    for note in found:
        try:
            part = Path(json.loads(note.read_text("utf-8"))["part"])
        except (OSError, ValueError, KeyError, TypeError):
            part = None
        if part is not None and _is_part_name(part):
            if not part.parent.is_dir():
                continue  # the stick is not in: the note stays
            try:
                part.unlink()
                removed += 1
                fsync_dir(part.parent)
            except FileNotFoundError:
                pass
            except OSError:
                continue
        with suppress(OSError):
            note.unlink()
    return removed


def write_bundle(
    *,
    folder: Path,
    manifest: Manifest,
    key: minisign.SecretKey,
    records: Iterable[bytes],
    attachments: Iterable[tuple[str, Path | Callable[[], BinaryIO]]],
    progress: Callable[[int, int], None] | None = None,
    compresslevel: int = 6,
    scratch_dir: Path | None = None,
) -> WrittenBundle:
    """Write `<post>-<seq>.blo` into folder. `records` are canonical JSON lines (no newline); `attachments` are
    (sha256, path or a function opening the plain content) pairs, opened one at a time. The manifest given carries
    everything but the members and counts of records. While the zip is written it is sealed under a key held only
    in memory (`.<name>.<random>.sealed.part` in `scratch_dir`, by default `folder`): a killed export leaves nothing
    readable. Once complete, its plain bytes are copied into the final file, which appears under its name only
    complete and flushed to disk. A `scratch_dir` on the local disk spares a stick writing the bundle twice; where
    the folder cannot hold unnamed files, the plain part's name is noted in it while that part exists
    (`remove_interrupted_copies`)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / manifest.file_name
    scratch = ScratchKey()
    spool = Path(scratch_dir) if scratch_dir is not None else folder
    spool.mkdir(parents=True, exist_ok=True)
    fd, sealed_name = tempfile.mkstemp(dir=spool, prefix=f".{manifest.file_name}.", suffix=".sealed.part")
    sealed = Path(sealed_name)
    try:
        with os.fdopen(fd, "w+b") as raw:
            final = write_zip(scratch.seekable_writer(raw), manifest=manifest, key=key, records=records,
                              attachments=attachments, progress=progress, compresslevel=compresslevel)
            raw.flush()  # read back at once; the plain copy is what gets fsynced
        sha, total = _publish(sealed, scratch, target, notes=Path(scratch_dir) if scratch_dir is not None else None)
        sealed.unlink()
        fsync_dir(folder)
    except BaseException:
        with suppress(OSError):
            sealed.unlink()
        raise
    return WrittenBundle(path=target, sha256=sha, size=total, manifest=final)


def _publish(sealed: Path, scratch: ScratchKey, target: Path, *, notes: Path | None = None) -> tuple[str, int]:
    """The plain bundle out of its sealed part, under `target`; returns its SHA-256 and size. Where the file
    system offers files without a name (Linux: ext4, xfs, btrfs, tmpfs) the copy gets its name only once complete
    and fsynced, so a kill during the copy leaves nothing. Elsewhere (FAT, exFAT, NTFS, Windows) it is written as
    `.<name>.<random>.part`, fsynced and renamed: a kill during that copy leaves a readable part. Its name is noted
    in `notes` (beside the store) before it is made, so that the next export, or the desk's next start, removes
    it wherever it is (remove_interrupted_copies), even when the next export goes elsewhere."""
    fd = _unnamed_file(target.parent) if USE_UNNAMED_FILES else None
    if fd is not None:
        try:
            digest = _copy_plain(sealed, scratch, fd)
            if _link_unnamed(fd, target):
                return digest
        finally:
            os.close(fd)
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.part")
    note = None
    if notes is not None:
        note = notes / f"{COPY_NOTE_PREFIX}{secrets.token_hex(6)}.json"
        write_atomically(note, json.dumps({"part": str(tmp.absolute())}).encode("utf-8"))
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        try:
            digest = _copy_plain(sealed, scratch, fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise
    finally:
        if note is not None:
            with suppress(OSError):
                note.unlink()
    return digest


def _unnamed_file(folder: Path) -> int | None:
    flag = getattr(os, "O_TMPFILE", None)
    if flag is None:
        return None
    try:
        return os.open(folder, flag | os.O_WRONLY, 0o644)
    except OSError:  # the file system has no unnamed files (FAT, exFAT), or the kernel does not know the flag
        return None


def _link_unnamed(fd: int, target: Path) -> bool:
    """Give the unnamed file `fd` the name `target` (replacing a file of that name); False when it cannot."""
    proc = f"/proc/self/fd/{fd}"
    try:
        os.link(proc, target, follow_symlinks=True)
        return True
    except FileExistsError:
        pass
    except OSError:
        return False
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")  # a file of that name was there
    try:
        os.link(proc, tmp, follow_symlinks=True)
    except OSError:
        return False
    try:
        os.replace(tmp, target)
    except BaseException:
        with suppress(OSError):
            tmp.unlink()
        raise
    return True


def _copy_plain(sealed: Path, scratch: ScratchKey, fd: int) -> tuple[str, int]:
    """Write the plain bytes of `sealed` into `fd`, fsynced; returns their SHA-256 and size."""
    digest = hashlib.sha256()
    size = 0
    with scratch.open(sealed) as src, os.fdopen(fd, "wb", closefd=False) as out:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            out.write(chunk)
            size += len(chunk)
        out.flush()
        if os.name != "nt":
            os.fchmod(fd, 0o644)  # a bundle is no secret of this user: it travels on sticks
        os.fsync(fd)
    return digest.hexdigest(), size


def write_zip(
    raw: ByteWriter,
    *,
    manifest: Manifest,
    key: minisign.SecretKey,
    records: Iterable[bytes],
    attachments: Iterable[tuple[str, Path | Callable[[], BinaryIO]]],
    progress: Callable[[int, int], None] | None = None,
    compresslevel: int = 6,
) -> Manifest:
    """The bundle's zip written into `raw` (a file, or a stream that cannot seek: zipfile then writes data
    descriptors); returns the final manifest. `write_bundle` and the encrypted envelope both use it."""
    # typeshed asks a written file object for close(), but zipfile never closes a file object it was handed
    with zipfile.ZipFile(raw, "w", allowZip64=True) as zf:  # type: ignore[call-overload]
        members: list[Member] = []
        digest = hashlib.sha256()
        size = 0
        count = 0
        with zf.open(_info(RECORDS, MEMBER_COMPRESSION[RECORDS]), "w", force_zip64=True) as out:
            # zipfile buffers nothing itself; join lines into ~1 MB writes so deflate runs in big steps.
            batch: list[bytes] = []
            pending = 0
            for line in records:
                batch.append(line)
                batch.append(b"\n")
                pending += len(line) + 1
                count += 1
                if pending >= CHUNK:
                    block = b"".join(batch)
                    digest.update(block)
                    out.write(block)
                    size += len(block)
                    batch, pending = [], 0
            if batch:
                block = b"".join(batch)
                digest.update(block)
                out.write(block)
                size += len(block)
        members.append(Member(name=RECORDS, sha256=digest.hexdigest(), size=size))
        attachment_list = list(attachments)
        for done, (sha, path) in enumerate(attachment_list, start=1):
            members.append(_add_attachment(zf, sha, path))
            if progress:
                progress(done, len(attachment_list))
        final = replace(manifest, records=count, attachments=len(attachment_list), members=tuple(members))
        body = final.to_bytes()
        zf.writestr(_info(MANIFEST, MEMBER_COMPRESSION[MANIFEST]), body, compresslevel=compresslevel)
        signature = minisign.sign(body, key, trusted_comment=final.trusted_comment)
        zf.writestr(_info(SIGNATURE, MEMBER_COMPRESSION[SIGNATURE]), signature.encode("ascii"))
    return final


def _add_attachment(zf: zipfile.ZipFile, sha: str, source: Path | Callable[[], BinaryIO]) -> Member:
    """Photos are already compressed: stored as they are, hashed on the way, checked against their name."""
    name = attachment_member(sha)
    digest = hashlib.sha256()
    size = 0
    opened = Path(source).open("rb") if isinstance(source, (str, Path)) else source()
    with opened as src, zf.open(_info(name, zipfile.ZIP_STORED), "w", force_zip64=True) as out:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            out.write(chunk)
            size += len(chunk)
    if digest.hexdigest() != sha:
        raise StoredPhotoCorruptError(sha256=sha)
    return Member(name=name, sha256=sha, size=size)
