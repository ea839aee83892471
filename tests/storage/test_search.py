"""Full-text search: Cyrillic and Uzbek Latin, any case, any apostrophe; plates and documents without spaces."""

from __future__ import annotations

import pytest

from blo_desk.services.demo import load_demo


@pytest.fixture
def demo(services):
    load_demo(cases=services.cases)
    return services


def _numbers(services, text):
    return sorted(r.case_number for r in services.cases.search(text=text).rows)


@pytest.mark.parametrize(
    "typed",
    ["Toʻxtayev", "toʻxtayev", "TO'XTAYEV", "to‘xtayev", "to`xtayev", "TOXTAYEV", "toʻxta"],
)
def test_uzbek_latin_matches_whatever_apostrophe_or_case(demo, typed):
    # GIVEN the demo store, where witness Toʻxtayev signed the Dustlik protocol
    # WHEN an officer searches with any spelling of the apostrophe and any case
    # THEN the Dustlik case is found
    assert _numbers(demo, typed) == ["UZ-DUS-2024-00001"]


@pytest.mark.parametrize("typed", ["ШАРИПОВ", "шарипов", "Шарип", "асанов бакыт"])
def test_cyrillic_matches_case_insensitively(demo, typed):
    # GIVEN cases with Cyrillic names WHEN searched in another case THEN found
    assert len(_numbers(demo, typed)) == 1


def test_plate_and_document_numbers_match_without_spaces(demo):
    # GIVEN the Oybek lorry with plate "01 A 457 BC" and the Dustlik owner's passport "AC 2284611"
    # WHEN searched as typed from a scanner, without spaces
    # THEN each is found
    assert _numbers(demo, "01A457BC") == ["UZ-OYB-2024-00001"]
    assert _numbers(demo, "ac2284611") == ["UZ-DUS-2024-00001"]


def test_items_and_narrative_are_searched_and_all_words_must_match(demo):
    # GIVEN the demo store
    # WHEN searching a brand, a narrative word, and two words that never occur together
    # THEN brand and narrative hits are found, and the impossible pair finds nothing
    assert _numbers(demo, "oztay") == ["UZ-DUS-2024-00001"]
    assert "UZ-KUD-2023-00001" in _numbers(demo, "counterpart")
    assert _numbers(demo, "oztay heroin") == []


def test_search_text_with_fts_syntax_is_harmless(demo):
    # GIVEN text full of FTS5 operators and quotes WHEN searched THEN no error, simply no hit
    assert _numbers(demo, 'NEAR( "x* OR -- ) AND') == []
    assert _numbers(demo, "   ") != []  # blank search lists everything


def test_a_change_reindexes_the_case(demo):
    # GIVEN a draft found by its narrative
    from dataclasses import replace

    row = demo.cases.search(text="perfume").rows[0]
    case = demo.cases.get(case_id=row.id)
    # WHEN the narrative is changed
    demo.cases.save(case=replace(case, narrative="Fake fragrance bottles"))
    # THEN the old words no longer find it and the new ones do
    assert demo.cases.search(text="fragrance").total == 1
    assert demo.cases.search(text="perfume").total == 1  # still in the item description
    assert demo.cases.search(text="trademarks").total == 0


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Каримова", "UZ-DUS-2024-00001"),  # entered in Latin: Karimova Dilnoza
        ("Тўхтаев", "UZ-DUS-2024-00001"),  # entered in Latin: Toʻxtayev Baxtiyor
        ("Sharipov", "TJ-PAK-2022-00001"),  # entered in Cyrillic: Шарипов Далер
        ("Zhumabaev", "KZ-KON-2024-00001"),  # entered in Cyrillic: Жумабаев Ерлан
        ("Qodirova", "UZ-OYB-2024-00001"),  # entered in Latin: Qodirova Malika
        ("Кодирова", "UZ-OYB-2024-00001"),
    ],
)
def test_a_name_is_found_whichever_script_it_was_typed_in(demo, typed, expected):
    # GIVEN names entered at one post in Latin and at another in Cyrillic
    # WHEN an analyst searches in the other script THEN the same person is found
    assert _numbers(demo, typed) == [expected]


def _real_case(services, name):
    import json
    from decimal import Decimal
    from pathlib import Path

    from blo_desk.domain.case_json import case_from_json
    from blo_desk.domain.zones import zone_for_post

    data = json.loads((Path(__file__).resolve().parent.parent / "data" / "real_cases" / name).read_text("utf-8"),
                      parse_float=Decimal)
    return services.cases.save(case=case_from_json(data, default_timezone=zone_for_post(data["post_code"])))


@pytest.mark.parametrize("typed", ["heroin", "Героин", "героина", "geroin", "opium", "опий", "гашиш", "nasha"])
def test_a_substance_is_found_by_any_of_its_names_in_any_language(services, typed):
    # GIVEN the freight wagon case: heroin, opium and hashish chosen from the substance list, described in English
    wagon = _real_case(services, "freight_wagon_joint.json")
    _real_case(services, "pedestrian_cash_pistol.json")
    # WHEN an analyst searches by a name of one of them in any language or spelling
    # THEN the wagon is found, and the pedestrian with cash and a pistol is not
    assert _numbers(services, typed) == [wagon.case_number]


def test_a_free_text_item_is_found_by_the_substances_it_names(services):
    # GIVEN the demo store, whose Oybek case describes "Heroin, brown powder" without a substance code
    load_demo(cases=services.cases)
    # WHEN searched in Russian or Uzbek THEN it is found as well
    assert "UZ-OYB-2024-00001" in _numbers(services, "героин")
    assert "UZ-OYB-2024-00001" in _numbers(services, "geroin")


@pytest.mark.parametrize("typed", ["WMA06XZZ4DM612345", "01 5544 AA", "015544AA", "AF 0412377", "AF0412377",
                                   "Qarshi", "Ergashev"])
def test_trailer_vin_document_numbers_place_of_birth_and_officers_are_searchable(services, typed):
    truck = _real_case(services, "truck_two_drugs.json")
    assert _numbers(services, typed) == [truck.case_number]


@pytest.mark.parametrize("typed", ["MSKU 123456-7", "MSKU1234567", "6325 1234", "63251234", "SMGS 77014522"])
def test_container_wagon_and_waybill_numbers_are_searchable(services, typed):
    wagon = _real_case(services, "freight_wagon_joint.json")
    assert _numbers(services, typed) == [wagon.case_number]


def test_a_multi_word_substance_name_is_found_from_an_inflected_synonym(services):
    # GIVEN a case with cannabis ("Cannabis (marijuana)"), described only as "dried plants"
    from dataclasses import replace

    from blo_desk.services.demo import dustlik_case

    case = dustlik_case()
    item = replace(case.items[0], category="narcotics", substance="cannabis", description="Dried plants")
    saved = services.cases.save(case=replace(case, items=(item,)))
    # WHEN searched with the Russian genitive of "marijuana" THEN it is found
    assert _numbers(services, "марихуаны") == [saved.case_number]


@pytest.mark.parametrize(("typed", "entered"), [
    ("Рахимов", "Rahimov Sanjar"),  # Russian х for Uzbek h
    ("Rahimov", "Рахимов Санжар"),  # and back
    ("Хамидова", "Hamidova Zulfiya"),
    ("Shohruh", "Шохрух Азимов"),  # sh stays sh; the h and x after it meet
    ("Xasanov", "Hasanov Bobur"),  # two Latin spellings of one Cyrillic letter
])
def test_uzbek_h_and_x_meet_the_russian_kh(services, typed, entered):
    # GIVEN a case whose witness was entered with an Uzbek h or x, or with the Russian х for either
    from dataclasses import replace

    from blo_desk.domain.entities import Person
    from blo_desk.domain.enums import PersonRole

    saved = _real_case(services, "pedestrian_cash_pistol.json")
    case = services.cases.get(case_id=saved.id)
    services.cases.save(case=replace(case, persons=(*case.persons, Person(role=PersonRole.WITNESS,
                                                                          full_name=entered))))
    # WHEN an officer types the name in the other spelling THEN the case is found
    assert _numbers(services, typed) == [saved.case_number]


def test_an_h_or_x_swap_finds_no_unrelated_name(services):
    # GIVEN the demo cases WHEN a name that no case holds in any spelling is typed THEN nothing is found
    load_demo(cases=services.cases)
    assert _numbers(services, "Хуршидов") == []
