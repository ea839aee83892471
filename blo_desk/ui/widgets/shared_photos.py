"""The photos of a record shared with this post: thumbnails read on worker tasks, the full size on Enter or a
double-click; read-only (the sender's photos are not this post's to change). Shown in Shared with us and on the
case page under a linked shared record."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QLabel, QListWidgetItem, QStyle, QVBoxLayout, QWidget

from blo_desk.i18n import _
from blo_desk.ui.tasks import OwnTasks, Task, TaskRunner
from blo_desk.ui.widgets.photos import THUMB, full_view, load_scaled, reason_of, thumbnail_list

if TYPE_CHECKING:
    from blo_desk.domain.sharing import SharedRecord
    from blo_desk.ports import SharingPort

ShaRole = Qt.ItemDataRole.UserRole
CaptionRole = Qt.ItemDataRole.UserRole + 1  # the caption the content gives, or the photo's number


class SharedPhotos(QWidget):
    """The chosen shared record's photos as thumbnails, with their captions when the content has them."""

    def __init__(self, *, runner: TaskRunner, sharing: SharingPort | None, alt_letter: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.alt_letter = alt_letter  # the title's Alt letter (none on the case page, whose letters are the form's)
        self.runner = runner
        self.sharing = sharing  # None (no channel, or not yet known): no photo is shown
        self.record_id: str | None = None
        self.viewer: QWidget | None = None  # the full-size view last opened
        self._tasks = OwnTasks(self)  # cancelled when another record is chosen or the window goes
        self.title = QLabel()
        self.list = thumbnail_list("sharedPhotos")
        self.title.setBuddy(self.list)
        self.list.itemActivated.connect(self._activated)  # Enter, or a double-click
        self.error = QLabel()
        self.error.setObjectName("sharedPhotoError")
        self.error.setWordWrap(True)
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.error)
        self.retranslate()
        self.show_record(None)

    def show_record(self, record: SharedRecord | None) -> None:
        """The record's photos (none: the strip is empty and hidden); each thumbnail read on a worker."""
        self._tasks.cancel()
        self.list.clear()
        self.error.hide()
        self.record_id = record.id if record is not None else None
        photos: list[Mapping[str, Any]] = [] if record is None or self.sharing is None else [
            p for p in record.content.get("photos", []) if isinstance(p, Mapping) and isinstance(p.get("sha256"), str)]
        placeholder = self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
        for n, photo in enumerate(photos, start=1):
            item = QListWidgetItem(placeholder, "")
            item.setData(ShaRole, photo["sha256"])
            item.setData(CaptionRole, str(photo.get("caption") or photo.get("name") or "") or n)
            self.list.addItem(item)
            self._tasks.track(self.runner.run(self._reader(self.record_id or "", photo["sha256"]), on_done=partial(self._thumb, item),
                                               on_error=self._failed))
        self._label_items()
        self.setVisible(bool(photos))

    def _reader(self, record_id: str, sha256: str) -> Callable[[], bytes]:
        sharing = self.sharing
        if sharing is None:
            raise RuntimeError("no sharing channel")  # show_record lists no photo without one
        return lambda: sharing.shared_photo(record_id=record_id, sha256=sha256)

    def _thumb(self, item: QListWidgetItem, data: bytes) -> None:
        image = load_scaled(data, THUMB)
        if image.isNull():
            item.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning))
            return
        item.setIcon(QIcon(QPixmap.fromImage(image)))

    def _failed(self, exc: BaseException) -> None:
        self.error.setText(_("The photo cannot be shown: {reason}").format(reason=reason_of(exc)))
        self.error.show()

    def _activated(self, item: QListWidgetItem) -> None:
        self.open_current()

    def open_current(self) -> Task | None:
        """The current photo at full size, read on a worker and shown in our own dialog."""
        item = self.list.currentItem()
        if item is None or self.record_id is None:
            return None
        task = self.runner.run(self._reader(self.record_id, item.data(ShaRole)), on_done=partial(self._show_full, item.text()),
                               on_error=self._failed)
        self._tasks.track(task)
        return task

    def _show_full(self, title: str, data: bytes) -> None:
        self.viewer = full_view(self, data, title)
        if self.viewer is None:
            self._failed(ValueError(title))

    def _label_items(self) -> None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            caption = item.data(CaptionRole)
            item.setText(caption if isinstance(caption, str) else _("Photo {number}").format(number=caption))

    def retranslate(self) -> None:
        title = _("&Photos")
        self.title.setText(title if self.alt_letter else title.replace("&", ""))
        self.list.setToolTip(_("Enter or a double-click opens the photo at full size"))
        self._label_items()
