"""The streaming XLSX writer: what a spreadsheet program reads back is what was written, text, numbers and dates,
including text that XML or Excel would otherwise change."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from decimal import Decimal
from xml.dom import minidom

import pytest

from blo_desk.domain.case_tables import DATE, DATETIME, INTEGER, NUMBER, TEXT
from blo_desk.reports.xlsx_stream import XlsxStream

openpyxl = pytest.importorskip("openpyxl")

AWKWARD = [
    "Oʻzbekiston — Ўзбекистон & <Kazakhstan>",
    "  leading and trailing spaces  ",
    "_x0041_ stays as typed",
    "bell\x07 and form feed\x0c",
    'quotes " and \' apostrophes',
    "line one\nline two",
]


def _written(tmp_path, sheets):
    book = XlsxStream()
    for key, headings, kinds, _rows in sheets:
        book.add_sheet(key, key.title(), headings, kinds)
    # rows of different sheets interleave, as an export writes a case, its items, the next case...
    for index in range(max(len(rows) for *_, rows in sheets)):
        for key, _h, _k, rows in sheets:
            if index < len(rows):
                book.append(key, rows[index])
    path = tmp_path / "out.xlsx"
    with open(path, "wb") as fh:
        book.save(fh, creator="BLO Desk test", created=datetime(2026, 11, 30, 12, 0))
    book.close()
    return path


def test_text_numbers_and_dates_read_back_as_written(tmp_path):
    kinds = (TEXT, NUMBER, INTEGER, DATE, DATETIME)
    rows = [
        [text, Decimal("9100000.50"), 130, date(2024, 4, 20), datetime(2024, 4, 20, 14, 35)]
        for text in AWKWARD
    ]
    rows.append(["empty cells stay empty", None, "", None, None])
    rows.append([None, Decimal("9999999999"), Decimal("7"), date(1999, 12, 31), datetime(2026, 1, 1, 0, 0)])
    path = _written(tmp_path, [("cases", ["Text", "Value", "Boxes", "Date", "Time"], kinds, rows)])

    sheet = openpyxl.load_workbook(path)["Cases"]
    got = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert got[0] == ["Text", "Value", "Boxes", "Date", "Time"]
    # The bell and the form feed cannot live in XML: they are stored as Excel stores them (_x0007_), and a literal
    # "_x0041_" with its underscore escaped (_x005F), so that Excel shows it as typed. openpyxl shows the stored form.
    expected_text = [t.replace("\x07", "_x0007_").replace("\x0c", "_x000C_").replace("_x0041_", "_x005F_x0041_")
                     for t in AWKWARD]
    assert [row[0] for row in got[1:len(AWKWARD) + 1]] == expected_text
    assert got[1][1:] == [9100000.5, 130, datetime(2024, 4, 20), datetime(2024, 4, 20, 14, 35)]
    assert got[len(AWKWARD) + 1] == ["empty cells stay empty", None, None, None, None]
    assert got[-1] == [None, 9999999999, 7, datetime(1999, 12, 31), datetime(2026, 1, 1, 0, 0)]
    # dates are dates with a date format, not numbers or text
    assert sheet["D2"].is_date and sheet["D2"].number_format == "yyyy-mm-dd"
    assert sheet["E2"].number_format == "yyyy-mm-dd hh:mm"
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.b


def test_sheets_fill_in_any_order_and_every_part_is_well_formed_xml(tmp_path):
    cases = [[f"UZ-DUS-2024-{n:05d}"] for n in range(1, 4)]
    items = [[f"UZ-DUS-2024-{n // 2 + 1:05d}", Decimal(n) / 4] for n in range(6)]
    path = _written(tmp_path, [("cases", ["Case"], (TEXT,), cases), ("items", ["Case", "Kg"], (TEXT, NUMBER), items)])

    with zipfile.ZipFile(path) as package:
        assert package.testzip() is None
        for name in package.namelist():
            if name.endswith((".xml", ".rels")):
                minidom.parseString(package.read(name))  # raises on malformed XML
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Cases", "Items"]
    assert [r[0] for r in book["Cases"].iter_rows(min_row=2, values_only=True)] == [c[0] for c in cases]
    assert [list(r) for r in book["Items"].iter_rows(min_row=2, values_only=True)] == [
        [case, float(kg)] for case, kg in items]
    assert book.properties.creator == "BLO Desk test"


def test_a_cell_over_excels_limit_is_cut_at_32767_characters(tmp_path):
    path = _written(tmp_path, [("cases", ["Narrative"], (TEXT,), [["ʻ" * 40_000]])])
    value = openpyxl.load_workbook(path)["Cases"]["A2"].value
    assert value == "ʻ" * 32_767
