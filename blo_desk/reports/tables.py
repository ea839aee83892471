"""Tables written as XLSX (streamed, rows spooled to disk) or as UTF-8 CSV, with typed cells."""

from __future__ import annotations

import csv
import io
import os
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

from blo_desk import __version__
from blo_desk.durable import fsync_dir
from blo_desk.reports.xlsx_stream import XlsxStream

#: A sheet name may hold 31 characters, none of []:*?/\ .
_SHEET_NAME_LENGTH = 31


@dataclass(frozen=True, slots=True)
class SheetSpec:
    """One sheet (XLSX) or file (CSV): its name, its headings and the kind of each column."""

    name: str
    headings: tuple[str, ...]
    kinds: tuple[str, ...]


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
    """An XLSX workbook whose sheets take rows in any order (xlsx_stream: each sheet spools to an anonymous
    temporary file, so memory stays flat). Empty values leave the cell empty; dates are date cells and numbers
    number cells. The workbook appears under its name only when it is whole."""

    def __init__(self, path: Path, sheets: Sequence[SheetSpec]) -> None:
        self._path = Path(path)
        self._part = self._path.with_name(f".{self._path.name}.{secrets.token_hex(6)}.part")
        self._part.parent.mkdir(parents=True, exist_ok=True)
        self._book = XlsxStream()
        for spec in sheets:
            self._book.add_sheet(spec.name, _sheet_name(spec.name), spec.headings, spec.kinds)

    def append(self, sheet_name: str, values: Sequence[Any]) -> None:
        self._book.append(sheet_name, values)

    def close(self) -> list[Path]:
        try:
            with open(self._part, "wb") as fh:
                self._book.save(fh, creator=f"BLO Desk {__version__}", created=datetime.now(timezone.utc))
                fh.flush()
                os.fsync(fh.fileno())
        except BaseException:
            self.abort()
            raise
        self._book.close()
        os.replace(self._part, self._path)
        fsync_dir(self._path.parent)
        return [self._path]

    def abort(self) -> None:
        """Nothing appears under the final name; the spooled rows go with it."""
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
