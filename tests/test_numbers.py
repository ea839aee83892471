"""Numbers as officers type them: the UI language's own symbols, two readings refused, kilograms plus grams."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from blo_desk.config import LANGUAGES
from blo_desk.numbers import NumberError, Units, read_amount, read_number, read_whole, write_amount, write_number

LISTS = Path(__file__).resolve().parent.parent / "resources" / "reference" / "lists.json"
UNITS = [(code, {"uz": uz, "ru": ru, "en": en}) for code, uz, ru, en in json.loads(LISTS.read_text("utf-8"))["unit"]]


def units(language: str) -> Units:
    return Units.of(UNITS, language)


@pytest.mark.parametrize(("language", "typed", "expected"), [
    ("ru", "85,505", "85.505"), ("uz", "85,505", "85.505"), ("en", "85.505", "85.505"),
    ("ru", "9 100 000", "9100000"), ("uz", "9\u00a0100\u00a0000", "9100000"), ("ru", "9\u202f100\u202f000", "9100000"),
    ("en", "9,100,000", "9100000"), ("en", "9 100 000", "9100000"), ("ru", "1 234,5", "1234.5"),
    ("en", "1,234.5", "1234.5"), ("ru", "4.5", "4.5"), ("en", "4,5", "4.5"), ("ru", ",5", "0.5"),
    ("uz", "  12  ", "12"),
])
def test_a_number_is_read_with_the_symbols_of_the_ui_language(language, typed, expected):
    # GIVEN the UI language WHEN the officer types a number THEN it is read the way that language writes it
    assert read_number(typed, language) == Decimal(expected)


@pytest.mark.parametrize(("language", "typed", "first", "second"), [
    ("en", "85,505", "85505", "85.505"),
    ("ru", "1.505", "1505", "1,505"),
    ("uz", "85.505", "85505", "85,505"),
])
def test_a_number_that_can_be_read_two_ways_is_refused_with_both_readings(language, typed, first, second):
    # GIVEN a number whose mark may group digits or separate decimals
    # WHEN it is read THEN it is refused, and the message shows both readings in the UI language's way
    with pytest.raises(NumberError) as caught:
        read_number(typed, language)
    message = caught.value.translated("en")
    assert f"“{typed}”" in message and first in message and second in message
    assert caught.value.params == {"text": typed, "first": first, "second": second}


@pytest.mark.parametrize(("language", "typed"), [
    ("en", "1e999"), ("ru", "NaN"), ("uz", "twelve"), ("ru", "1,2,3"), ("en", "1 23"), ("ru", "１２"), ("en", "."),
    ("ru", "1..5"),
])
def test_text_that_is_no_number_is_refused(language, typed):
    with pytest.raises(NumberError):
        read_number(typed, language)


def test_an_empty_field_is_no_number_and_a_count_must_be_whole():
    assert read_number("  ", "ru") is None and read_whole("", "ru") is None
    assert read_whole("1 200", "ru") == 1200
    with pytest.raises(NumberError):
        read_whole("2,5", "ru")


@pytest.mark.parametrize(("language", "typed", "unit", "expected"), [
    ("ru", "85 кг 505 г", "kg", "85.505"), ("uz", "85 kg 505 g", "kg", "85.505"), ("en", "85 kg 505 g", "kg", "85.505"),
    ("ru", "85 кг 505 г", "g", "85505"), ("ru", "85кг505г", "kg", "85.505"), ("ru", "505 г", "kg", "0.505"),
    ("ru", "1,5 кг", "g", "1500"), ("en", "2 l 250 ml", "l", "2.25"), ("ru", "12 шт.", "pcs", "12"),
    ("ru", "85,505", "kg", "85.505"),
])
def test_kilograms_and_grams_are_understood_in_the_unit_of_the_item(language, typed, unit, expected):
    # GIVEN an item counted in `unit` WHEN the officer writes an amount with units THEN it is converted to the unit
    assert read_amount(typed, unit=unit, units=units(language), language=language) == Decimal(expected)


@pytest.mark.parametrize(("typed", "unit"), [("5 l", "kg"), ("5 kg", "pcs"), ("85 kg 505", "kg"), ("kg", "kg"),
                                             ("5 kgs", "kg"), ("5 kg", "")])
def test_an_amount_that_does_not_fit_the_unit_is_refused(typed, unit):
    with pytest.raises(NumberError) as caught:
        read_amount(typed, unit=unit, units=units("en"), language="en")
    assert caught.value.translated("ru")


def test_the_app_never_writes_a_number_it_would_read_two_ways():
    # GIVEN 85505 in English, where 85,505 could also be 85.505 WHEN it is written THEN without the grouping
    assert write_number(85505, "en") == "85505" and write_number(1234567, "en") == "1,234,567"
    assert write_number(Decimal("85505"), "ru") == "85\u00a0505"
    assert write_amount(Decimal("85.505"), "кг", "ru") == "85,505 кг"


# Decimals with up to three fraction digits, from grams to large values that are written with grouping.
VALUES = st.decimals(min_value=0, max_value=10**12, places=3, allow_nan=False, allow_infinity=False)


@settings(max_examples=150, deadline=None)
@given(value=VALUES, language=st.sampled_from(LANGUAGES), unit=st.sampled_from([code for code, _names in UNITS]))
def test_every_amount_written_in_every_language_and_unit_reads_back_the_same(value, language, unit):
    # GIVEN a value, a UI language and a unit of the reference list
    names = units(language)
    # WHEN it is written as the app shows it (number and unit label) and read back in that item's unit
    text = write_amount(value, names.label(unit), language)
    # THEN the same value comes back; large values were written with grouping
    assert read_amount(text, unit=unit, units=names, language=language) == value
    assert read_number(write_number(value, language), language) == value
    if value >= 10**6:
        assert any(mark in text for mark in (",", "\u00a0", "\u202f"))
