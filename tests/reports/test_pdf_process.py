"""The desk's PDF builder process: the same protocol and page pictures as built here, errors raised here, a killed
child costs no print, and close() stops it."""

from __future__ import annotations

import pytest

from blo_desk.reports import raster

from .conftest import pdf_pages


def test_an_isolated_printing_service_builds_the_protocol_and_its_pictures_in_a_child(demo, tmp_path):
    # GIVEN the Dustlik protocol built in this process
    here = demo.printing.protocol(case_id=demo.dustlik.id, lang="uz+ru")
    # WHEN the printing service is isolated, as the desk makes it, and builds it again
    demo.printing.isolate()
    try:
        there = demo.printing.protocol(case_id=demo.dustlik.id, lang="uz+ru")
        # THEN a child process built it: the same pages, naming the same case
        assert demo.printing._process.running
        assert len(pdf_pages(there, tmp_path)) == len(pdf_pages(here, tmp_path)) >= 2
        assert "UZ-DUS-2024-00001" in pdf_pages(there, tmp_path)[0]
        # AND the pages come back from the child as A4 pictures of the asked resolution
        assert demo.printing.page_sizes(pdf=there) == raster.page_sizes(here)
        page = demo.printing.render_page(pdf=there, index=0, dpi=72)
        assert (page.width, page.height) == (596, 842) and len(page.data) == page.stride * page.height
        # AND what fails in the child fails here with the same error
        with pytest.raises(raster.RasterError):
            demo.printing.render_page(pdf=there, index=99, dpi=72)
    finally:
        demo.printing.close()
    # THEN closing stops the child, and a later protocol is built in this process
    assert not demo.printing._process.running
    assert pdf_pages(demo.printing.protocol(case_id=demo.dustlik.id, lang="en"), tmp_path)


def test_a_killed_builder_process_costs_no_print(demo, tmp_path):
    # GIVEN an isolated printing service whose child has built a protocol
    demo.printing.isolate()
    try:
        demo.printing.protocol(case_id=demo.dustlik.id, lang="en")
        child = demo.printing._process._child
        # WHEN the child is killed (out of memory, a task manager)
        child.kill()
        child.wait()
        # THEN the next protocol is still built (here), and the one after by a new child
        assert "UZ-DUS-2024-00001" in pdf_pages(demo.printing.protocol(case_id=demo.dustlik.id, lang="en"),
                                                tmp_path)[0]
        demo.printing.protocol(case_id=demo.dustlik.id, lang="ru")
        assert demo.printing._process.running and demo.printing._process._child is not child
    finally:
        demo.printing.close()


def test_closing_never_waits_for_a_stuck_builder(tmp_path):
    # GIVEN a builder process whose child hangs (here: a process that never answers), with a build waiting for it
    import subprocess
    import threading
    import time

    from blo_desk.reports.pdf_process import PdfProcess

    process = PdfProcess()
    process._child = subprocess.Popen(["sleep", "60"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    outcome: list[BaseException | bytes] = []

    def build() -> None:
        try:
            outcome.append(process.call("blo_desk.reports.raster", "page_count", b"%PDF-1.4"))
        except BaseException as exc:  # noqa: BLE001 - what the waiting build sees
            outcome.append(exc)

    waiting = threading.Thread(target=build)
    waiting.start()
    time.sleep(0.3)
    # WHEN the desk closes
    started = time.monotonic()
    process.close()
    waiting.join(10)
    # THEN it is done within seconds, the child is gone, and the waiting build fails instead of hanging
    assert time.monotonic() - started < 5 and not waiting.is_alive()
    assert not process.running
    assert len(outcome) == 1 and isinstance(outcome[0], RuntimeError)
