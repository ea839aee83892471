"""Tables written as XLSX (XlsxWriter, constant memory: rows stream to disk) or as UTF-8 CSV, with typed cells."""

from __future__ import annotations

import csv
import io
import os
import secrets
from collections.abc import Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from blo_desk.domain.case_tables import DATE, DATETIME, INTEGER, NUMBER
from blo_desk.durable import fsync_dir

#: Excel's own formats for the typed cells (the values stay dates and numbers, never text).
_FORMATS = {DATE: "yyyy-mm-dd", DATETIME: "yyyy-mm-dd hh:mm"}
#: A sheet name may hold 31 characters, none of []:*?/\ .
_SHEET_NAME_LENGTH = 31


@dataclass(frozen=True, slots=True)
class SheetSpec:
    """One sheet (XLSX) or file (CSV): its name, its headings and the kind of each column."""

    name: str
    headings: tuple[str, ...]
    kinds: tuple[str, ...]


def _excel_value(value: Any, kind: str) -> Any:
    if value is None or value == "":
        return None
    if kind in (NUMBER, INTEGER) and isinstance(value, Decimal):
        return int(value) if kind == INTEGER or value == value.to_integral_value() else float(value)
    return value


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


class XlsxTables:
    """An XLSX workbook (XlsxWriter in constant-memory mode) whose sheets take rows in any order: each sheet writes
    a row to its own temporary file as soon as the next one starts, so memory stays flat. Empty values leave the
    cell empty; dates are date cells and numbers number cells."""

    def __init__(self, path: Path, sheets: Sequence[SheetSpec]) -> None:
        import xlsxwriter  # imported on first use: the desk starts without it

        self._path = Path(path)
        self._part = self._path.with_name(f".{self._path.name}.{secrets.token_hex(6)}.part")
        self._part.parent.mkdir(parents=True, exist_ok=True)
        self._book = xlsxwriter.Workbook(str(self._part), {"constant_memory": True, "strings_to_numbers": False,
                                                           "strings_to_formulas": False, "strings_to_urls": False})
        self._formats = {kind: self._book.add_format({"num_format": number_format})
                         for kind, number_format in _FORMATS.items()}
        bold = self._book.add_format({"bold": True})
        self._sheets: dict[str, Any] = {}
        self._kinds: dict[str, tuple[str, ...]] = {}
        self._next_row: dict[str, int] = {}
        for spec in sheets:
            sheet = self._book.add_worksheet(_sheet_name(spec.name))
            sheet.write_row(0, 0, spec.headings, bold)
            sheet.freeze_panes(1, 0)
            self._sheets[spec.name] = sheet
            self._kinds[spec.name] = spec.kinds
            self._next_row[spec.name] = 1

    def append(self, sheet_name: str, values: Sequence[Any]) -> None:
        sheet, kinds = self._sheets[sheet_name], self._kinds[sheet_name]
        row = self._next_row[sheet_name]
        self._next_row[sheet_name] = row + 1
        formats = self._formats
        for column, (value, kind) in enumerate(zip(values, kinds, strict=True)):
            if value is None or value == "":
                continue
            if kind in (DATE, DATETIME):
                sheet.write_datetime(row, column, value, formats[kind])
            elif kind in (NUMBER, INTEGER):
                sheet.write_number(row, column, _excel_value(value, kind))
            else:
                sheet.write_string(row, column, str(value))

    def close(self) -> list[Path]:
        self._book.close()
        with open(self._part, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(self._part, self._path)
        fsync_dir(self._path.parent)
        return [self._path]

    def abort(self) -> None:
        """Nothing appears under the final name; the workbook's temporary files go with it."""
        with suppress(Exception):
            self._book.close()
        self._part.unlink(missing_ok=True)


class CsvTables:
    """One UTF-8 CSV file per sheet (with a byte-order mark, so that spreadsheet programs read Cyrillic right). Each
    is written under a temporary name and appears under its own only when the export completes."""

    def __init__(self, paths: dict[str, Path], sheets: Sequence[SheetSpec]) -> None:
        self._final = [Path(paths[spec.name]) for spec in sheets]
        self._parts = [path.with_name(f".{path.name}.{secrets.token_hex(6)}.part") for path in self._final]
        self._files: list[io.TextIOWrapper] = []
        self._writers = {}
        try:
            for spec, part in zip(sheets, self._parts, strict=True):
                part.parent.mkdir(parents=True, exist_ok=True)
                handle = open(part, "w", encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed in close()/abort()
                self._files.append(handle)
                writer = csv.writer(handle)
                writer.writerow(spec.headings)
                self._writers[spec.name] = writer
        except BaseException:
            self.abort()
            raise

    def append(self, sheet_name: str, values: Iterable[Any]) -> None:
        self._writers[sheet_name].writerow([_csv_value(value) for value in values])

    def close(self) -> list[Path]:
        for handle in self._files:
            handle.flush()
            os.fsync(handle.fileno())
            handle.close()
        for part, final in zip(self._parts, self._final, strict=True):
            os.replace(part, final)
        for folder in {final.parent for final in self._final}:
            fsync_dir(folder)
        return self._final

    def abort(self) -> None:
        """Leave no file behind: the parts are removed, the final names never appear."""
        for handle in self._files:
            handle.close()
        for part in self._parts:
            part.unlink(missing_ok=True)


def _sheet_name(name: str) -> str:
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in name).strip()
    return cleaned[:_SHEET_NAME_LENGTH] or "Sheet"
