"""Photos of a shared record in Shared with us (issue 16): the receiving officer sees the goods' photos the sender
shared, as thumbnails, and opens one at full size; a photo the record does not name is not served."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QDialog, QLabel

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "exchange"))
from photo_kit import goods_photo, thumbnail_read  # noqa: E402

from blo_desk.domain.entities import CaseQuery  # noqa: E402
from blo_desk.i18n import set_language  # noqa: E402
from blo_desk.services.sharing import PhotoNotSharedError  # noqa: E402
from blo_desk.ui.dialogs.shared_with_us import TAB_REQUESTS, SharedWithUsDialog  # noqa: E402
from blo_desk.ui.tasks import TaskRunner  # noqa: E402

import bundle_kit as kit  # noqa: E402

SHOTS = Path("/work/qa-shots/photos16")


@pytest.fixture
def posts(tmp_path, qapp):
    """Oybek shares (non-nominal profile) a case with one photo of the goods; Fotehobod imports it."""
    oybek = kit.make_post(tmp_path / "oyb", "UZ-OYB", cases=2, seed=3, photos=0)
    fotehobod = kit.make_post(tmp_path / "fot", "TJ-FOT", cases=1, seed=4, photos=0)
    kit.pair_posts(oybek, fotehobod, tmp_path)
    case = oybek.cases.list_cases(query=CaseQuery()).rows[0]
    attachment = oybek.attachments.add_file(path=goods_photo(tmp_path), caption="Packages under the floor")
    kit.change(oybek, case.id, attachments=(attachment,))
    other = oybek.cases.list_cases(query=CaseQuery()).rows[1]  # shared too, without a photo
    sent = oybek.sharing.share(references=[case.case_number, other.case_number], to="TJ-FOT", out=tmp_path / "stick")
    fotehobod.sharing.import_share(path=Path(sent.path))
    return oybek, fotehobod, case.case_number, attachment.sha256


def _window(qtbot, runner, services) -> SharedWithUsDialog:
    dialog = SharedWithUsDialog(None, runner=runner, sharing=services.sharing, cases=services.cases)
    qtbot.addWidget(dialog)
    dialog.resize(1366 - 40, 768 - 80)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2, timeout=10_000)
    return dialog


def _row_of(dialog: SharedWithUsDialog, reference: str) -> int:
    proxy = dialog.table.model()
    row = next(n for n, r in enumerate(dialog.records) if r.reference == reference)
    return proxy.mapFromSource(dialog.model.index(row, 0)).row()  # type: ignore[attr-defined]


def test_the_shared_photo_shows_as_a_thumbnail_and_opens_at_full_size(qtbot, posts):
    _oybek, fotehobod, number, _sha = posts
    set_language("en")
    runner = TaskRunner()
    try:
        dialog = _window(qtbot, runner, fotehobod)
        # WHEN the officer chooses the record that came with a photo
        dialog.table.selectRow(_row_of(dialog, number))
        # THEN one thumbnail shows, its picture read (not the placeholder), under "Photos"
        photos = dialog.photos
        qtbot.waitUntil(lambda: photos.list.count() == 1 and thumbnail_read(photos)
                        and runner.active == 0, timeout=10_000)
        assert photos.isVisible() and photos.title.text() == "&Photos"
        assert photos.list.item(0).text() == "Photo 1"  # the profile sends no caption: the photo's number
        # WHEN Enter is pressed on it THEN the full-size view opens with the image's own size
        photos.list.setFocus()
        photos.list.setCurrentRow(0)
        qtbot.keyClick(photos.list, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: photos.viewer is not None, timeout=10_000)
        viewer = photos.viewer
        assert isinstance(viewer, QDialog) and viewer.isVisible()
        picture = viewer.findChild(QLabel).pixmap()
        assert (picture.width(), picture.height()) == (640, 480)
        # AND the same Enter did not reach the window's default button (Ask the sender… opened behind the photo)
        from blo_desk.ui.dialogs.share_messages import AskDialog

        assert not [d for d in dialog.findChildren(AskDialog) if d.isVisible()]
        if SHOTS.parent.exists():
            SHOTS.mkdir(exist_ok=True)
            viewer.grab().save(str(SHOTS / "full-en.png"))
        viewer.close()
        # WHEN the record without photos is chosen THEN the strip is empty and out of the way
        other = next(r.reference for r in dialog.records if r.reference != number)
        dialog.table.selectRow(_row_of(dialog, other))
        assert photos.list.count() == 0 and not photos.isVisible()
        dialog.close()
    finally:
        runner.wait()
        set_language("en")


@pytest.mark.parametrize("language", ["en", "ru", "uz"])
def test_screenshot_of_shared_photos(qtbot, posts, language):
    """Shared with us at 1366×768 with a photo chosen, for a look in each language."""
    _oybek, fotehobod, number, _sha = posts
    set_language(language)
    runner = TaskRunner()
    try:
        dialog = _window(qtbot, runner, fotehobod)
        dialog.table.selectRow(_row_of(dialog, number))
        qtbot.waitUntil(lambda: dialog.photos.list.count() == 1 and thumbnail_read(dialog.photos)
                        and runner.active == 0, timeout=10_000)
        if SHOTS.parent.exists():
            SHOTS.mkdir(exist_ok=True)
            dialog.grab().save(str(SHOTS / f"shared-{language}.png"))
        dialog.close()
    finally:
        runner.wait()
        set_language("en")


def test_a_photo_the_record_does_not_name_is_refused(posts):
    # GIVEN Fotehobod's store holds the received photo of one record
    _oybek, fotehobod, number, sha = posts
    records = {r.reference: r for r in fotehobod.sharing.shared_records()}
    with_photo = records[number]
    without = next(r for ref, r in records.items() if ref != number)
    # THEN the record that names it gets its bytes, as sent
    data = fotehobod.sharing.shared_photo(record_id=with_photo.id, sha256=sha)
    assert QImage.fromData(data).size().width() == 640
    # WHEN the same photo is asked through a record that does not name it, or an unknown hash THEN it is refused
    with pytest.raises(PhotoNotSharedError):
        fotehobod.sharing.shared_photo(record_id=without.id, sha256=sha)
    with pytest.raises(PhotoNotSharedError):
        fotehobod.sharing.shared_photo(record_id=with_photo.id, sha256="0" * 64)


def test_a_table_reached_by_tab_selects_its_row_and_the_buttons_work(qtbot, posts):
    _oybek, fotehobod, _number, _sha = posts
    set_language("en")
    runner = TaskRunner()
    try:
        dialog = _window(qtbot, runner, fotehobod)
        assert not dialog.ask_button.isEnabled()
        # WHEN the records table gets the focus by Tab, with nothing chosen
        dialog.search.setFocus()
        qtbot.keyClick(dialog.search, Qt.Key.Key_Tab)
        qtbot.waitUntil(dialog.table.hasFocus, timeout=5_000)
        # THEN the row under the frame is chosen: Ask the sender… and Link to a case… work at once
        assert dialog.selected_record() is not None
        assert dialog.ask_button.isEnabled() and dialog.link_button.isEnabled()
        # AND on the Requests tab, a request asked is chosen as soon as its table gets the focus
        record = dialog.selected_record()
        fotehobod.sharing.request(to=record.sender, about=record.id, text="Who sent the load?",
                                  out=Path(fotehobod.settings.data_dir) / "out")
        dialog.refresh()
        qtbot.waitUntil(lambda: dialog.requests_panel.model.rowCount() == 1, timeout=10_000)
        dialog.tabs.setCurrentIndex(TAB_REQUESTS)
        table = dialog.requests_panel.table
        dialog.tabs.tabBar().setFocus()
        table.selectionModel().clearSelection()
        assert dialog.requests_panel.selected_request() is None
        table.setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.waitUntil(table.hasFocus, timeout=5_000)
        assert table.selectionModel().hasSelection()
        assert dialog.requests_panel.selected_request() is not None
        dialog.close()
    finally:
        runner.wait()
        set_language("en")
