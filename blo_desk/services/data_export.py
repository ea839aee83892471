"""Data out for analysts: what the case list shows, as XLSX or CSV sheets, or as an international table."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from blo_desk.cldr import country_name
from blo_desk.domain.case_tables import (
    CASE_COLUMNS,
    ITEM_COLUMNS,
    PERSON_COLUMNS,
    SOURCES,
    TEXT,
    Column,
    TableExport,
    TableMap,
    case_values,
    item_values,
    person_values,
)
from blo_desk.domain.entities import Case, CaseQuery
from blo_desk.domain.enums import CaseStatus, Direction, PersonRole, Sex
from blo_desk.domain.errors import DomainError
from blo_desk.domain.permissions import Action
from blo_desk.i18n import N_, translator
from blo_desk.reports.tables import CsvTables, SheetSpec, XlsxTables
from blo_desk.services.audit import Guard
from blo_desk.storage.substances import substance_index
from blo_desk.storage.table_maps import load_table_map
from blo_desk.storage.uow import UnitOfWorkFactory

#: xlsx: one workbook with three sheets; csv: three files; cen, ids: one non-nominal international table.
FORMATS = ("xlsx", "csv", "cen", "ids")
#: Cases read and written per step (and per progress report).
BATCH = 500

Progress = Callable[[int, int], None]


class ExportFormatError(DomainError):
    message = N_("Unknown export format {format}: choose one of {choices}.")


class ExportTargetError(DomainError):
    message = N_("Cannot write the export to {path}: {reason}")


class _Labels:
    """Labels of coded values in one language: reference lists, countries (CLDR), posts, substances, enums."""

    def __init__(self, language: str, reference: dict, posts: dict) -> None:
        self.language = language
        self._reference = reference
        self._posts = posts
        self._substances = substance_index()
        self._translator = translator(language)
        self._known: dict[tuple[str, Any], str] = {}  # an export repeats few codes many times

    def in_language(self, language: str) -> _Labels:
        return _Labels(language, self._reference, self._posts)

    def __call__(self, kind: str, code: Any) -> str:
        if code is None or code == "":
            return ""
        try:
            return self._known[kind, code]
        except KeyError:
            label = self._known[kind, code] = self._label(kind, str(code))
            return label

    def _label(self, kind: str, code: str) -> str:
        if kind == "country":
            return country_name(code, self.language)
        if kind == "post":
            post = self._posts.get(code)
            return post.name(self.language) if post is not None else code
        if kind == "substance":
            substance = self._substances.get(code)
            return substance.label(self.language) if substance is not None else code
        enum = {"status": CaseStatus, "direction": Direction, "role": PersonRole, "sex": Sex}.get(kind)
        if enum is not None:
            return enum(code).label_in(self._translator)
        item = self._reference.get(kind, {}).get(code)
        return item.label(self.language) if item is not None else code


def _spec(name: str, columns: tuple[Column, ...], language: str) -> SheetSpec:
    gettext = translator(language).gettext
    headings: list[str] = []
    kinds: list[str] = []
    for column in columns:
        heading = gettext(column.heading)
        if column.labels:  # the code, and its label beside it
            headings += [gettext(N_("{heading} (code)")).format(heading=heading), heading]
            kinds += [TEXT, TEXT]
        else:
            headings.append(heading)
            kinds.append(column.kind)
    return SheetSpec(name=name, headings=tuple(headings), kinds=tuple(kinds))


def _row(columns: tuple[Column, ...], values: dict[str, Any], labels: _Labels) -> list[Any]:
    row: list[Any] = []
    for column in columns:
        value = values[column.key]
        if column.labels:
            row += [value, labels(column.labels, value)]
        else:
            row.append(value)
    return row


class DataExportService:
    """Cases selected by the list's filters written out as tables, with a role check and an audit event each."""

    formats = FORMATS

    def __init__(self, *, uow: UnitOfWorkFactory, guard: Guard, tables_folder: Path | None = None) -> None:
        self._uow = uow
        self._guard = guard
        self._tables_folder = tables_folder  # an analyst's adjusted mappings (data folder's tables/)

    def _scoped(self, query: CaseQuery) -> CaseQuery:
        """A supervisor exports their own post only: the filter is theirs unless they ask for another (refused)."""
        principal = self._guard.principal
        if principal.all_posts:
            self._guard.require(Action.DATA_EXPORT, target="export")
            return query
        post = query.post_code or principal.post_code
        self._guard.require(Action.DATA_EXPORT, post_code=post, target="export")
        return replace(query, post_code=post)

    def export(self, *, query: CaseQuery, fmt: str, out: Path, language: str,
               progress: Progress | None = None) -> TableExport:
        """Write the cases `query` selects (every page of it) as `fmt` to `out`: a file, or a folder for csv."""
        if fmt not in FORMATS:
            raise ExportFormatError(format=fmt, choices=", ".join(FORMATS))
        query = self._scoped(replace(query, offset=0))
        table_map = load_table_map(fmt, override_folder=self._tables_folder) if fmt in ("cen", "ids") else None
        out = Path(out)
        with self._uow() as uow:
            labels = _Labels(language, uow.reference.by_kind(),
                             {p.code: p for p in uow.reference.posts(include_inactive=True)})
            total = uow.cases.count(query)
            writer, write_case = self._writer(fmt, out, language, labels, table_map)
            done = rows = 0
            try:
                for batch in uow.cases.batches(query, size=BATCH):
                    for case in batch:
                        rows += write_case(case)
                    done += len(batch)
                    if progress is not None:
                        progress(done, total)
                files = writer.close()
            except BaseException:
                writer.abort()
                raise
        details = {"format": fmt, "cases": done, "rows": rows, "post": query.post_code, "text": query.text,
                   "from": query.date_from.isoformat() if query.date_from else "",
                   "to": query.date_to.isoformat() if query.date_to else "",
                   "category": query.category, "statuses": ",".join(str(s) for s in query.statuses)}
        self._guard.record_alone(action=Action.DATA_EXPORT, target=f"export:{fmt}", details=details)
        return TableExport(files=tuple(files), cases=done, rows=rows)

    def _writer(self, fmt: str, out: Path, language: str, labels: _Labels, table_map: TableMap | None):
        if table_map is not None:
            spec = SheetSpec(name=fmt, headings=tuple(c.heading for c in table_map.columns),
                             kinds=tuple(table_map.kinds()))
            table_labels = labels.in_language(table_map.language)
            writer = (XlsxTables(out, [spec]) if out.suffix.lower() == ".xlsx"
                      else CsvTables({fmt: out}, [spec]))

            def write_mapped(case: Case) -> int:
                count = 0
                for _item, values in table_map.rows(case):
                    writer.append(fmt, [table_labels(SOURCES[c.source][2], v) if c.as_label else v
                                        for c, v in zip(table_map.columns, values, strict=True)])
                    count += 1
                return count

            return writer, write_mapped
        gettext = translator(language).gettext
        sheets = {"cases": gettext(N_("Cases")), "items": gettext(N_("Items")), "persons": gettext(N_("Persons"))}
        specs = [_spec(sheets["cases"], CASE_COLUMNS, language), _spec(sheets["items"], ITEM_COLUMNS, language),
                 _spec(sheets["persons"], PERSON_COLUMNS, language)]
        if fmt == "xlsx":
            sheet_writer: XlsxTables | CsvTables = XlsxTables(out, specs)
        else:
            if out.exists() and not out.is_dir():
                raise ExportTargetError(path=str(out), reason=translator(language).gettext(
                    N_("a CSV export is a folder of three files; give a folder")))
            sheet_writer = CsvTables({sheets["cases"]: out / "cases.csv", sheets["items"]: out / "items.csv",
                                      sheets["persons"]: out / "persons.csv"}, specs)

        def write_sheets(case: Case) -> int:
            sheet_writer.append(sheets["cases"], _row(CASE_COLUMNS, case_values(case), labels))
            for n, item in enumerate(case.items, start=1):
                sheet_writer.append(sheets["items"], _row(ITEM_COLUMNS, item_values(case, n, item), labels))
            for n, person in enumerate(case.persons, start=1):
                sheet_writer.append(sheets["persons"], _row(PERSON_COLUMNS, person_values(case, n, person), labels))
            return 1 + len(case.items) + len(case.persons)

        return sheet_writer, write_sheets
