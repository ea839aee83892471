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
from blo_desk.ui.pages.editor.field_widgets import currency_choices, ref_choices
from blo_desk.ui.reference import ReferenceData
from blo_desk.ui.widgets.records import ColumnSpec, FieldSpec, RecordsEditor

ITEM_KEYS = ("substance", "category", "description", "brand", "quantity", "unit", "packages", "packaging",
             "package_group", "net_weight", "gross_weight", "value", "currency", "seals")
WEIGHTS = ("net_weight", "gross_weight")
NO_WEIGHT_CATEGORIES = frozenset({"currency"})  # banknotes are counted, not weighed: the weights are not shown


def items_editor(reference: Callable[[], ReferenceData], numbers: ItemNumbers) -> RecordsEditor:
    return RecordsEditor(
        prefix="items",
        fields=[
            # first column: what it is
            FieldSpec("substance", N_("Substance or goods"), "search", lambda: ref_choices(reference(), "substance"),
                      find=lambda typed: reference().find_substances(typed)),
            FieldSpec("category", N_("Commodity category"), "combo", lambda: ref_choices(reference(), "commodity_category")),
            FieldSpec("description", N_("Description")),
            FieldSpec("brand", N_("Brand or markings")),
            FieldSpec("quantity", N_("Quantity"), "number", read=numbers.read_quantity, echo=numbers.quantity_echo),
            FieldSpec("unit", N_("Unit"), "combo", lambda: ref_choices(reference(), "unit")),
            FieldSpec("value", N_("Estimated value"), "number", read=numbers.read_value, echo=numbers.value_echo),
            # second column: how it was packed and weighed
            FieldSpec("packaging", N_("Packaging"), "combo", lambda: ref_choices(reference(), "packaging_kind")),
            FieldSpec("packages", N_("Packages"), "number", read=numbers.read_packages, echo=numbers.packages_echo),
            FieldSpec("package_group", N_("Same packages as (group)"),
                      placeholder=N_("e.g. A: items with the same letter were in the same packages")),
            FieldSpec("net_weight", N_("Net weight, kg"), "number", read=numbers.weight_reader("net_weight"),
                      echo=lambda r: numbers.weight_echo(r["net_weight"])),
            FieldSpec("gross_weight", N_("Gross weight, kg"), "number", read=numbers.weight_reader("gross_weight"),
                      echo=lambda r: numbers.weight_echo(r["gross_weight"])),
            FieldSpec("currency", N_("Currency"), "combo", currency_choices,
                      editable_codes=True, blank=False),
            FieldSpec("seals", N_("Seals")),
        ],
        split=7,
        columns=[
            ColumnSpec(N_("No."), lambda r: ""),
            ColumnSpec(N_("Commodity"), lambda r: reference().label("substance", r["substance"])
                       or reference().label("commodity_category", r["category"])),
            ColumnSpec(N_("Description"), describe_item),
            ColumnSpec(N_("Quantity"), numbers.quantity_text),
            ColumnSpec(N_("Value"), numbers.value_text),
            ColumnSpec(N_("Net weight"), lambda r: numbers.weight_text(r["net_weight"])),
        ],
        defaults={k: "" for k in ITEM_KEYS} | {"currency": "UZS"},
        add_text=N_("Add item"), remove_text=N_("Remove item"), row_label=N_("Item {number}"),
        empty_text=N_("No seized items yet. Press Add item (Alt+Insert)."),
        fill_in=lambda key, record: substance_defaults(reference(), key, record),
        adjust=show_item_fields,
    )


def substance_defaults(reference: ReferenceData, key: str, record: dict) -> dict:
    """Choosing a substance fills in its commodity category and usual unit where they are still empty."""
    if key != "substance" or not record["substance"]:
        return {}
    substance = reference.substances.get(record["substance"])
    if substance is None:
        return {}
    filled = {}
    if not record["category"] and substance.category:
        filled["category"] = substance.category
    if not record["unit"] and substance.unit:
        filled["unit"] = substance.unit
    return filled


def show_item_fields(editor: RecordsEditor, record: dict) -> None:
    """The weights are shown for goods that are weighed (not for currency), and whenever one is already typed."""
    weighed = record["category"] not in NO_WEIGHT_CATEGORIES or any(record[k].strip() for k in WEIGHTS)
    for key in WEIGHTS:
        editor.set_field_visible(key, weighed)


def item_to_raw(item: SeizedItem) -> dict:
    return {"substance": item.substance, "category": item.category, "description": item.description,
            "brand": item.brand, "quantity": plain_decimal(item.quantity), "unit": item.unit,
            "packages": "" if item.packages is None else str(item.packages), "packaging": item.packaging,
            "package_group": item.package_group, "net_weight": plain_decimal(item.net_weight),
            "gross_weight": plain_decimal(item.gross_weight), "value": plain_decimal(item.value),
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
            currency=(raw["currency"] or "").strip().upper(), seals=raw["seals"].strip(),
            substance=raw["substance"],
            net_weight=parse(f"{path}.net_weight", numbers.weight, raw["net_weight"]),
            gross_weight=parse(f"{path}.gross_weight", numbers.weight, raw["gross_weight"]),
            packaging=raw["packaging"], package_group=raw["package_group"].strip()))
    return items


# --- the list's columns ----------------------------------------------------------------------------------------------
def describe_item(r: dict) -> str:
    return " — ".join(x for x in (r["description"], r["brand"]) if x)
