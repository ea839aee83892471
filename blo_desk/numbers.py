"""Reading numbers and amounts as officers type them, with the UI language's own symbols (CLDR through babel)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from blo_desk.i18n import BABEL_LOCALES, N_, N_plural, active_language, translator

# Any kind of space groups digits: CLDR writes NBSP (U+00A0) or a narrow NBSP (U+202F); people type a plain space.
_SPACES = re.compile(r"[\s\u00a0\u2007\u2009\u202f]+")
_MINUS = ("-", "\u2212", "\u2013")
_MARKS = (".", ",")
MAX_DIGITS = 24  # longer input is a typing accident, not a quantity (the domain refuses far smaller ones)

NOT_A_NUMBER = N_("Enter a number, for example {example}.")
TWO_READINGS = N_("“{text}” can be read as {first} or as {second}: type the one you mean.")
BAD_GROUPS = N_("The digits of “{text}” are not grouped by three; did you mean {suggestion}?")
NOT_WHOLE = N_("Enter a whole number.")
NOT_CONVERTIBLE = N_("The unit of this item is {unit}; {word} cannot be converted to it.")
NO_UNIT = N_("Choose the unit of this item first.")
MIXED_AMOUNT = N_("Write a number alone, or with units as in {example}.")

# Units that convert into each other: code -> (dimension, size in the dimension's smallest unit).
CONVERTIBLE = {"kg": ("mass", 1000), "g": ("mass", 1), "l": ("volume", 1000), "ml": ("volume", 1)}
_EXAMPLES = {"mass": ("kg", Decimal(85), "g", Decimal(505)), "volume": ("l", Decimal(2), "ml", Decimal(250))}


class NumberError(ValueError):
    """Typed text that is not understood as a number; `message` is a msgid with {named} `params`."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message.format(**params) if params else message)
        self.message = message
        self.params = params

    def translated(self, language: str | None = None) -> str:
        text = translator(language).gettext(self.message)
        return text.format(**self.params) if self.params else text


@dataclass(frozen=True, slots=True)
class Units:
    """The units of the reference list: their labels in the UI language and every word that names them."""

    labels: Mapping[str, str] = field(default_factory=dict)  # code -> label in the UI language
    words: Mapping[str, str] = field(default_factory=dict)  # any label in any language, or the code -> code

    @classmethod
    def of(cls, entries: list[tuple[str, Mapping[str, str]]], language: str | None = None) -> Units:
        """From (code, {language: label}) pairs; `language` picks the labels shown."""
        language = language or active_language()
        labels, words = {}, {}
        for code, names in entries:
            labels[code] = names.get(language) or names.get("en") or code
            for word in (code, *names.values()):
                if word:
                    words[_word_key(word)] = code
        return cls(labels, words)

    def label(self, code: str) -> str:
        return self.labels.get(code, code)


def _word_key(word: str) -> str:
    return word.strip().rstrip(".").casefold()


def symbols(language: str | None = None) -> tuple[str, str]:
    """The decimal and the group symbol of the language, from CLDR."""
    from babel.numbers import get_decimal_symbol, get_group_symbol

    locale = BABEL_LOCALES[language or active_language()]
    return get_decimal_symbol(locale), get_group_symbol(locale)


def write_number(value: Decimal | int | None, language: str | None = None, *, grouping: bool = True) -> str:
    """The value in the language's own way (every digit kept), never in a form read_number would find ambiguous."""
    from babel.numbers import format_decimal

    if value is None:
        return ""
    locale = BABEL_LOCALES[language or active_language()]
    text = format_decimal(value, locale=locale, decimal_quantization=False, group_separator=grouping)
    if grouping and len(_readings(text, language)) > 1:  # en: 85,505 would be read two ways; 85505 is not
        text = format_decimal(value, locale=locale, decimal_quantization=False, group_separator=False)
    return text


# Units that are counted, written with the plural rules of the language (CLDR's, through the catalogs' plural forms):
# "1 piece", "3 pieces"; "1 dona"; "1 шт.". Other units are symbols that do not change (kg, l, m).
COUNTED_UNITS = {
    "pcs": N_plural("{number} piece", "{number} pieces", by="number"),
    "box": N_plural("{number} box", "{number} boxes", by="number"),
    "pack": N_plural("{number} pack", "{number} packs", by="number"),
    "bottle": N_plural("{number} bottle", "{number} bottles", by="number"),
    "round": N_plural("{number} round", "{number} rounds", by="number"),
}


def _plural_count(value: Decimal | int) -> int:
    """The n that chooses a plural form: the number when whole, else a count that takes the fraction's form
    (CLDR: a fraction takes "other" in en and ru, as 2 does in en; ru writes its units abbreviated alike)."""
    whole = Decimal(value)
    return int(whole) if whole == whole.to_integral_value() else 2


def write_amount(value: Decimal | int | None, unit_label: str, language: str | None = None, *,
                 unit: str = "") -> str:
    """A number with its unit, e.g. 85,505 kg; a counted `unit` (COUNTED_UNITS) in the plural the number asks for."""
    if value is None:
        return ""
    number = write_number(value, language)
    tr = translator(language)
    if unit in COUNTED_UNITS:
        message = COUNTED_UNITS[unit]
        return tr.ngettext(message.singular, message.plural, _plural_count(value)).format(number=number)
    if not unit_label:
        return number
    return tr.gettext(N_("{number} {unit}")).format(number=number, unit=unit_label)


def read_number(text: str, language: str | None = None) -> Decimal | None:
    """The number typed in the language's way; empty -> None; NumberError when unreadable or read two ways."""
    raw = text.strip()
    if not raw:
        return None
    readings = _readings(raw, language)
    if len(readings) > 1:
        first, second = readings
        raise NumberError(TWO_READINGS, text=raw, first=write_number(first, language, grouping=False),
                          second=write_number(second, language, grouping=False))
    return readings[0]


def read_whole(text: str, language: str | None = None) -> int | None:
    """A count: read_number, then refused unless whole."""
    value = read_number(text, language)
    if value is None:
        return None
    if value != value.to_integral_value():
        raise NumberError(NOT_WHOLE)
    return int(value)


def read_amount(text: str, *, unit: str, units: Units, language: str | None = None) -> Decimal | None:
    """A quantity in the item's `unit`: a number, or amounts with units (`85 kg 505 g` is 85.505 in kg)."""
    raw = text.strip()
    if not raw:
        return None
    pieces = _split_words(raw, units, language)
    if pieces is None:
        return read_number(raw, language)
    total = Decimal(0)
    for number_text, word in pieces:
        word_unit = units.words[_word_key(word)]
        if not number_text:
            raise _mixed_amount(unit, units, language)
        number = read_number(number_text, language)
        assert number is not None
        total += number * _factor(word_unit, unit, word, units, language)
    return total


def _factor(word_unit: str, unit: str, word: str, units: Units, language: str | None) -> Decimal:
    if word_unit == unit:
        return Decimal(1)
    if not unit:
        raise NumberError(NO_UNIT)
    source, target = CONVERTIBLE.get(word_unit), CONVERTIBLE.get(unit)
    if source is None or target is None or source[0] != target[0]:
        raise NumberError(NOT_CONVERTIBLE, unit=units.label(unit), word=word.strip())
    return Decimal(source[1]) / Decimal(target[1])


def _mixed_amount(unit: str, units: Units, language: str | None) -> NumberError:
    dimension = CONVERTIBLE.get(unit, ("mass",))[0]
    big, big_value, small, small_value = _EXAMPLES[dimension]
    example = " ".join((write_amount(big_value, units.label(big), language),
                        write_amount(small_value, units.label(small), language)))
    return NumberError(MIXED_AMOUNT, example=example)


def _split_words(raw: str, units: Units, language: str | None) -> list[tuple[str, str]] | None:
    """[(number text, unit word)] when the text names units; None when it is a bare number."""
    if not re.search(r"[^\W\d_]", raw):
        return None
    words = sorted(units.words, key=len, reverse=True)
    if not words:
        raise _not_a_number(language)
    pattern = re.compile(r"(?<![^\W\d_])(" + "|".join(re.escape(w) for w in words) + r")\.?(?![^\W\d_])",
                         re.IGNORECASE)
    parts = pattern.split(raw)
    numbers, found = parts[0::2], parts[1::2]
    if numbers[-1].strip() or any(re.search(r"[^\W\d_]", n) for n in numbers):
        raise _mixed_amount(units.words.get(_word_key(found[0]), "") if found else "", units, language)
    return [(n.strip(), w) for n, w in zip(numbers, found, strict=False)]


# --- the readings of a number --------------------------------------------------------------------------------------
def _readings(raw: str, language: str | None) -> list[Decimal]:
    """Every value the text can mean (one, or two when it can be read two ways); NumberError when none.

    The language's decimal symbol is trusted. The other mark of `.` and `,` groups digits when it comes before the
    decimal symbol or appears twice; alone, it is a decimal mark, unless exactly three digits follow it: then it
    may be either (85,505 in English, 1.505 in Russian), and both readings are returned.
    """
    decimal_symbol, group_symbol = symbols(language)
    example = _not_a_number(language)
    text = _SPACES.sub(" ", raw.strip())
    negative = text.startswith(_MINUS)
    if negative:
        text = text[1:].lstrip()
    if not text or not re.fullmatch(r"[0-9., ]+", text) or not re.search(r"[0-9]", text):
        raise example
    other = next(mark for mark in _MARKS if mark != decimal_symbol)
    if decimal_symbol not in _MARKS or group_symbol not in (other, " ", "\u00a0", "\u202f"):
        raise example  # a language whose symbols this reading does not know; not one of ours
    candidates: list[str] = []  # plain texts such as 1234.5
    if text.count(decimal_symbol) > 1:
        raise example
    if decimal_symbol in text:
        whole, fraction = text.split(decimal_symbol)
        candidates.append(_grouped(whole, other, raw, language) + "." + _digits(fraction, example))
    elif text.count(other) > 1:
        candidates.append(_grouped(text, other, raw, language))
    elif other in text:
        whole, fraction = text.split(other)
        as_decimal = _grouped(whole, None, raw, language) + "." + _digits(fraction, example)
        if len(fraction) == 3 and whole.strip() and " " not in whole:
            candidates.append(whole.strip() + fraction)  # `other` grouping: 85,505 -> 85505
        candidates.append(as_decimal)
    else:
        candidates.append(_grouped(text, None, raw, language))
    values = []
    for candidate in candidates:
        digits = candidate.replace(".", "")
        if len(digits.lstrip("0")) > MAX_DIGITS:
            raise example
        try:
            value = Decimal(candidate or "x")
        except InvalidOperation as exc:
            raise example from exc
        values.append(-value if negative else value)
    return values


def _not_a_number(language: str | None) -> NumberError:
    from babel.numbers import format_decimal

    example = format_decimal(Decimal("1234.5"), locale=BABEL_LOCALES[language or active_language()])
    return NumberError(NOT_A_NUMBER, example=example)


def _digits(part: str, error: NumberError) -> str:
    if not re.fullmatch(r"[0-9]*", part):
        raise error
    return part


def _grouped(whole: str, other: str | None, raw: str, language: str | None) -> str:
    """The digits of an integer part whose groups are marked by spaces (or by `other`); groups are of three."""
    marks = re.split(r"[ " + (re.escape(other) if other else "") + r"]", whole.strip())
    if len(marks) == 1:
        if not re.fullmatch(r"[0-9]*", marks[0]):
            raise _not_a_number(language)
        return marks[0]
    if not all(re.fullmatch(r"[0-9]+", part) for part in marks):
        raise _not_a_number(language)
    if not 1 <= len(marks[0]) <= 3 or any(len(part) != 3 for part in marks[1:]):
        digits = "".join(marks)
        suggestion = write_number(Decimal(digits), language) if len(digits) <= MAX_DIGITS else digits
        raise NumberError(BAD_GROUPS, text=raw.strip(), suggestion=suggestion)
    return "".join(marks)
