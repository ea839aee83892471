"""Test helpers for received photos (Shared with us, the case page's linked records): a picture of the goods as an
officer attaches it, and whether a thumbnail shows that picture read."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QColor, QImage


def goods_photo(folder: Path) -> Path:
    """A real 640×480 picture of 'the goods' (a PNG the reader decodes), as an officer would attach."""
    image = QImage(640, 480, QImage.Format.Format_RGB32)
    image.fill(QColor("#3a6ea5"))
    path = folder / "goods.png"
    assert image.save(str(path))
    return path


def thumbnail_read(photos) -> bool:
    """The first item shows the picture scaled to a thumbnail (160×120 for 640×480), not the placeholder icon."""
    return photos.list.count() > 0 and any(
        (size.width(), size.height()) == (160, 120) for size in photos.list.item(0).icon().availableSizes())
