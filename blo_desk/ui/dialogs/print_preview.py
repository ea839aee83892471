"""Print preview of a protocol or a period report: the pages rendered by PDFium on a worker, printed through Qt's print
dialog one page at a time, or saved as the very PDF the printing service built."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QEvent, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPainter, QPalette, QPixmap
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from blo_desk.domain.errors import DomainError
from blo_desk.i18n import (
    _,
    add_language_listener,
    ngettext,
    remove_language_listener,
)
from blo_desk.ports import PagePicture
from blo_desk.ui.dialogs.common import translate_buttons
from blo_desk.ui.file_dialogs import choose_save_file
from blo_desk.ui.print_language import PRINT_LANGUAGES, language_combo
from blo_desk.ui.screen_fit import fit_to_screen
from blo_desk.ui.tasks import OwnTasks, Task, TaskRunner
from blo_desk.ui.widgets.whole_text import ResultNote

PRINT_MAX_DPI = 300.0  # an A4 page at 300 dpi is 35 MB of pixels; printers get no sharper text from more
PAGE_GAP = 12


def safe_file_name(text: str) -> str:
    return re.sub(r"[^\w.\-]+", "-", text, flags=re.UNICODE).strip("-") or "document"


class PageSource(Protocol):
    """Where the pages' pictures come from (services.printing.PrintingService; called on workers)."""

    def page_sizes(self, *, pdf: bytes) -> list[tuple[float, float]]: ...

    def render_page(self, *, pdf: bytes, index: int, dpi: float) -> PagePicture: ...


class _Raster:
    """PDFium in this process (a preview made without the printing service)."""

    def page_sizes(self, *, pdf: bytes) -> list[tuple[float, float]]:
        from blo_desk.reports import raster

        return raster.page_sizes(pdf)

    def render_page(self, *, pdf: bytes, index: int, dpi: float) -> PagePicture:
        from blo_desk.reports import raster

        return raster.render_page(pdf, index, dpi=dpi)


def to_qimage(page) -> QImage:
    """A reports.raster.PageImage as a QImage that owns its pixels (worker thread: QImage is not a widget)."""
    image = QImage(page.data, page.width, page.height, page.stride, QImage.Format.Format_RGBX8888)
    image = image.convertToFormat(QImage.Format.Format_RGB32)  # a copy that owns its pixels, in the screen's format
    dots_per_metre = round(page.dpi / 0.0254)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    return image


def _error_text(exc: BaseException) -> str:
    if isinstance(exc, DomainError):
        return exc.translated()
    return _("Something went wrong: {reason}").format(reason=str(exc))


class _PageLabel(QLabel):
    """One page on screen: its picture pixel for pixel, or (while a picture of the new size is rendered) the old
    one stretched quickly, never smoothed on the GUI thread."""

    def __init__(self) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setStyleSheet("background: white; border: 1px solid #888;")

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        pixmap = self.pixmap()
        if pixmap.isNull() or pixmap.deviceIndependentSize().toSize() == self.size():
            super().paintEvent(event)
            return
        painter = QPainter(self)
        painter.fillRect(self.rect(), Qt.GlobalColor.white)
        painter.drawPixmap(self.rect(), pixmap)
        painter.end()


class _PrintJob:
    """One print run: the printer, its painter, the pages still to send."""

    def __init__(self, printer: QPrinter, painter: QPainter, pages: list[int], dpi: float) -> None:
        self.printer = printer
        self.painter = painter
        self.pages = pages
        self.dpi = dpi
        self.sent = 0


class PrintPreviewDialog(QDialog):
    """Pages on screen (fit width or 100 %), page X of Y, a print language, and Print… / Save as PDF… / Close.

    `build(language)` runs on a worker and returns the PDF bytes; rendering runs there too. The GUI thread only
    turns QImages into QPixmaps and paints.
    """

    rendered = Signal()  # the pages of the current language are on screen
    printed = Signal(int)  # how many pages went to the printer
    saved = Signal(str)  # the PDF was written to this path

    def __init__(self, parent, *, runner: TaskRunner, build: Callable[[str], bytes], language: str,
                 languages: Sequence[str] = PRINT_LANGUAGES, title: Callable[[], str], file_name: str,
                 on_language: Callable[[str], None] | None = None, note: Callable[[], str] | None = None,
                 pages: PageSource | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("printPreview")
        self.runner = runner
        self.build = build
        self.pages: PageSource = pages or _Raster()  # the desk passes its printing service (PDFium in its child)
        self.languages = tuple(languages)
        self.language = language if language in self.languages else self.languages[0]
        self.title = title
        self.note = note
        self.file_name = file_name
        self.on_language = on_language
        self.pdf: bytes | None = None
        self.pdf_language: str | None = None
        self.images: list[QImage | None] = []  # each page's picture at its on-screen size, as rendered
        self._dpis: list[float] = []  # the resolution each of them was rendered at (0: to render)
        self._announce = False  # the pages being rendered are a new PDF's: `rendered` is emitted once all are there
        self.page_sizes: list[tuple[float, float]] = []
        self.page_labels: list[_PageLabel] = []
        self.render_count = 0
        self.current_page = 0
        self.zoom = "fit"
        self.task: Task | None = None
        self._tasks = OwnTasks(self)  # this window's work still running: cancelled when the window goes
        self.print_job: _PrintJob | None = None
        self.printer: QPrinter | None = None
        self.print_dialog: QPrintDialog | None = None
        self.last_error: BaseException | None = None
        self.saved_path: Path | None = None
        self.printed_pages: int | None = None

        self.language_label = QLabel()
        self.language_combo = language_combo(self.languages, self.language)
        self.language_combo.setObjectName("previewLanguage")
        self.language_combo.currentIndexChanged.connect(self._language_chosen)
        self.language_label.setBuddy(self.language_combo)
        self.fit_button = QPushButton()
        self.fit_button.setObjectName("previewFitWidth")
        self.actual_button = QPushButton()
        self.actual_button.setObjectName("previewActualSize")
        self.zoom_group = QButtonGroup(self)
        for button, zoom in ((self.fit_button, "fit"), (self.actual_button, "100")):
            button.setCheckable(True)
            self.zoom_group.addButton(button)
            button.clicked.connect(lambda _checked=False, z=zoom: self.set_zoom(z))
        self.fit_button.setChecked(True)
        self.previous_button = QPushButton("◀")
        self.previous_button.setObjectName("previewPrevious")
        self.previous_button.clicked.connect(lambda: self.go_to_page(self.current_page - 1))
        self.next_button = QPushButton("▶")
        self.next_button.setObjectName("previewNext")
        self.next_button.clicked.connect(lambda: self.go_to_page(self.current_page + 1))
        for button in (self.previous_button, self.next_button):
            button.setFixedWidth(36)
        self.page_label = QLabel()
        self.page_label.setObjectName("previewPageOf")
        self.page_label.setMinimumWidth(120)
        self.page_label.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.pages_widget = QWidget()
        self.pages_widget.setObjectName("previewPages")
        self.pages_layout = QVBoxLayout(self.pages_widget)
        self.pages_layout.setSpacing(PAGE_GAP)
        self.pages_layout.setContentsMargins(PAGE_GAP, PAGE_GAP, PAGE_GAP, PAGE_GAP)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.scroll_area = QScrollArea()
        self.scroll_area.setObjectName("previewScroll")
        self.scroll_area.setWidget(self.pages_widget)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.scroll_area.setBackgroundRole(QPalette.ColorRole.Dark)
        self.scroll_area.viewport().installEventFilter(self)
        self.scroll_area.verticalScrollBar().valueChanged.connect(self._scrolled)
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(60)
        self._refit.timeout.connect(self._apply_zoom)

        self.progress = QProgressBar()
        self.progress.setObjectName("previewProgress")
        self.progress.setRange(0, 1)
        self.progress.setMaximumWidth(260)
        self.status = ResultNote("previewStatus")
        self.buttons = QDialogButtonBox()
        self.print_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button.setObjectName("previewPrint")
        self.print_button.clicked.connect(self.choose_printer)
        self.save_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button.setObjectName("previewSave")
        self.save_button.clicked.connect(self.choose_file)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.setObjectName("previewClose")
        self.buttons.rejected.connect(self.reject)

        top = QHBoxLayout()
        top.addWidget(self.language_label)
        top.addWidget(self.language_combo)
        top.addSpacing(18)
        top.addWidget(self.fit_button)
        top.addWidget(self.actual_button)
        top.addStretch(1)
        top.addWidget(self.previous_button)
        top.addWidget(self.page_label)
        top.addWidget(self.next_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.progress)
        bottom.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.scroll_area, 1)
        layout.addLayout(bottom)
        layout.addWidget(self.buttons)
        # 900 x 1000, but never taller or wider than the screen: a 1366x768 laptop must still see Print, Save as PDF
        # and Close at the bottom
        fit_to_screen(self, 900, 1000)
        self._set_busy(False)
        add_language_listener(self._ui_language_changed)
        self.destroyed.connect(lambda *_a, cb=self._ui_language_changed: remove_language_listener(cb))
        self.retranslate()

    # --- language --------------------------------------------------------------------------------------------
    def _ui_language_changed(self, _language: str) -> None:
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.title())
        self.language_label.setText(_("Print &language:"))
        self.fit_button.setText(_("Fit width"))
        self.actual_button.setText(_("100 %"))
        self.previous_button.setToolTip(_("Previous page"))
        self.next_button.setToolTip(_("Next page"))
        self.print_button.setText(_("&Print…"))
        self.save_button.setText(_("Save as &PDF…"))
        translate_buttons(self.buttons)
        self._show_page_number()
        if self.task is None and self.print_job is None and self.last_error is None:
            self.status.setText(self.note() if self.note is not None else "")

    def _language_chosen(self, _index: int) -> None:
        code = self.language_combo.currentData()
        if not code or code == self.language:
            return
        self.language = code
        if self.on_language is not None:
            self.on_language(code)
        self.start_render()

    def set_language(self, code: str) -> None:
        """Choose a print language as the combo does (re-renders)."""
        self.language_combo.setCurrentIndex(self.language_combo.findData(code))

    # --- rendering -----------------------------------------------------------------------------------------------
    def start_render(self) -> None:
        """Build the PDF in the chosen language on a worker, then render its pages there one by one, the first page
        first, each at the size it takes on screen; the old pages stay until the new ones replace them."""
        if self.task is not None:
            self.task.cancel()
        build, language = self.build, self.language

        pages = self.pages

        def work(progress):
            progress.report(0, 0, "")
            pdf = build(language)
            progress.check()
            return language, pdf, pages.page_sizes(pdf=pdf)

        self.last_error = None
        self.status.setText(_("Preparing the pages…"))
        self._set_busy(True)
        self._track(self.runner.run(work, with_progress=True, on_done=self._built, on_error=self._failed,
                                    on_progress=self._progressed))

    def _track(self, task: Task) -> None:
        self.task = task
        self._tasks.track(task)
        task.ended.connect(self._task_ended)  # a bound slot: Qt drops the connection when this window goes

    def _task_ended(self) -> None:
        task = self.sender()
        if task is not None and self.task is task:
            self.task = None
            self._set_busy(self.print_job is not None)

    def _progressed(self, done: int, total: int, _text: str) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
            self.status.setText(_("Rendering page {page} of {pages}…").format(page=done, pages=total))
        else:
            self.progress.setRange(0, 0)

    def _built(self, result) -> None:
        """The PDF is there: one frame per page at its final size (the old pictures stretched until replaced)."""
        language, pdf, sizes = result
        self.pdf, self.pdf_language = pdf, language
        self.page_sizes = sizes
        self.images = self.images[:len(sizes)] + [None] * (len(sizes) - len(self.images))
        self._dpis = [0.0] * len(sizes)  # every page rendered anew from this PDF
        self._announce = True
        while len(self.page_labels) > len(sizes):
            label = self.page_labels.pop()
            self.pages_layout.removeWidget(label)
            label.deleteLater()
        while len(self.page_labels) < len(sizes):
            label = _PageLabel()
            label.setObjectName(f"previewPage{len(self.page_labels) + 1}")
            self.pages_layout.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
            label.show()  # a child added to a visible widget is shown only at the next event loop turn otherwise
            self.page_labels.append(label)
        self.current_page = min(self.current_page, max(0, len(sizes) - 1))
        self._place_pages()
        self._render_from(0)

    def _render_from(self, number: int) -> None:
        """Render page `number` on a worker at its on-screen size; each page done starts the next one."""
        while number < len(self.page_sizes) and abs(self._dpis[number] - self._page_dpi(number)) < 0.01:
            number += 1  # already on screen at this size
        if self.pdf is None or number >= len(self.page_sizes):
            self._all_rendered()
            return
        pdf, dpi, pages = self.pdf, self._page_dpi(number), self.pages
        self._progressed(number + 1, len(self.page_sizes), "")

        def work():
            return to_qimage(pages.render_page(pdf=pdf, index=number, dpi=dpi))

        self._track(self.runner.run(work, on_done=lambda image: self._page_rendered(number, pdf, dpi, image),
                                    on_error=self._failed))
        self._set_busy(True)

    def _page_rendered(self, number: int, pdf: bytes, dpi: float, image: QImage) -> None:
        if pdf is not self.pdf or number >= len(self.page_labels):
            return
        self.images[number] = image
        self._dpis[number] = dpi
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(self.devicePixelRatioF())
        self.page_labels[number].setPixmap(pixmap)
        self.task = None  # the next page's task follows at once (the busy state does not flicker)
        self._render_from(number + 1)

    def _all_rendered(self) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.status.setText(self.note() if self.note is not None else "")
        self._show_page_number()
        self._set_busy(self.print_job is not None)
        if self._announce:  # a new PDF's pages (not the same pages at another zoom)
            self._announce = False
            self.render_count += 1
            self.rendered.emit()

    def _failed(self, exc: BaseException) -> None:
        self.last_error = exc
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.status.setText(_error_text(exc))

    def _set_busy(self, busy: bool) -> None:
        # the PDF can be saved and printed as soon as it is built (printing renders its own pages)
        ready = self.pdf is not None and self.pdf_language == self.language and self.print_job is None
        self.print_button.setEnabled(ready)
        self.save_button.setEnabled(ready)
        busy = busy or self.task is not None
        self.progress.setVisible(busy)
        if not busy:
            self.progress.setRange(0, 1)

    # --- zoom and pages ---------------------------------------------------------------------------------------------
    def set_zoom(self, zoom: str) -> None:
        """"fit" (the page as wide as the window) or "100" (the page at its size on paper)."""
        self.zoom = zoom
        (self.fit_button if zoom == "fit" else self.actual_button).setChecked(True)
        self._apply_zoom()

    def page_width_px(self, number: int) -> int:
        """The on-screen width of a page at the current zoom, in device-independent pixels."""
        if self.zoom == "fit":
            bar = self.scroll_area.verticalScrollBar().sizeHint().width()
            return max(100, self.scroll_area.viewport().width() - 2 * PAGE_GAP - (0 if self.scroll_area.verticalScrollBar().isVisible() else bar))
        width_pt = self.page_sizes[number][0] if number < len(self.page_sizes) else 595.0
        return max(100, round(width_pt / 72.0 * self.logicalDpiX()))

    def _page_size_px(self, number: int) -> QSize:
        width_pt, height_pt = self.page_sizes[number]
        width = self.page_width_px(number)
        return QSize(width, max(1, round(width * height_pt / width_pt)))

    def _page_dpi(self, number: int) -> float:
        """The resolution at which page `number` fills its frame pixel for pixel (device pixels)."""
        width_pt = self.page_sizes[number][0]
        return self.page_width_px(number) * self.devicePixelRatioF() * 72.0 / width_pt

    def _place_pages(self) -> None:
        """Each frame at its page's size for the current zoom (a picture of another size is stretched till the next
        one comes)."""
        for number, label in enumerate(self.page_labels):
            label.setFixedSize(self._page_size_px(number))
        self.pages_layout.activate()  # place the pages now, not at the next event loop turn (no overlap on a grab)
        self._show_page_number()

    def _apply_zoom(self) -> None:
        """The frames at the new zoom at once, the pages rendered again for it on a worker."""
        if not self.page_sizes:
            return
        self._place_pages()
        if self.pdf is not None and self.pdf_language == self.language:
            if self.task is not None:
                self.task.cancel()
            self.task = None
            self._render_from(0)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
        if watched is self.scroll_area.viewport() and event.type() == QEvent.Type.Resize and self.zoom == "fit":
            self._refit.start()
        return super().eventFilter(watched, event)

    def _scrolled(self, value: int) -> None:
        if not self.page_labels:
            return
        middle = value + self.scroll_area.viewport().height() // 3
        current = 0
        for number, label in enumerate(self.page_labels):
            if label.y() <= middle:
                current = number
        if current != self.current_page:
            self.current_page = current
            self._show_page_number()

    def go_to_page(self, number: int) -> None:
        if not self.page_labels:
            return
        number = max(0, min(number, len(self.page_labels) - 1))
        self.current_page = number
        self.scroll_area.verticalScrollBar().setValue(max(0, self.page_labels[number].y() - PAGE_GAP))
        self.current_page = number
        self._show_page_number()

    def _show_page_number(self) -> None:
        count = len(self.page_labels)
        if count:
            self.page_label.setText(_("Page {page} of {pages}").format(page=self.current_page + 1, pages=count))
        else:
            self.page_label.setText("")
        self.previous_button.setEnabled(count > 0 and self.current_page > 0)
        self.next_button.setEnabled(count > 0 and self.current_page < count - 1)

    # --- save as PDF ---------------------------------------------------------------------------------------------------
    def choose_file(self) -> None:
        if self.pdf is None:
            return
        path = choose_save_file(self, purpose="pdf", title=_("Save as PDF"), name=self.file_name,
                                filters=[_("PDF files (*.pdf)")], suffix="pdf")
        if path:
            if not path.lower().endswith(".pdf"):
                path += ".pdf"
            self.save_pdf(path)

    def save_pdf(self, path: str | Path) -> Task | None:
        """Write the PDF the service built (not a re-render) to `path`, durably, on a worker."""
        if self.pdf is None:
            return None
        from blo_desk.durable import write_atomically

        pdf, target = self.pdf, Path(path)

        def work():
            write_atomically(target, pdf)
            return target

        self.saved_path = None
        self.last_error = None
        return self.runner.run(work, on_done=self._saved, on_error=self._failed)

    def _saved(self, path: Path) -> None:
        self.saved_path = path
        self.status.say(_("Saved to {path}").format(path=str(path)), files=(path,))
        self.saved.emit(str(path))

    # --- printing -------------------------------------------------------------------------------------------------------
    def new_printer(self) -> QPrinter:
        """A printer set up for the document: high resolution, the PDF's paper size, drawn edge to edge."""
        from PySide6.QtCore import QSizeF
        from PySide6.QtGui import QPageLayout, QPageSize

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.file_name.removesuffix(".pdf"))
        printer.setFullPage(True)
        if self.page_sizes:
            width, height = self.page_sizes[0]
            size = QPageSize(QSizeF(width, height), QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch)
            printer.setPageSize(size)
            printer.setPageOrientation(QPageLayout.Orientation.Landscape if width > height
                                       else QPageLayout.Orientation.Portrait)
        return printer

    def choose_printer(self) -> None:
        """Qt's print dialog (our texts on its buttons); printing starts when it is accepted."""
        if self.pdf is None or self.print_job is not None:
            return
        self.printer = printer = self.new_printer()
        dialog = QPrintDialog(printer, self)
        dialog.setObjectName("printDialog")
        dialog.setWindowTitle(_("Print"))
        option = QAbstractPrintDialog.PrintDialogOption
        dialog.setOptions(option.PrintPageRange | option.PrintCurrentPage | option.PrintToFile
                          | option.PrintShowPageSize | option.PrintCollateCopies)
        dialog.setMinMax(1, len(self.page_labels))
        for box in dialog.findChildren(QDialogButtonBox):
            translate_buttons(box)
            ok = box.button(QDialogButtonBox.StandardButton.Ok)
            if ok is not None:
                ok.setText(_("&Print"))
        dialog.accepted.connect(lambda: self.print_document(printer))
        self.print_dialog = dialog
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.show()  # QPrintDialog.open() is the (receiver, member) overload in PySide6; show() keeps it non-blocking

    def pages_to_print(self, printer: QPrinter) -> list[int]:
        """0-based pages as the print dialog left them: all, a range ("1-2,4"), or the page on screen; copies."""
        count = len(self.page_sizes)
        chosen = list(range(count))
        which = printer.printRange()
        if which == QPrinter.PrintRange.CurrentPage:
            chosen = [self.current_page]
        elif which == QPrinter.PrintRange.PageRange:
            ranges = printer.pageRanges()
            if not ranges.isEmpty():
                chosen = [n - 1 for n in range(1, count + 1) if ranges.contains(n)]
            elif printer.fromPage() > 0:
                chosen = list(range(printer.fromPage() - 1, min(printer.toPage() or count, count)))
        if printer.pageOrder() == QPrinter.PageOrder.LastPageFirst:
            chosen.reverse()
        copies = printer.copyCount()
        if copies > 1 and not printer.supportsMultipleCopies():
            chosen = chosen * copies if printer.collateCopies() else [n for n in chosen for _c in range(copies)]
        return chosen

    def print_document(self, printer: QPrinter) -> bool:
        """Send the chosen pages to `printer`: each rendered at the printer's resolution (at most 300 dpi) on a
        worker, painted here page after page. What the print dialog's accept calls; `printed` says when done."""
        if self.pdf is None or self.print_job is not None:
            return False
        pages = self.pages_to_print(printer)
        if not pages:
            return False
        painter = QPainter()
        if not painter.begin(printer):
            self.status.setText(_("The printer could not be opened."))
            return False
        dpi = float(min(max(printer.resolution(), 72), PRINT_MAX_DPI))
        self.print_job = _PrintJob(printer, painter, pages, dpi)
        self.printed_pages = None
        self.last_error = None
        self._set_busy(True)
        self.progress.setRange(0, len(pages))
        self.progress.setValue(0)
        self._print_next()
        return True

    def _print_next(self) -> None:
        job = self.print_job
        if job is None:
            return
        if job.sent >= len(job.pages):
            job.painter.end()
            self.print_job = None
            self.printed_pages = job.sent
            self._set_busy(False)
            self.progress.setRange(0, 1)
            self.progress.setValue(1)
            self.status.setText(ngettext("Sent {count} page to the printer.", "Sent {count} pages to the printer.",
                                         job.sent).format(count=job.sent))
            self.printed.emit(job.sent)
            return
        pdf, number, dpi, pages = self.pdf, job.pages[job.sent], job.dpi, self.pages
        assert pdf is not None  # printing starts only once the PDF is there
        self.status.setText(_("Printing page {page} ({done} of {pages})…").format(
            page=number + 1, done=job.sent + 1, pages=len(job.pages)))

        def work():
            return to_qimage(pages.render_page(pdf=pdf, index=number, dpi=dpi))

        self.runner.run(work, on_done=self._paint_page, on_error=self._print_failed)

    def _paint_page(self, image: QImage) -> None:
        job = self.print_job
        if job is None:
            return
        if job.sent > 0:
            job.printer.newPage()
        area = QRectF(job.painter.viewport())
        scale = min(area.width() / image.width(), area.height() / image.height())
        width, height = image.width() * scale, image.height() * scale
        target = QRectF(area.x() + (area.width() - width) / 2, area.y() + (area.height() - height) / 2, width, height)
        job.painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        job.painter.drawImage(target, image)
        job.sent += 1
        self.progress.setValue(job.sent)
        self._print_next()

    def _print_failed(self, exc: BaseException) -> None:
        job, self.print_job = self.print_job, None
        if job is not None and job.painter.isActive():
            job.painter.end()
        self._set_busy(False)
        self._failed(exc)

    # --- closing ----------------------------------------------------------------------------------------------------
    def done(self, result: int) -> None:  # noqa: D401 - Qt API: Close, Escape and the window's close button
        if self.task is not None:
            self.task.cancel()
        super().done(result)
