"""Attach photos and scans: checked by content and size, stored once by SHA-256 beside the database."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

from blo_desk.domain.entities import Attachment
from blo_desk.domain.errors import AttachmentError
from blo_desk.domain.media import check_attachment
from blo_desk.domain.permissions import Action
from blo_desk.i18n import N_
from blo_desk.reports.thumbnails import thumbnail_jpeg
from blo_desk.services.audit import Guard
from blo_desk.storage.blobs import BlobStore, DerivedStore


class AttachmentService:
    """Photos of cases: adding one needs CASE_EDIT_DRAFT, reading one CASE_READ (checked by `guard`)."""

    def __init__(self, *, blobs: BlobStore, guard: Guard, thumbnails: DerivedStore | None = None) -> None:
        self._blobs = blobs
        self._guard = guard
        self._thumbnails = thumbnails  # the printed annex's thumbnails, made as a photo is attached
        self._plain_dir: Path | None = None

    def add_file(self, *, path: Path, caption: str = "") -> Attachment:
        """Check the file, copy it into the store, and return the Attachment to put on a case."""
        source = Path(path)
        self._guard.require(Action.CASE_EDIT_DRAFT, target=f"attachment:{source.name}")
        try:
            size = source.stat().st_size
            with source.open("rb") as fh:
                head = fh.read(64)
        except OSError as exc:
            raise AttachmentError(N_("The file {filename} cannot be read: {reason}"), filename=source.name,
                                  reason=exc.strerror or str(exc)) from exc
        media_type = check_attachment(filename=source.name, size=size, head=head)
        sha, stored_size = self._blobs.put_file(source)
        self._keep_thumbnail(sha, media_type)
        return Attachment(sha256=sha, filename=source.name, media_type=media_type, size=stored_size, caption=caption)

    def _keep_thumbnail(self, sha256: str, media_type: str) -> None:
        """Make the photo's thumbnail for the protocol's annex now, so no print has to decode the photo; a failure
        only means the first print makes it."""
        if self._thumbnails is None or not media_type.startswith("image/") or self._thumbnails.get(sha256):
            return
        try:
            made = thumbnail_jpeg(self._blobs.read_bytes(sha256))
            if made is not None:
                self._thumbnails.put(sha256, made)
        except (OSError, ValueError):
            pass

    def read_bytes(self, *, sha256: str) -> bytes:
        """The photo's plain bytes (decrypted on an encrypted store): prefer this to path_of."""
        self._guard.require(Action.CASE_READ, target=f"attachment:{sha256}")
        return self._blobs.read_bytes(sha256)

    def path_of(self, *, sha256: str) -> Path:
        """A file with the plain photo. On an encrypted store this is a decrypted copy in a private temporary
        folder (deleted at exit): prefer read_bytes, which leaves nothing on disk."""
        self._guard.require(Action.CASE_READ, target=f"attachment:{sha256}")
        if not self._blobs.encrypted:
            return self._blobs.path_for(sha256)
        if self._plain_dir is None:
            self._plain_dir = Path(tempfile.mkdtemp(prefix="blo-desk-view-"))
            atexit.register(shutil.rmtree, self._plain_dir, True)
        target = self._plain_dir / sha256
        if not target.exists():
            self._blobs.export_to(sha256, target)
        return target
