"""Case to rows: the columns of every case table, from a Case (the post) or a checked bundle record (HQ)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from operator import itemgetter

from blo_desk.domain.canonical import (
    ATTACHMENT_FIELDS,
    CASE_CODE_LISTS_2,
    CASE_KEYS_2,
    CASE_TEXT_FIELDS_2,
    CONTENT_FIELDS,
    ITEM_DECIMAL_FIELDS_2,
    ITEM_FIELDS,
    ITEM_KEYS_2,
    ITEM_TEXT_FIELDS_2,
    OFFICER_KEYS,
    PERSON_FIELDS,
    PERSON_KEYS_2,
    PERSON_TEXT_FIELDS_2,
    canonical_json,
    case_extension,
    decimal_text,
    item_extension,
    keyword_fields,
    parse_ts,
    person_extension,
    revision_record,
)
from blo_desk.domain.canonical import (
    content_hash as content_hash_of,
)
from blo_desk.domain.entities import Attachment, Case, Officer, Person, SeizedItem, TransportDocument
from blo_desk.domain.enums import CaseStatus, Direction, PersonRole, Sex, TimePrecision
from blo_desk.domain.search_text import index_text
from blo_desk.storage.substances import substance_index

# Every writer of the case tables takes its column names from here. A case's content fields (the domain's
# CONTENT_FIELDS, ITEM_FIELDS, PERSON_FIELDS, ATTACHMENT_FIELDS) are columns of the same names, so a new content
# field reaches both writers without a change here; a column that is not content (a summary, say) is added to
# case_columns and case_row_of_record below, side by side, and tests/storage/test_case_rows_parity.py proves
# the two give the same rows.

#: The list's denormalized columns, kept in step on every write.
SUMMARY_COLUMNS = ("categories", "items_summary", "persons_summary", "total_value", "currency")
#: seizure_case, in the order of the tuples case_row_of_record gives.
CASE_COLUMNS = ("id", *CONTENT_FIELDS, "occurred_at", "direction", "status", "revision", "content_hash",
                "created_at", "updated_at", "finalized_at", *SUMMARY_COLUMNS, "search_text", "search_rowid",
                *CASE_KEYS_2)
ITEM_COLUMNS = ("case_id", "position", *ITEM_FIELDS, *ITEM_KEYS_2)
PERSON_COLUMNS = ("case_id", "position", *PERSON_FIELDS, *PERSON_KEYS_2)
ATTACHMENT_COLUMNS = ("case_id", "position", *ATTACHMENT_FIELDS)
REVISION_COLUMNS = ("case_id", "revision", "content_hash", "parent_hash", "status", "reason", "actor", "saved_at",
                    "record")

_COMPACT_RE = re.compile(r"[\W_]+", re.UNICODE)
_LISTED_ROLES = (str(PersonRole.SUSPECT), str(PersonRole.OWNER))


# --- the search body and the list's summary -----------------------------------------------------
# Numbers people search for with or without their spaces and dashes ("01 A 123 BC", "01A123BC").
_COMPACTED_2 = ("trailer_plate", "vin", "container_number", "wagon_number", "train_number", "flight_number")
_SEARCHED_TEXT_2 = ("vehicle_make", "declared_cargo")


def _search_parts(parts: list[str], items: Iterable, persons: Iterable, extension: dict) -> str:
    """The one recipe of the search text: `parts` holds the case's number, plate, concealment details,
    narrative, legal basis and procedure; then (description, brand, seals, substance) per item and (full name,
    document number, address, issuer, place of birth) per person follow, then the format-2 numbers of the case
    (`extension`: case_extension form). Plates, document, wagon and container numbers also go in without spaces.
    A substance brings its names in uz, ru and en (Geroin, Героин, Heroin); an item without one brings those of the
    substances its description names. Other synonyms (nasha, анаша) and inflections are matched at query time
    (repositories.fts_query turns them into the English name), which keeps the index small."""
    parts.insert(2, _COMPACT_RE.sub("", parts[1]))
    substances = substance_index()
    for description, brand, seals, substance in items:
        parts += (description, brand, seals)
        codes = (substance,) if substance else substances.codes_in(description)
        parts += substances.names(codes)
    for full_name, document_number, address, issuer, birth_place in persons:
        parts += (full_name, document_number, _COMPACT_RE.sub("", document_number), address, issuer, birth_place)
    for name in _SEARCHED_TEXT_2:
        parts.append(extension.get(name, ""))
    for name in _COMPACTED_2:
        value = extension.get(name, "")
        parts += (value, _COMPACT_RE.sub("", value))
    for document in extension.get("documents", ()):
        parts += (document["number"], _COMPACT_RE.sub("", document["number"]))
    for officer in extension.get("officers", ()):
        parts.append(officer["full_name"])
    return index_text(" ".join([p for p in parts if p]))


def search_body(case: Case) -> str:
    """Everything searchable in a case, normalized; plates and document numbers also without spaces."""
    return _search_parts(
        [case.case_number, case.conveyance_registration, case.concealment_details, case.narrative,
         case.legal_basis, case.procedure],
        [(i.description, i.brand, i.seals, i.substance) for i in case.items],
        [(p.full_name, p.document_number, p.address, p.document_issuer, p.birth_place) for p in case.persons],
        case_extension(case),
    )


_CONTENT_PARTS = itemgetter("case_number", "conveyance_registration", "concealment_details", "narrative",
                            "legal_basis", "procedure")
_ITEM_PARTS = itemgetter("description", "brand", "seals")
_PERSON_PARTS = itemgetter("full_name", "document_number", "address")


def content_search_body(content: dict) -> str:
    """search_body of the case whose content (canonical.content_dict form) is given, without building it."""
    return _search_parts(
        list(_CONTENT_PARTS(content)),
        [(*_ITEM_PARTS(i), i.get("substance", "")) for i in content["items"]],
        [(*_PERSON_PARTS(p), p.get("document_issuer", ""), p.get("birth_place", "")) for p in content["persons"]],
        content,
    )


def _texts(value: object, keys: tuple[str, ...]) -> list[str]:
    """The text values of `keys` in a dict received from elsewhere (anything else, or a missing key, is '')."""
    if not isinstance(value, dict):
        return ["" for _key in keys]
    return [found if isinstance(found := value.get(key), str) else "" for key in keys]


def _dicts(value: object) -> list[dict]:
    return [x for x in value if isinstance(x, dict)] if isinstance(value, list) else []


def shared_search_body(content: dict, *, sender: str, reference: str) -> str:
    """search_body of a record a counterpart post shared: its redacted content (any field may be missing, and a
    value that is not text is left out), then the sender's case number and post code. The same recipe as a case's,
    so a search at the post finds both by the same rules."""
    parts = _texts(content, ("case_number", "conveyance_registration", "concealment_details", "narrative",
                             "legal_basis", "procedure"))
    parts += [reference, sender]
    items = [(*_texts(i, ("description", "brand", "seals")), _texts(i, ("substance",))[0])
             for i in _dicts(content.get("items"))]
    persons = [tuple(_texts(p, ("full_name", "document_number", "address", "document_issuer", "birth_place")))
               for p in _dicts(content.get("persons"))]
    names = (*_SEARCHED_TEXT_2, *_COMPACTED_2)
    extension: dict = dict(zip(names, _texts(content, names), strict=True))
    extension["documents"] = [{"number": _texts(d, ("number",))[0]} for d in _dicts(content.get("documents"))]
    extension["officers"] = [{"full_name": _texts(o, ("full_name",))[0]} for o in _dicts(content.get("officers"))]
    return _search_parts(parts, items, persons, extension)


def _summary(items: list[tuple[str, str, Decimal | None, str]], persons: list[tuple[str, str]]) -> dict:
    """The list's denormalized columns from (category, description, value, currency) per item and
    (role, full name) per person."""
    categories = sorted({category for category, _d, _v, _c in items if category})
    descriptions = [description for _c, description, _v, _cur in items if description]
    names = [name for role, name in persons if role in _LISTED_ROLES and name]
    currency = next((cur for _c, _d, value, cur in items if value is not None), "UZS")
    values = [value for _c, _d, value, cur in items if value is not None and cur == currency]
    return {
        "categories": ",".join(categories),
        "items_summary": "; ".join(descriptions[:3])[:500],
        "persons_summary": "; ".join(names[:3])[:500],
        "total_value": sum(values, Decimal(0)) if values else None,
        "currency": currency,
    }


def summary_fields(case: Case) -> dict:
    return _summary([(i.category, i.description, _decimal(i.value), i.currency) for i in case.items],
                    [(str(p.role), p.full_name) for p in case.persons])


def content_summary_fields(content: dict) -> dict:
    """summary_fields of the case whose content (canonical.content_dict form) is given."""
    return _summary([(i["category"], i["description"], None if i["value"] is None else Decimal(i["value"]),
                      i["currency"]) for i in content["items"]],
                    [(p["role"], p["full_name"]) for p in content["persons"]])


# --- from a Case: dicts for SQLAlchemy (the post's writer, and HQ overwriting a case it holds) ----------
def _decimal(value: Decimal | None) -> Decimal | None:
    """A decimal as its canonical text gives it back ("1.250" as 1.25): what a bundle record carries, so the
    post and HQ store the same text."""
    return None if value is None else Decimal(decimal_text(value))


def _plain(value: object) -> object:
    """A domain value as its column takes it: an enum member as its text, a decimal in canonical form."""
    if isinstance(value, Enum):
        return str(value)
    if isinstance(value, Decimal):
        return _decimal(value)
    return value


def _json_or_empty(rows: list | None) -> str:
    """A format-2 list of objects (documents, officers) as its column keeps it: canonical JSON, "" when none."""
    return canonical_json(rows).decode("utf-8") if rows else ""


def case_values_2(content: dict) -> tuple:
    """The format-2 columns of seizure_case (CASE_KEYS_2 order) from a case's content or its case_extension:
    code lists comma-joined, documents and officers as canonical JSON, decimals and the end time as canonical
    text."""
    get = content.get
    return (*[get(name, "") for name in CASE_TEXT_FIELDS_2],
            *[",".join(get(name, ())) for name in CASE_CODE_LISTS_2],
            get("time_precision") or str(TimePrecision.EXACT),
            get("declared_weight"),
            _json_or_empty(get("documents")),
            _json_or_empty(get("officers")),
            get("copies"),
            get("ended_at"))


def item_values_2(content: dict) -> tuple:
    """The format-2 columns of seized_item (ITEM_KEYS_2 order) from an item's content or its item_extension."""
    return (*[content.get(name, "") for name in ITEM_TEXT_FIELDS_2],
            *[content.get(name) for name in ITEM_DECIMAL_FIELDS_2])


def person_values_2(content: dict, day: Callable[[str], object]) -> tuple:
    """The format-2 columns of person (PERSON_KEYS_2 order) from a person's content or its person_extension."""
    issued = content.get("document_issued_on")
    return (*[content.get(name, "") for name in PERSON_TEXT_FIELDS_2],
            ",".join(content.get("other_roles", ())),
            None if issued is None else day(issued))


def case_columns(case: Case, *, content_hash: str | None = None) -> dict:
    """The stored columns of a case (all but id and the search columns); its content hash is computed unless
    the caller already checked it."""
    return {
        **{name: getattr(case, name) for name in CONTENT_FIELDS},
        "occurred_at": case.occurred_at,
        "direction": str(case.direction),
        "status": str(case.status),
        "revision": case.revision,
        "content_hash": content_hash if content_hash is not None else content_hash_of(case),
        "created_at": case.created_at,
        "updated_at": case.updated_at,
        "finalized_at": case.finalized_at,
        **summary_fields(case),
        **dict(zip(CASE_KEYS_2, case_values_2(case_extension(case)), strict=True)),
    }


def _child_rows(case_id: str | None, children: Iterable, fields: tuple[str, ...]) -> list[dict]:
    if case_id is None:
        raise ValueError("a case has its id before its rows are written")
    return [{"case_id": case_id, "position": n, **{name: _plain(getattr(child, name)) for name in fields}}
            for n, child in enumerate(children)]


def item_rows(case: Case) -> list[dict]:
    rows = _child_rows(case.id, case.items, ITEM_FIELDS)
    for row, item in zip(rows, case.items, strict=True):
        row.update(zip(ITEM_KEYS_2, item_values_2(item_extension(item)), strict=True))
    return rows


def person_rows(case: Case) -> list[dict]:
    rows = _child_rows(case.id, case.persons, PERSON_FIELDS)
    for row, person in zip(rows, case.persons, strict=True):
        row.update(zip(PERSON_KEYS_2, person_values_2(person_extension(person), date.fromisoformat), strict=True))
    return rows


def attachment_rows(case: Case) -> list[dict]:
    return _child_rows(case.id, case.attachments, ATTACHMENT_FIELDS)


def revision_row(case: Case, *, parent_hash: str, reason: str, actor: str) -> dict:
    """The case_revision row of the case as it is now: its bundle record, as canonical JSON, and its metadata."""
    record = revision_record(case, parent_hash=parent_hash, reason=reason, actor=actor)
    return {
        "case_id": case.id,
        "revision": case.revision,
        "content_hash": record["content_hash"],
        "parent_hash": parent_hash,
        "status": str(case.status),
        "reason": reason,
        "actor": actor,
        "saved_at": case.updated_at,
        "record": canonical_json(record).decode("utf-8"),
    }


# --- rows back to a Case ----------------------------------------------------------------------------
def _codes(joined: str) -> tuple[str, ...]:
    return tuple(joined.split(",")) if joined else ()


def _decimal_column(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _documents(text: str) -> tuple[TransportDocument, ...]:
    return tuple(TransportDocument(kind=d["kind"], number=d["number"],
                                   issued_on=date.fromisoformat(d["issued_on"]) if d["issued_on"] else None)
                 for d in (json.loads(text) if text else ()))


def _officers(text: str) -> tuple[Officer, ...]:
    return tuple(Officer(**{key: o[key] for key in OFFICER_KEYS}) for o in (json.loads(text) if text else ()))


def _item_from_row(i) -> SeizedItem:
    return SeizedItem(**{name: getattr(i, name) for name in ITEM_FIELDS},
                      **{name: getattr(i, name) for name in ITEM_TEXT_FIELDS_2},
                      **keyword_fields({name: _decimal_column(getattr(i, name)) for name in ITEM_DECIMAL_FIELDS_2}))


def _person_from_row(p) -> Person:
    return Person(**{**{name: getattr(p, name) for name in PERSON_FIELDS},
                     "role": PersonRole(p.role), "sex": Sex(p.sex) if p.sex else None},
                  **{name: getattr(p, name) for name in PERSON_TEXT_FIELDS_2},
                  other_roles=tuple(PersonRole(r) for r in _codes(p.other_roles)),
                  document_issued_on=p.document_issued_on)


def case_from_row(row) -> Case:
    """The Case a seizure_case row (a CaseRow with its items, persons and attachments loaded) holds."""
    return Case(
        **{name: getattr(row, name) for name in CONTENT_FIELDS},
        id=row.id,
        occurred_at=row.occurred_at,
        direction=Direction(row.direction),
        status=CaseStatus(row.status),
        revision=row.revision,
        created_at=row.created_at,
        updated_at=row.updated_at,
        finalized_at=row.finalized_at,
        items=tuple(_item_from_row(i) for i in row.items),
        persons=tuple(_person_from_row(p) for p in row.persons),
        attachments=tuple(Attachment(**{name: getattr(a, name) for name in ATTACHMENT_FIELDS})
                          for a in row.attachments),
        **{name: getattr(row, name) for name in CASE_TEXT_FIELDS_2},
        **keyword_fields({name: _codes(getattr(row, name)) for name in CASE_CODE_LISTS_2}),
        time_precision=TimePrecision(row.time_precision or TimePrecision.EXACT),
        declared_weight=_decimal_column(row.declared_weight),
        documents=_documents(row.documents),
        officers=_officers(row.officers),
        copies=row.copies,
        ended_at=parse_ts(row.ended_at),
    )


# --- from a checked bundle record: tuples in the driver's terms (HQ's bulk writer) ------------------
def sqlite_timestamp(value: str) -> str:
    """A canonical UTC timestamp ('YYYY-MM-DDTHH:MM:SS.ffffffZ', checked by the caller) as the DATETIME text
    UtcDateTime stores on SQLite ('YYYY-MM-DD HH:MM:SS.ffffff'): the same digits, no datetime in between."""
    return value[:10] + " " + value[11:26]


def naive_timestamp(value: str) -> datetime:
    """A canonical UTC timestamp as the naive UTC datetime UtcDateTime binds on PostgreSQL."""
    return datetime.fromisoformat(value[:26])


class RecordRows:
    """Rows of checked bundle records as plain tuples in the order of the *_COLUMNS above, with the values the
    columns' own types would store (UtcDateTime text or naive datetimes, DecimalText, dates) on one dialect."""

    def __init__(self, *, sqlite: bool) -> None:
        self.timestamp: Callable[[str], object] = sqlite_timestamp if sqlite else naive_timestamp
        self.day: Callable[[str], object] = (lambda v: v) if sqlite else date.fromisoformat

    def case(self, record: dict, *, search_text: str, search_rowid: int | None) -> tuple:
        """The seizure_case tuple (CASE_COLUMNS) of a new case."""
        c = record["case"]
        ts = self.timestamp
        summary = content_summary_fields(c)
        total = summary["total_value"]
        finalized = record["finalized_at"]
        return (c["id"], *_CONTENT_TEXT(c), ts(c["occurred_at"]), c["direction"], c["status"], record["revision"],
                record["content_hash"], ts(record["created_at"]), ts(record["updated_at"]),
                None if finalized is None else ts(finalized),
                summary["categories"], summary["items_summary"], summary["persons_summary"],
                None if total is None else format(total, "f"), summary["currency"], search_text, search_rowid,
                *case_values_2(c))

    @staticmethod
    def items(content: dict) -> list[tuple]:
        # Quantities and values are canonical decimal text already (checked), which is what DecimalText stores.
        case_id = content["id"]
        return [(case_id, k, *_ITEM_VALUES(i), *item_values_2(i)) for k, i in enumerate(content["items"])]

    def persons(self, content: dict) -> list[tuple]:
        case_id, day = content["id"], self.day
        rows = []
        for k, p in enumerate(content["persons"]):
            values = list(_PERSON_VALUES(p))
            if values[_BIRTH] is not None:
                values[_BIRTH] = day(values[_BIRTH])
            rows.append((case_id, k, *values, *person_values_2(p, day)))
        return rows

    @staticmethod
    def attachments(content: dict) -> list[tuple]:
        case_id = content["id"]
        return [(case_id, k, *_ATTACHMENT_VALUES(a)) for k, a in enumerate(content["attachments"])]

    def revision(self, record: dict, line: str) -> tuple:
        """The case_revision tuple (REVISION_COLUMNS) of a record and its canonical JSON line."""
        return (record["case"]["id"], record["revision"], record["content_hash"], record["parent_hash"],
                record["case"]["status"], record["reason"], record["actor"], self.timestamp(record["updated_at"]),
                line)


_CONTENT_TEXT = itemgetter(*CONTENT_FIELDS)
_ITEM_VALUES = itemgetter(*ITEM_FIELDS)
_PERSON_VALUES = itemgetter(*PERSON_FIELDS)
_ATTACHMENT_VALUES = itemgetter(*ATTACHMENT_FIELDS)
_BIRTH = PERSON_FIELDS.index("birth_date")
