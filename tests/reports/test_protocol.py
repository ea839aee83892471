"""The printed protocol: languages, values, glyphs, long cases, PDF validity and the QR check code."""

from __future__ import annotations

import re
import subprocess
from dataclasses import replace
from decimal import Decimal

import pytest

from blo_desk.domain.check_code import parse_check_code
from blo_desk.domain.entities import SeizedItem
from blo_desk.i18n import translator
from blo_desk.reports.fonts import missing_characters
from tests.reports.conftest import flat, font_report, pdf_pages, qpdf_check

HEADINGS = (
    "PROTOCOL",
    "of customs inspection and seizure of goods",
    "Officers and legal basis",
    "Persons present",
    "Witnesses",
    "Conveyance and documents",
    "Course of the inspection",
    "Seized goods",
    "Name and distinguishing features",
    "Packing and seals",
    "Remarks",
    "Refusal to sign",
    "Signatures",
    "A copy of this protocol was received",
)
POST_NAME = {"uz": "Doʻstlik", "ru": "Дустлик", "en": "Dustlik"}
CATEGORY = {"uz": "Oʻq-dorilar", "ru": "Боеприпасы", "en": "Ammunition"}
UNIT = {"uz": "quti", "ru": "кор.", "en": "box"}
MONEY = {"uz": "9 100 000 soʻm", "ru": "9 100 000 сум", "en": "UZS 9,100,000"}


@pytest.mark.parametrize("lang", ["uz", "ru", "en", "uz+ru"])
def test_protocol_shows_the_headings_and_the_case_in_each_language(demo, tmp_path, lang):
    # GIVEN the finalized Dustlik case
    case = demo.dustlik
    # WHEN its protocol is printed in the language
    pdf = demo.printing.protocol(case_id=case.case_number, lang=lang)
    pages = pdf_pages(pdf, tmp_path)
    text = flat(" ".join(pages))
    # THEN every heading is there in each language of the form (untranslated ones fall back to English)
    for language in lang.split("+"):
        tr = translator(language)
        for heading in HEADINGS:
            assert flat(tr.gettext(heading)) in text, (language, heading)
        # AND the reference labels, the post and the money are in that language
        assert POST_NAME[language] in text
        assert CATEGORY[language] in text
        assert f"130 {UNIT[language]}" in text or lang == "uz+ru"
    assert MONEY[lang.split("+")[0]] in text.replace("\u00a0", " ")
    # AND the case's own values are printed, Uzbek names with their ʻ (U+02BB) intact
    for value in ("UZ-DUS-2024-00001", "Karimova Dilnoza Rustamovna", "AC 2284611", "Toʻxtayev Baxtiyor",
                  "Gʻaniyeva Shahnoza", "AA 7781023", "Oztay Diabolo", "UZ-DUS 004512", "10:40"):
        assert value in text, value
    # AND no empty field shows as "None"; every page says "Page X of Y"
    assert "None" not in text
    assert len(pages) >= 1
    for number, page in enumerate(pages, start=1):
        page_words = translator(lang.split("+")[0]).gettext("Page {page} of {pages}").format(page=number, pages=len(pages))
        assert page_words in flat(page)


@pytest.mark.parametrize("lang", ["uz", "ru", "uz+ru"])
def test_every_character_printed_has_a_glyph_in_an_embedded_font(demo, tmp_path, lang):
    # GIVEN a protocol with Uzbek Latin, Cyrillic (ўқғҳ) and form symbols (№ « » —)
    case = replace(
        demo.dustlik,
        id=None, case_number="", status=demo.dustlik.status.DRAFT, revision=0,
        concealment_details="Қутилар «Ўзбекистон» № 7 — ғилдирак, ҳамёнда; oʻgʻil ma’lumot",
    )
    saved = demo.cases.save(case=case)
    # WHEN printed
    pdf = demo.printing.protocol(case_id=saved.id, lang=lang)
    # THEN every font is embedded
    fonts = font_report(pdf, tmp_path)
    assert fonts and all(embedded for _, embedded in fonts), fonts
    # AND every character read back is covered by the embedded font (no .notdef boxes)
    text = " ".join(pdf_pages(pdf, tmp_path))
    assert "Қутилар «Ўзбекистон» № 7 — ғилдирак, ҳамёнда" in flat(text)
    assert missing_characters(text) == set()
    # AND the PDF is valid
    assert qpdf_check(pdf, tmp_path).returncode == 0


def test_a_case_with_200_items_continues_the_table_over_pages_with_its_header(demo, tmp_path):
    # GIVEN a case with 200 items, one with a very long name
    long_name = " ".join(["Counterfeit sports shoes with the logo of a known brand, size 42, in original boxes"] * 4)
    items = tuple(
        SeizedItem(category="counterfeit", description=long_name if n == 7 else f"Item number {n + 1}",
                   quantity=Decimal(n + 1), unit="pcs", packages=1, value=Decimal(10_000))
        for n in range(200)
    )
    saved = demo.cases.save(case=replace(demo.dustlik, id=None, case_number="", revision=0,
                                         status=demo.dustlik.status.DRAFT, items=items))
    # WHEN its protocol is printed
    pdf = demo.printing.protocol(case_id=saved.id, lang="en")
    pages = pdf_pages(pdf, tmp_path)
    # THEN it runs over several pages, each numbered "Page X of Y"
    assert len(pages) >= 4
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
    # AND every page holding items repeats the table header
    item_pages = [page for page in pages if "Item number" in page]
    assert len(item_pages) >= 3
    for page in item_pages:
        assert "Name and distinguishing features" in flat(page)
        # AND no page holds a single row of the table (a row alone before or after a break moves with its neighbour)
        assert len(re.findall(r"Item number \d+", page)) >= 2 or ("Counterfeit sports" in page)
    # AND every item is there, with the totals: 200 packages and 200 × 10,000
    text = flat(" ".join(pages))
    assert all(f"Item number {n}" in text for n in (1, 100, 200))
    assert "UZS 2,000,000" in text
    # AND the very long name wraps inside its cell: all of it is printed, over several lines
    assert long_name in text
    assert not any(long_name in line for page in pages for line in page.splitlines())
    assert qpdf_check(pdf, tmp_path).returncode == 0


def test_empty_optional_fields_print_as_lines_to_fill_in(demo, tmp_path):
    # GIVEN a draft with no witnesses, no registration number, no legal basis and no narrative
    bare = replace(demo.dustlik, id=None, case_number="", revision=0, status=demo.dustlik.status.DRAFT,
                   persons=(), conveyance_registration="", legal_basis="", narrative="", procedure="",
                   concealment_details="")
    saved = demo.cases.save(case=bare)
    # WHEN printed
    pages = pdf_pages(demo.printing.protocol(case_id=saved.id, lang="en"), tmp_path)
    text = flat(" ".join(pages))
    # THEN nothing reads "None", and the blocks and two witness rows are still there to fill in by hand
    assert "None" not in text
    for label in ("Registration number", "Legal basis", "Witness 1", "Witness 2", "Inspection ended at"):
        assert label in text
    assert "Draft" in text


def test_the_qr_code_decodes_to_the_check_code_printed_beside_it(demo, tmp_path):
    # GIVEN the Dustlik protocol
    case = demo.dustlik
    pdf = demo.printing.protocol(case_id=case.id, lang="uz")
    (tmp_path / "p.pdf").write_bytes(pdf)
    # WHEN its first page is rendered at 100 dpi, as a plain office scan, and the QR code read with zbarimg
    subprocess.run(["pdftoppm", "-png", "-r", "100", "-f", "1", "-l", "1", str(tmp_path / "p.pdf"), str(tmp_path / "page")],
                   check=True)
    image = next(tmp_path.glob("page*.png"))
    scanned = subprocess.run(["zbarimg", "--quiet", "--raw", str(image)], capture_output=True, text=True, check=True)
    qr = scanned.stdout.strip()
    # THEN it is the ASCII check code of this case and revision
    assert qr.isascii()
    code = parse_check_code(qr)
    assert code is not None and code.case_id == case.id and code.revision == case.revision
    # AND the short code printed on every page names the case, the revision and 12 digits of the same hash
    spoken = f"{case.case_number}/{case.revision}/{code.hash_hex[:4]}-{code.hash_hex[4:8]}-{code.hash_hex[8:12]}".upper()
    pages = pdf_pages(pdf, tmp_path)
    assert all(spoken in flat(page) for page in pages)
    assert len(spoken) <= 36
    # AND the store confirms both, the short one as typed by a person (lower case, spaces)
    assert demo.printing.verify_code(code=qr).matches
    assert demo.printing.verify_code(code=spoken.lower().replace("/", " / ")).matches
