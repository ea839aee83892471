"""Three real seizures (tests/data/real_cases): every value is the same at the post, in the bundle, at HQ (SQLite and
PostgreSQL) and on the printed protocol in uz, ru and en."""

from __future__ import annotations

import json
import re
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from babel.numbers import format_decimal

from blo_desk.domain.canonical import content_dict
from blo_desk.domain.case_json import case_from_json
from blo_desk.domain.zones import zone_for_post
from blo_desk.i18n import BABEL_LOCALES

import bundle_kit as kit

REAL_CASES = Path(__file__).resolve().parent.parent / "data" / "real_cases"
CASE_FILES = sorted(p.name for p in REAL_CASES.glob("*.json"))
# What a case number, the status and the revision metadata add to what an officer entered.
STORED_ONLY = ("id", "case_number", "status")


def _entered(content: dict) -> dict:
    return {key: value for key, value in content.items() if key not in STORED_ONLY}


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "protocol.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    return re.sub(r"\s+", "", out.stdout.decode("utf-8"))  # wrapped values and NBSP groupings read as one


def _paper_values(data: dict, lang: str) -> list[str]:
    """What a reader of the protocol in `lang` must find: numbers as CLDR writes them, names and numbers as typed."""
    numbers = [data.get("declared_weight")]
    for item in data["items"]:
        numbers += [item.get("net_weight"), item.get("gross_weight")]
    found = [format_decimal(Decimal(n), locale=BABEL_LOCALES[lang], decimal_quantization=False)
             for n in numbers if n]
    found += [data.get(key, "") for key in ("conveyance_registration", "trailer_plate", "vin", "container_number",
                                            "wagon_number", "train_number", "vehicle_make")]
    found += [document["number"] for document in data.get("documents", ())]
    found += [officer["full_name"] for officer in data.get("officers", ())]
    found += [person["full_name"] for person in data["persons"]]
    found += [person.get("birth_place", "") for person in data["persons"]]
    found += [item["seals"] for item in data["items"] if item.get("seals")]
    return [re.sub(r"\s+", "", value) for value in found if value]


@pytest.mark.parametrize("name", CASE_FILES)
def test_a_real_seizure_is_the_same_at_the_post_in_the_bundle_at_hq_and_on_paper(name, hq, tmp_path):
    # GIVEN a real seizure as an officer enters it (the documented JSON), saved and finalized at its post
    data = json.loads((REAL_CASES / name).read_text("utf-8"), parse_float=Decimal)
    post = kit.open_store(tmp_path / "post")
    try:
        post.sync.set_up_post(post_code=data["post_code"])
        entered = case_from_json(data, default_timezone=zone_for_post(data["post_code"]))
        saved = post.cases.save(case=entered)
        final = post.cases.finalize(case_id=saved.id, expected_revision=saved.revision)
        # THEN the post's store gives back every value that was entered
        at_post = post.cases.get(case_id=saved.id)
        assert _entered(content_dict(at_post)) == _entered(content_dict(entered))
        assert at_post.case_number.startswith(f"{data['post_code']}-{data['occurred_at'][:4]}-")
        # WHEN the post exports a bundle
        bundle = Path(post.sync.export(folder=tmp_path / "out").path)
        members = kit.read_members(bundle)
        records = [json.loads(line) for line in members["records.jsonl"].splitlines()]
        # THEN the bundle (format 3) carries the finalized revision with every value
        assert json.loads(members["manifest.json"])["format_version"] == 3
        assert records[-1]["case"] == content_dict(final)
        # WHEN HQ imports it
        hq.hq.trust_key(post_code=data["post_code"], public_key=post.sync.public_key_text())
        report = hq.hq.import_bundle(path=bundle)
        assert report.outcome == "imported", report.reason()
        # THEN HQ holds the same case, value for value
        at_hq = hq.cases.get(case_id=saved.id)
        assert content_dict(at_hq) == content_dict(final)
        assert at_hq == final
        # AND the protocol printed at the post shows every value, numbers as each language writes them
        for lang in ("uz", "ru", "en"):
            text = _pdf_text(post.printing.protocol(case_id=saved.id, lang=lang), tmp_path)
            missing = [value for value in _paper_values(data, lang) if value not in text]
            assert not missing, (lang, missing)
            assert at_post.case_number in text
    finally:
        post.close()


def test_the_comma_weight_is_printed_with_a_comma_in_uz_and_ru_and_a_point_in_en(hq, tmp_path):
    # GIVEN the truck case, whose heroin weighs 85.505 kg
    data = json.loads((REAL_CASES / "truck_two_drugs.json").read_text("utf-8"), parse_float=Decimal)
    post = kit.open_store(tmp_path / "post")
    try:
        saved = post.cases.save(case=case_from_json(data, default_timezone=zone_for_post(data["post_code"])))
        # WHEN its protocol is printed THEN uz and ru write 85,505 and en 85.505 (never 85 505)
        for lang, written in (("uz", "85,505"), ("ru", "85,505"), ("en", "85.505")):
            text = _pdf_text(post.printing.protocol(case_id=saved.id, lang=lang), tmp_path)
            assert written in text, lang
            assert "85505" not in text.replace(written, ""), lang
    finally:
        post.close()


@pytest.mark.parametrize("typed", ["героин", "geroin", "героина", "nasha", "опий", "MSKU 123456-7", "MSKU1234567",
                                   "SMGS 77014522", "6325 1234"])
def test_hq_finds_an_imported_seizure_by_any_name_of_its_substances_and_its_numbers(hq, tmp_path, typed):
    # GIVEN the freight wagon case exported by Kudukli and imported at HQ (SQLite and PostgreSQL)
    data = json.loads((REAL_CASES / "freight_wagon_joint.json").read_text("utf-8"), parse_float=Decimal)
    post = kit.open_store(tmp_path / "post")
    try:
        post.sync.set_up_post(post_code=data["post_code"])
        saved = post.cases.save(case=case_from_json(data, default_timezone=zone_for_post(data["post_code"])))
        bundle = Path(post.sync.export(folder=tmp_path / "out").path)
        hq.hq.trust_key(post_code=data["post_code"], public_key=post.sync.public_key_text())
        assert hq.hq.import_bundle(path=bundle).outcome == "imported"
    finally:
        post.close()
    # WHEN an analyst searches by a name of a substance in any language, or by a container or waybill number
    # THEN the case is found
    assert [row.case_number for row in hq.cases.search(text=typed).rows] == [saved.case_number]
