"""The protocol of a real seizure: every field of the record (format 2) appears on paper, in each print language."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from blo_desk.domain.canonical import content_hash
from blo_desk.domain.check_code import make_check_code
from blo_desk.domain.entities import (
    Case,
    Officer,
    Person,
    Post,
    ReferenceItem,
    SeizedItem,
    TransportDocument,
)
from blo_desk.domain.enums import CaseStatus, Direction, PersonRole, TimePrecision
from blo_desk.i18n import translator
from blo_desk.reports.data import ProtocolData
from blo_desk.reports.protocol import build_protocol
from blo_desk.services.reference import load_seed
from tests.reports.conftest import flat, pdf_pages

CASE_ID = "7d1f0c52-3a8e-4b8f-9a51-1c0f6a2b9e10"
def labels() -> dict:
    _, lists = load_seed()
    found: dict[str, dict[str, ReferenceItem]] = {}
    for kind, rows in lists.items():
        found[kind] = {code: ReferenceItem(kind, code, uz, ru, en) for code, uz, ru, en in rows}
    return found


def truck_case(**changes) -> Case:
    """Two drugs (kg and g) under the floor of a truck with a trailer; the driver is also the suspect."""
    case = Case(
        id=CASE_ID,
        case_number="UZ-DUS-2024-00017",
        post_code="UZ-DUS",
        occurred_at=datetime(2024, 4, 20, 9, 30, tzinfo=UTC),  # 14:30 in Tashkent
        direction=Direction.ENTRY,
        agency="customs",
        joint_agencies=("police",),
        detection_method="risk_profile",
        other_detection_methods=("dog",),
        technical_means=("drug_test_kit", "endoscope"),
        conveyance_type="truck",
        conveyance_registration="01 A 123 BC",
        vehicle_make="MAN TGX 18.440",
        trailer_plate="01 5544 AA",
        vin="WMA06XZZ4DM612345",
        origin_country="AF",
        transit_countries=("TJ",),
        destination_country="KZ",
        declared_cargo="Dried apricots",
        declared_weight=Decimal("18250.5"),
        documents=(TransportDocument("cmr", "AF 0412377", date(2024, 4, 17)),
                   TransportDocument("invoice", "INV-2024/118", date(2024, 4, 16))),
        officers=(Officer("Rahimov Aziz Karimovich", "Major", "customs", "arahimov"),
                  Officer("Sobirov Jamshid", "Captain", "police")),
        concealment_method="vehicle_cavity",
        concealment_details="under the floor covering of the trailer",
        legal_basis="Criminal Code art. 246",
        items=(
            SeizedItem(category="narcotics", substance="heroin", description="Brown powder", quantity=Decimal("85.505"),
                       unit="kg", packages=12, net_weight=Decimal("85.505"), gross_weight=Decimal("86.9"),
                       packaging="polyethylene_parcel", package_group="A", seals="UZ-DUS 004601"),
            SeizedItem(category="narcotics", substance="hashish", description="Dark resin plates", quantity=Decimal(350),
                       unit="g", net_weight=Decimal("0.35"), packaging="polyethylene_parcel", package_group="A",
                       seals="UZ-DUS 004602"),
        ),
        persons=(
            Person(role=PersonRole.DRIVER, other_roles=(PersonRole.SUSPECT,), full_name="Nazarov Farrux Olimovich",
                   birth_date=date(1981, 6, 2), birth_place="Termiz", nationality="TJ", document_type="passport",
                   document_number="400123456", document_issued_on=date(2019, 3, 14),
                   document_issuer="MVD Dushanbe", address="Dushanbe, Rudaki 12"),
            Person(role=PersonRole.WITNESS, full_name="Toʻxtayev Baxtiyor"),
        ),
        status=CaseStatus.FINALIZED,
        revision=1,
    )
    return replace(case, **changes)


def protocol_text(case: Case, lang: str, tmp_path) -> str:
    post = Post("UZ-DUS", "UZ", "Doʻstlik", "Дустлик", "Dustlik")
    code = make_check_code(case_id=case.id, revision=case.revision, content_hash=content_hash(case))
    data = ProtocolData(case=case, post=post, labels=labels(), check_code=code)
    return flat(" ".join(pdf_pages(build_protocol(data, lang=lang), tmp_path))).replace("\u00a0", " ")


# Per language: what a reader of that paper must find (names from the lists and CLDR, numbers as babel writes them).
EXPECTED = {
    "ru": ["Героин", "Гашиш", "85,505 кг", "86,9 кг", "0,35 кг", "85,855 кг", "350 г", "Свёрток",  # the label wraps in its narrow column
           "Таможенная служба", "Органы внутренних дел", "Экспресс-тест на наркотики", "Эндоскоп",
           "Профиль риска, Служебная собака", "Афганистан → Таджикистан → Казахстан", "Таджикистан",
           "18 250,5 кг", "Инвойс", "Водитель, Подозреваемый", "Грузовой автомобиль",
           "14 марта 2019 г.", "17 апреля 2024 г.", "16 апреля 2024 г.", "2 июня 1981 г."],
    "uz": ["Geroin", "Gashish", "85,505 kg", "86,9 kg", "0,35 kg", "85,855 kg", "350 g", "Polietilen",
           "Bojxona xizmati", "Ichki ishlar organlari", "ekspress-testi", "Endoskop",
           "Xavf profili, Xizmat iti", "Afgʻoniston → Tojikiston → Qozogʻiston", "18 250,5 kg", "Invoys",
           "Yuk avtomobili", "2019-yil 14-mart", "2024-yil 17-aprel", "2024-yil 16-aprel", "1981-yil 2-iyun"],
    "en": ["Heroin", "Hashish", "85.505 kg", "86.9 kg", "0.35 kg", "85.855 kg", "350 g", "Parcel in",
           "Customs", "Drug test kit, Endoscope", "Risk profile, Detector dog", "Afghanistan → Tajikistan → Kazakhstan",
           "18,250.5 kg", "Invoice", "Driver, Suspect", "Truck", "March 14, 2019", "April 17, 2024", "April 16, 2024",
           "June 2, 1981"],
}
# The record's own text, the same on every paper.
VALUES = ("Brown powder", "Dark resin plates", "UZ-DUS 004601", "UZ-DUS 004602", "MAN TGX 18.440", "01 A 123 BC",
          "01 5544 AA", "WMA06XZZ4DM612345", "Dried apricots", "AF 0412377", "INV-2024/118", "CMR",
          "Rahimov Aziz Karimovich, Major", "Sobirov Jamshid, Captain", "Nazarov Farrux Olimovich", "Termiz",
          "400123456", "MVD Dushanbe", "under the floor covering", "14:30")


@pytest.mark.parametrize("lang", ["ru", "uz", "en", "uz+ru"])
def test_every_field_of_a_real_seizure_is_printed_in_the_language(tmp_path, lang):
    # GIVEN a truck case with two drugs, a joint operation, two documents, two officers, a driver who is the suspect
    case = truck_case()
    # WHEN its protocol is printed
    text = protocol_text(case, lang, tmp_path)
    first = lang.split("+")[0]
    # THEN the names, labels and countries are in each language of the form; numbers as the first language writes them
    for language in lang.split("+"):
        for expected in EXPECTED[language]:
            if language != first and any(ch.isdigit() for ch in expected):
                continue
            assert expected in text, (lang, expected)
    # AND the record's own values are printed as entered
    for value in VALUES:
        assert value in text, (lang, value)
    # AND each drug notes that the other shares its packages
    shared = translator(first).gettext("In the same packages as No. {numbers}")
    assert shared.format(numbers="2") in text and shared.format(numbers="1") in text
    # AND the 12 parcels the two drugs share are counted once
    assert translator(first).gettext("Packages: {count}").format(count="12") in text
    assert "None" not in text


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_an_approximate_time_is_printed_as_about(tmp_path, lang):
    # GIVEN a case whose time is known only roughly
    case = truck_case(time_precision=TimePrecision.APPROXIMATE)
    # WHEN printed
    text = protocol_text(case, lang, tmp_path)
    # THEN the paper says "about 14:30"
    assert translator(lang).gettext("about {time}").format(time="14:30") in text


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_an_unknown_time_is_said_to_be_unknown_never_a_made_up_midnight(tmp_path, lang):
    # GIVEN a case whose time is unknown, stored at local midnight
    case = truck_case(time_precision=TimePrecision.UNKNOWN, occurred_at=datetime(2024, 4, 19, 19, 0, tzinfo=UTC))
    # WHEN printed
    text = protocol_text(case, lang, tmp_path)
    # THEN the date is there, the time is said to be unknown, and no 00:00 is printed
    assert TimePrecision.UNKNOWN.label_in(translator(lang)) in text
    assert "00:00" not in text
    assert flat(translator(lang).format_date(date(2024, 4, 20), "long")) in text


def test_a_missing_label_or_substance_name_prints_the_code(tmp_path):
    # GIVEN a case naming a substance and a packaging that the lists do not know
    case = truck_case()
    case = replace(case, items=(replace(case.items[0], substance="nitazene_x", packaging="canister_20l"),))
    # WHEN printed
    text = protocol_text(case, "en", tmp_path)
    # THEN the codes stand in for the names
    assert "nitazene_x" in text and "canister_20l" in text


def test_a_case_without_the_new_fields_keeps_its_lines_to_fill_in(tmp_path):
    # GIVEN a case of the old layout: no officers, documents, technical means or conveyance details
    case = replace(truck_case(), officers=(), documents=(), technical_means=(), vehicle_make="", trailer_plate="",
                   vin="", joint_agencies=(), declared_cargo="", declared_weight=None)
    # WHEN printed in English
    text = protocol_text(case, "en", tmp_path)
    # THEN the rows that only fit filled values are left out, and one agency is printed without "Lead agency"
    for absent in ("Make and model", "Trailer registration number", "VIN", "Declared weight", "Lead agency"):
        assert absent not in text, absent
    assert "Agency Customs" in text


def test_the_real_seizure_renders_to_images(tmp_path):
    # GIVEN the truck case printed in the bilingual form (the widest texts)
    case = truck_case()
    post = Post("UZ-DUS", "UZ", "Doʻstlik", "Дустлик", "Dustlik")
    code = make_check_code(case_id=case.id, revision=case.revision, content_hash=content_hash(case))
    data = ProtocolData(case=case, post=post, labels=labels(), check_code=code)
    pdf = tmp_path / "p.pdf"
    pdf.write_bytes(build_protocol(data, lang="uz+ru"))
    # WHEN rendered to images
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(pdf), str(tmp_path / "page")], check=True)
    # THEN every page renders
    assert len(list(tmp_path.glob("page-*.png"))) >= 2
