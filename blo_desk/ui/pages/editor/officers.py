"""The seizing officers of the case editor (incident section): name, rank and agency, and officers to and from the form.

A user of the post is added with "Add me" (their username links the entry to the account); anyone else is typed in.
"""

from __future__ import annotations

from collections.abc import Callable

from blo_desk.domain.entities import Officer
from blo_desk.i18n import N_
from blo_desk.ui.pages.editor.field_widgets import ref_choices
from blo_desk.ui.reference import ReferenceData
from blo_desk.ui.widgets.records import ColumnSpec, FieldSpec, RecordsEditor

OFFICER_KEYS = ("full_name", "rank", "agency", "username")


def officers_editor(reference: Callable[[], ReferenceData]) -> RecordsEditor:
    editor = RecordsEditor(
        prefix="officers",
        fields=[
            FieldSpec("full_name", N_("Full name")),
            FieldSpec("rank", N_("Rank or position")),
            FieldSpec("agency", N_("Agency"), "combo", lambda: ref_choices(reference(), "agency")),
        ],
        columns=[
            ColumnSpec(N_("No."), lambda r: ""),
            ColumnSpec(N_("Full name"), lambda r: r["full_name"]),
            ColumnSpec(N_("Rank or position"), lambda r: r["rank"]),
            ColumnSpec(N_("Agency"), lambda r: reference().label("agency", r["agency"])),
        ],
        defaults={k: "" for k in OFFICER_KEYS},
        add_text=N_("Add officer"), remove_text=N_("Remove officer"), row_label=N_("Officer {number}"),
        empty_text=N_("No officers yet. Add yourself with Add me, or anyone else with Add officer."),
        split=2,
    )
    editor.table.setMinimumHeight(90)
    return editor


def officer_to_raw(officer: Officer) -> dict:
    return {"full_name": officer.full_name, "rank": officer.rank, "agency": officer.agency,
            "username": officer.username}


def collect_officers(records: list[dict]) -> list[Officer]:
    return [Officer(full_name=r["full_name"].strip(), rank=r["rank"].strip(), agency=r["agency"],
                    username=r.get("username", "")) for r in records]
