"""The photos of a shared record linked to a case show on the case page (issue 16's leftover), as Shared with us
shows them: thumbnails under History's linked records, the full size on Enter; the same widget, read-only."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "exchange"))
from photo_kit import goods_photo, thumbnail_read  # noqa: E402

from blo_desk.domain.entities import CaseQuery  # noqa: E402
from blo_desk.domain.sharing import LinkRelation  # noqa: E402
from blo_desk.i18n import set_language  # noqa: E402
from blo_desk.ui.widgets.shared_photos import SharedPhotos  # noqa: E402

import bundle_kit as kit  # noqa: E402

SHOTS = Path("/work/qa-shots/share-left")


@pytest.fixture
def linked(services, tmp_path, qapp):
    """Dustlik (UZ-DUS) holds a case Dostuk (KG-DOS) shared with a photo of the goods, linked to its own case
    UZ-DUS-2024-00001; a second shared record, without a photo, is linked to it too."""
    from blo_desk.services.demo import load_demo

    load_demo(cases=services.cases)
    services.sync.set_up_post(post_code="UZ-DUS")
    dostuk = kit.make_post(tmp_path / "dos", "KG-DOS", cases=2, seed=5, photos=0)
    kit.pair_posts(services, dostuk, tmp_path)
    theirs = dostuk.cases.list_cases(query=CaseQuery()).rows
    attachment = dostuk.attachments.add_file(path=goods_photo(tmp_path), caption="Packages under the floor")
    kit.change(dostuk, theirs[0].id, attachments=(attachment,))
    sent = dostuk.sharing.share(references=[theirs[0].case_number, theirs[1].case_number], to="UZ-DUS",
                                out=tmp_path / "stick")
    services.sharing.import_share(path=Path(sent.path))
    for record in services.sharing.shared_records():
        services.sharing.link(record_id=record.id, case_reference="UZ-DUS-2024-00001",
                              relation=LinkRelation.SAME_VEHICLE)
    yield theirs[0].case_number
    dostuk.close()


def _history(qtbot, make_desk, settings, services):
    from blo_desk.ui.pages.editor.form_sections import SECTION_HISTORY

    desk = make_desk(settings)  # a supervisor of Dustlik
    desk.window.resize(1366, 768)
    case = services.cases.find(reference="UZ-DUS-2024-00001")
    desk.open_case(case.id)
    qtbot.waitUntil(lambda: desk.editor.case is not None and desk.editor.case.id == case.id, timeout=10_000)
    desk.editor.tabs.setCurrentIndex(SECTION_HISTORY)
    panel = desk.editor.shared_links
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2, timeout=10_000)
    return desk, panel


def _row_of(panel, reference: str) -> int:
    return next(n for n, (_link, record) in enumerate(panel.links) if record.reference == reference)


def test_the_linked_records_photo_shows_on_the_case_page_and_opens(qtbot, make_desk, settings, services, linked):
    number = linked
    set_language("en")
    desk, panel = _history(qtbot, make_desk, settings, services)
    # WHEN the linked record that came with a photo is chosen on the History tab
    panel.table.selectRow(_row_of(panel, number))
    # THEN its photo shows as a thumbnail beside the links, its picture read, by the same widget as Shared with us
    photos = panel.photos
    assert isinstance(photos, SharedPhotos)
    qtbot.waitUntil(lambda: thumbnail_read(photos), timeout=10_000)
    assert photos.isVisible() and photos.list.item(0).text() == "Photo 1"
    # WHEN Enter is pressed on it THEN the full-size view opens, the image at its own size
    photos.list.setFocus()
    photos.list.setCurrentRow(0)
    qtbot.keyClick(photos.list, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: photos.viewer is not None, timeout=10_000)
    assert isinstance(photos.viewer, QDialog) and photos.viewer.isVisible()
    picture = photos.viewer.findChild(QLabel).pixmap()
    assert (picture.width(), picture.height()) == (640, 480)
    photos.viewer.close()
    # WHEN the linked record without photos is chosen THEN the strip is empty and out of the way
    other = next(record.reference for _link, record in panel.links if record.reference != number)
    panel.table.selectRow(_row_of(panel, other))
    assert photos.list.count() == 0 and not photos.isVisible()
    # WHEN another case, without links, is opened THEN no photo of the first stays
    case = services.cases.find(reference="UZ-DUS-2024-00002")
    desk.open_case(case.id)
    qtbot.waitUntil(lambda: desk.editor.case is not None and desk.editor.case.id == case.id, timeout=10_000)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0, timeout=10_000)
    assert photos.record_id is None and photos.list.count() == 0


@pytest.mark.parametrize("language", ["en", "ru", "uz"])
def test_screenshot_of_the_linked_records_photo(qtbot, make_desk, settings, services, linked, language):
    """The case page's History tab at 1366×768 with the linked record's photo, for a look in each language."""
    number = linked
    set_language(language)
    try:
        desk, panel = _history(qtbot, make_desk, settings, services)
        panel.table.selectRow(_row_of(panel, number))
        qtbot.waitUntil(lambda: thumbnail_read(panel.photos), timeout=10_000)
        if SHOTS.parent.exists():
            SHOTS.mkdir(exist_ok=True)
            desk.window.grab().save(str(SHOTS / f"linked-photos-{language}.png"))
    finally:
        set_language("en")


def test_the_photos_title_on_the_case_page_takes_no_alt_letter(qapp):
    # GIVEN the case page's letters belong to its form and menus THEN its photos' title claims none; Shared with
    # us keeps its own
    from blo_desk.ui.pages.editor.shared_links import SharedLinksPanel
    from blo_desk.ui.tasks import TaskRunner

    for language in ("en", "ru", "uz"):
        set_language(language)
        try:
            panel = SharedLinksPanel(TaskRunner())
            assert panel.photos.title.text() and "&" not in panel.photos.title.text()
            assert "&" in SharedPhotos(runner=TaskRunner(), sharing=None).title.text()
        finally:
            set_language("en")
