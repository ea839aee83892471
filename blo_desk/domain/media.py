"""Which files may be attached: photos and scans recognised by their first bytes, within a size limit."""

from __future__ import annotations

from blo_desk.domain.errors import AttachmentError
from blo_desk.i18n import N_

MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024

_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"BM", "image/bmp"),
    (b"%PDF-", "application/pdf"),
)


def sniff_media_type(head: bytes) -> str | None:
    """The media type of a photo or scan from its first bytes, or None if it is not one."""
    for signature, media_type in _SIGNATURES:
        if head.startswith(signature):
            return media_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1"):
        return "image/heic"
    return None


def check_attachment(*, filename: str, size: int, head: bytes) -> str:
    """Return the media type, or raise AttachmentError with a message the officer understands."""
    if size == 0:
        raise AttachmentError(N_("The file {filename} is empty."), filename=filename)
    if size > MAX_ATTACHMENT_BYTES:
        raise AttachmentError(
            N_("The file {filename} is too large ({size_mb} MB); the limit is {limit_mb} MB."),
            filename=filename,
            size_mb=round(size / 1024 / 1024),
            limit_mb=MAX_ATTACHMENT_BYTES // 1024 // 1024,
        )
    media_type = sniff_media_type(head)
    if media_type is None:
        raise AttachmentError(
            N_("The file {filename} is not a photo or a scan (JPEG, PNG, TIFF, WebP, HEIC or PDF)."),
            filename=filename,
        )
    return media_type
