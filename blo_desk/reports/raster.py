"""PDF pages as images (PDFium through pypdfium2) for the desk's preview and printing: plain bytes out, no Qt."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

POINTS_PER_INCH = 72.0
MAX_DPI = 1200.0  # an A4 page at 1200 dpi is 9921 x 14031 pixels (557 MB of RGBX); callers cap lower

# PDFium is not thread-safe: the desk renders on a pool of worker threads, so every call goes through one lock.
_LOCK = threading.RLock()


class RasterError(ValueError):
    """The bytes are not a PDF PDFium can open, or a page number or resolution is out of range."""


@dataclass(frozen=True, slots=True)
class PageImage:
    """One rendered page: `height` rows of `stride` bytes, 4 bytes a pixel in R, G, B, X order (X is 255).

    The layout is Qt's QImage.Format_RGBX8888 and PIL's "RGBX" mode; `width_pt` x `height_pt` is the page's size in
    PDF points (1/72 inch), so a printer can place the image at its physical size.
    """

    index: int  # 0-based page number
    width: int
    height: int
    stride: int
    data: bytes
    dpi: float
    width_pt: float
    height_pt: float

    mode = "RGBX"


def _document(pdf: bytes):
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(bytes(pdf))
    except pdfium.PdfiumError as exc:
        raise RasterError(f"not a readable PDF: {exc}") from exc


def page_count(pdf: bytes) -> int:
    """How many pages the PDF has."""
    with _LOCK:
        document = _document(pdf)
        try:
            return len(document)
        finally:
            document.close()


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    """Each page's (width, height) in points."""
    with _LOCK:
        document = _document(pdf)
        try:
            sizes = []
            for index in range(len(document)):
                page = document[index]
                try:
                    sizes.append(tuple(page.get_size()))
                finally:
                    page.close()
            return sizes
        finally:
            document.close()


def _render(document, index: int, dpi: float) -> PageImage:
    page = document[index]
    try:
        width_pt, height_pt = page.get_size()
        bitmap = page.render(scale=dpi / POINTS_PER_INCH, fill_color=(255, 255, 255, 255), rev_byteorder=True,
                             prefer_bgrx=True, may_draw_forms=True)
        try:
            if bitmap.n_channels != 4 or not bitmap.rev_byteorder:
                raise RasterError(f"unexpected bitmap format {bitmap.mode!r}")
            data = bytes(bitmap.buffer)
            return PageImage(index=index, width=bitmap.width, height=bitmap.height, stride=bitmap.stride, data=data,
                             dpi=float(dpi), width_pt=float(width_pt), height_pt=float(height_pt))
        finally:
            bitmap.close()
    finally:
        page.close()


def iter_pages(pdf: bytes, *, dpi: float, pages: Iterable[int] | None = None,
               progress: Callable[[int, int], None] | None = None) -> Iterator[PageImage]:
    """Render the chosen 0-based pages (all when None) one after the other at `dpi`.

    A generator, so a caller that prints can hold one page at a time; `progress(done, total)` after each page.
    """
    if not 0 < dpi <= MAX_DPI:
        raise RasterError(f"resolution {dpi} dpi out of range (0, {MAX_DPI:g}]")
    with _LOCK:
        count = page_count(pdf)
    chosen = list(range(count)) if pages is None else list(pages)
    for index in chosen:
        if not 0 <= index < count:
            raise RasterError(f"page {index + 1} out of range 1..{count}")
    for done, index in enumerate(chosen, 1):
        with _LOCK:  # the document is reopened per page so the lock is never held across a yield
            document = _document(pdf)
            try:
                image = _render(document, index, dpi)
            finally:
                document.close()
        yield image
        if progress is not None:
            progress(done, len(chosen))


def render_pages(pdf: bytes, *, dpi: float, pages: Iterable[int] | None = None,
                 progress: Callable[[int, int], None] | None = None) -> list[PageImage]:
    """Every chosen page rendered at `dpi` (one document open for all of them)."""
    if not 0 < dpi <= MAX_DPI:
        raise RasterError(f"resolution {dpi} dpi out of range (0, {MAX_DPI:g}]")
    with _LOCK:
        document = _document(pdf)
        try:
            count = len(document)
            chosen = list(range(count)) if pages is None else list(pages)
            for index in chosen:
                if not 0 <= index < count:
                    raise RasterError(f"page {index + 1} out of range 1..{count}")
            images = []
            for done, index in enumerate(chosen, 1):
                images.append(_render(document, index, dpi))
                if progress is not None:
                    progress(done, len(chosen))
            return images
        finally:
            document.close()


def render_page(pdf: bytes, index: int, *, dpi: float) -> PageImage:
    """One page (0-based) at `dpi`."""
    return render_pages(pdf, dpi=dpi, pages=(index,))[0]
