"""One PDF of several (PDFium through pypdfium2): the protocols of the cases chosen in the list, printed at once."""

from __future__ import annotations

import io
from collections.abc import Iterable

from blo_desk.reports.raster import _LOCK, RasterError, _document


def join_pdfs(parts: Iterable[bytes]) -> bytes:
    """The pages of every PDF in `parts`, in order, as one PDF (each part keeps its own pages and sizes)."""
    import pypdfium2 as pdfium

    with _LOCK:  # PDFium is not thread-safe (reports/raster.py)
        joined = pdfium.PdfDocument.new()
        try:
            for part in parts:
                document = _document(part)
                try:
                    joined.import_pages(document)
                finally:
                    document.close()
            if len(joined) == 0:
                raise RasterError("no pages to join")
            out = io.BytesIO()
            joined.save(out)
            return out.getvalue()
        finally:
            joined.close()
