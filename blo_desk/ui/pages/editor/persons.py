"""The persons section of the case editor: a person's fields and list columns, and persons to and from the form.

To add a field to a person: a FieldSpec in `persons_editor`, its key in PERSON_KEYS, and the Person argument in
`collect_persons` (with `person_to_raw` for loading).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from blo_desk.domain.entities import Person
from blo_desk.domain.enums import PersonRole, Sex
from blo_desk.i18n import N_
from blo_desk.ui.forms import format_date, parse_date
from blo_desk.ui.pages.editor.field_widgets import country_choices, ref_choices
from blo_desk.ui.reference import ReferenceData
from blo_desk.ui.widgets.choices import CheckList, join_codes, split_codes
from blo_desk.ui.widgets.records import ColumnSpec, FieldSpec, RecordsEditor

PERSON_KEYS = ("role", "other_roles", "full_name", "birth_date", "birth_place", "sex", "nationality", "document_type",
               "document_number", "document_issued_on", "document_issuer", "address")


def role_choices() -> list[tuple[str, str]]:
    return [(str(r), r.label) for r in PersonRole]


def persons_editor(reference: Callable[[], ReferenceData]) -> RecordsEditor:
    return RecordsEditor(
        prefix="persons",
        fields=[
            # first column: who
            FieldSpec("role", N_("Role"), "combo", role_choices, blank=False),
            FieldSpec("other_roles", N_("Also"), "checks", role_choices),
            FieldSpec("full_name", N_("Full name")),
            FieldSpec("sex", N_("Sex"), "combo", lambda: [(str(s), s.label) for s in Sex]),
            FieldSpec("birth_date", N_("Date of birth"), "date"),
            FieldSpec("birth_place", N_("Place of birth")),
            # second column: papers and address
            FieldSpec("nationality", N_("Nationality"), "combo", country_choices),
            FieldSpec("document_type", N_("Document"), "combo", lambda: ref_choices(reference(), "document_type")),
            FieldSpec("document_number", N_("Document number")),
            FieldSpec("document_issued_on", N_("Date of issue"), "date"),
            FieldSpec("document_issuer", N_("Issued by")),
            FieldSpec("address", N_("Address")),
        ],
        split=6,
        adjust=lambda editor, record: cast(CheckList, editor.fields["other_roles"].widget).exclude(record["role"]),
        columns=[
            ColumnSpec(N_("No."), lambda r: ""),
            ColumnSpec(N_("Role"), describe_roles),
            ColumnSpec(N_("Full name"), lambda r: r["full_name"]),
            ColumnSpec(N_("Document"), lambda r: " ".join(
                x for x in (reference().label("document_type", r["document_type"]), r["document_number"]) if x)),
        ],
        defaults={k: "" for k in PERSON_KEYS} | {"role": str(PersonRole.SUSPECT)},
        add_text=N_("Add person"), remove_text=N_("Remove person"), row_label=N_("Person {number}"),
        empty_text=N_("No persons yet. Press Add person (Alt+Insert)."),
    )


def person_to_raw(person: Person) -> dict:
    return {"role": str(person.role), "full_name": person.full_name, "birth_date": format_date(person.birth_date),
            "sex": "" if person.sex is None else str(person.sex), "nationality": person.nationality,
            "document_type": person.document_type, "document_number": person.document_number,
            "address": person.address, "other_roles": join_codes(str(r) for r in person.other_roles),
            "document_issued_on": format_date(person.document_issued_on), "document_issuer": person.document_issuer,
            "birth_place": person.birth_place}


def collect_persons(records: list[dict], parse) -> list[Person]:
    """The persons of the form; `parse(path, parser, text)` notes what cannot be understood (and gives None)."""
    persons = []
    for index, raw in enumerate(records):
        path = f"persons.{index}"
        persons.append(Person(
            role=PersonRole(raw["role"]) if raw["role"] in set(PersonRole) else PersonRole.SUSPECT,
            full_name=raw["full_name"].strip(),
            birth_date=parse(f"{path}.birth_date", parse_date, raw["birth_date"]),
            sex=Sex(raw["sex"]) if raw["sex"] in set(Sex) else None, nationality=raw["nationality"],
            document_type=raw["document_type"], document_number=raw["document_number"].strip(),
            address=raw["address"].strip(),
            other_roles=tuple(PersonRole(r) for r in split_codes(raw["other_roles"])
                              if r in set(PersonRole) and r != raw["role"]),
            document_issued_on=parse(f"{path}.document_issued_on", parse_date, raw["document_issued_on"]),
            document_issuer=raw["document_issuer"].strip(), birth_place=raw["birth_place"].strip()))
    return persons


def describe_roles(r: dict) -> str:
    """Driver, suspect: the main role first."""
    codes = [r["role"], *[c for c in split_codes(r["other_roles"]) if c != r["role"]]]
    return ", ".join(PersonRole(c).label for c in codes if c in set(PersonRole))
