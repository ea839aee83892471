"""Canonical JSON of a case and its content hash: the same case gives the same bytes everywhere."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any, overload

from blo_desk.domain.entities import Attachment, Case, Officer, Person, SeizedItem, TransportDocument
from blo_desk.domain.enums import CaseStatus, Direction, PersonRole, Sex, TimePrecision

CONTENT_FIELDS = (
    "case_number",
    "post_code",
    "timezone",
    "agency",
    "procedure",
    "detection_method",
    "conveyance_type",
    "conveyance_registration",
    "origin_country",
    "destination_country",
    "concealment_method",
    "concealment_details",
    "narrative",
    "legal_basis",
)
#: The fields of each child of a case's content, in content_dict's order (storage columns of the same names).
ITEM_FIELDS = ("category", "description", "brand", "quantity", "unit", "packages", "value", "currency", "seals")
PERSON_FIELDS = ("role", "full_name", "birth_date", "sex", "nationality", "document_type", "document_number",
                 "address")
ATTACHMENT_FIELDS = ("sha256", "filename", "media_type", "size", "caption")


# Fields added with bundle format 2. Each is written only when it holds something, so the content (and hash) of a
# case that does not use them is exactly what format 1 wrote. Plain text fields of the case, of an item, of a person:
CASE_TEXT_FIELDS_2 = ("vehicle_make", "trailer_plate", "vin", "container_number", "train_number", "wagon_number",
                      "flight_number", "declared_cargo", "interpreter_language")
CASE_CODE_LISTS_2 = ("joint_agencies", "other_detection_methods", "technical_means", "transit_countries",
                     "offence_articles")
ITEM_TEXT_FIELDS_2 = ("substance", "packaging", "package_group")
ITEM_DECIMAL_FIELDS_2 = ("net_weight", "gross_weight")
PERSON_TEXT_FIELDS_2 = ("document_issuer", "birth_place")
CASE_KEYS_2 = (*CASE_TEXT_FIELDS_2, *CASE_CODE_LISTS_2, "time_precision", "declared_weight", "documents", "officers",
               "copies", "ended_at")
ITEM_KEYS_2 = (*ITEM_TEXT_FIELDS_2, *ITEM_DECIMAL_FIELDS_2)
PERSON_KEYS_2 = (*PERSON_TEXT_FIELDS_2, "other_roles", "document_issued_on")
DOCUMENT_KEYS = ("kind", "number", "issued_on")
OFFICER_KEYS = ("full_name", "rank", "agency", "username")


@overload
def decimal_text(value: Decimal) -> str: ...
@overload
def decimal_text(value: None) -> None: ...
@overload
def decimal_text(value: Decimal | None) -> str | None: ...
def decimal_text(value: Decimal | None) -> str | None:
    """A decimal as canonical text: no exponent, no trailing zeros ("1.5", "1200"); None stays None."""
    return None if value is None else format(value.normalize(), "f")


@overload
def timestamp_text(value: datetime) -> str: ...
@overload
def timestamp_text(value: None) -> None: ...
@overload
def timestamp_text(value: datetime | None) -> str | None: ...
def timestamp_text(value: datetime | None) -> str | None:
    """A moment as canonical UTC text with microseconds ('2024-05-01T08:30:00.000000Z'); None stays None."""
    if value is None:
        return None
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_ts(value: str | None) -> datetime | None:
    if value is None:
        return None
    if value.endswith("Z"):  # the canonical form: UTC already, no conversion needed
        return datetime.fromisoformat(value[:-1]).replace(tzinfo=timezone.utc)
    return datetime.fromisoformat(value).astimezone(timezone.utc)


def content_dict(case: Case) -> dict[str, Any]:
    """The case's content: what officers entered plus status; no revision number or timestamps."""
    data: dict[str, Any] = {name: getattr(case, name) for name in CONTENT_FIELDS}
    data["id"] = case.id
    data["occurred_at"] = timestamp_text(case.occurred_at)
    data["direction"] = str(case.direction)
    data["status"] = str(case.status)
    data["items"] = [
        {
            "category": i.category,
            "description": i.description,
            "brand": i.brand,
            "quantity": decimal_text(i.quantity),
            "unit": i.unit,
            "packages": i.packages,
            "value": decimal_text(i.value),
            "currency": i.currency,
            "seals": i.seals,
            **item_extension(i),
        }
        for i in case.items
    ]
    data["persons"] = [
        {
            "role": str(p.role),
            "full_name": p.full_name,
            "birth_date": p.birth_date.isoformat() if p.birth_date else None,
            "sex": str(p.sex) if p.sex else None,
            "nationality": p.nationality,
            "document_type": p.document_type,
            "document_number": p.document_number,
            "address": p.address,
            **person_extension(p),
        }
        for p in case.persons
    ]
    data["attachments"] = [
        {"sha256": a.sha256, "filename": a.filename, "media_type": a.media_type, "size": a.size, "caption": a.caption}
        for a in case.attachments
    ]
    data.update(case_extension(case))
    return data


def keyword_fields(fields: Mapping[str, object]) -> dict[str, Any]:
    """Keyword arguments picked by name at run time (the type checker cannot tie each name to its parameter)."""
    return dict(fields)


def _present(pairs: dict[str, Any]) -> dict[str, Any]:
    """The format-2 fields that hold something (empty text, empty list and None are left out)."""
    return {key: value for key, value in pairs.items() if value not in ("", None, [])}


def case_extension(case: Case) -> dict[str, Any]:
    """The format-2 fields of a case that hold something, as content_dict writes them."""
    return _present({
        **{name: getattr(case, name) for name in CASE_TEXT_FIELDS_2},
        **{name: list(getattr(case, name)) for name in CASE_CODE_LISTS_2},
        "time_precision": "" if case.time_precision == TimePrecision.EXACT else str(case.time_precision),
        "declared_weight": decimal_text(case.declared_weight),
        "documents": [{"kind": d.kind, "number": d.number,
                       "issued_on": d.issued_on.isoformat() if d.issued_on else None} for d in case.documents],
        "officers": [{"full_name": o.full_name, "rank": o.rank, "agency": o.agency, "username": o.username}
                     for o in case.officers],
        "copies": case.copies,
        "ended_at": timestamp_text(case.ended_at),
    })


def item_extension(item: SeizedItem) -> dict[str, Any]:
    return _present({
        **{name: getattr(item, name) for name in ITEM_TEXT_FIELDS_2},
        **{name: decimal_text(getattr(item, name)) for name in ITEM_DECIMAL_FIELDS_2},
    })


def person_extension(person: Person) -> dict[str, Any]:
    return _present({
        **{name: getattr(person, name) for name in PERSON_TEXT_FIELDS_2},
        "other_roles": [str(r) for r in person.other_roles],
        "document_issued_on": person.document_issued_on.isoformat() if person.document_issued_on else None,
    })


def canonical_json(data: object) -> bytes:
    """Sorted keys, no spaces, UTF-8, no NaN: one byte string per value."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8")


def content_hash(case: Case) -> str:
    return hashlib.sha256(canonical_json(content_dict(case))).hexdigest()


def revision_record(case: Case, *, parent_hash: str, reason: str = "", actor: str = "") -> dict[str, Any]:
    """One revision as it travels in a sync bundle: content plus revision metadata."""
    return {
        "case": content_dict(case),
        "revision": case.revision,
        "content_hash": content_hash(case),
        "parent_hash": parent_hash,
        "reason": reason,
        "actor": actor,
        "created_at": timestamp_text(case.created_at),
        "updated_at": timestamp_text(case.updated_at),
        "finalized_at": timestamp_text(case.finalized_at),
    }


def case_from_content(data: dict[str, Any], *, revision: int = 0, created_at: datetime | None = None,
                      updated_at: datetime | None = None, finalized_at: datetime | None = None) -> Case:
    """Rebuild a Case from content_dict output (the inverse of content_dict), built once (HQ imports call this
    for every record, so no intermediate Case and no dataclasses.replace)."""
    items = tuple([
        SeizedItem(
            category=i["category"],
            description=i["description"],
            brand=i["brand"],
            quantity=None if i["quantity"] is None else Decimal(i["quantity"]),
            unit=i["unit"],
            packages=i["packages"],
            value=None if i["value"] is None else Decimal(i["value"]),
            currency=i["currency"],
            seals=i["seals"],
            substance=i.get("substance", ""),
            net_weight=_decimal_or_none(i.get("net_weight")),
            gross_weight=_decimal_or_none(i.get("gross_weight")),
            packaging=i.get("packaging", ""),
            package_group=i.get("package_group", ""),
        )
        for i in data["items"]
    ])
    persons = tuple([
        Person(
            role=PersonRole(p["role"]),
            full_name=p["full_name"],
            birth_date=date.fromisoformat(p["birth_date"]) if p["birth_date"] else None,
            sex=Sex(p["sex"]) if p["sex"] else None,
            nationality=p["nationality"],
            document_type=p["document_type"],
            document_number=p["document_number"],
            address=p["address"],
            other_roles=tuple(PersonRole(r) for r in p.get("other_roles", ())),
            document_issued_on=_date_or_none(p.get("document_issued_on")),
            document_issuer=p.get("document_issuer", ""),
            birth_place=p.get("birth_place", ""),
        )
        for p in data["persons"]
    ])
    attachments = tuple([Attachment(**a) for a in data["attachments"]])
    return Case(
        **{name: data[name] for name in CONTENT_FIELDS},
        id=data["id"],
        occurred_at=parse_ts(data["occurred_at"]),
        direction=Direction(data["direction"]),
        status=CaseStatus(data["status"]),
        revision=revision,
        created_at=created_at,
        updated_at=updated_at,
        finalized_at=finalized_at,
        items=items,
        persons=persons,
        attachments=attachments,
        **keyword_fields({name: data.get(name, "") for name in CASE_TEXT_FIELDS_2}),
        **keyword_fields({name: tuple(data.get(name, ())) for name in CASE_CODE_LISTS_2}),
        time_precision=TimePrecision(data.get("time_precision") or TimePrecision.EXACT),
        declared_weight=_decimal_or_none(data.get("declared_weight")),
        documents=tuple(TransportDocument(kind=d["kind"], number=d["number"], issued_on=_date_or_none(d["issued_on"]))
                        for d in data.get("documents", ())),
        officers=tuple(Officer(**{key: o[key] for key in OFFICER_KEYS}) for o in data.get("officers", ())),
        copies=data.get("copies"),
        ended_at=parse_ts(data.get("ended_at")),
    )


def _decimal_or_none(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _date_or_none(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
