"""Free text that leaves the post is masked (issue 16): a withheld name, plate, passport or birth date typed into the
concealment details or an item's description does not go out, in any script or spelling; quantities do."""

from __future__ import annotations

import json

from blo_desk.config import resources_dir
from blo_desk.domain.masking import MASK, mask_free_text
from blo_desk.domain.redaction import parse_profiles, redact_masked

PROFILES = parse_profiles(json.loads((resources_dir() / "redaction" / "profiles.json").read_text("utf-8")))


def _case(details: str, description: str = "") -> dict:
    """A case's content whose driver, plate and passport the non-nominal profile withholds."""
    return {
        "case_number": "UZ-OYB-2024-000123", "post_code": "UZ-OYB", "conveyance_registration": "01 A 457 BC",
        "vin": "XTA210930Y2765432", "concealment_details": details, "narrative": "Stopped at lane 3.",
        "items": [{"category": "narcotics", "description": description, "quantity": "12.5", "seals": "SL 40021"}],
        "persons": [{"role": "driver", "full_name": "Toʻxtayev Rahim Aliyevich", "birth_date": "1971-03-04",
                     "document_type": "passport", "document_number": "AB7654321", "nationality": "UZ",
                     "address": "Toshkent, Chilonzor 9-12"}],
        "attachments": [], "officers": [{"full_name": "Karimova Dilnoza", "rank": "major", "username": "dilnoza"}],
    }


def _sent(details: str, description: str = "", profile: str = "non-nominal") -> tuple[dict, list]:
    return redact_masked(_case(details, description), PROFILES[profile])


def test_a_withheld_name_is_masked_in_either_script_and_any_spelling():
    # GIVEN the driver Toʻxtayev Rahim, typed by a Russian keyboard, in plain Latin and word by word
    shared, spots = _sent("Водитель Тўхтаев Рахим спрятал; Toxtayev said so; RAHIM too; Tuxtaev no.")
    # THEN each spelling of his name is masked, an unrelated word is not
    assert shared["concealment_details"] == f"Водитель {MASK} спрятал; {MASK} said so; {MASK} too; Tuxtaev no."
    assert [(s.key, s.count) for s in spots] == [("concealment_details", 3)]


def test_the_withheld_plate_passport_vin_and_birth_date_are_masked_however_typed():
    shared, _ = _sent("Truck 01A457BC (plate 01 а 457 вс), VIN xta210930y2765432, passport ab 7654321, "
                      "born 4.3.1971 or 1971-03-04; seal SL-40021.")
    # THEN nothing of them is left, Cyrillic look-alike letters and lower case included
    assert shared["concealment_details"] == (f"Truck {MASK} (plate {MASK}), VIN {MASK}, passport {MASK}, "
                                             f"born {MASK} or {MASK}; seal {MASK}.")


def test_plate_and_passport_shaped_tokens_are_masked_even_when_no_field_holds_them():
    # GIVEN a second truck and a passenger's passport typed only into the text
    shared, spots = _sent("Escort car 10 H 123 AB and van 01 457 ABC; passenger FA 1234567 and AC1234567; "
                          "trailer VIN WDB9634031L123456.")
    assert shared["concealment_details"] == (f"Escort car {MASK} and van {MASK}; passenger {MASK} and {MASK}; "
                                             f"trailer VIN {MASK}.")
    assert spots[0].count == 5


def test_quantities_packs_and_the_case_number_are_not_masked():
    text = "24 x 330 ml cans, 12 500 kg, 3 packs of 20; see case UZ-OYB-2024-000123; 2 KG 500"
    shared, spots = _sent(text, description="Heroin, 12 x 1 kg blocks")
    assert shared["concealment_details"] == text and spots == []
    assert shared["items"][0]["description"] == "Heroin, 12 x 1 kg blocks"


def test_an_item_description_is_masked_and_counted_apart():
    shared, spots = _sent("In the tank.", description="Wrapped by Karimova; Toshkent, Chilonzor 9-12 address")
    assert shared["items"][0]["description"] == f"Wrapped by {MASK}; {MASK} address"
    assert [(s.part, s.position, s.key, s.count) for s in spots] == [("items", 1, "description", 2)]


def test_the_operational_profile_sends_the_text_as_typed():
    text = "Driver Toʻxtayev, plate 01 A 457 BC, passport AB7654321"
    shared, spots = _sent(text, profile="operational")
    assert shared["concealment_details"] == text and spots == []


def test_a_value_the_profile_sends_is_not_looked_for():
    # GIVEN the make is sent by the profile THEN the same words in the details are not masked
    content = {**_case("A Kamaz 5490 with a false floor."), "vehicle_make": "Kamaz 5490"}
    shared, spots = mask_free_text(content, {"concealment_details": content["concealment_details"],
                                             "vehicle_make": "Kamaz 5490"})
    assert shared["concealment_details"] == "A Kamaz 5490 with a false floor." and spots == []


def test_a_withheld_value_of_one_or_two_characters_is_not_looked_for():
    # GIVEN a photo captioned "x" and an officer whose user name is "12" (both withheld)
    content = {**_case("24 x 330 ml, 12 boxes"), "attachments": [{"filename": "x.jpg", "caption": "x"}],
               "officers": [{"full_name": "", "rank": "", "username": "12"}]}
    shared, spots = redact_masked(content, PROFILES["non-nominal"])
    assert shared["concealment_details"] == "24 x 330 ml, 12 boxes" and spots == []


def test_a_withheld_name_is_masked_with_its_case_endings():
    # GIVEN the driver's surname declined in Russian and in Uzbek, and words that merely start alike
    shared, _ = _sent("Изъято у Тўхтаева, передано Тўхтаеву; Toʻxtayevning mashinasi; Rahimning ukasi; "
                      "Toxtayevsky street.")
    assert shared["concealment_details"] == (f"Изъято у {MASK}, передано {MASK}; {MASK} mashinasi; {MASK} ukasi; "
                                             "Toxtayevsky street.")


# Kazakh, Kyrgyz and Tajik plates and passports typed into a free text the non-nominal profile sends (the
# concealment details, written as a narrative): masked by their shape, though no field of the case holds them.

def _narrative(text: str) -> tuple[str, int]:
    shared, spots = _sent(text)
    return shared["concealment_details"], sum(s.count for s in spots if s.key == "concealment_details")


def test_a_kazakh_truck_with_its_trailer_and_drivers_passport_is_masked_ru():
    # GIVEN a Russian narrative: a Kazakh tractor unit (2012 plate, typed with Cyrillic А and В), its trailer (a
    # company's plate), an older plate, and the driver's passport
    text, count = _narrative("Тягач MAN 123 АВС 02 с полуприцепом 456 AB 13 (KZ 789-KLM-20), сопровождение A 585 CUO; "
                             "водитель предъявил паспорт N12345678. Вес 12 500 кг, 20 000 USD.")
    # THEN every plate and the passport are masked, the weight and the sum are not
    assert text == (f"Тягач MAN {MASK} с полуприцепом {MASK} ({MASK}), сопровождение {MASK}; "
                    f"водитель предъявил паспорт {MASK}. Вес 12 500 кг, 20 000 USD.")
    assert count == 5


def test_a_kyrgyz_car_and_passport_are_masked_uz():
    # GIVEN an Uzbek narrative: a Kyrgyz car as its plate shows it, a company's van, an old plate, a passport and an
    # ID card
    text, _ = _narrative("Qirgʻiziston avtomobili 01 KG 123 ABC va 08 456 AB furgoni; eski raqam B 1234 AB. "
                         "Haydovchi pasporti AN 1234567, ID-karta ID1234567.")
    assert text == (f"Qirgʻiziston avtomobili {MASK} va {MASK} furgoni; eski raqam {MASK}. "
                    f"Haydovchi pasporti {MASK}, ID-karta {MASK}.")


def test_a_tajik_car_and_a_digits_only_passport_are_masked_en():
    # GIVEN an English narrative: a Tajik car and motorcycle, and passports of digits only, after their word
    text, _ = _narrative("Tajik car 1234 AB 01 and motorcycle 4567 A 02; the driver's passport No. 401234567, "
                         "his brother's passport 4012 34567; Russian passport series AN No 1234567.")
    assert text == (f"Tajik car {MASK} and motorcycle {MASK}; the driver's passport No. {MASK}, "
                    f"his brother's passport {MASK}; Russian passport series {MASK}.")


def test_ordinary_numbers_in_a_narrative_are_not_masked():
    # GIVEN weights (in capitals too), sums, packs, dates, times, case, waybill, TIR, seal, container and flight
    # numbers, phone numbers and an issue date after the word passport
    text = ("Вес брутто 12 500 KG, нетто 1500 KG 05, 330 ML 24, 20 000 USD, 2 KG 500; 24 x 330 ml; 12.03.2024 в 10:40; "
            "дело UZ-DUS-2024-00017, CMR № 0123456, TIR XH 74012345, пломба SL 50317, контейнер MSKU 1234567, "
            "рейс HY 054; тел. +998 90 123 45 67, +7 701 123 4567; паспорт выдан 12.03.2015, pasport 2015-yilda "
            "berilgan; CMR No 1234567, накладная N 12345678, invoice Nr. 7654321, заказ 123456789012; 1 200 CTN, "
            "12 500 PCS 05, 45 000 EUR, 24 X 330 ML.")
    assert _narrative(text) == (text, 0)


def test_personal_numbers_are_masked_after_their_name_or_when_their_rules_hold():
    # GIVEN a Kazakh IIN with its name and alone (its check digit holds), a Kyrgyz personal number alone (a real
    # birth date in it), an Uzbek JSHSHIR and a tax number after their names
    text, count = _narrative("Водитель, ИИН 880412300120; его брат 880412300120. Получатель: PIN 21203198700123, "
                             "жена 11502199000456; JSHSHIR: 31203876540012; ИНН 123456789.")
    assert text == (f"Водитель, ИИН {MASK}; его брат {MASK}. Получатель: PIN {MASK}, жена {MASK}; JSHSHIR: {MASK}; "
                    f"ИНН {MASK}.")
    assert count == 6
    # AND numbers of those lengths whose rules do not hold stay (an order number, a wrong check digit, no date)
    plain = "Заказ 880412300121, партия 21299198700123, счёт 40702810900000001234."
    assert _narrative(plain) == (plain, 0)
