"""Write one bundle: records and photos streamed into a zip, then the signed manifest; atomic on disk."""

from __future__ import annotations

import hashlib
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

from blo_desk.durable import fsync_dir
from blo_desk.exchange import minisign
from blo_desk.exchange.age import ByteWriter
from blo_desk.exchange.errors import StoredPhotoCorruptError
from blo_desk.exchange.manifest import MANIFEST, RECORDS, SIGNATURE, Manifest, Member, attachment_member

CHUNK = 1024 * 1024
# A fixed timestamp in the zip headers: the content, not the clock, decides the bytes.
ZIP_TIME = (2000, 1, 1, 0, 0, 0)
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


def file_sha256(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


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


def write_bundle(
    *,
    folder: Path,
    manifest: Manifest,
    key: minisign.SecretKey,
    records: Iterable[bytes],
    attachments: Iterable[tuple[str, Path | Callable[[], BinaryIO]]],
    progress: Callable[[int, int], None] | None = None,
    compresslevel: int = 6,
) -> WrittenBundle:
    """Write `<post>-<seq>.blo` into folder. `records` are canonical JSON lines (no newline); `attachments` are
    (sha256, path or a function opening the plain content) pairs, opened one at a time. The manifest given carries everything but the members and counts of records; the
    file appears under its final name only complete and flushed to disk (temporary file, fsync, rename)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / manifest.file_name
    fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{manifest.file_name}.", suffix=".part")
    try:
        with os.fdopen(fd, "w+b") as raw:
            final = write_zip(raw, manifest=manifest, key=key, records=records, attachments=attachments,
                              progress=progress, compresslevel=compresslevel)
            raw.flush()
            if os.name != "nt":
                os.fchmod(raw.fileno(), 0o644)  # a bundle is no secret of this user: it travels on sticks
            os.fsync(raw.fileno())
        sha, total = file_sha256(Path(tmp_name))
        os.replace(tmp_name, target)
        fsync_dir(folder)
    except BaseException:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
        raise
    return WrittenBundle(path=target, sha256=sha, size=total, manifest=final)


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
