"""Masking free text that leaves the post: withheld names, numbers and plates, and plate- or passport-shaped tokens.

A redaction profile withholds fields (a driver's name, the plate, the passport number), but a free text the profile
lets out (concealment details, an item's description) is sent as typed, and an officer may have typed the driver's
name or the plate into it. Before a share is written, every value of a withheld text field of the case that appears
in a free text being sent is replaced by MASK, and so is every token shaped like a plate, a passport number or a
VIN, whether or not the case holds it in a field.

Matching: case-insensitive; names and phrases word by word in either script (search_text's Latin key, so "Каримов"
meets "Karimov", and h and x alike as Russian writes both х), a name also with a case ending ("Каримова",
"Karimovning"); numbers and plates with or without spaces, dashes or
dots between their characters, and with Cyrillic letters that look like Latin ones ("01 А 457 ВС"); a birth date as
written in ISO or day.month.year. The mask is the same in every language (the share is data, not a page).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from blo_desk.domain.search_text import latin_key, normalize

#: What a masked spot reads in the shared text: three full blocks, in no language, never a letter or digit.
MASK = "\u2587\u2587\u2587"

#: The free texts of the shared content, by part of the content: where a typed name or number could hide.
FREE_TEXT: Mapping[str, tuple[str, ...]] = {
    "case": ("concealment_details", "declared_cargo", "vehicle_make", "narrative", "legal_basis",
             "interpreter_language"),
    "items": ("description", "brand", "package_group", "seals"),
    "persons": ("birth_place", "address", "document_issuer"),
    "documents": (),
}

# How each text field of the content is matched when it is withheld: its words (a name), as a whole phrase, as a
# number or plate (characters in order, separators free), or as a date. Coded fields (roles, countries, units) and
# quantities are not looked for: "driver" or "UZ" in a text says nothing of a person.
_NAME, _PHRASE, _NUMBER, _DATE = "name", "phrase", "number", "date"
_WITHHELD: Mapping[str, Mapping[str, str]] = {
    "case": {"conveyance_registration": _NUMBER, "trailer_plate": _NUMBER, "vin": _NUMBER,
             "container_number": _NUMBER, "train_number": _NUMBER, "wagon_number": _NUMBER,
             "flight_number": _NUMBER, "narrative": _PHRASE, "legal_basis": _PHRASE,
             "interpreter_language": _PHRASE, "concealment_details": _PHRASE, "declared_cargo": _PHRASE,
             "vehicle_make": _PHRASE},
    "items": {"description": _PHRASE, "brand": _PHRASE, "package_group": _PHRASE, "seals": _NUMBER},
    "persons": {"full_name": _NAME, "birth_date": _DATE, "birth_place": _PHRASE, "document_number": _NUMBER,
                "document_issuer": _PHRASE, "document_issued_on": _DATE, "address": _PHRASE},
    "documents": {"number": _NUMBER, "issued_on": _DATE},
    "officers": {"full_name": _NAME, "rank": _PHRASE, "username": _NUMBER},
    "attachments": {"filename": _PHRASE, "caption": _PHRASE},
}

# Cyrillic capitals that look like Latin ones, as officers type plates and passport numbers on a Russian keyboard.
_LOOKALIKE = {"А": "A", "В": "B", "С": "C", "Е": "E", "Н": "H", "К": "K", "М": "M", "О": "O", "Р": "P", "Т": "T",
              "Х": "X", "У": "Y", "І": "I"}
_LOOKALIKE.update({k.lower(): v.lower() for k, v in _LOOKALIKE.items()})
_LATIN_TWINS: dict[str, str] = {}
for _cyr, _lat in _LOOKALIKE.items():
    _LATIN_TWINS[_lat] = _LATIN_TWINS.get(_lat, "") + _cyr
_UPPER_TWINS = "".join(k for k in _LOOKALIKE if k.isupper())
_LOWER_TWINS = "".join(k for k in _LOOKALIKE if k.islower())
_UP = f"[A-Z{_UPPER_TWINS}]"  # a capital letter of a plate or a passport, in either script
_ANY = f"[A-Za-z{_UPPER_TWINS}{_LOWER_TWINS}]"
_SEP = r"[\s\-./]*"  # what people put between the characters of a number: nothing, spaces, dashes, dots
_SEP1 = r"[\s\-]?"
_START, _END = r"(?<![^\W_])", r"(?![^\W_])"  # not inside a longer word or number


def _lit(word: str) -> str:
    """A capital word as a plate's letters may be typed: each letter in Latin or as its Cyrillic look-alike."""
    return "".join(f"[{c}{_LATIN_TWINS.get(c, '')}]" for c in word)


#: Capital "letters" after a number that are a unit or a currency, not a plate's series: "12 500 KG", "20 000 USD",
#: "330 ML 24". A plate shape whose letters are one of these is no plate.
_UNITS = ("KG", "KGS", "GR", "MG", "ML", "MM", "CM", "KM", "LT", "LTR", "TN", "PC", "PCS", "PCE", "PRS", "SET",
          "PKG", "BOX", "CTN", "PAL", "BAG", "KB", "MB", "GB", "KW", "HP",
          "USD", "EUR", "RUB", "UZS", "KZT", "TJS", "CNY", "GBP", "TRY", "AED", "CHF", "TL", "SUM")
_NO_UNIT = "(?!(?:" + "|".join(_lit(u) for u in sorted(_UNITS, key=len, reverse=True)) + f"){_END})"
_L23 = f"{_NO_UNIT}{_UP}{{2,3}}"  # a plate's series of two or three letters
_KZ_REGION = "(?:0[1-9]|1[0-9]|20)"  # Kazakhstan's 01 Astana .. 20 Ulytau
_TJ_REGION = "0[1-8]"  # Tajikistan's 01 Dushanbe .. 08
_PASSPORT_WORD = (r"(?:паспорт|пасп\.|pasport|passport|шиноснома|shinosnoma|удостоверени\w*\s+личности"
                  r"|ID[\s\-]?(?:card|kart|карт))[^\W\d_]*\.?")

_NOT_NUMBER_SIGN = r"(?!(?:[Nn][OoОо]|[Nn][Rr]|[Nn]º)(?![^\W_]))"  # "No 1234567" is a number, not a passport AN 1234567
_PERSONAL_WORD = (r"(?:ИИН|IIN|ЖСН|ПИНФЛ|PINFL|ПИН|PIN|JSHSHIR|ЖШШИР|ИНН|INN|STIR|СТИР)")

#: Shapes masked wherever they appear (public formats, each tolerant of spaces, dashes and Cyrillic look-alikes):
#: - Uzbekistan: private "01 A 457 BC", of a company "01 457 ABC"; the passport "AB1234567", "FA 1234567".
#: - Kazakhstan: since 2012 "123 ABC 02" (a company "123 AB 02"), region 01-20 on the right, "KZ" before it at will;
#:   before 2012, still on the road, "A 585 CUO" / "A 001 AA"; the passport "N12345678" (a letter and 8 digits).
#: - Kyrgyzstan: since 2016 "01 123 ABC" (the Uzbek company shape; a company "01 123 AB"), "01 KG 123 ABC" as the plate
#:   shows it; before 2016 "B 1234 AB"; the passport and the ID card "AN1234567", "ID1234567" (the Uzbek shape).
#: - Tajikistan: since 2010 "1234 AB 01" (a motorcycle one letter; the state's three digits), region 01-08.
#: - A number written after a passport or ID card word ("паспорт № 401234567", "pasport raqami 4012 34567"): the
#:   Tajik passport and the Kazakh ID card are digits only, and so is any country's.
#: - A personal or tax number after its name: "ИИН 880412300123" (Kazakhstan), "PIN 21203198700123" (Kyrgyzstan),
#:   "JSHSHIR 31203876540012" (Uzbekistan), "ИНН ..." (Tajikistan, Russia): 9 to 14 digits.
#: - A VIN: 17 letters and digits, no I, O or Q, with both.
#: A plate's letters are capitals, and not a unit or a currency: "12 x 500 ml" is a pack, "12 500 KG" a weight.
#: A shape with a group "v" masks that group only (the word before it stays).
SHAPES: tuple[re.Pattern[str], ...] = (
    re.compile(f"{_START}\\d{{2}}{_SEP1}{_UP}{_SEP1}\\d{{3}}{_SEP1}{_NO_UNIT}{_UP}{{2}}{_END}"),
    re.compile(f"{_START}\\d{{2}}{_SEP1}(?:{_lit('KG')}{_SEP1})?\\d{{3}}{_SEP1}{_L23}{_END}"),
    re.compile(f"{_START}{_NOT_NUMBER_SIGN}{_ANY}{{2}}{_SEP1}\\d{{7}}{_END}"),
    re.compile(f"{_START}{_UP}\\d{{8}}{_END}"),
    re.compile(f"{_START}(?:{_lit('KZ')}{_SEP1})?\\d{{3}}{_SEP1}{_L23}{_SEP1}{_KZ_REGION}{_END}"),
    re.compile(f"{_START}{_UP}{_SEP1}\\d{{3}}{_SEP1}{_L23}{_END}"),
    re.compile(f"{_START}{_UP}{_SEP1}\\d{{4}}{_SEP1}{_NO_UNIT}{_UP}{{1,2}}{_END}"),
    re.compile(f"{_START}\\d{{4}}{_SEP1}{_NO_UNIT}{_UP}{{1,2}}{_SEP1}{_TJ_REGION}{_END}"),
    re.compile(f"{_START}{_PASSPORT_WORD}(?:\\s+[^\\W\\d_]{{1,12}}\\.?){{0,3}}?[\\s:]*(?:(?:№|No\\.?|N|#)\\s*)?"
               f"(?P<v>(?:{_UP}{{1,2}}[\\s\\-]?(?:(?:№|No\\.?)\\s*)?)?\\d(?:[\\s\\-]?\\d){{5,13}}){_END}", re.IGNORECASE),
    re.compile(f"{_START}{_PERSONAL_WORD}[\\s:.№#\\-]*(?P<v>\\d(?:[\\s\\-]?\\d){{8,13}}){_END}", re.IGNORECASE),
    re.compile(f"{_START}(?=[A-HJ-NPR-Z0-9]*\\d)(?=[A-HJ-NPR-Z0-9]*[A-HJ-NPR-Z])[A-HJ-NPR-Z0-9]{{17}}{_END}"),
)



def _valid_date(day: str, month: str, year: str) -> bool:
    try:
        date(int(year), int(month), int(day))
    except ValueError:
        return False
    return True


def _kazakh_iin(digits: str) -> bool:
    """A Kazakh IIN: YYMMDD, a century-and-sex digit 1-6, and its check digit (weights 1..11, then 3..11, 1, 2)."""
    if not "1" <= digits[6] <= "6":
        return False
    century = {"1": 1800, "2": 1800, "3": 1900, "4": 1900, "5": 2000, "6": 2000}[digits[6]]
    if not _valid_date(digits[4:6], digits[2:4], str(century + int(digits[:2]))):
        return False
    values = [int(c) for c in digits]
    for weights in (range(1, 12), (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)):
        check = sum(v * w for v, w in zip(values[:11], weights, strict=True)) % 11
        if check != 10:
            return check == values[11]
    return False


def _kyrgyz_pin(digits: str) -> bool:
    """A Kyrgyz personal number: 1 (a woman) or 2 (a man), the birth date DDMMYYYY, and five digits."""
    return digits[0] in "12" and _valid_date(digits[1:3], digits[3:5], digits[5:9]) and 1900 <= int(digits[5:9])


#: Personal numbers masked wherever they appear, even with no word before them, when their own rules hold (a
#: 12- or 14-digit number that merely looks so stays): the Kazakh IIN and the Kyrgyz personal number.
CHECKED_SHAPES: tuple[tuple[re.Pattern[str], Callable[[str], bool]], ...] = (
    (re.compile(f"{_START}\\d{{12}}{_END}"), _kazakh_iin),
    (re.compile(f"{_START}\\d{{14}}{_END}"), _kyrgyz_pin),
)

_WORD_RE = re.compile(r"[^\W_]+(?:['`\u2018\u2019\u02bb\u02bc][^\W_]+)*")
_HX_RE = re.compile(r"(?<![scz])h")
_MAX_NUMBER_CHARS = 40  # a longer text with digits is looked for as words only
_MIN_NAME_WORD = 3  # a name's word of one or two letters ("A." of an initial) is not looked for alone


def _fold(word: str) -> str:
    """A word's spelling free of script, case, apostrophes and the h/x of Russian spelling."""
    return _HX_RE.sub("x", latin_key(normalize(word)))


def _number_pattern(value: str) -> re.Pattern[str] | None:
    """A number or plate: its letters and digits in order, any separators between, either script's look-alikes."""
    chars = [c for c in value if c.isalnum()]
    if len(chars) < 4:
        return None
    parts = []
    for c in chars:
        latin = _LOOKALIKE.get(c, c)
        twins = {latin.lower(), latin.upper(), *_LATIN_TWINS.get(latin.lower(), ""),
                 *_LATIN_TWINS.get(latin.upper(), "")}
        parts.append("[" + "".join(sorted(re.escape(t) for t in twins)) + "]" if latin.isalpha() else re.escape(c))
    return re.compile(_START + _SEP.join(parts) + _END, re.IGNORECASE)


def _date_patterns(value: str) -> list[re.Pattern[str]]:
    """A date (ISO in the content) as it may be typed: 1971-03-04, 04.03.1971, 4/3/1971, 04.03.71."""
    found = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value.strip())
    if not found:
        return []
    year, month, day = found.groups()
    d, m = f"0?{int(day)}", f"0?{int(month)}"
    sep = r"\s*[-./]\s*"
    return [re.compile(rf"(?<!\d){year}{sep}{m}{sep}{d}(?!\d)"),
            re.compile(rf"(?<!\d){d}{sep}{m}{sep}(?:{year}|{year[2:]})(?!\d)")]


#: Endings a name takes in a sentence, spelled as _fold spells them: Russian cases (Каримова, Каримову, Каримовым,
#: Каримове, Каримовой, Каримовых), Uzbek ones (Karimovning, Karimovni, Karimovga, Karimovda, Karimovdan), English 's.
_NAME_ENDINGS = frozenset({"a", "u", "om", "im", "e", "oy", "oyu", "ix", "imi", "ning", "ni", "ga", "ka", "da", "dan",
                           "lar", "s"})
_MIN_STEM = 4  # a name's word of at least four letters is also found with those endings


@dataclass(frozen=True, slots=True)
class _Needles:
    """What to look for in the free texts: word sequences (folded), name words also found with case endings, and
    patterns."""

    phrases: tuple[tuple[str, ...], ...]
    patterns: tuple[re.Pattern[str], ...]
    stems: tuple[str, ...] = ()


def _needles(withheld: Iterable[tuple[str, str]]) -> _Needles:
    phrases: dict[tuple[str, ...], None] = {}
    patterns: list[re.Pattern[str]] = []
    stems: dict[str, None] = {}

    def add(how: str, value: str) -> None:
        if how == _DATE:
            patterns.extend(_date_patterns(value))
            return
        words = tuple(_fold(w) for w in _WORD_RE.findall(value))
        if sum(map(len, words)) >= _MIN_NAME_WORD:  # a caption "x" or a seal "5" would mask every x and 5
            phrases[words] = None
        if how == _NAME:
            phrases.update({(w,): None for w in words if len(w) >= _MIN_NAME_WORD and not w.isdigit()})
            stems.update({w: None for w in words if len(w) >= _MIN_STEM and w.isalpha()})
        if (how == _NUMBER or len(value) <= _MAX_NUMBER_CHARS) and any(c.isdigit() for c in value):
            pattern = _number_pattern(value)
            if pattern is not None:
                patterns.append(pattern)

    for how, value in withheld:
        add(how, value)
        if how == _PHRASE and "." in value.strip(". "):  # a file name: its stem alone too
            add(how, value.rsplit(".", 1)[0])
    return _Needles(phrases=tuple(phrases), patterns=tuple(patterns), stems=tuple(stems))


def _spans(text: str, needles: _Needles) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    words = [(m.start(), m.end(), _fold(m.group())) for m in _WORD_RE.finditer(text)]
    folded = [w[2] for w in words]
    for phrase in needles.phrases:
        size = len(phrase)
        for n in range(len(words) - size + 1):
            if tuple(folded[n:n + size]) == phrase:
                spans.append((words[n][0], words[n + size - 1][1]))
    for start, end, word in words:
        if any(word.startswith(stem) and word[len(stem):] in _NAME_ENDINGS for stem in needles.stems):
            spans.append((start, end))
    for pattern in needles.patterns:
        spans += [m.span() for m in pattern.finditer(text)]
    for pattern in SHAPES:
        spans += [m.span("v") if "v" in pattern.groupindex else m.span() for m in pattern.finditer(text)]
    for pattern, holds in CHECKED_SHAPES:
        spans += [m.span() for m in pattern.finditer(text) if holds(m.group())]
    return spans


def mask_text(text: str, needles: _Needles) -> tuple[str, int]:
    """The text with every found spot replaced by MASK (overlapping spots, and spots apart by spaces only, as one),
    and how many spots."""
    spans = sorted(_spans(text, needles))
    if not spans:
        return text, 0
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and (start <= merged[-1][1] or not text[merged[-1][1]:start].strip()):  # "Name Surname": one
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, last = [], 0
    for start, end in merged:
        out += [text[last:start], MASK]
        last = end
    out.append(text[last:])
    return "".join(out), len(merged)


def withheld_values(content: Mapping[str, Any], shared: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The (how to match, value) of every text field of the case that the shared content does not carry."""
    found: list[tuple[str, str]] = []

    def take(part: str, record: Mapping[str, Any], sent: Mapping[str, Any] | None) -> None:
        for key, how in _WITHHELD[part].items():
            value = record.get(key)
            if isinstance(value, str) and value.strip() and (sent is None or key not in sent):
                found.append((how, value))

    take("case", content, shared)
    for part in ("items", "persons", "documents", "officers", "attachments"):
        sent_list = shared.get(part) if part in ("items", "persons", "documents") else None
        for n, record in enumerate(content.get(part) or []):
            sent = sent_list[n] if isinstance(sent_list, list) and n < len(sent_list) else None
            take(part, record, sent)
    return found


@dataclass(frozen=True, slots=True)
class MaskedSpots:
    """Where text was masked: the part ("case", "items", "persons"), its position (1-based; 0 for the case), the
    field's key, and how many spots."""

    part: str
    position: int
    key: str
    count: int


def mask_free_text(content: Mapping[str, Any], shared: dict[str, Any]) -> tuple[dict[str, Any], list[MaskedSpots]]:
    """The shared content with its free texts masked (withheld values of `content`, and plate- and passport-shaped
    tokens), and where spots were masked, in the content's order."""
    needles = _needles(withheld_values(content, shared))
    spots: list[MaskedSpots] = []

    def mask_record(part: str, position: int, record: dict[str, Any]) -> dict[str, Any]:
        out = dict(record)
        for key in FREE_TEXT[part]:
            value = out.get(key)
            if isinstance(value, str) and value:
                out[key], count = mask_text(value, needles)
                if count:
                    spots.append(MaskedSpots(part=part, position=position, key=key, count=count))
        return out

    masked = mask_record("case", 0, shared)
    for part in ("items", "persons", "documents"):
        if isinstance(shared.get(part), list):
            masked[part] = [mask_record(part, n, dict(r)) for n, r in enumerate(shared[part], start=1)]
    return masked, spots
