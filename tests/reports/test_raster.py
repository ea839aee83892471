"""PDF pages as images without Qt: page count, pixel size per resolution, ink where the text is, bad input refused."""

from __future__ import annotations

import sys
import threading

import pytest

from blo_desk.reports import raster

A4_PT = (595.2756, 841.8898)


def _ink(image: raster.PageImage) -> int:
    """How many pixels are not white."""
    data = image.data
    return sum(1 for i in range(0, len(data), 4) if data[i:i + 3] != b"\xff\xff\xff")


def test_the_dustlik_protocol_renders_page_by_page_at_72_and_150_dpi(demo):
    # GIVEN the Dustlik case's protocol in Uzbek and Russian
    pdf = demo.printing.protocol(case_id=demo.dustlik.id, lang="uz+ru")
    # WHEN its pages are counted and rendered at 72 and at 150 dpi
    count = raster.page_count(pdf)
    at_72 = raster.render_pages(pdf, dpi=72)
    at_150 = raster.render_pages(pdf, dpi=150)
    # THEN every page is an A4 image: 596 x 842 pixels at 72 dpi, 1240 x 1754 at 150 dpi
    assert count >= 2 and len(at_72) == len(at_150) == count
    assert [p.index for p in at_150] == list(range(count))
    for page in at_72:
        assert (page.width, page.height) == (596, 842)
        assert page.width_pt == pytest.approx(A4_PT[0], abs=0.01) and page.height_pt == pytest.approx(A4_PT[1], abs=0.01)
    for page in at_150:
        assert abs(page.width - 1240) <= 1 and abs(page.height - 1754) <= 1
        assert page.stride >= page.width * 4 and len(page.data) == page.stride * page.height
        assert page.mode == "RGBX" and page.dpi == 150
    # AND the first page has ink on it (the heading, the tables, the QR code), not a blank sheet
    assert _ink(at_72[0]) > 5_000
    assert raster.page_sizes(pdf) == [(pytest.approx(A4_PT[0], abs=0.01), pytest.approx(A4_PT[1], abs=0.01))] * count


def test_one_page_at_a_time_with_progress(demo):
    # GIVEN the English protocol WHEN only its last page is rendered through the generator, reporting progress
    pdf = demo.printing.protocol(case_id=demo.dustlik.id, lang="en")
    last = raster.page_count(pdf) - 1
    seen = []
    pages = list(raster.iter_pages(pdf, dpi=50, pages=[last], progress=lambda done, total: seen.append((done, total))))
    # THEN one page comes back, the one asked for, and progress says 1 of 1
    assert [p.index for p in pages] == [last] and seen == [(1, 1)]
    assert raster.render_page(pdf, last, dpi=50).data == pages[0].data


def test_renders_from_several_threads_at_once(demo):
    # GIVEN one protocol WHEN four threads render it at the same time (the desk's worker pool does)
    pdf = demo.printing.protocol(case_id=demo.dustlik.id, lang="ru")
    expected = raster.render_page(pdf, 0, dpi=40).data
    results, errors = [], []

    def work():
        try:
            results.append(raster.render_page(pdf, 0, dpi=40).data)
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # THEN each got the same image and none failed
    assert not errors and results == [expected] * 4


def test_bad_input_is_refused_with_a_raster_error(demo):
    pdf = demo.printing.protocol(case_id=demo.dustlik.id, lang="en")
    # GIVEN bytes that are no PDF, a page past the end and a silly resolution WHEN rendered THEN RasterError
    with pytest.raises(raster.RasterError):
        raster.page_count(b"not a pdf")
    with pytest.raises(raster.RasterError):
        raster.render_page(pdf, raster.page_count(pdf), dpi=72)
    with pytest.raises(raster.RasterError):
        raster.render_pages(pdf, dpi=0)


def test_the_module_does_not_bring_qt_in():
    # GIVEN a fresh interpreter WHEN reports.raster is imported and used THEN PySide6 was never imported
    import subprocess

    code = ("import sys; from blo_desk.reports import raster; "
            "from reportlab.pdfgen import canvas; import io; b = io.BytesIO(); c = canvas.Canvas(b); c.showPage(); "
            "c.save(); raster.render_page(b.getvalue(), 0, dpi=30); print('PySide6' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
