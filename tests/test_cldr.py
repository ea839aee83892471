"""Country and currency names come from CLDR through babel, in uz/ru/en, with the region's first."""

from __future__ import annotations

import pytest

from blo_desk.cldr import (
    REGION_COUNTRIES,
    REGION_CURRENCIES,
    STATELESS,
    UNKNOWN,
    country_choices,
    country_codes,
    country_name,
    currency_choices,
    currency_codes,
    currency_name,
    is_country,
    uzbek_letters,
)

BAD_UZBEK_MARKS = ("'", "\u2018", "\u2019", "`")


def test_country_names_are_cldrs_in_each_language():
    # GIVEN Kazakhstan WHEN named in each language THEN the names are CLDR's (through babel)
    from babel import Locale

    assert country_name("KZ", "ru") == "Казахстан" == Locale.parse("ru").territories["KZ"]
    assert country_name("KZ", "en") == "Kazakhstan"
    assert country_name("KZ", "uz") == "Qozogʻiston"
    assert country_name("de", "ru") == "Германия"  # any case of code
    assert country_name("QQ", "en") == "QQ"  # not a country: the code itself


def test_every_iso_country_is_there_and_no_grouping_or_reserved_code():
    codes = country_codes()
    assert len(codes) == 249  # ISO 3166-1 alpha-2, officially assigned
    assert {"UZ", "AF", "AQ", "SS", "CW", "BQ"} <= set(codes)
    assert not {"EU", "UN", "EZ", "ZZ", "QO", "XA", "XB", "AC", "IC", "EA", "DG", "TA", "CP"} & set(codes)


@pytest.mark.parametrize("language", ["uz", "ru", "en"])
def test_country_choice_starts_with_the_region_then_stateless_and_unknown(language):
    # GIVEN the country choice in a language
    choices = country_choices(language)
    codes = [code for code, _name in choices]
    # THEN the region's countries come first, in order, then stateless and unknown, then every other country once
    assert codes[: len(REGION_COUNTRIES)] == list(REGION_COUNTRIES)
    assert codes[len(REGION_COUNTRIES): len(REGION_COUNTRIES) + 2] == [STATELESS, UNKNOWN]
    assert len(codes) == len(set(codes)) == len(country_codes()) + 2
    assert all(name for _code, name in choices)
    # AND the others are in alphabetical order of their names
    rest = [code for code, _name in choices[len(REGION_COUNTRIES) + 2:]]
    assert rest.index("AU") < rest.index("DE") < rest.index("ZW") or language == "ru"  # Avstraliya, Germaniya, Zimbabve
    if language == "ru":  # Австралия, Германия, Япония
        assert rest.index("AU") < rest.index("DE") < rest.index("JP") == len(rest) - 1


def test_stateless_and_unknown_are_translated_and_count_as_countries():
    assert is_country(STATELESS) and is_country(UNKNOWN) and is_country("TJ") and not is_country("EU")
    assert country_name(STATELESS, "en") == "Stateless"
    assert country_name(UNKNOWN, "en") == "Unknown country"
    assert STATELESS.isalpha() and len(STATELESS) == 2 and len(UNKNOWN) == 2  # fit today's two-letter columns


def test_uzbek_names_use_the_modifier_letters():
    # GIVEN CLDR's Uzbek names, which write oʻ with ‘ in currencies and the apostrophe with ’
    texts = [name for _code, name in country_choices("uz") + currency_choices("uz")]
    # THEN none keeps an ASCII or quotation-mark apostrophe
    assert [text for text in texts if any(mark in text for mark in BAD_UZBEK_MARKS)] == []
    assert currency_name("UZS", "uz") == "Oʻzbekiston soʻmi"
    assert uzbek_letters("O'zbekiston ma'lumoti, G‘afur, Kot-d’Ivuar") == "Oʻzbekiston maʼlumoti, Gʻafur, Kot-dʼIvuar"


def test_currencies_come_from_cldr_with_the_regions_first():
    assert currency_name("KZT", "ru") == "казахский тенге"
    assert currency_name("USD", "en") == "US Dollar"
    assert {"UZS", "KZT", "KGS", "TJS", "TMT", "AFN", "USD", "EUR", "RUB", "CNY"} <= set(currency_codes())
    for language in ("uz", "ru", "en"):
        codes = [code for code, _name in currency_choices(language)]
        assert codes[: len(REGION_CURRENCIES)] == list(REGION_CURRENCIES)
        assert len(codes) == len(set(codes)) == len(currency_codes())
    assert currency_name("XYZ", "en") == "XYZ"
