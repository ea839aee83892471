"""Attach photos and scans: checked by content and size, stored once by SHA-256 beside the database."""

from __future__ import annotations

from pathlib import Path

from blo_desk.domain.entities import Attachment
from blo_desk.domain.errors import AttachmentError
from blo_desk.domain.media import check_attachment
from blo_desk.i18n import N_
from blo_desk.storage.blobs import BlobStore


class AttachmentService:
    def __init__(self, *, blobs: BlobStore) -> None:
        self._blobs = blobs

    def add_file(self, *, path: Path, caption: str = "") -> Attachment:
        """Check the file, copy it into the store, and return the Attachment to put on a case."""
        source = Path(path)
        try:
            size = source.stat().st_size
            with source.open("rb") as fh:
                head = fh.read(64)
        except OSError as exc:
            raise AttachmentError(N_("The file {filename} cannot be read: {reason}"), filename=source.name,
                                  reason=exc.strerror or str(exc)) from exc
        media_type = check_attachment(filename=source.name, size=size, head=head)
        sha, stored_size = self._blobs.put_file(source)
        return Attachment(sha256=sha, filename=source.name, media_type=media_type, size=stored_size, caption=caption)

    def path_of(self, *, sha256: str) -> Path:
        return self._blobs.path_for(sha256)
