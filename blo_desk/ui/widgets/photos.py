"""Photos of a case: add from a file or by drag and drop, a caption each, thumbnails loaded off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImage, QImageReader, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from blo_desk.domain.entities import Attachment
from blo_desk.domain.errors import DomainError
from blo_desk.i18n import N_, _
from blo_desk.ui.dialogs.common import PhotoDialog
from blo_desk.ui.file_dialogs import choose_open_files
from blo_desk.ui.tasks import TaskRunner

THUMB = QSize(160, 120)
FILE_FILTER = N_("Photos and scans (*.jpg *.jpeg *.png *.gif *.tif *.tiff *.bmp *.webp *.heic *.pdf);;All files (*)")
AttachmentRole = Qt.ItemDataRole.UserRole


def load_scaled(data: bytes, size: QSize | None) -> QImage:
    """Decode an image from its bytes, scaled down while reading when `size` is given (nothing touches the disk)."""
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    reader.setAutoTransform(True)
    if size is not None and reader.size().isValid():
        reader.setScaledSize(reader.size().scaled(size, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    buffer.close()
    if image.isNull():  # a format QImageReader could not sniff from the buffer: let QImage try once more
        image = QImage.fromData(data)
        if not image.isNull() and size is not None:
            image = image.scaled(size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
    return image


class _ThumbnailStrip(QListWidget):
    """Enter opens the current photo (itemActivated) and stops there: Qt's item views pass it on to the window,
    whose default button it would press as well (in Shared with us: Ask the sender… behind the photo)."""

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().keyPressEvent(event)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentItem() is not None:
            event.accept()


def thumbnail_list(name: str) -> QListWidget:
    """A strip of photo thumbnails, one selectable at a time (a case's photos, a shared record's)."""
    strip = _ThumbnailStrip()
    strip.setObjectName(name)
    strip.setViewMode(QListWidget.ViewMode.IconMode)
    strip.setIconSize(THUMB)
    strip.setGridSize(QSize(THUMB.width() + 24, THUMB.height() + 40))
    strip.setResizeMode(QListWidget.ResizeMode.Adjust)
    strip.setMovement(QListWidget.Movement.Static)
    strip.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    strip.setWordWrap(True)
    return strip


def full_view(parent: QWidget, data: bytes, title: str) -> PhotoDialog | None:
    """The photo at full size in our own dialog, built from the bytes on the GUI thread (no decrypted copy is
    written anywhere); None when the bytes are not an image."""
    image = load_scaled(data, None)
    if image.isNull():
        return None
    dialog = PhotoDialog(parent, pixmap=QPixmap.fromImage(image), title=title)
    dialog.open()
    return dialog


def reason_of(exc: BaseException) -> str:
    """The text to show for a failure: the translated message of a domain error, else the exception's text."""
    return exc.translated() if isinstance(exc, DomainError) else str(exc)


class PhotosPanel(QWidget):
    """The photo strip of the case editor."""

    changed = Signal()

    def __init__(self, runner: TaskRunner, parent=None) -> None:
        super().__init__(parent)
        self._runner = runner
        self.add_file: Callable[[Path], Attachment] | None = None  # set when the store is open
        self.read_bytes: Callable[[str], bytes] | None = None  # plain photo bytes; called on a worker thread
        self.attachments: list[Attachment] = []
        self._read_only = False
        self._pending = 0
        self._error: tuple[str, dict] | DomainError | None = None
        self.setAcceptDrops(True)

        self.list = thumbnail_list("photoList")
        self.list.itemActivated.connect(lambda _item: self.open_current())
        self.list.itemSelectionChanged.connect(self._refresh_enabled)
        self.list.currentRowChanged.connect(self._show_caption)

        # What the photo shows, as the protocol's annex lists it ("Packages under the floor covering").
        self.caption_label = QLabel()
        self.caption = QLineEdit()
        self.caption.setObjectName("photoCaption")
        self.caption.setMaxLength(500)
        self.caption_label.setBuddy(self.caption)
        self.caption.textEdited.connect(self._caption_edited)

        self.add_button = QPushButton()
        self.add_button.setObjectName("photosAdd")
        self.add_button.clicked.connect(self.choose_files)
        self.remove_button = QPushButton()
        self.remove_button.setObjectName("photosRemove")
        self.remove_button.clicked.connect(self.remove_current)
        self.open_button = QPushButton()
        self.open_button.setObjectName("photosOpen")
        self.open_button.clicked.connect(self.open_current)
        shortcut = QShortcut(QKeySequence("Alt+Del"), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.remove_current)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.open_button):
            buttons.addWidget(button)
        buttons.addStretch(1)

        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.error_label = QLabel()
        self.error_label.setObjectName("photoError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.hint)
        layout.addWidget(self.list, 1)
        caption_row = QHBoxLayout()
        caption_row.addWidget(self.caption_label)
        caption_row.addWidget(self.caption, 1)
        layout.addLayout(caption_row)
        layout.addWidget(self.error_label)
        self.retranslate()
        self._refresh_enabled()

    # --- content --------------------------------------------------------------------------------------
    def set_attachments(self, attachments: list[Attachment] | tuple[Attachment, ...]) -> None:
        self.attachments = list(attachments)
        self.list.clear()
        self.set_error(None)
        for attachment in self.attachments:
            self._add_item(attachment)
        self._refresh_enabled()

    def _add_item(self, attachment: Attachment) -> None:
        item = QListWidgetItem(attachment.caption or attachment.filename)
        item.setData(AttachmentRole, attachment)
        item.setToolTip(attachment.filename)
        item.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon))
        self.list.addItem(item)
        if attachment.media_type.startswith("image/") and self.read_bytes is not None:
            read_bytes, sha256 = self.read_bytes, attachment.sha256
            # the blob is read (and decrypted) on a worker; the image is built from the bytes on the GUI thread
            self._runner.run(lambda: read_bytes(sha256), on_done=partial(self._thumb, item),
                             on_error=partial(self._thumb_failed, item))

    def _thumb(self, item: QListWidgetItem, data: bytes) -> None:
        if self.list.row(item) < 0:
            return
        image = load_scaled(data, THUMB)
        if image.isNull():
            self._thumb_failed(item, None)
            return
        item.setIcon(QIcon(QPixmap.fromImage(image)))

    def _thumb_failed(self, item: QListWidgetItem, exc: BaseException | None) -> None:
        """A missing or damaged photo: a placeholder icon and a message; the case itself still opens."""
        if self.list.row(item) < 0:
            return
        attachment: Attachment = item.data(AttachmentRole)
        item.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning))
        reason = attachment.filename if exc is None else f"{attachment.filename}: {reason_of(exc)}"
        self.set_error((N_("The photo cannot be shown: {reason}"), {"reason": reason}))

    # --- adding -----------------------------------------------------------------------------------------
    def choose_files(self) -> None:
        if self._read_only:
            return
        paths = choose_open_files(self, purpose="photos", title=_("Add photos"), filters=_(FILE_FILTER).split(";;"))
        self.add_paths([Path(p) for p in paths])

    def add_paths(self, paths: list[Path]) -> None:
        """Check and store each file off the GUI thread; a refused file gets a message under the photos."""
        if self._read_only or self.add_file is None:
            return
        self.set_error(None)
        add_file = self.add_file
        for path in paths:
            self._pending += 1
            self._runner.run(lambda p=path: add_file(p), on_done=self._added, on_error=self._refused)

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def _added(self, attachment: Attachment) -> None:
        self._pending -= 1
        if any(a.sha256 == attachment.sha256 for a in self.attachments):
            return
        self.attachments.append(attachment)
        self._add_item(attachment)
        self._refresh_enabled()
        self.changed.emit()

    def _refused(self, exc: BaseException) -> None:
        self._pending -= 1
        if isinstance(exc, DomainError):
            self.set_error(exc)
        else:
            self.set_error((N_("The file cannot be attached: {reason}"), {"reason": reason_of(exc)}))

    def set_error(self, error) -> None:
        self._error = error
        self._show_error()

    def _show_error(self) -> None:
        error = self._error
        if error is None:
            text = ""
        elif isinstance(error, DomainError):
            text = error.translated()
        else:
            text = _(error[0]).format(**error[1])
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))

    def _show_caption(self, row: int) -> None:
        self.caption.setText(self.attachments[row].caption if 0 <= row < len(self.attachments) else "")

    def _caption_edited(self, text: str) -> None:
        row = self.list.currentRow()
        if self._read_only or not 0 <= row < len(self.attachments):
            return
        self.attachments[row] = replace(self.attachments[row], caption=text)
        item = self.list.item(row)
        item.setText(text or self.attachments[row].filename)
        item.setData(AttachmentRole, self.attachments[row])
        self.changed.emit()

    def remove_current(self) -> None:
        row = self.list.currentRow()
        if self._read_only or row < 0:
            return
        self.list.takeItem(row)
        del self.attachments[row]
        self._refresh_enabled()
        self.changed.emit()

    def open_current(self) -> None:
        item = self.list.currentItem()
        if item is None or self.read_bytes is None:
            return
        attachment: Attachment = item.data(AttachmentRole)
        if not attachment.media_type.startswith("image/"):
            return
        read_bytes, sha256 = self.read_bytes, attachment.sha256
        self._runner.run(lambda: read_bytes(sha256),
                         on_done=lambda data: self._show_full(data, attachment.filename),
                         on_error=lambda exc: self.set_error((N_("The photo cannot be shown: {reason}"),
                                                              {"reason": reason_of(exc)})))

    def _show_full(self, data: bytes, title: str) -> None:
        if full_view(self, data, title) is None:
            self.set_error((N_("The photo cannot be shown: {reason}"), {"reason": title}))

    # --- drag and drop ------------------------------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt API
        if not self._read_only and event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:  # noqa: N802 - Qt API
        self.dragEnterEvent(event)

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt API
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths and not self._read_only:
            event.acceptProposedAction()
            self.add_paths(paths)
        else:
            event.ignore()

    # --- state ---------------------------------------------------------------------------------------------
    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self._refresh_enabled()

    def _refresh_enabled(self) -> None:
        has = self.list.currentRow() >= 0
        self.add_button.setEnabled(not self._read_only)
        self.remove_button.setEnabled(not self._read_only and has)
        self.open_button.setEnabled(has)
        self.caption.setEnabled(has)
        self.caption.setReadOnly(self._read_only)

    def retranslate(self) -> None:
        self.add_button.setText(_("Add photo…"))
        self.remove_button.setText(_("Remove photo"))
        self.open_button.setText(_("Open full size"))
        self.caption_label.setText(_("&Caption:"))
        self.caption.setPlaceholderText(_("What the photo shows, e.g. packages under the floor covering"))
        self.hint.setText(_("Drop photos here or use Add photo. JPEG, PNG, TIFF, WebP, HEIC or PDF, up to 50 MB each."))
        self._show_error()
