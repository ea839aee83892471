"""The transport documents of the case editor (conveyance section): kind, number and date, to and from the form."""

from __future__ import annotations

from collections.abc import Callable

from blo_desk.domain.entities import TransportDocument
from blo_desk.i18n import N_
from blo_desk.ui.forms import format_date, parse_date
from blo_desk.ui.pages.editor.field_widgets import ref_choices
from blo_desk.ui.reference import ReferenceData
from blo_desk.ui.widgets.records import ColumnSpec, FieldSpec, RecordsEditor

DOCUMENT_KEYS = ("kind", "number", "issued_on")


def documents_editor(reference: Callable[[], ReferenceData]) -> RecordsEditor:
    editor = RecordsEditor(
        prefix="documents",
        fields=[
            FieldSpec("kind", N_("Document"), "combo", lambda: ref_choices(reference(), "transport_document")),
            FieldSpec("number", N_("Number")),
            FieldSpec("issued_on", N_("Date of issue"), "date"),
        ],
        columns=[
            ColumnSpec(N_("No."), lambda r: ""),
            ColumnSpec(N_("Document"), lambda r: reference().label("transport_document", r["kind"])),
            ColumnSpec(N_("Number"), lambda r: r["number"]),
            ColumnSpec(N_("Date"), lambda r: r["issued_on"]),
        ],
        defaults={k: "" for k in DOCUMENT_KEYS},
        add_text=N_("Add document"), remove_text=N_("Remove document"), row_label=N_("Document {number}"),
        empty_text=N_("No documents yet. Add the CMR, waybill, declaration or invoice presented."),
        split=2,
    )
    editor.table.setMinimumHeight(90)
    return editor


def document_to_raw(document: TransportDocument) -> dict:
    return {"kind": document.kind, "number": document.number, "issued_on": format_date(document.issued_on)}


def collect_documents(records: list[dict], parse) -> list[TransportDocument]:
    """The documents of the form; `parse(path, parser, text)` notes what cannot be understood (and gives None)."""
    return [TransportDocument(kind=r["kind"], number=r["number"].strip(),
                              issued_on=parse(f"documents.{i}.issued_on", parse_date, r["issued_on"]))
            for i, r in enumerate(records)]
