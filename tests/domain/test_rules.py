"""Domain rules and canonical form: problems named per field, messages translated, hashes stable."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from blo_desk.domain.canonical import canonical_json, case_from_content, content_dict, content_hash
from blo_desk.domain.entities import Person, SeizedItem
from blo_desk.domain.errors import ValidationError
from blo_desk.domain.media import check_attachment
from blo_desk.domain.rules import case_errors, validate_case
from blo_desk.i18n import set_language
from blo_desk.services.demo import dustlik_case

NOW = datetime(2024, 5, 1, tzinfo=timezone.utc)


def _fields(case) -> set[str]:
    return {e.field for e in case_errors(case, now=NOW)}


def test_the_dustlik_case_is_valid():
    assert case_errors(dustlik_case(), now=NOW) == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"occurred_at": NOW + timedelta(days=1)}, "occurred_at"),
        ({"occurred_at": datetime(2024, 4, 20, 10, 40)}, "occurred_at"),  # no time zone
        ({"origin_country": "Kyrgyzstan"}, "origin_country"),
        ({"narrative": "x" * 20_001}, "narrative"),
        ({"legal_basis": "bad\x00text"}, "legal_basis"),
        ({"post_code": ""}, "post_code"),
        ({"copies": 0}, "copies"),
        ({"copies": 100}, "copies"),
        ({"interpreter_language": "Tajik"}, "interpreter_language"),
        ({"ended_at": datetime(2024, 4, 20, 4, 0, tzinfo=timezone.utc)}, "ended_at"),  # before the seizure
        ({"ended_at": datetime(2024, 4, 20, 12, 0)}, "ended_at"),  # no time zone
        ({"offence_articles": ("UZ-CC-246", "UZ-CC-246")}, "offence_articles.1"),
    ],
)
def test_case_level_problems_name_their_field(change, field):
    assert field in _fields(replace(dustlik_case(), **change))


@pytest.mark.parametrize(
    ("item", "field"),
    [
        (SeizedItem(description="x", quantity=Decimal(-1)), "items.0.quantity"),
        (SeizedItem(description="x", quantity=Decimal(0)), "items.0.quantity"),
        (SeizedItem(description="x", quantity=Decimal("NaN")), "items.0.quantity"),
        (SeizedItem(description="x", value=Decimal(-100)), "items.0.value"),
        (SeizedItem(description="x", value=Decimal("1e20")), "items.0.value"),
        (SeizedItem(description="x", packages=-2), "items.0.packages"),
        (SeizedItem(description="x", currency="sum"), "items.0.currency"),
        (SeizedItem(description=" "), "items.0.description"),
    ],
)
def test_item_problems_name_their_field(item, field):
    assert field in _fields(replace(dustlik_case(), items=(item,)))


def test_person_born_in_the_future_is_refused():
    person = Person(full_name="A B", birth_date=date(2030, 1, 1))
    assert "persons.0.birth_date" in _fields(replace(dustlik_case(), persons=(person,)))


def test_messages_are_translated_with_their_values():
    # GIVEN a case with a negative quantity
    bad = replace(dustlik_case(), items=(SeizedItem(description="x", quantity=Decimal(-1)),))
    with pytest.raises(ValidationError) as caught:
        validate_case(bad, now=NOW)
    # WHEN the officer reads the message in Russian and in Uzbek THEN it is in that language
    set_language("ru")
    russian = caught.value.errors[0].translated()
    set_language("uz")
    uzbek = caught.value.errors[0].translated()
    set_language("en")
    english = caught.value.errors[0].translated()
    assert english == "The amount cannot be negative."
    assert russian != english and any("а" <= ch <= "я" for ch in russian)
    assert uzbek != english


def test_canonical_form_round_trips_and_its_hash_is_stable():
    # GIVEN the Dustlik case with an id
    case = replace(dustlik_case(), id="6f1c0a7e-0000-4000-8000-000000000001")
    # WHEN turned into canonical JSON and back
    data = content_dict(case)
    again = case_from_content(data)
    # THEN nothing is lost, and the hash depends on content only
    assert content_dict(again) == data
    assert content_hash(again) == content_hash(case)
    assert content_hash(replace(case, revision=9)) == content_hash(case)
    assert content_hash(replace(case, narrative=case.narrative + ".")) != content_hash(case)
    assert canonical_json({"b": 1, "a": "ʻ"}) == '{"a":"ʻ","b":1}'.encode()
    # AND the protocol's fields, left empty, are not in the content (so no stored hash changed when they came)
    assert not {"offence_articles", "interpreter_language", "copies", "ended_at"} & set(data)
    full = replace(case, offence_articles=("UZ-CC-246",), interpreter_language="tg", copies=2,
                   ended_at=datetime(2024, 4, 20, 12, 5, tzinfo=timezone.utc))
    assert content_dict(case_from_content(content_dict(full))) == content_dict(full)


@pytest.mark.parametrize(
    ("head", "size", "ok"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 8, 1000, True),
        (b"\xff\xd8\xff\xe0", 2_000_000, True),
        (b"%PDF-1.7", 1000, True),
        (b"MZ\x90\x00", 1000, False),  # a program, not a photo
        (b"\xff\xd8\xff\xe0", 200 * 1024 * 1024, False),  # 200 MB
        (b"", 0, False),
    ],
)
def test_only_photos_and_scans_within_the_limit_are_attachable(head, size, ok):
    if ok:
        assert check_attachment(filename="f", size=size, head=head)
    else:
        with pytest.raises(Exception) as caught:
            check_attachment(filename="f", size=size, head=head)
        assert "f" in str(caught.value)


def test_counts_in_messages_take_the_right_plural_form():
    # GIVEN a case with one problem and a case with three
    one = replace(dustlik_case(), post_code="")
    three = replace(dustlik_case(), post_code="", origin_country="Kyrgyzstan", destination_country="uz")
    errors = []
    for case in (one, three):
        with pytest.raises(ValidationError) as caught:
            validate_case(case, now=NOW)
        errors.append(caught.value)
    # WHEN the summaries are read in English and in Russian (three plural forms)
    # THEN each number takes its own form, never "problem(s)"
    assert errors[0].translated().splitlines()[0] == "The case has 1 problem; see the marked field."
    assert errors[1].translated().splitlines()[0] == "The case has 3 problems; see the marked fields."
    set_language("ru")
    first_lines = [e.translated().splitlines()[0] for e in errors]
    set_language("en")
    assert all("(" not in line for line in first_lines)
    assert first_lines[0] != first_lines[1].replace("3", "1")


def test_an_item_named_by_a_substance_from_the_list_needs_no_description():
    # GIVEN an item the officer named by choosing hashish from the list, with nothing typed in the description
    item = SeizedItem(substance="hashish", description="", quantity=Decimal("12.5"), unit="kg")
    # THEN the case is not refused for the missing description (the substance names the item) ...
    assert "items.0.description" not in _fields(replace(dustlik_case(), items=(item,)))
    # ... while an item with neither a substance nor a description still is
    assert "items.0.description" in _fields(replace(dustlik_case(), items=(SeizedItem(description=""),)))
