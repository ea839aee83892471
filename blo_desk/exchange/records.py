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
    CASE_CODE_LISTS_2,
    CASE_TEXT_FIELDS_2,
    CONTENT_FIELDS,
    DOCUMENT_KEYS,
    ITEM_DECIMAL_FIELDS_2,
    ITEM_FIELDS,
    ITEM_TEXT_FIELDS_2,
    OFFICER_KEYS,
    PERSON_FIELDS,
    PERSON_TEXT_FIELDS_2,
    canonical_json,
    case_from_content,
    decimal_text,
    parse_ts,
    timestamp_text,
)
from blo_desk.domain.entities import Case
from blo_desk.domain.enums import CaseStatus, Direction, PersonRole, Sex, TimePrecision
from blo_desk.domain.rules import MAX_COPIES
from blo_desk.exchange.errors import (
    ForeignPostRecordError,
    MissingAttachmentError,
    RecordError,
    RecordHashMismatchError,
    UnreferencedPhotoError,
    UnsupportedFormatError,
)

# How to add a field (an item's new "weight_net", say):
#   1. the domain: the entity, canonical.ITEM_FIELDS, content_dict and case_from_content;
#   2. here: its JSON types in the child table of a NEW RecordFormat (a bundle's record never changes meaning
#      under a version number already shipped), added to RECORD_FORMATS; CURRENT becomes that format;
#   3. storage.case_rows maps it to its column (both the post's and HQ's writers use that module).
# A bundle of an older version still imports: its records are checked against their own RecordFormat.

# Field types of parsed JSON values: `type(v) in ...` (a bool is not an int here, and JSON gives no subclasses).
STR: frozenset[type] = frozenset({str})
OPT_STR: frozenset[type] = frozenset({str, type(None)})
INT: frozenset[type] = frozenset({int})
OPT_INT: frozenset[type] = frozenset({int, type(None)})
LIST: frozenset[type] = frozenset({list})

HEX64_RE = re.compile(r"^[0-9a-f]{64}$")
TIMESTAMP_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$")
#: The record's own fields around the case (revision metadata).
RECORD_FIELDS = ("case", "revision", "content_hash", "parent_hash", "reason", "actor", "created_at", "updated_at",
                 "finalized_at")
# What canonical JSON may hold outside its strings: brackets, separators, digits, minus, true, false, null.
_STRUCTURE = b"{}[],:-0123456789truefalsn"
_DIRECTIONS = frozenset(map(str, Direction))
# The statuses a record of format 1 or 2 may have; format 3 adds "voided" (a draft withdrawn with a reason).
_STATUSES_1 = frozenset({str(CaseStatus.DRAFT), str(CaseStatus.FINALIZED)})
_ROLES = frozenset(map(str, PersonRole))
_SEXES = frozenset(map(str, Sex))
_PRECISIONS = frozenset(map(str, TimePrecision)) - {str(TimePrecision.EXACT)}  # exact is the default: left out


@dataclass(frozen=True)
class RecordFormat:
    """One version of the record: the case's plain text fields and each child's fields with their JSON types.

    The key sets and the sorted orders the checks compare with are derived once, here."""

    version: int
    case_text: tuple[str, ...]  # case fields that are plain strings (besides id, direction and status)
    items: Mapping[str, frozenset[type]]
    persons: Mapping[str, frozenset[type]]
    attachments: Mapping[str, frozenset[type]]
    # Fields a record may leave out (format 2: written only when they hold something), with their JSON types.
    case_optional: Mapping[str, frozenset[type]] = field(default_factory=dict)
    item_optional: Mapping[str, frozenset[type]] = field(default_factory=dict)
    person_optional: Mapping[str, frozenset[type]] = field(default_factory=dict)
    statuses: frozenset[str] = _STATUSES_1  # what the case's "status" may be
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
# Format 2: the fields of a real seizure (issue 11). Every one is optional and, when present, holds something
# (content_dict leaves empty ones out, so a case that does not use them has the content and hash format 1 gave).
V2 = RecordFormat(
    version=2,
    case_text=V1.case_text,
    items=V1.items,
    persons=V1.persons,
    attachments=V1.attachments,
    case_optional={**{name: STR for name in CASE_TEXT_FIELDS_2}, **{name: LIST for name in CASE_CODE_LISTS_2},
                   "time_precision": STR, "declared_weight": STR, "documents": LIST, "officers": LIST,
                   "copies": INT, "ended_at": STR},
    item_optional={**{name: STR for name in ITEM_TEXT_FIELDS_2}, **{name: STR for name in ITEM_DECIMAL_FIELDS_2}},
    person_optional={**{name: STR for name in PERSON_TEXT_FIELDS_2}, "other_roles": LIST,
                     "document_issued_on": STR},
)
# Format 3: a draft may be voided with a reason (issue 14): its last revision has the status "voided" and the
# reason in the record's "reason". Nothing else changed; a record of format 1 or 2 may not be voided.
V3 = RecordFormat(
    version=3,
    case_text=V2.case_text,
    items=V2.items,
    persons=V2.persons,
    attachments=V2.attachments,
    case_optional=V2.case_optional,
    item_optional=V2.item_optional,
    person_optional=V2.person_optional,
    statuses=frozenset(map(str, CaseStatus)),
)
#: Every record format an importer accepts, by version; CURRENT is the one exports write.
RECORD_FORMATS: Mapping[int, RecordFormat] = {V1.version: V1, V2.version: V2, V3.version: V3}
CURRENT = V3


def record_format(version: int) -> RecordFormat:
    """The record format of a bundle version; an unknown version is refused."""
    found = RECORD_FORMATS.get(version)
    if found is None:
        raise UnsupportedFormatError(found=version, supported=", ".join(map(str, RECORD_FORMATS)))
    return found


def _check_children(line: int, rows: object, schema: Mapping[str, frozenset[type]], name: str,
                    optional: Mapping[str, frozenset[type]]) -> None:
    if type(rows) is not list:
        raise RecordError(line=line, field=f"case.{name}")
    fields = schema.items()
    for n, row in enumerate(rows):
        if type(row) is not dict:
            raise RecordError(line=line, field=f"case.{name}.{n}")
        if row.keys() != schema.keys():
            _check_optional(line, row, schema, optional, f"case.{name}.{n}")
        for key, types in fields:
            if type(row[key]) not in types:
                raise RecordError(line=line, field=f"case.{name}.{n}.{key}")


def _check_optional(line: int, value: dict, required: Collection[str],
                    optional: Mapping[str, frozenset[type]], where: str) -> None:
    """Besides its required keys, an object holds only optional ones, each of its JSON type."""
    keys = value.keys()
    extra = keys - set(required)
    if not keys >= set(required) or not extra <= optional.keys():
        raise RecordError(line=line, field=where)
    for key in extra:
        if type(value[key]) not in optional[key]:
            raise RecordError(line=line, field=f"{where}.{key}")


def _check_list_of(line: int, values: list, field_name: str, keys: tuple[str, ...] | None,
                   nullable: frozenset[str] = frozenset()) -> None:
    """A format-2 list: of strings (keys None), or of objects with exactly `keys`, strings or (nullable) null."""
    for n, value in enumerate(values):
        if keys is None:
            if type(value) is not str:
                raise RecordError(line=line, field=f"{field_name}.{n}")
            continue
        if type(value) is not dict or value.keys() != set(keys):
            raise RecordError(line=line, field=f"{field_name}.{n}")
        for key in keys:
            if not (type(value[key]) is str or (key in nullable and value[key] is None)):
                raise RecordError(line=line, field=f"{field_name}.{n}.{key}")


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
        if _sorted(case, fmt.case_order) and all(_sorted(row, order) for name, order in fmt.child_orders
                                                 for row in case[name]) \
                and all(_sorted(row, ()) for name in ("documents", "officers") for row in case.get(name, ())):
            structure = b"".join(raw.split(b'"')[::2])
            if not structure.translate(None, _STRUCTURE) and b"-0" not in structure:
                return True
    return canonical_json(record) == raw


def _sorted(value: dict, order: tuple[str, ...]) -> bool:
    """Whether an object's keys come in sorted order (the usual keys of its format are compared at once)."""
    keys = tuple(value)
    return keys == order or list(keys) == sorted(keys)


def check_record(line: int, raw: bytes, record: object, *, post: str, fmt: RecordFormat = CURRENT) -> dict:
    """Every field of one record has the right name and type, it belongs to the bundle's post, its content
    hash is right and it is written in canonical form. Returns the record."""
    if type(record) is not dict or record.keys() != fmt.record_keys:
        raise RecordError(line=line, field="record")
    case = record["case"]
    if type(case) is not dict:
        raise RecordError(line=line, field="case")
    if case.keys() != fmt.case_keys:
        _check_optional(line, case, fmt.case_keys, fmt.case_optional, "case")
        for name in CASE_CODE_LISTS_2:
            _check_list_of(line, case.get(name, []), f"case.{name}", None)
        _check_list_of(line, case.get("documents", []), "case.documents", DOCUMENT_KEYS, frozenset({"issued_on"}))
        _check_list_of(line, case.get("officers", []), "case.officers", OFFICER_KEYS)
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
    optional = {"items": fmt.item_optional, "persons": fmt.person_optional}
    for name, schema in fmt.children:
        _check_children(line, case[name], schema, name, optional.get(name, {}))
    for n, person in enumerate(case["persons"]):
        _check_list_of(line, person.get("other_roles", []), f"case.persons.{n}.other_roles", None)
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


def check_all_referenced(photos: Collection[str], referenced: Collection[str]) -> None:
    """After the last record: every photo the bundle carries is named by one of its records (a photo no case
    refers to is refused, not stored at HQ)."""
    for sha in sorted(set(photos) - set(referenced)):
        raise UnreferencedPhotoError(sha256=sha)


def check_content(line: int, record: dict, fmt: RecordFormat = CURRENT) -> None:
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
        if case["direction"] not in _DIRECTIONS or case["status"] not in fmt.statuses:
            raise ValueError
        for item in case["items"]:
            for value in (item["quantity"], item["value"]):
                if not _amount(value):  # NaN, infinite or negative: what no post's rules let through
                    raise ValueError
                if value is not None and decimal_text(Decimal(value)) != value:
                    spelled_otherwise = True
        spelled_otherwise |= _format2_spelled_otherwise(case)
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


def _canonical_day(value: str | None) -> bool:
    """Whether a date is written the one way content_dict writes it (ISO, YYYY-MM-DD); ValueError if it is none."""
    return value is None or (value != "" and date.fromisoformat(value).isoformat() == value)


# What the format-2 columns hold (storage/models.py): lists of codes are comma-joined into 500 characters, a
# package group is 64 characters, other roles 200; a record that would not fit is refused, on every engine alike.
_CODE_RE = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
_JOINED_LIMIT = 500
_TEXT_LIMITS_2 = {"package_group": 64, "substance": 64, "packaging": 64}
_TEXT_LIMIT = 500


def _bad_code_list(codes: list[str]) -> bool:
    """A code list that the comma-joined column would not give back: an empty or odd code, a repeat, too long."""
    return (any(not _CODE_RE.match(code) for code in codes) or len(set(codes)) != len(codes)
            or len(",".join(codes)) > _JOINED_LIMIT)


def _amount(value: str | None) -> bool:
    """Whether a weight or amount is one a post's rules accept: finite, not negative, below 10^15."""
    if value is None:
        return True
    number = Decimal(value)
    return number.is_finite() and Decimal(0) <= number < Decimal("1e15")


def _format2_spelled_otherwise(case: dict) -> bool:
    """The format-2 fields of a checked record: a value that does not parse or does not fit raises ValueError; an
    empty one (which content_dict leaves out) or one spelled another way gives True."""
    otherwise = False
    for name in (*CASE_TEXT_FIELDS_2, *CASE_CODE_LISTS_2, "documents", "officers"):
        if name in case and not case[name]:
            otherwise = True
    for name in CASE_CODE_LISTS_2:
        if _bad_code_list(case.get(name, [])):
            raise ValueError
    for name in CASE_TEXT_FIELDS_2:
        if len(case.get(name, "")) > _TEXT_LIMIT:
            raise ValueError
    if "copies" in case and not 1 <= case["copies"] <= MAX_COPIES:
        raise ValueError
    if "ended_at" in case and not TIMESTAMP_RE.match(case["ended_at"]):
        raise ValueError
    if "time_precision" in case and case["time_precision"] not in _PRECISIONS:
        if case["time_precision"] in ("", str(TimePrecision.EXACT)):
            otherwise = True
        else:
            raise ValueError
    weights = [case.get("declared_weight")]
    for item in case["items"]:
        weights += [item.get(name) for name in ITEM_DECIMAL_FIELDS_2]
        if any(name in item and not item[name] for name in ITEM_TEXT_FIELDS_2):
            otherwise = True
        if any(len(item.get(name, "")) > _TEXT_LIMITS_2[name] for name in ITEM_TEXT_FIELDS_2):
            raise ValueError
    for weight in weights:
        if not _amount(weight):
            raise ValueError
        if weight is not None and decimal_text(Decimal(weight)) != weight:
            otherwise = True
    for person in case["persons"]:
        roles = person.get("other_roles")
        if roles is not None:
            if any(role not in _ROLES for role in roles) or _bad_code_list(roles):
                raise ValueError
            if not roles:
                otherwise = True
        if any(name in person and not person[name] for name in PERSON_TEXT_FIELDS_2):
            otherwise = True
        if any(len(person.get(name, "")) > _TEXT_LIMIT for name in PERSON_TEXT_FIELDS_2):
            raise ValueError
        if not _canonical_day(person.get("document_issued_on")):
            otherwise = True
    for document in case.get("documents", ()):
        if not _canonical_day(document["issued_on"]):
            otherwise = True
    return otherwise


def case_of(line: int, record: dict) -> Case:
    """The Case a record describes, with its revision and timestamps."""
    try:
        return case_from_content(record["case"], revision=record["revision"],
                                 created_at=parse_ts(record["created_at"]), updated_at=parse_ts(record["updated_at"]),
                                 finalized_at=parse_ts(record["finalized_at"]))
    except (KeyError, TypeError, ValueError, InvalidOperation, AttributeError):
        raise RecordError(line=line, field="case") from None
