"""Bundle record format: the fields of one case revision in records.jsonl, per format version, and their checks."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from blo_desk.domain.canonical import (
    ATTACHMENT_FIELDS,
    CONTENT_FIELDS,
    ITEM_FIELDS,
    PERSON_FIELDS,
    canonical_json,
    case_from_content,
    decimal_text,
    parse_ts,
    timestamp_text,
)
from blo_desk.domain.entities import Case
from blo_desk.domain.enums import CaseStatus, Direction, PersonRole, Sex
from blo_desk.exchange.errors import (
    ForeignPostRecordError,
    MissingAttachmentError,
    RecordError,
    RecordHashMismatchError,
    UnsupportedFormatError,
)

# How to add a field (an item's new "weight_net", say):
#   1. the domain: the entity, canonical.ITEM_FIELDS, content_dict and case_from_content;
#   2. here: its JSON types in the child table of a NEW RecordFormat (a bundle's record never changes meaning
#      under a version number already shipped), added to RECORD_FORMATS; CURRENT becomes that format;
#   3. storage.case_rows maps it to its column (both the post's and HQ's writers use that module).
# A bundle of an older version still imports: its records are checked against their own RecordFormat.

# Field types of parsed JSON values: `type(v) in ...` (a bool is not an int here, and JSON gives no subclasses).
STR = frozenset({str})
OPT_STR = frozenset({str, type(None)})
INT = frozenset({int})
OPT_INT = frozenset({int, type(None)})

HEX64_RE = re.compile(r"^[0-9a-f]{64}$")
TIMESTAMP_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$")
#: The record's own fields around the case (revision metadata).
RECORD_FIELDS = ("case", "revision", "content_hash", "parent_hash", "reason", "actor", "created_at", "updated_at",
                 "finalized_at")
# What canonical JSON may hold outside its strings: brackets, separators, digits, minus, true, false, null.
_STRUCTURE = b"{}[],:-0123456789truefalsn"
_DIRECTIONS = frozenset(map(str, Direction))
_STATUSES = frozenset(map(str, CaseStatus))
_ROLES = frozenset(map(str, PersonRole))
_SEXES = frozenset(map(str, Sex))


@dataclass(frozen=True)
class RecordFormat:
    """One version of the record: the case's plain text fields and each child's fields with their JSON types.

    The key sets and the sorted orders the checks compare with are derived once, here."""

    version: int
    case_text: tuple[str, ...]  # case fields that are plain strings (besides id, direction and status)
    items: Mapping[str, frozenset[type]]
    persons: Mapping[str, frozenset[type]]
    attachments: Mapping[str, frozenset[type]]
    record_keys: frozenset[str] = field(init=False)
    case_keys: frozenset[str] = field(init=False)
    children: tuple[tuple[str, Mapping[str, frozenset[type]]], ...] = field(init=False)
    # Canonical JSON writes every object's keys sorted: the only order a canonical record's objects can have.
    record_order: tuple[str, ...] = field(init=False)
    case_order: tuple[str, ...] = field(init=False)
    child_orders: tuple[tuple[str, tuple[str, ...]], ...] = field(init=False)

    def __post_init__(self) -> None:
        children = (("items", self.items), ("persons", self.persons), ("attachments", self.attachments))
        case_keys = frozenset(self.case_text) | {"id", "occurred_at", "direction", "status", *dict(children)}
        derived = {
            "record_keys": frozenset(RECORD_FIELDS),
            "case_keys": case_keys,
            "children": children,
            "record_order": tuple(sorted(RECORD_FIELDS)),
            "case_order": tuple(sorted(case_keys)),
            "child_orders": tuple((name, tuple(sorted(schema))) for name, schema in children),
        }
        for name, value in derived.items():
            object.__setattr__(self, name, value)


def _typed(names: tuple[str, ...], types: dict[str, frozenset[type]]) -> dict[str, frozenset[type]]:
    """A child's field table in the domain's order; the domain and the format must name the same fields."""
    if set(names) != set(types):
        raise AssertionError(f"record format and domain disagree: {sorted(set(names) ^ set(types))}")
    return {name: types[name] for name in names}


V1 = RecordFormat(
    version=1,
    case_text=CONTENT_FIELDS,
    items=_typed(ITEM_FIELDS, {"category": STR, "description": STR, "brand": STR, "quantity": OPT_STR,
                               "unit": STR, "packages": OPT_INT, "value": OPT_STR, "currency": STR, "seals": STR}),
    persons=_typed(PERSON_FIELDS, {"role": STR, "full_name": STR, "birth_date": OPT_STR, "sex": OPT_STR,
                                   "nationality": STR, "document_type": STR, "document_number": STR,
                                   "address": STR}),
    attachments=_typed(ATTACHMENT_FIELDS, {"sha256": STR, "filename": STR, "media_type": STR, "size": INT,
                                           "caption": STR}),
)
#: Every record format an importer accepts, by version; CURRENT is the one exports write.
RECORD_FORMATS: Mapping[int, RecordFormat] = {V1.version: V1}
CURRENT = V1


def record_format(version: int) -> RecordFormat:
    """The record format of a bundle version; an unknown version is refused."""
    found = RECORD_FORMATS.get(version)
    if found is None:
        raise UnsupportedFormatError(found=version, supported=CURRENT.version)
    return found


def _check_children(line: int, rows: object, schema: Mapping[str, frozenset[type]], name: str) -> None:
    if type(rows) is not list:
        raise RecordError(line=line, field=f"case.{name}")
    fields = schema.items()
    for n, row in enumerate(rows):
        if type(row) is not dict or row.keys() != schema.keys():
            raise RecordError(line=line, field=f"case.{name}.{n}")
        for key, types in fields:
            if type(row[key]) not in types:
                raise RecordError(line=line, field=f"case.{name}.{n}.{key}")


def _check_timestamp(line: int, value: str, field: str) -> None:
    """A timestamp of the canonical shape must also be a real date and time (no month 13)."""
    try:
        datetime.fromisoformat(value[:-1])
    except ValueError:
        raise RecordError(line=line, field=field) from None


def is_canonical(raw: bytes, record: dict, fmt: RecordFormat = CURRENT) -> bool:
    """Whether `raw` is exactly canonical_json(record), for a record check_record's field checks passed.

    Without re-encoding, when the line has no backslash: every string is then written as it is (JSON has no
    other way to spell a string without escapes, and the strict parser refused raw control characters), so the
    bytes are canonical when each object's keys come in sorted order (duplicates were refused while parsing),
    nothing but brackets, separators, integers and literals lies between the strings (no white space, no
    float, no "-0"). Any line this cannot prove is compared with its re-encoding, byte for byte."""
    if b"\\" not in raw and tuple(record) == fmt.record_order:
        case = record["case"]
        if tuple(case) == fmt.case_order and all(tuple(row) == order for name, order in fmt.child_orders
                                                 for row in case[name]):
            structure = b"".join(raw.split(b'"')[::2])
            if not structure.translate(None, _STRUCTURE) and b"-0" not in structure:
                return True
    return canonical_json(record) == raw


def check_record(line: int, raw: bytes, record: object, *, post: str, fmt: RecordFormat = CURRENT) -> dict:
    """Every field of one record has the right name and type, it belongs to the bundle's post, its content
    hash is right and it is written in canonical form. Returns the record."""
    if type(record) is not dict or record.keys() != fmt.record_keys:
        raise RecordError(line=line, field="record")
    case = record["case"]
    if type(case) is not dict or case.keys() != fmt.case_keys:
        raise RecordError(line=line, field="case")
    if type(record["revision"]) is not int or not 1 <= record["revision"] < 2**31:
        raise RecordError(line=line, field="revision")
    if type(record["content_hash"]) is not str or not HEX64_RE.match(record["content_hash"]):
        raise RecordError(line=line, field="content_hash")
    parent = record["parent_hash"]
    if type(parent) is not str or not (parent == "" or HEX64_RE.match(parent)):
        raise RecordError(line=line, field="parent_hash")
    for name in ("reason", "actor"):
        if type(record[name]) is not str:
            raise RecordError(line=line, field=name)
    for name in ("created_at", "updated_at", "finalized_at"):
        value = record[name]
        if type(value) is str and TIMESTAMP_RE.match(value):
            _check_timestamp(line, value, name)
        elif not (name == "finalized_at" and value is None):
            raise RecordError(line=line, field=name)
    for name in (*fmt.case_text, "id", "direction", "status"):
        if type(case[name]) is not str:
            raise RecordError(line=line, field=f"case.{name}")
    if type(case["occurred_at"]) is not str or not TIMESTAMP_RE.match(case["occurred_at"]):
        raise RecordError(line=line, field="case.occurred_at")
    _check_timestamp(line, case["occurred_at"], "case.occurred_at")
    if not 1 <= len(case["id"]) <= 36:
        raise RecordError(line=line, field="case.id")
    for name, schema in fmt.children:
        _check_children(line, case[name], schema, name)
    for attachment in case["attachments"]:
        if not HEX64_RE.match(attachment["sha256"]):
            raise RecordError(line=line, field="case.attachments.sha256")
    if case["post_code"] != post:
        raise ForeignPostRecordError(line=line, case_post=case["post_code"], post=post)
    if not is_canonical(raw, record, fmt):
        raise RecordError(line=line, field="canonical form")
    # In canonical form the case's own canonical JSON is the bytes between these two keys (a quote inside a
    # string is always escaped, so neither marker can occur earlier): hash them without encoding again.
    start = raw.index(b',"case":{') + len(b',"case":')
    end = raw.index(b'},"content_hash":"', start) + 1
    if hashlib.sha256(raw[start:end]).hexdigest() != record["content_hash"]:
        raise RecordHashMismatchError(line=line)
    return record


def check_attachments(line: int, record: dict, members: Collection[str]) -> None:
    """Every photo a checked record names travels in the bundle (`members`: the attachments' SHA-256)."""
    for attachment in record["case"]["attachments"]:
        if attachment["sha256"] not in members:
            raise MissingAttachmentError(line=line, sha256=attachment["sha256"])


def check_content(line: int, record: dict) -> None:
    """The checks a round trip through Case made (case_from_content, then content_dict compared with the record),
    field by field on a record check_record passed: a value that does not parse (an unknown direction, status
    or role, a decimal or date that is none) is a RecordError; one that parses but is not written the one way
    content_dict writes it ("1.50", "", an ISO week date) is a RecordHashMismatchError, since the stored rows
    would not give back the hashed content."""
    case = record["case"]
    spelled_otherwise = False
    try:
        occurred = case["occurred_at"]
        if occurred[0] == "0":  # years before 1000: strftime drops the leading zeros, so the round trip differs
            spelled_otherwise = timestamp_text(parse_ts(occurred)) != occurred
        if case["direction"] not in _DIRECTIONS or case["status"] not in _STATUSES:
            raise ValueError
        for item in case["items"]:
            for value in (item["quantity"], item["value"]):
                if value is not None and decimal_text(Decimal(value)) != value:
                    spelled_otherwise = True
        for person in case["persons"]:
            if person["role"] not in _ROLES:
                raise ValueError
            born, sex = person["birth_date"], person["sex"]
            if born is not None and (born == "" or date.fromisoformat(born).isoformat() != born):
                spelled_otherwise = True
            if sex is not None and sex != "" and sex not in _SEXES:
                raise ValueError
            if sex == "":
                spelled_otherwise = True
    except (ValueError, InvalidOperation, ArithmeticError):
        raise RecordError(line=line, field="case") from None
    if spelled_otherwise:
        raise RecordHashMismatchError(line=line)


def case_of(line: int, record: dict) -> Case:
    """The Case a record describes, with its revision and timestamps."""
    try:
        return case_from_content(record["case"], revision=record["revision"],
                                 created_at=parse_ts(record["created_at"]), updated_at=parse_ts(record["updated_at"]),
                                 finalized_at=parse_ts(record["finalized_at"]))
    except (KeyError, TypeError, ValueError, InvalidOperation, AttributeError):
        raise RecordError(line=line, field="case") from None
