"""The case editor: language switch keeps typed text, bad input is refused next to its field, nothing is lost."""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from blo_desk.i18n import _, set_language
from blo_desk.ui.pages.editor.form_sections import SECTION_ITEMS, SECTION_PHOTOS, SECTION_TITLES

from .conftest import make_png, retype
from desk_driver import type_text


def _new_case(desk, qtbot):
    desk.new_case()
    qtbot.waitUntil(lambda: desk.window.on_editor and desk.editor.case is not None)
    return desk.editor


def visible_error(editor, path: str) -> str:
    """The message shown next to the field a validation path names ('' when none is shown)."""
    parts = path.split(".")
    if parts[0] in ("items", "persons"):
        records = editor.items if parts[0] == "items" else editor.persons
        if len(parts) == 3:
            records.select(int(parts[1]))
            label = records.fields[parts[2]].error
        else:
            label = records.list_error
    else:
        key = {"occurred_at": "occurred_date"}.get(parts[0], parts[0])
        label = editor.fields[key].error
    return label.text() if not label.isHidden() else ""


def test_switching_language_with_unsaved_text_changes_labels_and_keeps_text(make_desk, settings, qtbot):
    # GIVEN a new case with unsaved text in English
    desk = make_desk(settings)
    editor = _new_case(desk, qtbot)
    typed = "Karimova Dilnoza; Oʻzbek harflari; русский текст"
    editor.fields["narrative"].widget.setFocus()
    type_text(editor.fields["narrative"].widget, typed)
    retype(editor.fields["occurred_date"].widget, "20.04.2024")
    post_before = editor.fields["post_code"].widget.currentText()
    agency_before = editor.fields["agency"].widget.currentText()

    # WHEN the officer switches to Russian from the Language menu
    desk.window.actions["language_ru"].trigger()

    # THEN every label is in Russian at once, the typed text and choices are untouched, nothing was saved
    assert editor.fields["narrative"].widget.toPlainText() == typed
    assert editor.fields["occurred_date"].value() == "20.04.2024"
    assert editor.fields["post_code"].value() == "UZ-DUS" and editor.fields["agency"].value() == "customs"
    assert editor.fields["post_code"].widget.currentText() == "Дустлик (UZ-DUS)" != post_before
    assert editor.fields["agency"].widget.currentText() != agency_before
    set_language("ru")
    assert editor.fields["narrative"].label.text() == _("Narrative")
    assert editor.tabs.tabText(0) == _(SECTION_TITLES[0])
    assert desk.window.actions["save"].text() == _("&Save")
    assert desk.window.actions["language_ru"].isChecked()
    assert editor.dirty and editor.is_new

    # WHEN switching on to Uzbek and back to English THEN still the same text
    desk.window.actions["language_uz"].trigger()
    assert editor.fields["post_code"].widget.currentText() == "Doʻstlik (UZ-DUS)"
    desk.window.actions["language_en"].trigger()
    assert editor.fields["narrative"].widget.toPlainText() == typed
    assert editor.fields["narrative"].label.text() == "Narrative"


BAD_VALUES = [
    ("occurred_date", "31.02.2024"),
    ("occurred_date", "yesterday"),
    ("occurred_date", "01.01.2999"),
    ("occurred_time", "25:99"),
    ("procedure", "x" * 600),
    ("narrative", "bell\x07 inside"),
    ("conveyance_registration", "\u202e01 A 457 BC"),
    ("items.quantity", "1e999"),
    ("items.quantity", "NaN"),
    ("items.quantity", "-5"),
    ("items.quantity", "0"),
    ("items.quantity", "99999999999999999999"),
    ("items.value", "12,34,56"),
    ("items.packages", "2.5"),
    ("items.currency", "usd dollars"),
    ("items.description", ""),
    ("persons.birth_date", "01.01.1850"),
    ("persons.birth_date", "32.13.2000"),
    ("persons.full_name", "   "),
    ("persons.document_number", "😀" * 10),
]


@pytest.mark.parametrize(("where", "value"), BAD_VALUES)
def test_any_value_is_saved_or_refused_next_to_its_field(make_desk, settings, qtbot, where, value):
    # GIVEN a new case whose other fields are fine
    desk = make_desk(settings)
    editor = _new_case(desk, qtbot)
    editor.items.add_record()
    editor.items.fields["description"].set_value("Pellets")
    editor.items.fields["quantity"].set_value("1")
    editor.persons.add_record()
    editor.persons.fields["full_name"].set_value("Karimova Dilnoza")

    # WHEN the value is entered and the officer saves
    if "." in where:
        section, key = where.split(".")
        records = editor.items if section == "items" else editor.persons
        records.fields[key].set_value(value)
    else:
        editor.fields[where].set_value(value)
    editor.save()
    qtbot.waitUntil(lambda: not editor.saving, timeout=10_000)

    # THEN either it was saved, or every problem is shown next to its own field and nothing was written
    if editor.errors:
        assert editor.case.id is None
        for error in editor.errors:
            assert visible_error(editor, error.field), f"no message shown for {error.field}"
    else:
        assert editor.case.id is not None and not editor.dirty
        stored = desk.services.cases.get(case_id=editor.case.id)
        assert stored.revision == editor.case.revision
    assert desk.runner.unhandled == []


def test_a_file_that_is_not_a_photo_or_is_200_mb_gets_a_clear_message(make_desk, settings, qtbot, tmp_path):
    # GIVEN a text file, a sparse 200 MB file and a real PNG
    desk = make_desk(settings)
    editor = _new_case(desk, qtbot)
    editor.tabs.setCurrentIndex(SECTION_PHOTOS)
    text_file = tmp_path / "notes.txt"
    text_file.write_text("not a photo")
    huge = tmp_path / "huge.jpg"
    with huge.open("wb") as fh:
        fh.write(b"\xff\xd8\xff\xe0")
        fh.truncate(200 * 1024 * 1024)
    assert os.stat(huge).st_blocks * 512 < 10 * 1024 * 1024  # sparse: no 200 MB written to disk

    # WHEN the text file is added THEN the officer reads why, under the photos, and nothing is attached
    editor.photos.add_paths([text_file])
    qtbot.waitUntil(lambda: not editor.photos.busy, timeout=10_000)
    assert "notes.txt" in editor.photos.error_label.text() and editor.photos.error_label.isVisibleTo(editor)
    assert "not a photo" in editor.photos.error_label.text()
    assert editor.photos.attachments == []

    # WHEN the 200 MB file is added THEN the message names the size limit
    editor.photos.add_paths([huge])
    qtbot.waitUntil(lambda: not editor.photos.busy, timeout=10_000)
    assert "huge.jpg" in editor.photos.error_label.text() and "50 MB" in editor.photos.error_label.text()
    assert editor.photos.attachments == []

    # WHEN a real photo follows THEN it is attached and the message goes away
    photo = tmp_path / "ok.png"
    make_png(photo)
    editor.photos.add_paths([photo])
    qtbot.waitUntil(lambda: len(editor.photos.attachments) == 1, timeout=10_000)
    assert editor.photos.error_label.isHidden()


def test_text_that_cannot_be_saved_yet_is_restored_on_the_next_start(make_desk, settings, qtbot):
    # GIVEN a new case with a date that does not exist and a long narrative
    desk = make_desk(settings)
    editor = _new_case(desk, qtbot)
    retype(editor.fields["occurred_date"].widget, "31.02.2024")
    editor.fields["narrative"].widget.setFocus()
    type_text(editor.fields["narrative"].widget, "Written at the post; must survive. Дустлик.")
    editor.items.add_record()
    editor.items.fields["quantity"].set_value("twelve")

    # WHEN the officer quits and chooses Save: the save is refused, the desk stays open with the marked fields
    desk.window.close()
    qtbot.waitUntil(lambda: getattr(desk, "unsaved_dialog", None) is not None and desk.unsaved_dialog.isVisible())
    desk.unsaved_dialog.save_button.click()
    assert desk.window.isVisible() and editor.errors and desk.recovery.path.exists()
    # AND the laptop's battery dies (the desk goes without closing)
    desk.shutdown()
    desk.window.hide()

    # THEN the next start shows the editor with exactly what was typed
    again = make_desk(settings)
    qtbot.waitUntil(lambda: again.window.on_editor)
    restored = again.editor
    assert restored.fields["occurred_date"].value() == "31.02.2024"
    assert restored.fields["narrative"].value() == "Written at the post; must survive. Дустлик."
    assert restored.items.records[0]["quantity"] == "twelve"
    assert restored.dirty

    # WHEN the officer corrects the fields and saves THEN it is stored and the recovery copy goes away
    retype(restored.fields["occurred_date"].widget, "20.04.2024")
    restored.tabs.setCurrentIndex(SECTION_ITEMS)
    restored.items.select(0)
    retype(restored.items.fields["quantity"].widget, "12")
    retype(restored.items.fields["description"].widget, "Pellets")
    with qtbot.waitSignal(restored.saved, timeout=10_000):
        restored.save()
    assert not again.recovery.path.exists()


def test_amending_a_finalized_case_needs_a_reason_and_shows_in_the_history(make_desk, settings, qtbot, services):
    # GIVEN the demo cases, with the Dustlik case finalized, open in the editor of a supervisor of that post
    from blo_desk.services.demo import load_demo

    load_demo(cases=services.cases)
    desk = make_desk(settings)
    dustlik = desk.services.cases.find(reference="UZ-DUS-2024-00001")
    desk.open_case(dustlik.id)
    editor = desk.editor
    qtbot.waitUntil(lambda: editor.case is not None and editor.case.id == dustlik.id)
    assert editor.mode == "final" and editor.fields["procedure"].widget.isReadOnly()

    # WHEN the officer asks to amend: OK stays disabled until a reason is typed
    qtbot.mouseClick(editor.amend_button, Qt.MouseButton.LeftButton)
    dialog = editor.amend_dialog
    qtbot.waitUntil(dialog.isVisible)
    ok = dialog.buttons.buttons()[0] if dialog.buttons.buttons()[0].text() == _("Amend") else dialog.buttons.buttons()[1]
    assert not ok.isEnabled()
    dialog.reason.setFocus()
    type_text(dialog.reason, "Seal number corrected")
    assert ok.isEnabled()
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    # AND changes a field and saves
    assert editor.mode == "amend" and not editor.fields["procedure"].widget.isReadOnly()
    retype(editor.fields["procedure"].widget, "Customs inspection, passenger lane 2")
    with qtbot.waitSignal(editor.saved, timeout=10_000):
        editor.save()

    # THEN a new revision with the reason is stored, the case stays final, and the history shows it
    stored = desk.services.cases.get(case_id=dustlik.id)
    assert stored.revision == dustlik.revision + 1 and stored.is_finalized
    assert stored.procedure == "Customs inspection, passenger lane 2"
    qtbot.waitUntil(lambda: editor.history_table.rowCount() == stored.revision)
    last = editor.history_table.rowCount() - 1
    assert editor.history_table.item(last, 3).text() == "Seal number corrected"
    assert editor.mode == "final"


def test_items_are_added_removed_and_reordered_with_the_keyboard(make_desk, settings, qtbot):
    # GIVEN a new case on the items section
    desk = make_desk(settings)
    editor = _new_case(desk, qtbot)
    editor.tabs.setCurrentIndex(SECTION_ITEMS)
    items = editor.items
    # WHEN three items are added
    for name in ("first", "second", "third"):
        items.add_record()
        type_text(items.fields["description"].widget, name)
    # AND the last is moved up and the first removed
    items.move_current(-1)
    items.select(0)
    items.remove_current()
    # THEN the third item now comes first, and the first is gone
    assert [r["description"] for r in items.records] == ["third", "second"]


def test_the_recovery_copy_of_an_encrypted_store_reveals_no_typed_text(make_desk, encrypted_settings, qtbot):
    # GIVEN an officer typing a suspect's name and passport into a new case on an encrypted store
    desk = make_desk(encrypted_settings)
    editor = _new_case(desk, qtbot)
    retype(editor.fields["occurred_date"].widget, "31.02.2024")  # not savable yet, so only the copy keeps it
    editor.fields["narrative"].widget.setFocus()
    type_text(editor.fields["narrative"].widget, "Suspect Gʻofurova Zilola, passport AC 7712094.")
    # WHEN the app is closed (Cancel: the officer keeps the form; the copy is on disk meanwhile)
    desk.window.close()
    qtbot.waitUntil(lambda: getattr(desk, "unsaved_dialog", None) is not None and desk.unsaved_dialog.isVisible())
    desk.unsaved_dialog.cancel_button.click()
    desk.shutdown()
    desk.window.hide()
    # THEN the copy on disk holds neither the name nor the passport number, in any encoding
    raw = desk.recovery.path.read_bytes()
    for secret in ("Gʻofurova", "Zilola", "AC 7712094", "7712094"):
        assert secret.encode("utf-8") not in raw
        assert secret.encode("utf-16-le") not in raw
    # AND the next start of the same user restores exactly what was typed
    again = make_desk(encrypted_settings)
    qtbot.waitUntil(lambda: again.window.on_editor)
    assert again.editor.fields["narrative"].value() == "Suspect Gʻofurova Zilola, passport AC 7712094."


def test_photos_of_an_encrypted_store_are_shown_without_a_clear_copy_on_disk(make_desk, encrypted_settings, qtbot,
                                                                              tmp_path):
    import glob
    import tempfile
    from dataclasses import replace

    from PySide6.QtGui import QColor

    from blo_desk.ui.widgets.photos import THUMB

    def view_copies() -> set[str]:
        return set(glob.glob(os.path.join(tempfile.gettempdir(), "blo-desk-view*")))

    # GIVEN a saved case with a photo on an encrypted store
    desk = make_desk(encrypted_settings)
    photo = tmp_path / "carriage.png"
    make_png(photo)
    services = desk.services
    attachment = services.attachments.add_file(path=photo)
    template = services.cases.new_case(post_code="UZ-DUS")
    case = services.cases.save(case=replace(template, narrative="Baby carriage", attachments=(attachment,)))
    before = view_copies()
    # WHEN the officer opens the case
    desk.open_case(case.id)
    qtbot.waitUntil(lambda: desk.editor.case is not None and desk.editor.case.id == case.id, timeout=10_000)
    item = desk.editor.photos.list.item(0)

    def thumb_shown() -> bool:
        image = item.icon().pixmap(THUMB).toImage()
        return not image.isNull() and image.pixelColor(image.width() // 2, image.height() // 2) == QColor("#8899aa")

    # THEN the thumbnail appears, and no decrypted copy was written to the temporary folder
    qtbot.waitUntil(thumb_shown, timeout=10_000)
    assert desk.editor.photos.error_label.isHidden()
    assert view_copies() == before
    # AND "open full size" shows it in our own dialog, still without a copy on disk
    desk.editor.photos.list.setCurrentRow(0)
    desk.editor.photos.open_current()
    qtbot.waitUntil(lambda: desk.editor.photos.findChild(QWidget, "photoDialog") is not None, timeout=10_000)
    assert view_copies() == before


def test_a_missing_photo_shows_a_placeholder_and_the_case_still_opens(make_desk, settings, qtbot, tmp_path):
    from dataclasses import replace

    desk = make_desk(settings)
    photo = tmp_path / "gone.png"
    make_png(photo)
    services = desk.services
    attachment = services.attachments.add_file(path=photo)
    case = services.cases.save(case=replace(services.cases.new_case(post_code="UZ-DUS"), narrative="x",
                                            attachments=(attachment,)))
    for blob in settings.attachments_dir.rglob(attachment.sha256):
        blob.unlink()
    desk.open_case(case.id)
    qtbot.waitUntil(lambda: desk.editor.case is not None and desk.editor.case.id == case.id, timeout=10_000)
    qtbot.waitUntil(lambda: not desk.editor.photos.error_label.isHidden(), timeout=10_000)
    assert "gone.png" in desk.editor.photos.error_label.text()
    assert desk.editor.photos.list.count() == 1


def test_finalize_asked_during_a_save_waits_for_the_follow_up_save(make_desk, settings, qtbot):
    from blo_desk.domain.errors import ConflictError

    # GIVEN a draft being saved while the officer keeps typing
    desk = make_desk(settings)
    editor = _new_case(desk, qtbot)
    cases = desk.services.cases
    asked, failures = [], []
    original = cases.finalize

    def finalize(*, case_id, expected_revision):
        asked.append(expected_revision)
        return original(case_id=case_id, expected_revision=expected_revision)

    cases.finalize = finalize
    editor.save_failed.connect(failures.append)
    editor.fields["procedure"].set_value("First words")
    assert editor.save()
    assert editor.saving
    editor.fields["procedure"].set_value("Last words")
    # WHEN finalize is asked before that save is back (so another save must follow it)
    editor.finalize()
    # THEN finalize is tried only after the follow-up save, with its revision: no conflict
    qtbot.waitUntil(lambda: bool(asked) and not editor.saving and desk.runner.active == 0, timeout=10_000)
    assert asked == [2]
    assert not any(isinstance(exc, ConflictError) for exc in failures)
    assert cases.get(case_id=editor.case.id).procedure == "Last words"


@pytest.mark.parametrize("state", [
    {"version": 1, "fields": {"procedure": "x"}, "attachments": [{"no_such_field": 1}]},
    {"version": 1, "meta": "not a mapping", "fields": ["not", "a", "mapping"]},
    {"version": 1, "fields": {"post_code": "XX-NOPE"}, "items": [3]},
])
def test_a_stale_or_foreign_recovery_copy_is_dropped_and_the_desk_opens(make_desk, settings, qtbot, state):
    import json

    from blo_desk.ui.recovery import RecoveryFile

    # GIVEN a recovery copy that says version 1 but does not fit this desk
    recovery = RecoveryFile(settings.data_dir, user="sabina")
    recovery.path.parent.mkdir(parents=True, exist_ok=True)
    recovery.path.write_text(json.dumps(state), encoding="utf-8")
    # WHEN the desk starts THEN it opens normally on the case list and the copy is gone
    desk = make_desk(settings)
    assert desk.ready and not desk.window.on_editor
    assert not recovery.path.exists()
    assert desk.runner.unhandled == []


def test_a_photo_gets_a_caption_that_is_saved_with_the_case(make_desk, settings, qtbot, tmp_path):
    # GIVEN a new case with one photo attached
    set_language("uz")
    desk = make_desk(settings)
    editor = _new_case(desk, qtbot)
    editor.tabs.setCurrentIndex(SECTION_PHOTOS)
    photo = tmp_path / "floor.png"
    make_png(photo)
    editor.photos.add_paths([photo])
    qtbot.waitUntil(lambda: len(editor.photos.attachments) == 1, timeout=10_000)
    assert not editor.photos.caption.isEnabled()  # nothing selected yet
    # WHEN the officer selects it and types a caption (in Uzbek, with its oʻ)
    editor.photos.list.setCurrentRow(0)
    editor.photos.caption.setFocus()
    type_text(editor.photos.caption, "Pol qoplamasi ostidagi oʻramlar")
    # THEN the strip shows the caption, the form is changed, and the saved case keeps it
    assert editor.photos.list.item(0).text() == "Pol qoplamasi ostidagi oʻramlar"
    assert editor.dirty
    saved = []
    editor.saved.connect(saved.append)
    editor.save()
    qtbot.waitUntil(lambda: bool(saved) or bool(editor.errors), timeout=10_000)
    assert not editor.errors, editor.errors
    stored = desk.services.cases.get(case_id=editor.case.id)
    assert stored.attachments[0].caption == "Pol qoplamasi ostidagi oʻramlar"


def test_a_records_detail_form_stays_put_when_the_first_record_comes_and_a_message_comes_and_goes(qtbot):
    # GIVEN the transport documents list, empty, with its "no documents yet" hint, laid out in a window
    from blo_desk.domain.errors import FieldError
    from blo_desk.ui.pages.editor.documents import documents_editor
    from blo_desk.ui.reference import ReferenceData

    reference = ReferenceData()
    documents = documents_editor(lambda: reference)
    qtbot.addWidget(documents)
    documents.resize(1300, 400)
    documents.show()
    qtbot.waitExposed(documents)

    def kind_at() -> int:
        QWidget.layout(documents).activate()
        return documents.fields["kind"].widget.mapTo(documents, documents.fields["kind"].widget.rect().topLeft()).y()

    empty = kind_at()
    # WHEN the officer adds a document (the hint goes)
    documents.add_record()
    # THEN the form under the table has not moved under the pointer
    assert kind_at() == empty
    # WHEN a save names the unfinished row (a line appears above the form) THEN the form still does not move
    documents.set_errors([FieldError("documents.0.kind", "Choose the document type or type its number.")])
    assert documents.list_error.isVisible() and kind_at() == empty
    # AND when the message goes again, neither
    documents.set_errors([])
    assert kind_at() == empty


def test_a_rows_message_above_the_form_goes_when_the_officer_fixes_that_field(qtbot):
    # GIVEN a document row a save found without its type: the message is under the field and on the list's line
    from blo_desk.domain.entities import ReferenceItem
    from blo_desk.domain.errors import FieldError
    from blo_desk.ui.pages.editor.documents import documents_editor
    from blo_desk.ui.reference import ReferenceData

    from .conftest import choose

    cmr = ReferenceItem("transport_document", "cmr", "CMR yuk xati", "Накладная CMR", "CMR consignment note")
    reference = ReferenceData(lists={"transport_document": [cmr]})
    documents = documents_editor(lambda: reference)
    qtbot.addWidget(documents)
    documents.show()
    documents.add_record()
    documents.fields["kind"].widget.reload()
    documents.set_errors([FieldError("documents.0.kind", "Choose the document type or type its number.")])
    assert documents.list_error.text() and documents.fields["kind"].error.text()
    # WHEN the officer chooses the type
    choose(documents.fields["kind"].widget, "cmr")
    # THEN neither message is left behind: the list's line is empty and the row is no longer marked
    assert documents.list_error.isHidden() and not documents.list_error.text()
    assert not documents.fields["kind"].error.text()
    assert documents.first_error_row() is None


def test_the_outbox_line_in_the_status_bar_follows_a_language_switch(make_desk, settings, qtbot):
    # GIVEN the desk in English, its outbox line in the status bar showing what waits
    desk = make_desk(settings)
    qtbot.waitUntil(lambda: desk.delivery is not None and desk.delivery.label.text() != "", timeout=20_000)
    english = desk.delivery.label.text()
    assert english.startswith("Outbox:")
    # WHEN the officer switches to Russian
    desk.switch_language("ru")
    try:
        # THEN the outbox line is in Russian too, at once (not left in the language of the last tick)
        from blo_desk.i18n import translator

        english = "Outbox: {count} cases waiting"
        expected = translator("ru").ngettext("Outbox: {count} case waiting", english, 0)
        assert desk.delivery.label.text().startswith(expected.split("{count}")[0])
        assert desk.delivery.label.text() != english
    finally:
        desk.switch_language("en")
