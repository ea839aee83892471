"""The case editor holds a real seizure: the issue's case 2 (a freight wagon in transit, found by X-ray in a joint
operation, three substances in shared containers, a railway waybill) entered through the widgets and saved whole."""

from __future__ import annotations

import os
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from blo_desk.domain.entities import Officer, TransportDocument
from blo_desk.domain.enums import PersonRole, TimePrecision
from blo_desk.i18n import set_language
from blo_desk.ui.pages.editor.form_sections import (
    SECTION_CONVEYANCE,
    SECTION_INCIDENT,
    SECTION_ITEMS,
    SECTION_NARRATIVE,
    SECTION_PERSONS,
    VEHICLE_FIELDS,
)

from .conftest import choose, retype


def _new_case(desk, qtbot):
    desk.new_case()
    qtbot.waitUntil(lambda: desk.window.on_editor and desk.editor.case is not None)
    return desk.editor


def _save(editor, qtbot):
    """Save as the officer does; the case the service saved (and handed back to the editor)."""
    with qtbot.waitSignal(editor.saved, timeout=10_000) as signal:
        assert editor.save(), [(e.field, e.translated()) for e in editor.errors]
    return signal.args[0]


def tick(check_list, code: str) -> None:
    """Tick one entry of a checkable list with the keyboard: go to its row, press Space."""
    row = next(i for i in range(check_list.count()) if check_list.item(i).data(Qt.ItemDataRole.UserRole) == code)
    check_list.setFocus()
    check_list.setCurrentRow(row)
    QTest.keyClick(check_list, Qt.Key.Key_Space)
    assert code in check_list.codes(), f"{code} not ticked"


def add_country(sequence, code: str) -> None:
    choose(sequence.combo, code)
    QTest.keyClick(sequence.add_button, Qt.Key.Key_Space)


def shown(editor, key: str) -> bool:
    return not editor.fields[key].isHidden()


def enter_case_2(editor) -> None:
    """The issue's case 2, typed and chosen through the editor's widgets, section by section."""
    f = editor.fields

    # WHEN the incident is entered: a joint operation of customs, border troops and police, found by X-ray
    retype(f["occurred_date"].widget, "25.08.2024")
    choose(f["time_precision"].widget, "approximate")
    retype(f["occurred_time"].widget, "14:30")
    choose(f["direction"].widget, "transit")
    choose(f["agency"].widget, "customs")
    tick(f["joint_agencies"].widget, "border")
    tick(f["joint_agencies"].widget, "police")
    choose(f["detection_method"].widget, "xray")
    tick(f["other_detection_methods"].widget, "customs_inspection")
    tick(f["technical_means"].widget, "xray_scanner")
    tick(f["technical_means"].widget, "endoscope")
    # AND the seizing officers: the officer at the desk, and a border officer typed in
    QTest.keyClick(editor.add_me_button, Qt.Key.Key_Space)
    officer = editor.officers.fields
    retype(officer["full_name"].widget, "Sabina Yoʻldosheva")
    retype(officer["rank"].widget, "kapitan")
    editor.officers.add_record()
    retype(officer["full_name"].widget, "Rustam Gʻofurov")
    retype(officer["rank"].widget, "mayor")
    choose(officer["agency"].widget, "border")

    # AND the conveyance: a freight wagon from Kazakhstan through Uzbekistan to Afghanistan
    editor.tabs.setCurrentIndex(SECTION_CONVEYANCE)
    choose(f["conveyance_type"].widget, "freight_wagon")
    retype(f["train_number"].widget, "2817")
    retype(f["wagon_number"].widget, "63481257")
    retype(f["container_number"].widget, "TKRU 4512893")
    choose(f["concealment_method"].widget, "in_cargo")
    choose(f["origin_country"].widget, "KZ")
    add_country(f["transit_countries"].widget, "UZ")
    choose(f["destination_country"].widget, "AF")
    retype(f["declared_cargo"].widget, "Paxta tolasi (cotton fibre)")
    retype(f["declared_weight"].widget, "64 000")
    assert f["declared_weight"].error.text() == "= 64\u00a0000 кг"
    editor.documents.add_record()
    document = editor.documents.fields
    choose(document["kind"].widget, "smgs")
    retype(document["number"].widget, "SMGS 30412877")
    retype(document["issued_on"].widget, "22.08.2024")

    # AND the driver... no: the wagon's escort, who is also the suspect, with his passport
    editor.tabs.setCurrentIndex(SECTION_PERSONS)
    editor.persons.add_record()
    person = editor.persons.fields
    choose(person["role"].widget, "owner")
    tick(person["other_roles"].widget, "suspect")
    retype(person["full_name"].widget, "Ермеков Нурлан Серикович")
    retype(person["birth_date"].widget, "03.11.1979")
    retype(person["birth_place"].widget, "Шымкент")
    choose(person["nationality"].widget, "KZ")
    choose(person["document_type"].widget, "passport")
    retype(person["document_number"].widget, "N12345678")
    retype(person["document_issued_on"].widget, "14.02.2019")
    retype(person["document_issuer"].widget, "МВД РК")

    # AND three substances, the first two in the same containers (group A)
    editor.tabs.setCurrentIndex(SECTION_ITEMS)
    item = editor.items.fields
    for substance, description, net, gross, group in (
            ("hashish", "Гашиш в брикетах", "85,505", "86 kg 100 g", "A"),
            ("heroin", "Героин, порошок", "12,3", "12,9", "A"),
            ("opium", "Опий-сырец", "4 kg 250 g", "", "")):
        editor.items.add_record()
        QTest.qWait(450)  # the combos of the item form are the same widgets: their type-ahead starts afresh
        choose(item["substance"].widget, substance)
        retype(item["description"].widget, description)
        retype(item["quantity"].widget, net)
        choose(item["packaging"].widget, "container")
        retype(item["packages"].widget, "2")
        retype(item["package_group"].widget, group)
        retype(item["net_weight"].widget, net)
        if gross:
            retype(item["gross_weight"].widget, gross)
        retype(item["seals"].widget, "No. 001245")
    # choosing the substance filled in its category and unit
    assert item["category"].widget.code() == "narcotics" and item["unit"].widget.code() == "kg"
    editor.tabs.setCurrentIndex(SECTION_NARRATIVE)
    retype(f["narrative"].widget, "Rentgen tekshiruvida paxta toylari orasida yashirilgan giyohvand moddalar aniqlandi.")



def test_the_freight_wagon_case_entered_through_the_widgets_is_saved_with_every_value(make_desk, settings, qtbot):
    # GIVEN an officer of Doʻstlik with a new case, in the Russian desk (a comma is the decimal mark)
    set_language("ru")
    desk = make_desk(settings)
    editor = _new_case(desk, qtbot)
    f = editor.fields
    # WHEN the case 2 is entered through the widgets and the officer saves
    enter_case_2(editor)
    case = _save(editor, qtbot)

    # THEN the saved case holds every value, as typed
    assert case.occurred_at == datetime(2024, 8, 25, 14, 30, tzinfo=ZoneInfo("Asia/Tashkent"))
    assert case.time_precision == TimePrecision.APPROXIMATE
    assert case.agency == "customs" and case.joint_agencies == ("border", "police")
    assert case.agencies == ("customs", "border", "police")
    assert case.detection_method == "xray" and case.other_detection_methods == ("customs_inspection",)
    assert case.technical_means == ("xray_scanner", "endoscope")
    assert case.officers == (
        Officer(full_name="Sabina Yoʻldosheva", rank="kapitan", agency="customs", username="sabina"),
        Officer(full_name="Rustam Gʻofurov", rank="mayor", agency="border"),
    )
    assert (case.conveyance_type, case.train_number, case.wagon_number, case.container_number) == (
        "freight_wagon", "2817", "63481257", "TKRU 4512893")
    assert (case.origin_country, case.transit_countries, case.destination_country) == ("KZ", ("UZ",), "AF")
    assert case.declared_cargo == "Paxta tolasi (cotton fibre)" and case.declared_weight == Decimal("64000")
    assert case.documents == (TransportDocument(kind="smgs", number="SMGS 30412877", issued_on=date(2024, 8, 22)),)
    (escort,) = case.persons
    assert escort.roles == (PersonRole.OWNER, PersonRole.SUSPECT)
    assert (escort.full_name, escort.birth_date, escort.birth_place) == (
        "Ермеков Нурлан Серикович", date(1979, 11, 3), "Шымкент")
    assert (escort.document_number, escort.document_issued_on, escort.document_issuer) == (
        "N12345678", date(2019, 2, 14), "МВД РК")
    assert [(i.substance, i.category, i.unit) for i in case.items] == [
        ("hashish", "narcotics", "kg"), ("heroin", "narcotics", "kg"), ("opium", "narcotics", "kg")]
    assert [(i.net_weight, i.gross_weight) for i in case.items] == [
        (Decimal("85.505"), Decimal("86.1")), (Decimal("12.3"), Decimal("12.9")), (Decimal("4.25"), None)]
    assert [i.quantity for i in case.items] == [Decimal("85.505"), Decimal("12.3"), Decimal("4.25")]
    assert [(i.packaging, i.packages, i.package_group, i.seals) for i in case.items] == [
        ("container", 2, "A", "No. 001245"), ("container", 2, "A", "No. 001245"), ("container", 2, "", "No. 001245")]

    # AND opened again, the editor shows every value where it was typed
    editor.load_case(case)
    assert f["joint_agencies"].widget.codes() == ("border", "police")
    assert f["transit_countries"].widget.codes() == ("UZ",)
    assert f["time_precision"].widget.code() == "approximate" and f["occurred_time"].value() == "14:30"
    assert editor.items.records[0]["net_weight"] == "85,505"
    assert editor.persons.records[0]["document_issued_on"] == "14.02.2019"
    assert editor.documents.records[0]["number"] == "SMGS 30412877"
    assert not editor.dirty


def test_the_freight_wagon_case_reads_back_from_the_store_as_saved(make_desk, settings, qtbot):
    # GIVEN the case 2 entered through the widgets and saved
    set_language("ru")
    desk = make_desk(settings)
    editor = _new_case(desk, qtbot)
    enter_case_2(editor)
    saved = _save(editor, qtbot)
    # WHEN it is read back from the store THEN it is the case that was saved, every field
    assert desk.services.cases.get(case_id=saved.id) == saved


def test_the_conveyance_type_shows_only_its_own_fields_and_hidden_values_are_kept(make_desk, settings, qtbot):
    # GIVEN a new case with a truck and its plates typed in
    desk = make_desk(settings)
    editor = _new_case(desk, qtbot)
    f = editor.fields
    editor.tabs.setCurrentIndex(SECTION_CONVEYANCE)
    choose(f["conveyance_type"].widget, "truck")
    truck = {"conveyance_registration", "vehicle_make", "trailer_plate", "vin", "container_number"}
    assert {k for k in VEHICLE_FIELDS if shown(editor, k)} == truck
    retype(f["conveyance_registration"].widget, "01 A 457 BC")
    retype(f["trailer_plate"].widget, "01 XA 2231")

    # WHEN the type becomes a freight wagon, an aircraft, a parcel, a pedestrian, a car
    # THEN only the fields of that type are shown
    expected = {
        "freight_wagon": {"train_number", "wagon_number", "container_number"},
        "passenger_train": {"train_number", "wagon_number"},
        "aircraft": {"flight_number", "conveyance_registration"},
        "parcel_post": set(),
        "pedestrian": set(),
        "car": {"conveyance_registration", "vehicle_make", "vin"},
    }
    for conveyance, fields in expected.items():
        QTest.qWait(450)  # a pause, as an officer makes: the combo's type-ahead starts afresh
        choose(f["conveyance_type"].widget, conveyance)
        assert {k for k in VEHICLE_FIELDS if shown(editor, k)} == fields, conveyance
    # AND Tab goes from the type straight to the fields shown (the car's plate, not a hidden train number)
    f["conveyance_type"].widget.setFocus()
    QTest.keyClick(f["conveyance_type"].widget, Qt.Key.Key_Tab)
    assert f["conveyance_registration"].widget.hasFocus()

    # AND the hidden trailer plate kept its value: back to a truck, it is there, and it is saved
    QTest.qWait(450)
    choose(f["conveyance_type"].widget, "truck")
    assert f["trailer_plate"].value() == "01 XA 2231"
    retype(f["occurred_date"].widget, "20.04.2024")  # a day gone by: 10:40 today may not have come yet
    retype(f["occurred_time"].widget, "10:40")
    case = _save(editor, qtbot)
    assert (case.conveyance_registration, case.trailer_plate) == ("01 A 457 BC", "01 XA 2231")


def test_an_unknown_time_is_saved_without_a_time(make_desk, settings, qtbot):
    # GIVEN a new case whose time is not known, only the date
    desk = make_desk(settings)
    editor = _new_case(desk, qtbot)
    f = editor.fields
    retype(f["occurred_date"].widget, "25.08.2024")
    f["occurred_time"].set_value("")

    # WHEN the officer says the time is unknown
    choose(f["time_precision"].widget, "unknown")

    # THEN the time field is not asked for
    assert not f["occurred_time"].widget.isEnabled()
    # AND the case is saved on that day, flagged as of unknown time (no 00:00 was typed)
    case = _save(editor, qtbot)
    assert case.time_precision == TimePrecision.UNKNOWN
    assert case.occurred_at == datetime(2024, 8, 25, 0, 0, tzinfo=ZoneInfo("Asia/Tashkent"))
    # AND opened again, the time field stays empty and disabled, with no example time greyed in it either
    editor.load_case(case)
    assert f["occurred_time"].value() == "" and not f["occurred_time"].widget.isEnabled()
    assert not any(ch.isdigit() for ch in f["occurred_time"].widget.placeholderText())

    # WHEN the time becomes exact again without a time typed THEN the time is asked for, next to its field
    QTest.qWait(450)
    choose(f["time_precision"].widget, "exact")
    assert f["occurred_time"].widget.placeholderText() == "10:40"  # the example is back where a time is asked
    assert not editor.save()
    assert f["occurred_time"].error.text() and f["occurred_time"].widget.isEnabled()


def test_errors_of_the_new_fields_are_shown_next_to_them_and_the_fields_do_not_move(make_desk, settings, qtbot):
    # GIVEN a new case with an officer without a name, a document dated in the future, a net weight over the gross
    desk = make_desk(settings)
    editor = _new_case(desk, qtbot)
    f = editor.fields
    editor.officers.add_record()
    editor.documents.add_record()
    choose(editor.documents.fields["kind"].widget, "cmr")
    retype(editor.documents.fields["issued_on"].widget, "01.01.2999")
    editor.items.add_record()
    editor.items.fields["description"].set_value("Heroin")
    editor.items.fields["net_weight"].set_value("10")
    editor.items.fields["gross_weight"].set_value("9")
    editor.persons.add_record()
    editor.persons.fields["full_name"].set_value("Karimova Dilnoza")
    editor.persons.fields["document_issued_on"].set_value("31.02.2020")
    before = f["procedure"].mapTo(editor, f["procedure"].rect().topLeft())

    # WHEN the officer saves
    assert not editor.save()

    # THEN every message is at its field
    assert editor.officers.fields["full_name"].error.text()
    assert editor.documents.fields["issued_on"].error.text()
    assert editor.items.fields["net_weight"].error.text() == "The net weight cannot be more than the gross weight."
    assert editor.persons.fields["document_issued_on"].error.text() == "This date does not exist."
    # AND the incident form did not move under the pointer
    assert f["procedure"].mapTo(editor, f["procedure"].rect().topLeft()) == before
    assert editor.tabs.currentIndex() == SECTION_INCIDENT  # the first error: the officer without a name
    assert editor.officers.fields["full_name"].widget.hasFocus()


@pytest.mark.parametrize("language", ["uz"])
def test_every_section_fits_a_1366_by_768_screen(make_desk, settings, qtbot, tmp_path, language):
    # GIVEN the Uzbek desk at 1366x768 with a case whose lists are filled
    set_language(language)
    desk = make_desk(settings)
    desk.window.resize(1366, 768)
    editor = _new_case(desk, qtbot)
    choose(editor.fields["conveyance_type"].widget, "truck")
    editor.items.add_record()
    choose(editor.items.fields["substance"].widget, "heroin")
    editor.items.fields["net_weight"].set_value("85,505")
    editor.persons.add_record()
    editor.officers.add_record()
    editor.documents.add_record()
    out = Path(os.environ.get("BLO_SHOTS", tmp_path))
    # WHEN each section is shown THEN nothing is wider than the window (the sections scroll down, never sideways)
    for section in range(editor.tabs.count() - 1):
        editor.tabs.setCurrentIndex(section)
        QTest.qWait(50)
        assert desk.window.width() <= 1366 and desk.window.height() <= 768
        scroll = editor.tabs.currentWidget()
        if hasattr(scroll, "horizontalScrollBar"):
            assert scroll.horizontalScrollBar().maximum() == 0, section
        desk.window.grab().save(str(out / f"editor-{language}-{section}.png"))


def test_add_me_fills_the_officers_own_full_name_and_asks_for_the_rank(make_desk, settings, qtbot):
    # GIVEN an officer whose account carries a full name, logged in at the desk
    desk = make_desk(settings, username="bobur", role="officer", full_name="Tursunov Bobur")
    editor = _new_case(desk, qtbot)
    # WHEN they press "Add me" among the seizing officers
    QTest.keyClick(editor.add_me_button, Qt.Key.Key_Space)
    # THEN the row holds their own name (not an empty name to type again) and the cursor waits in the rank
    assert [(r["full_name"], r["username"]) for r in editor.officers.records] == [("Tursunov Bobur", "bobur")]
    assert editor.officers.fields["full_name"].widget.text() == "Tursunov Bobur"
    assert editor.officers.fields["rank"].widget.hasFocus()


@pytest.mark.parametrize("language", ["uz", "ru", "en"])
def test_the_conveyance_fields_do_not_slide_sideways_when_the_type_changes(make_desk, settings, qtbot, language):
    # GIVEN a new case, on the conveyance section, with a truck (its long "plate or registration" label shown)
    desk = make_desk(settings)
    desk.switch_language(language)
    try:
        editor = _new_case(desk, qtbot)
        f = editor.fields
        editor.tabs.setCurrentIndex(SECTION_CONVEYANCE)
        choose(f["conveyance_type"].widget, "truck")

        def left_edge() -> int:
            editor.tabs.currentWidget().widget().layout().activate()
            return f["conveyance_type"].widget.mapTo(editor, f["conveyance_type"].widget.rect().topLeft()).x()

        truck = left_edge()
        # WHEN the type becomes a pedestrian (the long label is hidden with its field) and a freight wagon
        for conveyance in ("pedestrian", "freight_wagon"):
            QTest.qWait(450)  # the combo's type-ahead starts afresh
            choose(f["conveyance_type"].widget, conveyance)
            # THEN the fields stay where they were: the label column keeps its width
            assert left_edge() == truck, conveyance
    finally:
        desk.switch_language("en")
        set_language("en")


def test_the_protocol_fields_are_entered_saved_and_shown_again(make_desk, settings, qtbot):
    # GIVEN an officer of Doʻstlik with a new case, in the English desk
    set_language("en")
    desk = make_desk(settings)
    editor = _new_case(desk, qtbot)
    f = editor.fields
    retype(f["occurred_date"].widget, "20.04.2024")
    retype(f["occurred_time"].widget, "14:30")
    # WHEN the officer ticks the offence articles, chooses the interpreter's language and types the end of the
    # drawing up (past midnight) and the number of copies, then saves
    editor.tabs.setCurrentIndex(SECTION_NARRATIVE)
    tick(f["offence_articles"].widget, "UZ-CC-246")
    tick(f["offence_articles"].widget, "UZ-CC-273")
    choose(f["interpreter_language"].widget, "tg")
    retype(f["ended_time"].widget, "00:40")
    retype(f["copies"].widget, "3")
    case = _save(editor, qtbot)
    # THEN the case holds them: the end on the next day, in the post's zone
    assert case.offence_articles == ("UZ-CC-246", "UZ-CC-273")
    assert case.interpreter_language == "tg"
    assert case.ended_at == datetime(2024, 4, 21, 0, 40, tzinfo=ZoneInfo("Asia/Tashkent"))
    assert case.copies == 3
    # AND opened again, the form shows them as typed
    editor.load_case(case)
    assert f["offence_articles"].widget.codes() == ("UZ-CC-246", "UZ-CC-273")
    assert f["interpreter_language"].widget.code() == "tg"
    assert (f["ended_time"].value(), f["copies"].value()) == ("00:40", "3")
    # AND a number of copies that is not a number is marked next to its field, and nothing is saved
    f["copies"].set_value("three")
    assert not editor.save()
    assert [e.field for e in editor.errors] == ["copies"]


def _offered(check_list) -> dict[str, str]:
    """What the officer sees in the offence list: each row's text, by its code, and which are ticked."""
    return {check_list.item(i).data(Qt.ItemDataRole.UserRole): check_list.item(i).text()
            for i in range(check_list.count()) if not check_list.item(i).isHidden()}


def test_the_offence_list_offers_the_articles_of_the_posts_country_and_keeps_one_the_case_holds(make_desk, settings,
                                                                                                  qtbot):
    from dataclasses import replace
    # GIVEN a supervisor of Dostuk, a Kyrgyz post, with a new case in the English desk
    set_language("en")
    desk = make_desk(settings, username="aibek", post_code="KG-DOS")
    editor = _new_case(desk, qtbot)
    offences = editor.fields["offence_articles"].widget
    editor.tabs.setCurrentIndex(SECTION_NARRATIVE)
    # THEN the offence list shows the Kyrgyz articles only, each with its code and short title
    rows = _offered(offences)
    assert rows and all(code.startswith("KG-") for code in rows), rows
    assert rows["KG-CC-267"] == "KG-CC-267: Illegal trafficking in weapons, ammunition"
    assert "UZ-CC-246" not in rows and "KZ-CC-286" not in rows
    # WHEN the officer ticks the weapons article and saves
    tick(offences, "KG-CC-267")
    case = _save(editor, qtbot)
    assert case.offence_articles == ("KG-CC-267",)
    # AND a case of this post that holds a Kazakh article (entered before the list followed the post) is opened
    editor.load_case(replace(case, offence_articles=("KG-CC-267", "KZ-CC-286")))
    # THEN that article is still shown, ticked, with its title; the other countries' articles are not offered
    rows = _offered(offences)
    assert rows["KZ-CC-286"] == "KZ-CC-286: Smuggling of items withdrawn from circulation"
    assert offences.codes() == ("KG-CC-267", "KZ-CC-286")
    assert {code for code in rows if not code.startswith("KG-")} == {"KZ-CC-286"}
    # AND unticked, it stays in view until the case is opened again at a post of its own country
    offences.check("KZ-CC-286", False)
    assert offences.codes() == ("KG-CC-267",) and "KZ-CC-286" in _offered(offences)
    # AND a case of a post in another country, opened next in the same editor, offers that country's articles
    editor.load_case(replace(case, post_code="UZ-DUS", offence_articles=("UZ-CC-246",)))
    rows = _offered(offences)
    assert rows and all(code.startswith("UZ-") for code in rows), rows
    assert offences.codes() == ("UZ-CC-246",)
