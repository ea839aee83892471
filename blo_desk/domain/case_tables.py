"""Cases as tables for analysts: the columns of the cases, items and persons sheets, and international tables.

Pure data: a column names a field, its type and, for a coded field, the kind of label printed beside the code. The
international tables (shaped like the WCO CEN seizure record and UNODC's individual drug seizures) are mappings
read from data files; they may name only the non-nominal sources below, so no person can appear in them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from blo_desk.domain.entities import Case, Person, SeizedItem
from blo_desk.domain.errors import DomainError
from blo_desk.i18n import N_

#: The kinds of a column's values: how a spreadsheet stores them.
TEXT, NUMBER, INTEGER, DATE, DATETIME = "text", "number", "integer", "date", "datetime"

#: Which cases an international table takes its rows from: one per drug item, or one per item of any kind.
DRUG_CATEGORIES = ("narcotics", "psychotropics", "precursors")


class TableMapError(DomainError):
    message = N_("The table mapping {name} is not valid: {problem}")


@dataclass(frozen=True, slots=True)
class TableExport:
    """What an export wrote: its files, how many cases, and how many rows (cases + items + persons, or table rows)."""

    files: tuple[Path, ...]
    cases: int
    rows: int


@dataclass(frozen=True, slots=True)
class Column:
    """One column: `key` names the value, `heading` is a msgid, `labels` the label kind of a coded value
    (a reference kind, or country, post, status, direction, role, sex, substance), which adds a label column."""

    key: str
    heading: str
    kind: str = TEXT
    labels: str = ""


def _local(case: Case) -> datetime | None:
    if case.occurred_at is None:
        return None
    return case.occurred_at.astimezone(ZoneInfo(case.timezone)).replace(tzinfo=None)


def _codes(codes: tuple[str, ...] | tuple[Any, ...]) -> str:
    return ", ".join(str(code) for code in codes)


CASE_COLUMNS = (
    Column("case_number", N_("Case number")),
    Column("post_code", N_("Crossing point"), labels="post"),
    Column("occurred_at", N_("Date and time (local)"), DATETIME),
    Column("status", N_("Status"), labels="status"),
    Column("revision", N_("Revision"), INTEGER),
    Column("direction", N_("Direction"), labels="direction"),
    Column("agency", N_("Lead agency"), labels="agency"),
    Column("joint_agencies", N_("Joint operation with")),
    Column("detection_method", N_("Detection method"), labels="detection_method"),
    Column("other_detection_methods", N_("Other detection methods")),
    Column("technical_means", N_("Technical means")),
    Column("conveyance_type", N_("Conveyance"), labels="conveyance_type"),
    Column("conveyance_registration", N_("Registration plate")),
    Column("vehicle_make", N_("Make and model")),
    Column("trailer_plate", N_("Trailer plate")),
    Column("vin", N_("VIN")),
    Column("container_number", N_("Container")),
    Column("train_number", N_("Train")),
    Column("wagon_number", N_("Wagon")),
    Column("flight_number", N_("Flight")),
    Column("origin_country", N_("Country of origin"), labels="country"),
    Column("transit_countries", N_("Transit countries")),
    Column("destination_country", N_("Country of destination"), labels="country"),
    Column("concealment_method", N_("Concealment"), labels="concealment_method"),
    Column("concealment_details", N_("Concealment details")),
    Column("declared_cargo", N_("Declared cargo")),
    Column("declared_weight", N_("Declared weight, kg"), NUMBER),
    Column("legal_basis", N_("Legal basis")),
    Column("narrative", N_("Narrative")),
    Column("item_count", N_("Items"), INTEGER),
    Column("person_count", N_("Persons"), INTEGER),
    Column("total_value", N_("Total value"), NUMBER),
    Column("currency", N_("Currency")),
)

ITEM_COLUMNS = (
    Column("case_number", N_("Case number")),
    Column("position", N_("No."), INTEGER),
    Column("category", N_("Category"), labels="commodity_category"),
    Column("substance", N_("Substance or goods"), labels="substance"),
    Column("description", N_("Description")),
    Column("brand", N_("Brand and markings")),
    Column("quantity", N_("Quantity"), NUMBER),
    Column("unit", N_("Unit"), labels="unit"),
    Column("packages", N_("Packages"), INTEGER),
    Column("net_weight", N_("Net weight, kg"), NUMBER),
    Column("gross_weight", N_("Gross weight, kg"), NUMBER),
    Column("packaging", N_("Packaging"), labels="packaging_kind"),
    Column("package_group", N_("Shared packages")),
    Column("value", N_("Value"), NUMBER),
    Column("currency", N_("Currency")),
    Column("seals", N_("Seals")),
)

PERSON_COLUMNS = (
    Column("case_number", N_("Case number")),
    Column("position", N_("No."), INTEGER),
    Column("role", N_("Role"), labels="role"),
    Column("other_roles", N_("Also")),
    Column("full_name", N_("Full name")),
    Column("birth_date", N_("Date of birth"), DATE),
    Column("birth_place", N_("Place of birth")),
    Column("sex", N_("Sex"), labels="sex"),
    Column("nationality", N_("Nationality"), labels="country"),
    Column("document_type", N_("Document"), labels="document_type"),
    Column("document_number", N_("Document number")),
    Column("document_issued_on", N_("Issued on"), DATE),
    Column("document_issuer", N_("Issued by")),
    Column("address", N_("Address")),
)


def case_values(case: Case) -> dict[str, Any]:
    """The values of the cases sheet's row of `case` (codes as stored; labels are added by the caller)."""
    return {
        "case_number": case.case_number,
        "post_code": case.post_code,
        "occurred_at": _local(case),
        "status": str(case.status),
        "revision": case.revision,
        "direction": str(case.direction),
        "agency": case.agency,
        "joint_agencies": _codes(case.joint_agencies),
        "detection_method": case.detection_method,
        "other_detection_methods": _codes(case.other_detection_methods),
        "technical_means": _codes(case.technical_means),
        "conveyance_type": case.conveyance_type,
        "conveyance_registration": case.conveyance_registration,
        "vehicle_make": case.vehicle_make,
        "trailer_plate": case.trailer_plate,
        "vin": case.vin,
        "container_number": case.container_number,
        "train_number": case.train_number,
        "wagon_number": case.wagon_number,
        "flight_number": case.flight_number,
        "origin_country": case.origin_country,
        "transit_countries": _codes(case.transit_countries),
        "destination_country": case.destination_country,
        "concealment_method": case.concealment_method,
        "concealment_details": case.concealment_details,
        "declared_cargo": case.declared_cargo,
        "declared_weight": case.declared_weight,
        "legal_basis": case.legal_basis,
        "narrative": case.narrative,
        "item_count": len(case.items),
        "person_count": len(case.persons),
        **_total(case),
    }


def _total(case: Case) -> dict[str, Any]:
    """One total value when every valued item is in one currency; otherwise none (never a sum of currencies: the
    items sheet has each value with its currency)."""
    totals = case.total_value()
    if len(totals) != 1:
        return {"total_value": None, "currency": ""}
    [(currency, total)] = totals.items()
    return {"total_value": total, "currency": currency}


def item_values(case: Case, position: int, item: SeizedItem) -> dict[str, Any]:
    return {
        "case_number": case.case_number,
        "position": position,
        "category": item.category,
        "substance": item.substance,
        "description": item.description,
        "brand": item.brand,
        "quantity": item.quantity,
        "unit": item.unit,
        "packages": item.packages,
        "net_weight": item.net_weight,
        "gross_weight": item.gross_weight,
        "packaging": item.packaging,
        "package_group": item.package_group,
        "value": item.value,
        "currency": item.currency if item.value is not None else "",
        "seals": item.seals,
    }


def person_values(case: Case, position: int, person: Person) -> dict[str, Any]:
    return {
        "case_number": case.case_number,
        "position": position,
        "role": str(person.role),
        "other_roles": _codes(person.other_roles),
        "full_name": person.full_name,
        "birth_date": person.birth_date,
        "birth_place": person.birth_place,
        "sex": "" if person.sex is None else str(person.sex),
        "nationality": person.nationality,
        "document_type": person.document_type,
        "document_number": person.document_number,
        "document_issued_on": person.document_issued_on,
        "document_issuer": person.document_issuer,
        "address": person.address,
    }


# --- international tables ------------------------------------------------------------------------------------
def _item_amount(item: SeizedItem) -> tuple[Decimal | None, str]:
    """The seized amount as these tables count it: the net weight in kg when weighed, else the quantity."""
    if item.net_weight is not None:
        return item.net_weight, "kg"
    return item.quantity, item.unit


#: What an international table may take, per row of one item: (value, kind, label kind). No person, plate or VIN.
SOURCES: dict[str, tuple[Callable[[Case, SeizedItem], Any], str, str]] = {
    "case.case_number": (lambda c, i: c.case_number, TEXT, ""),
    "case.date": (lambda c, i: None if _local(c) is None else _local(c).date(), DATE, ""),  # type: ignore[union-attr]
    "case.year": (lambda c, i: None if _local(c) is None else _local(c).year, INTEGER, ""),  # type: ignore[union-attr]
    "case.post_code": (lambda c, i: c.post_code, TEXT, "post"),
    "case.country": (lambda c, i: c.post_code.split("-", 1)[0], TEXT, "country"),
    "case.direction": (lambda c, i: str(c.direction), TEXT, "direction"),
    "case.agency": (lambda c, i: c.agency, TEXT, "agency"),
    "case.joint_agencies": (lambda c, i: _codes(c.joint_agencies), TEXT, ""),
    "case.detection_method": (lambda c, i: c.detection_method, TEXT, "detection_method"),
    "case.other_detection_methods": (lambda c, i: _codes(c.other_detection_methods), TEXT, ""),
    "case.technical_means": (lambda c, i: _codes(c.technical_means), TEXT, ""),
    "case.conveyance_type": (lambda c, i: c.conveyance_type, TEXT, "conveyance_type"),
    "case.vehicle_make": (lambda c, i: c.vehicle_make, TEXT, ""),
    "case.concealment_method": (lambda c, i: c.concealment_method, TEXT, "concealment_method"),
    "case.origin_country": (lambda c, i: c.origin_country, TEXT, "country"),
    "case.transit_countries": (lambda c, i: _codes(c.transit_countries), TEXT, ""),
    "case.destination_country": (lambda c, i: c.destination_country, TEXT, "country"),
    "case.declared_cargo": (lambda c, i: c.declared_cargo, TEXT, ""),
    "item.category": (lambda c, i: i.category, TEXT, "commodity_category"),
    "item.substance": (lambda c, i: i.substance, TEXT, "substance"),
    "item.description": (lambda c, i: i.description, TEXT, ""),
    "item.quantity": (lambda c, i: i.quantity, NUMBER, ""),
    "item.unit": (lambda c, i: i.unit, TEXT, "unit"),
    "item.packages": (lambda c, i: i.packages, INTEGER, ""),
    "item.net_weight": (lambda c, i: i.net_weight, NUMBER, ""),
    "item.gross_weight": (lambda c, i: i.gross_weight, NUMBER, ""),
    "item.amount": (lambda c, i: _item_amount(i)[0], NUMBER, ""),
    "item.amount_unit": (lambda c, i: _item_amount(i)[1], TEXT, "unit"),
    "item.packaging": (lambda c, i: i.packaging, TEXT, "packaging_kind"),
    "item.value": (lambda c, i: i.value, NUMBER, ""),
    "item.currency": (lambda c, i: i.currency if i.value is not None else "", TEXT, ""),
}


@dataclass(frozen=True, slots=True)
class MappedColumn:
    heading: str
    source: str
    as_label: bool = False  # the label (in the table's language) instead of the code


@dataclass(frozen=True, slots=True)
class TableMap:
    """An international table: one row per item of the given categories (all when empty), columns from SOURCES."""

    name: str
    title: str
    language: str
    categories: tuple[str, ...]
    columns: tuple[MappedColumn, ...]

    def rows(self, case: Case) -> Iterator[tuple[SeizedItem, list[Any]]]:
        for item in case.items:
            if self.categories and item.category not in self.categories:
                continue
            yield item, [SOURCES[column.source][0](case, item) for column in self.columns]

    def kinds(self) -> list[str]:
        return [TEXT if column.as_label else SOURCES[column.source][1] for column in self.columns]


def parse_table_map(name: str, data: Mapping[str, Any]) -> TableMap:
    """A mapping file read and checked: every column names a known, non-nominal source."""
    def fail(problem: str) -> TableMapError:
        return TableMapError(name=name, problem=problem)

    columns = data.get("columns")
    if not isinstance(columns, list) or not columns:
        raise fail("no columns")
    parsed = []
    for entry in columns:
        if not isinstance(entry, dict) or not isinstance(entry.get("heading"), str) or not entry["heading"].strip():
            raise fail(f"a column without a heading: {entry!r}")
        source = entry.get("source")
        if source not in SOURCES:
            raise fail(f"unknown source {source!r} (known: {', '.join(sorted(SOURCES))})")
        as_label = entry.get("as", "code") == "label"
        if as_label and not SOURCES[source][2]:
            raise fail(f"{source} has no label")
        parsed.append(MappedColumn(heading=entry["heading"], source=source, as_label=as_label))
    categories = data.get("categories", [])
    if not isinstance(categories, list) or not all(isinstance(c, str) for c in categories):
        raise fail("categories must be a list of codes")
    return TableMap(name=name, title=str(data.get("title", name)), language=str(data.get("language", "en")),
                    categories=tuple(categories), columns=tuple(parsed))
