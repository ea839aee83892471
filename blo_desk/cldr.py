"""Country and currency names in uz, ru and en from CLDR (through babel), the region's own listed first."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import cache, lru_cache

from blo_desk.i18n import BABEL_LOCALES, N_, translator

# Shown first in every country choice, in this order: the BLO countries, then their neighbours and partners.
REGION_COUNTRIES = ("UZ", "KZ", "KG", "TJ", "TM", "AF", "RU", "CN", "IR", "TR", "PK", "IN", "AZ", "BY")
# Shown first in every currency choice.
REGION_CURRENCIES = ("UZS", "KZT", "KGS", "TJS", "TMT", "USD", "EUR", "RUB", "CNY")

# Two-letter codes for a nationality or country that is not a state. Both are in ISO 3166's user-assigned range
# (so no real country will ever take them) and fit today's two-letter country columns. ICAO 9303 writes these
# three-letter on passports (XXA stateless, XXX unspecified); ZZ is CLDR's own "unknown region".
STATELESS = "XS"
UNKNOWN = "ZZ"
_SPECIAL_NAMES = {STATELESS: N_("Stateless"), UNKNOWN: N_("Unknown country")}

# Two-letter codes CLDR names that are not ISO 3166-1 countries: exceptionally reserved codes (Ascension, Clipperton,
# Diego Garcia, Ceuta and Melilla, Canary Islands, Tristan da Cunha, Sark), groupings (EU, eurozone, UN, outlying
# Oceania), pseudo-locales, the unknown region, and Kosovo (XK, user-assigned, not in ISO 3166-1).
_NOT_ISO_COUNTRIES = frozenset({"AC", "CP", "CQ", "DG", "EA", "IC", "TA", "EU", "EZ", "UN", "QO", "XA", "XB", "XK", "ZZ"})
_LETTER_O_G = frozenset("oOgG")


def uzbek_letters(text: str) -> str:
    """Uzbek Latin as it should be written: oʻ gʻ with U+02BB, the apostrophe with U+02BC (CLDR mixes ‘ ’ in)."""
    if not any(mark in text for mark in "'‘’`"):
        return text
    out: list[str] = []
    for index, char in enumerate(text):
        if char == "\u2018" or char in "'`" and index and text[index - 1] in _LETTER_O_G:
            out.append("\u02bb")
        elif char in "'`\u2019":
            out.append("\u02bc")
        else:
            out.append(char)
    return "".join(out)


def _clean(name: str, language: str) -> str:
    return uzbek_letters(name) if language == "uz" else name


@cache
def _locale(language: str):
    from babel import Locale

    if language not in BABEL_LOCALES:
        raise ValueError(f"unsupported language {language!r}")
    return Locale.parse(BABEL_LOCALES[language])


_SORT_FOLDS = str.maketrans({"ё": "е", "Ё": "Е", "\u02bb": "", "\u02bc": "", "’": "", "'": ""})


def _sort_key(name: str) -> str:
    """Alphabetical order good enough for a choice list: accents and Uzbek marks ignored, case folded."""
    decomposed = unicodedata.normalize("NFKD", name.translate(_SORT_FOLDS))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


# --- countries ----------------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def country_codes() -> tuple[str, ...]:
    """Every current ISO 3166-1 country, by its alpha-2 code (sorted), as CLDR knows them."""
    territories = _locale("en").territories
    return tuple(sorted(c for c in territories if len(c) == 2 and c.isalpha() and c not in _NOT_ISO_COUNTRIES))


@cache
def _country_names(language: str) -> dict[str, str]:
    territories = _locale(language).territories
    return {code: _clean(territories[code], language) for code in country_codes()}


def country_name(code: str, language: str) -> str:
    """The country's name in the language (CLDR); 'Stateless' and 'Unknown country' translated; else the code."""
    code = (code or "").upper()
    if code in _SPECIAL_NAMES:
        return translator(language).gettext(_SPECIAL_NAMES[code])
    return _country_names(language).get(code, code)


def is_country(code: str) -> bool:
    """A code a case may name as a country or nationality: an ISO country, stateless or unknown."""
    return code in _SPECIAL_NAMES or code in _country_names("en")


def country_choices(language: str) -> list[tuple[str, str]]:
    """(code, name) for a choice: the region's countries, then stateless and unknown, then all others by name."""
    special = [(code, country_name(code, language)) for code in (STATELESS, UNKNOWN)]
    first, rest = _sorted_countries(language)
    return list(first) + special + list(rest)


@cache
def _sorted_countries(language: str) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """The region's countries and all others sorted by name: sorted once per language (the editor has 17 lists)."""
    names = _country_names(language)
    first = tuple((code, names[code]) for code in REGION_COUNTRIES)
    rest = tuple(sorted(((c, n) for c, n in names.items() if c not in REGION_COUNTRIES),
                        key=lambda pair: _sort_key(pair[1])))
    return first, rest


# --- currencies ---------------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def currency_codes() -> tuple[str, ...]:
    """Every ISO 4217 currency that is legal tender in some country today (CLDR's territory data), sorted."""
    from babel.numbers import get_territory_currencies

    today = date.today()
    found: set[str] = set()
    for country in country_codes():
        found.update(get_territory_currencies(country, start_date=today, tender=True))
    return tuple(sorted(found | set(REGION_CURRENCIES)))


@cache
def _currency_names(language: str) -> dict[str, str]:
    currencies = _locale(language).currencies
    return {code: _clean(currencies.get(code, code), language) for code in currency_codes()}


_CURRENCY_RE = re.compile(r"^[A-Z]{3}$")


def currency_name(code: str, language: str) -> str:
    """The currency's name in the language (CLDR), any ISO 4217 code CLDR knows; else the code itself."""
    code = (code or "").upper()
    known = _currency_names(language).get(code)
    if known is not None:
        return known
    if _CURRENCY_RE.match(code):
        other = _locale(language).currencies.get(code)
        if other:
            return _clean(other, language)
    return code


def currency_choices(language: str) -> list[tuple[str, str]]:
    """(code, name) for a choice: the region's and the main foreign currencies first, then all others by name."""
    return list(_sorted_currencies(language))


@cache
def _sorted_currencies(language: str) -> tuple[tuple[str, str], ...]:
    names = _currency_names(language)
    first = [(code, names[code]) for code in REGION_CURRENCIES]
    rest = sorted(((c, n) for c, n in names.items() if c not in REGION_CURRENCIES), key=lambda pair: _sort_key(pair[1]))
    return tuple(first + rest)


# --- languages ----------------------------------------------------------------------------------------------------
#: The languages an interpreter at the region's crossings works in most, offered first.
REGION_LANGUAGES = ("uz", "ru", "tg", "kk", "ky", "tk", "fa", "ps", "en", "zh", "tr", "ar")


def language_name(code: str, language: str) -> str:
    """A language's name (ISO 639 code) in the given language, from CLDR; else the code itself."""
    code = (code or "").lower()
    return _clean(_locale(language).languages.get(code, code), language) if code else ""


def language_choices(language: str) -> list[tuple[str, str]]:
    """(code, name) for a choice: the region's interpreting languages first, in the given language."""
    return [(code, language_name(code, language)) for code in REGION_LANGUAGES]
