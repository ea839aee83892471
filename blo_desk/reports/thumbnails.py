"""Photo thumbnails for the protocol's annex (Pillow only: the desk makes them without importing reportlab)."""

from __future__ import annotations

import io

THUMBNAIL_SIZE = 38 * 72 / 25.4  # the photo annex's thumbnails, in a square of 38 mm (in points)
THUMBNAIL_DPI = 150


def thumbnail_jpeg(content: bytes, *, size: float = THUMBNAIL_SIZE, dpi: int = THUMBNAIL_DPI) -> bytes | None:
    """A photo scaled to fit a `size` square at `dpi`, turned upright, as a small JPEG; decoded at a reduced scale
    where the format allows (JPEG). None when the bytes are not an image Pillow reads."""
    from PIL import Image as Picture
    from PIL import ImageOps

    pixels = max(16, int(size / 72 * dpi))
    try:
        with Picture.open(io.BytesIO(content)) as opened:
            opened.draft("RGB", (pixels, pixels))
            picture = ImageOps.exif_transpose(opened) or opened
            picture.thumbnail((pixels, pixels))
            small = io.BytesIO()
            picture.convert("RGB").save(small, "JPEG", quality=80)
    except (OSError, ValueError, SyntaxError, Picture.DecompressionBombError):
        return None
    return small.getvalue()
