"""The seized items section of the case editor: the item's fields and list columns, and items to and from the form.

To add a field to a seized item: a FieldSpec in `items_editor`, its key in ITEM_KEYS, and the SeizedItem argument in
`collect_items` (with `item_to_raw` for loading).
"""

from __future__ import annotations

from collections.abc import Callable

from blo_desk.domain.entities import SeizedItem
from blo_desk.i18n import N_
from blo_desk.ui.amounts import ItemNumbers
from blo_desk.ui.forms import parse_decimal, parse_int, plain_decimal
from blo_desk.ui.pages.editor.field_widgets import ref_choices
from blo_desk.ui.reference import ReferenceData
from blo_desk.ui.widgets.records import ColumnSpec, FieldSpec, RecordsEditor

CURRENCIES = ("UZS", "USD", "EUR", "RUB", "KZT", "KGS", "TJS", "TMT", "CNY")
ITEM_KEYS = ("category", "description", "brand", "quantity", "unit", "packages", "value", "currency", "seals")


def items_editor(reference: Callable[[], ReferenceData], numbers: ItemNumbers) -> RecordsEditor:
    return RecordsEditor(
        prefix="items",
        fields=[
            FieldSpec("category", N_("Commodity"), "combo", lambda: ref_choices(reference(), "commodity_category")),
            FieldSpec("description", N_("Description")),
            FieldSpec("brand", N_("Brand or markings")),
            FieldSpec("quantity", N_("Quantity"), "number", read=numbers.read_quantity, echo=numbers.quantity_echo),
            FieldSpec("unit", N_("Unit"), "combo", lambda: ref_choices(reference(), "unit")),
            FieldSpec("packages", N_("Packages"), "number", read=numbers.read_packages, echo=numbers.packages_echo),
            FieldSpec("value", N_("Estimated value"), "number", read=numbers.read_value, echo=numbers.value_echo),
            FieldSpec("currency", N_("Currency"), "combo", lambda: [(c, c) for c in CURRENCIES],
                      editable_codes=True, blank=False),
            FieldSpec("seals", N_("Seals")),
        ],
        columns=[
            ColumnSpec(N_("No."), lambda r: ""),
            ColumnSpec(N_("Commodity"), lambda r: reference().label("commodity_category", r["category"])),
            ColumnSpec(N_("Description"), describe_item),
            ColumnSpec(N_("Quantity"), numbers.quantity_text),
            ColumnSpec(N_("Value"), numbers.value_text),
        ],
        defaults={k: "" for k in ITEM_KEYS} | {"currency": "UZS"},
        add_text=N_("Add item"), remove_text=N_("Remove item"), row_label=N_("Item {number}"),
        empty_text=N_("No seized items yet. Press Add item (Alt+Insert)."),
    )


def item_to_raw(item: SeizedItem) -> dict:
    return {"category": item.category, "description": item.description, "brand": item.brand,
            "quantity": plain_decimal(item.quantity), "unit": item.unit,
            "packages": "" if item.packages is None else str(item.packages), "value": plain_decimal(item.value),
            "currency": item.currency, "seals": item.seals}


def collect_items(records: list[dict], parse, numbers: ItemNumbers) -> list[SeizedItem]:
    """The items of the form; `parse(path, parser, text)` notes what cannot be understood (and gives None)."""
    items = []
    for index, raw in enumerate(records):
        path = f"items.{index}"
        items.append(SeizedItem(
            category=raw["category"], description=raw["description"].strip(), brand=raw["brand"].strip(),
            quantity=parse(f"{path}.quantity", lambda t, u=raw["unit"]: numbers.quantity(t, u), raw["quantity"]),
            unit=raw["unit"],
            packages=parse(f"{path}.packages", parse_int, raw["packages"]),
            value=parse(f"{path}.value", parse_decimal, raw["value"]),
            currency=(raw["currency"] or "").strip().upper(), seals=raw["seals"].strip()))
    return items


# --- the list's columns ----------------------------------------------------------------------------------------------
def describe_item(r: dict) -> str:
    return " — ".join(x for x in (r["description"], r["brand"]) if x)
