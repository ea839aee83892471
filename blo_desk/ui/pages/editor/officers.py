"""The seizing officers of the case editor (incident section): name, rank and agency, and officers to and from the form.

A user of the post is added with "Add me" or picked from "Officers of the post" (the username links the entry to the
account, whose full name, rank and agency are copied); anyone else is typed in.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QMenu, QToolButton

from blo_desk.domain.entities import Officer
from blo_desk.i18n import N_, _
from blo_desk.ui.pages.editor.field_widgets import ref_choices
from blo_desk.ui.reference import ReferenceData
from blo_desk.ui.widgets.records import ColumnSpec, FieldSpec, RecordsEditor

OFFICER_KEYS = ("full_name", "rank", "agency", "username")


def officers_editor(reference: Callable[[], ReferenceData], lead_agency: Callable[[], str]) -> RecordsEditor:
    """The officers list; an officer added by hand starts with the case's lead agency."""
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
        stretch=1,  # the full name
        add_text=N_("Add officer"), remove_text=N_("Remove officer"), row_label=N_("Officer {number}"),
        empty_text=N_("No officers yet. Add yourself with Add me, or anyone else with Add officer."),
        split=2,
        new_values=lambda: {"agency": lead_agency()},
    )
    editor.table.setMinimumHeight(90)
    return editor


def officer_to_raw(officer: Officer) -> dict:
    return {"full_name": officer.full_name, "rank": officer.rank, "agency": officer.agency,
            "username": officer.username}


def collect_officers(records: list[dict]) -> list[Officer]:
    return [Officer(full_name=r["full_name"].strip(), rank=r["rank"].strip(), agency=r["agency"],
                    username=r.get("username", "")) for r in records]


POST_OFFICERS = N_("Officers of the post")
NO_POST_OFFICERS = N_("No users at this post yet")


def officer_label(officer: Officer) -> str:
    """How a user of the post is offered: full name and rank (the username when the account has no name)."""
    name = officer.full_name or officer.username
    return _("{full_name} ({rank})").format(full_name=name, rank=officer.rank) if officer.rank else name


def officer_record(officer: Officer, *, lead_agency: str) -> dict:
    """An officer as a row of the list; an account without an agency takes the case's lead agency."""
    return {"full_name": officer.full_name, "rank": officer.rank, "agency": officer.agency or lead_agency,
            "username": officer.username}


class PostOfficersButton(QToolButton):
    """A button whose menu lists the users of the case's post (full name and rank); choosing one emits `picked`."""

    picked = Signal(object)  # Officer

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("officersOfPost")
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.officers: list[Officer] = []
        self.setMenu(QMenu(self))
        self.retranslate()

    def set_officers(self, officers: list[Officer]) -> None:
        self.officers = list(officers)
        self._fill()

    def _fill(self) -> None:
        menu = self.menu()
        menu.clear()
        for officer in self.officers:
            action = menu.addAction(officer_label(officer))
            action.setObjectName(f"officerOfPost_{officer.username}")
            action.triggered.connect(lambda _checked=False, o=officer: self.picked.emit(o))
        if not self.officers:
            menu.addAction(_(NO_POST_OFFICERS)).setEnabled(False)

    def retranslate(self) -> None:
        self.setText(_(POST_OFFICERS))
        self._fill()
