"""Data out (issue 17): the list's cases as XLSX and CSV with real types, the international tables without persons,
role checks and an audit event for every export."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from blo_desk.domain.case_json import case_from_json
from blo_desk.domain.entities import CaseQuery, Person
from blo_desk.domain.enums import PersonRole
from blo_desk.domain.errors import PermissionDeniedError
from blo_desk.domain.permissions import Principal, Role
from blo_desk.domain.zones import zone_for_post
from blo_desk.services.registry import open_services

openpyxl = pytest.importorskip("openpyxl")

REAL_CASES = Path(__file__).resolve().parent.parent / "data" / "real_cases"
#: Strings that only persons carry in the cases below: none may appear in a non-nominal table.
PERSON_MARKERS = ("Markerov Personjon", "ZZ 9876543", "Markerstrasse 7", "Markertown")


def _real_case(name: str):
    data = json.loads((REAL_CASES / name).read_text("utf-8"), parse_float=Decimal)
    return case_from_json(data, default_timezone=zone_for_post(data["post_code"]))


@pytest.fixture
def stored(services):
    """The three real seizures (a truck with two drugs, a freight wagon, a pedestrian with cash and a pistol),
    each with one more person carrying marker strings, saved and finalized at their posts."""
    saved = []
    for name in sorted(p.name for p in REAL_CASES.glob("*.json")):
        case = _real_case(name)
        marked = Person(role=PersonRole.WITNESS, full_name="Markerov Personjon", document_type="passport",
                        document_number="ZZ 9876543", address="Markerstrasse 7", birth_place="Markertown",
                        birth_date=date(1980, 1, 2))
        case = replace(case, persons=(*case.persons, marked))
        draft = services.cases.save(case=case)
        saved.append(services.cases.finalize(case_id=draft.id, expected_revision=draft.revision))
    return saved


def _sheet_rows(path: Path, sheet: str) -> list[tuple]:
    book = openpyxl.load_workbook(path)
    return [tuple(cell for cell in row) for row in book[sheet].iter_rows(values_only=True)]


def test_xlsx_holds_every_case_item_and_person_with_real_types(services, stored, tmp_path):
    # WHEN an analyst exports every case as XLSX in Russian
    out = tmp_path / "cases.xlsx"
    result = services.exports.export(query=CaseQuery(), fmt="xlsx", out=out, language="ru")
    # THEN the workbook has the three sheets, headed in Russian, joined by case number
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Дела", "Товары", "Лица"]
    cases = list(book["Дела"].iter_rows(values_only=True))
    items = list(book["Товары"].iter_rows(values_only=True))
    persons = list(book["Лица"].iter_rows(values_only=True))
    assert cases[0][0] == "Номер дела" and items[0][0] == "Номер дела"
    assert result.cases == 3 == len(cases) - 1
    assert len(items) - 1 == sum(len(c.items) for c in stored)
    assert len(persons) - 1 == sum(len(c.persons) for c in stored)
    # AND each value equals the store, as a date, a number or text, with codes beside their labels
    head = {name: n for n, name in enumerate(cases[0])}
    by_number = {row[0]: row for row in cases[1:]}
    for case in stored:
        row = by_number[case.case_number]
        when = row[head["Дата и время (местное)"]]
        assert isinstance(when, datetime)
        assert when == case.occurred_at.astimezone(ZoneInfo(case.timezone)).replace(tzinfo=None)
        assert row[head["Пункт пропуска (код)"]] == case.post_code
    item_head = {name: n for n, name in enumerate(items[0])}
    truck = next(c for c in stored if c.conveyance_type == "truck")
    heroin = next(row for row in items[1:] if row[0] == truck.case_number and row[item_head["Вещество или товар (код)"]] == "heroin")
    assert heroin[item_head["Вес нетто, кг"]] == pytest.approx(float(truck.items[0].net_weight))
    assert isinstance(heroin[item_head["Вес нетто, кг"]], float)
    assert heroin[item_head["Вещество или товар"]] == "Героин"
    valued = [row for row in items[1:] if row[item_head["Стоимость"]] is not None]
    assert all(isinstance(row[item_head["Стоимость"]], (int, float)) and row[item_head["Валюта"]] for row in valued)
    person_head = {name: n for n, name in enumerate(persons[0])}
    marker = next(row for row in persons[1:] if row[person_head["ФИО"]] == "Markerov Personjon")
    assert marker[person_head["Дата рождения"]] == datetime(1980, 1, 2)


def test_csv_round_trips_through_pythons_csv_module(services, stored, tmp_path):
    # WHEN the same cases are exported as CSV (a folder of three files)
    result = services.exports.export(query=CaseQuery(), fmt="csv", out=tmp_path / "csv", language="en")
    names = sorted(p.name for p in result.files)
    assert names == ["cases.csv", "items.csv", "persons.csv"]
    # THEN each reads back with the csv module, values as the store holds them
    with open(tmp_path / "csv" / "items.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == sum(len(c.items) for c in stored)
    stored_items = {(c.case_number, n): item for c in stored for n, item in enumerate(c.items, start=1)}
    for row in rows:
        item = stored_items[(row["Case number"], int(row["No."]))]
        assert row["Substance or goods (code)"] == item.substance
        assert (Decimal(row["Quantity"]) if row["Quantity"] else None) == item.quantity
        assert (Decimal(row["Net weight, kg"]) if row["Net weight, kg"] else None) == item.net_weight
    with open(tmp_path / "csv" / "persons.csv", encoding="utf-8-sig", newline="") as fh:
        persons = list(csv.DictReader(fh))
    assert {"Markerov Personjon", "ZZ 9876543"} <= {v for row in persons for v in row.values()}
    # AND no temporary part is left beside the files
    assert not list((tmp_path / "csv").glob(".*part"))


@pytest.mark.parametrize("fmt,suffix", [("cen", ".xlsx"), ("ids", ".csv"), ("cen", ".csv"), ("ids", ".xlsx")])
def test_international_tables_hold_no_person(services, stored, tmp_path, fmt, suffix):
    # WHEN an analyst exports a non-nominal international table
    out = tmp_path / f"{fmt}{suffix}"
    result = services.exports.export(query=CaseQuery(), fmt=fmt, out=out, language="ru")
    # THEN no name, document, address or birth place of any person is in the file, however it is read
    raw = out.read_bytes()
    if suffix == ".xlsx":
        text = "\n".join(str(v) for sheet in openpyxl.load_workbook(out) for row in sheet.iter_rows(values_only=True)
                         for v in row)
    else:
        text = raw.decode("utf-8-sig")
    for case in stored:
        for person in case.persons:
            for value in (person.full_name, person.document_number, person.address, person.birth_place):
                if value:
                    assert value not in text, (fmt, value)
    for marker in PERSON_MARKERS:
        assert marker.encode() not in raw
    # AND the drug table has one row per drug item (the truck's two drugs, the wagon's three substances), with the
    # amount in kg where weighed
    drugs = [i for c in stored for i in c.items if i.category in ("narcotics", "psychotropics", "precursors")]
    every = [i for c in stored for i in c.items]
    assert result.rows == (len(drugs) if fmt == "ids" else len(every))
    if fmt == "ids" and suffix == ".csv":
        rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
        heroin = next(row for row in rows if row["Drug"] == "Heroin")
        assert (Decimal(heroin["Quantity"]), heroin["Unit"]) == (Decimal("85.505"), "kg")
        assert heroin["Country"] == "UZ" and heroin["Country of origin"] == "AF"


def test_a_supervisor_exports_own_post_only_and_each_export_is_audited(settings, stored, tmp_path):
    # GIVEN a supervisor at Oybek (the truck's post)
    truck_post = next(c.post_code for c in stored if c.conveyance_type == "truck")
    supervisor = open_services(settings, principal=Principal("nodira", Role.SUPERVISOR, truck_post))
    officer = open_services(settings, principal=Principal("karim", Role.OFFICER, truck_post))
    try:
        # WHEN they export without a post filter, THEN only their post's cases are in it
        result = supervisor.exports.export(query=CaseQuery(), fmt="xlsx", out=tmp_path / "mine.xlsx", language="en")
        numbers = [row[0] for row in _sheet_rows(tmp_path / "mine.xlsx", "Cases")[1:]]
        assert numbers and all(n.startswith(truck_post) for n in numbers) and result.cases == len(numbers)
        # WHEN they ask for another post, THEN it is refused, and nothing is written
        other = next(c.post_code for c in stored if c.post_code != truck_post)
        with pytest.raises(PermissionDeniedError):
            supervisor.exports.export(query=CaseQuery(post_code=other), fmt="xlsx", out=tmp_path / "other.xlsx",
                                      language="en")
        assert not (tmp_path / "other.xlsx").exists()
        # AND an officer may not export at all
        with pytest.raises(PermissionDeniedError):
            officer.exports.export(query=CaseQuery(), fmt="csv", out=tmp_path / "o", language="en")
        # AND the audit trail holds the export (with its format and count) and both refusals
        events = supervisor.audit.events(limit=10)
        exports = [e for e in events if e.action == "data.export"]
        assert [e.outcome for e in exports[:3]] == ["denied", "denied", "ok"]
        assert json.loads(exports[2].details)["format"] == "xlsx"
        assert json.loads(exports[2].details)["cases"] == result.cases
    finally:
        supervisor.close()
        officer.close()


def test_an_analysts_adjusted_mapping_is_used_and_a_person_source_is_refused(services, stored, settings, tmp_path):
    # GIVEN an analyst's copy of the drug table that keeps two columns
    tables = settings.data_dir / "tables"
    tables.mkdir()
    (tables / "ids.json").write_text(json.dumps({"columns": [
        {"heading": "When", "source": "case.date"}, {"heading": "What", "source": "item.substance", "as": "label"}]}))
    services.exports.export(query=CaseQuery(), fmt="ids", out=tmp_path / "ids.csv", language="en")
    rows = list(csv.reader((tmp_path / "ids.csv").read_text("utf-8-sig").splitlines()))
    assert rows[0] == ["When", "What"] and "Heroin" in {r[1] for r in rows[1:]}
    # WHEN the copy names a person's field, THEN the export is refused with the reason, and writes nothing
    (tables / "ids.json").write_text(json.dumps({"columns": [{"heading": "Name", "source": "person.full_name"}]}))
    from blo_desk.domain.case_tables import TableMapError

    with pytest.raises(TableMapError, match="unknown source 'person.full_name'"):
        services.exports.export(query=CaseQuery(), fmt="ids", out=tmp_path / "bad.csv", language="en")
    assert not (tmp_path / "bad.csv").exists()


def test_the_export_follows_the_lists_filters(services, stored, tmp_path):
    truck = next(c for c in stored if c.conveyance_type == "truck")
    result = services.exports.export(query=CaseQuery(text="01 5544"), fmt="xlsx", out=tmp_path / "t.xlsx",
                                     language="en")
    assert [row[0] for row in _sheet_rows(tmp_path / "t.xlsx", "Cases")[1:]] == [truck.case_number]
    assert result.cases == 1


def test_cli_export_cases(settings, stored, tmp_path):
    # WHEN the command exports the drug table, THEN it says how many cases went out, and the file reads back
    out = tmp_path / "ids.xlsx"
    done = subprocess.run([sys.executable, "-m", "blo_desk", "--data-dir", str(settings.data_dir), "--lang", "en",
                           "export", "cases", "--format", "ids", "--out", str(out)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "3 cases exported to" in done.stdout
    rows = _sheet_rows(out, "ids")
    assert rows[0][0] == "Date of seizure" and isinstance(rows[1][0], datetime)
