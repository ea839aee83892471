"""Every PDF the app makes says what it is: its title (a report names its period), its languages, and its creator."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from blo_desk import __version__

TAGS = {"uz": "uz-Latn", "ru": "ru", "en": "en"}


def metadata(pdf: bytes) -> tuple[dict, str, list[str]]:
    """(information dictionary, the catalog's /Lang, the XMP dc:language list), as pypdf reads them back."""
    reader = PdfReader(io.BytesIO(pdf))
    info = dict(reader.metadata or {})
    lang = str(reader.trailer["/Root"].get("/Lang", ""))
    xmp = reader.xmp_metadata
    return info, lang, list(xmp.dc_language) if xmp is not None else []


@pytest.mark.parametrize("lang", ["uz", "ru", "en", "uz+ru"])
def test_the_period_report_names_its_period_languages_and_creator(demo, lang):
    # GIVEN the demo cases WHEN the report for 2024 is printed in the language
    pdf = demo.printing.period_report(date_from=date(2024, 1, 1), date_to=date(2024, 12, 31), lang=lang)
    info, catalog_lang, languages = metadata(pdf)
    # THEN its title names the period, its creator is BLO Desk and its version
    first = {"uz": "2024-yil 1-yanvar", "ru": "1 января 2024 г.", "en": "January 1, 2024"}
    last = {"uz": "2024-yil 31-dekabr", "ru": "31 декабря 2024 г.", "en": "December 31, 2024"}
    for code in lang.split("+"):  # each language writes the dates of its title its own way
        assert first[code] in info["/Title"] and last[code] in info["/Title"], info["/Title"]
    assert info["/Creator"] == f"BLO Desk {__version__}" and info["/Author"] == "BLO Desk"
    # AND its languages are every language of the form: a bilingual report is not tagged Uzbek only
    expected = [TAGS[code] for code in lang.split("+")]
    assert languages == expected
    assert catalog_lang == (expected[0] if len(expected) == 1 else "mul")


@pytest.mark.parametrize("lang", ["uz", "uz+ru"])
def test_the_protocol_names_its_case_languages_and_creator(demo, lang):
    # GIVEN the Dustlik case WHEN its protocol is printed
    pdf = demo.printing.protocol(case_id=demo.dustlik.id, lang=lang)
    info, catalog_lang, languages = metadata(pdf)
    # THEN the title names the protocol's number, the creator is BLO Desk with its version
    assert demo.dustlik.case_number in info["/Title"]
    assert info["/Creator"] == f"BLO Desk {__version__}"
    # AND the languages are those of the form
    assert languages == [TAGS[code] for code in lang.split("+")]
    assert catalog_lang == ("uz-Latn" if lang == "uz" else "mul")
