"""A streaming XLSX writer: sheets of typed cells, each spooled to an anonymous temporary file, zipped at close.

XlsxWriter spends about 4 µs of Python per cell; an export of 100,000 cases has some 7 million cells. This writer
builds each row as one string (inline strings, numbers, dates as serial numbers with a date style) and writes
the SpreadsheetML package itself: the few fixed parts below, and one worksheet per sheet.
"""

from __future__ import annotations

import io
import re
import shutil
import tempfile
import zipfile
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any
from xml.sax.saxutils import quoteattr

from blo_desk.domain.case_tables import DATETIME, INTEGER, NUMBER, TEXT

#: A cell holds at most 32,767 characters in Excel; longer text is cut there.
_CELL_LENGTH = 32_767
#: Excel's day 0 for serial dates (the 1900 date system, with its leap-year quirk already folded in).
_EPOCH = datetime(1899, 12, 30)
_EPOCH_DATE = _EPOCH.date()
#: Characters XML 1.0 cannot hold or that need an entity, and Excel's own `_xHHHH_` escapes that must stay literal.
_SPECIAL = re.compile(r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_x[0-9A-Fa-f]{4}_")
# Cell styles (indexes into cellXfs in _STYLES): plain, bold heading, date, date and time.
_BOLD, _DATE_STYLE, _DATETIME_STYLE = 1, 2, 3

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_STYLES = (
    f'{_HEAD}<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
    '<numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '</fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)


def _escape_match(match: re.Match[str]) -> str:
    text = match.group()
    if text == "&":
        return "&amp;"
    if text == "<":
        return "&lt;"
    if text == ">":
        return "&gt;"
    if text.startswith("_x"):  # a literal "_x0041_" would otherwise read as "A"
        return "_x005F" + text
    return f"_x{ord(text):04X}_"


def _text(value: str) -> str:
    """`value` as the content of an XML text node, in Excel's conventions."""
    if len(value) > _CELL_LENGTH:
        value = value[:_CELL_LENGTH]
    return _SPECIAL.sub(_escape_match, value) if _SPECIAL.search(value) else value


def _column_letters(count: int) -> list[str]:
    letters = []
    for index in range(count):
        name, n = "", index + 1
        while n:
            n, rest = divmod(n - 1, 26)
            name = chr(65 + rest) + name
        letters.append(name)
    return letters


def _serial(value: date) -> str:
    """A date or datetime as Excel's serial number (days since its epoch, the time as a fraction)."""
    if isinstance(value, datetime):
        delta = value.replace(tzinfo=None) - _EPOCH
        return repr(delta.days + delta.seconds / 86_400 + delta.microseconds / 86_400_000_000)
    return str((value - _EPOCH_DATE).days)


def _number(value: Any) -> str:
    if isinstance(value, Decimal):
        return format(value, "f") if value == value.to_integral_value() else repr(float(value))
    if isinstance(value, float):
        return repr(value)
    return str(int(value))


class _Sheet:
    """One worksheet's rows, written as XML to an anonymous temporary file (nothing is left on disk by a crash)."""

    def __init__(self, name: str, kinds: Sequence[str]) -> None:
        self.name = name
        self.kinds = tuple(kinds)
        self.letters = _column_letters(len(self.kinds))
        self.rows = 0
        self.file: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
        self.text = io.TextIOWrapper(self.file, encoding="utf-8", errors="replace", newline="", write_through=False)

    def heading(self, headings: Sequence[str]) -> None:
        self.rows = 1
        cells = "".join(f'<c r="{letter}1" t="inlineStr" s="{_BOLD}"><is><t xml:space="preserve">{_text(str(h))}'
                        f"</t></is></c>" for letter, h in zip(self.letters, headings, strict=True))
        self.text.write(f'<row r="1">{cells}</row>')

    def row(self, values: Sequence[Any]) -> None:
        self.rows = number = self.rows + 1
        parts = [f'<row r="{number}">']
        add = parts.append
        for letter, kind, value in zip(self.letters, self.kinds, values, strict=True):
            if value is None or value == "":
                continue
            if kind == TEXT:
                add(f'<c r="{letter}{number}" t="inlineStr"><is><t xml:space="preserve">{_text(str(value))}</t></is></c>')
            elif kind == NUMBER or kind == INTEGER:  # noqa: PLR1714 - two plain compares are the fast path here
                add(f'<c r="{letter}{number}"><v>{_number(value)}</v></c>')
            else:
                style = _DATETIME_STYLE if kind == DATETIME else _DATE_STYLE
                add(f'<c r="{letter}{number}" s="{style}"><v>{_serial(value)}</v></c>')
        add("</row>")
        self.text.write("".join(parts))

    def copy_into(self, out: IO[bytes], *, selected: bool) -> None:
        """The whole worksheet part: its fixed head, the spooled rows, its tail."""
        selected_attribute = ' tabSelected="1"' if selected else ""
        view = (f'<sheetViews><sheetView{selected_attribute} workbookViewId="0">'
                '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
                '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>')
        out.write(f'{_HEAD}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">{view}'
                  '<sheetFormatPr defaultRowHeight="15"/><sheetData>'.encode())
        self.text.flush()
        self.file.seek(0)
        shutil.copyfileobj(self.file, out, 1 << 20)
        out.write(b"</sheetData></worksheet>")

    def close(self) -> None:
        self.text.close()


class XlsxStream:
    """A workbook of named sheets taking rows in any order; `save` writes the package to a binary file."""

    def __init__(self) -> None:
        self._sheets: dict[str, _Sheet] = {}

    def add_sheet(self, key: str, name: str, headings: Sequence[str], kinds: Sequence[str]) -> None:
        sheet = _Sheet(name, kinds)
        sheet.heading(headings)
        self._sheets[key] = sheet

    def append(self, key: str, values: Sequence[Any]) -> None:
        self._sheets[key].row(values)

    def save(self, out: IO[bytes], *, creator: str, created: datetime) -> None:
        sheets = list(self._sheets.values())
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
            package.writestr("[Content_Types].xml", _content_types(len(sheets)))
            package.writestr("_rels/.rels", _package_relationships())
            package.writestr("docProps/core.xml", _core_properties(creator, created))
            package.writestr("xl/workbook.xml", _workbook(sheets))
            package.writestr("xl/_rels/workbook.xml.rels", _workbook_relationships(len(sheets)))
            package.writestr("xl/styles.xml", _STYLES)
            for n, sheet in enumerate(sheets, start=1):
                with package.open(f"xl/worksheets/sheet{n}.xml", "w", force_zip64=True) as part:
                    sheet.copy_into(part, selected=n == 1)

    def close(self) -> None:
        """Drop the spooled rows (their temporary files vanish)."""
        for sheet in self._sheets.values():
            sheet.close()


def _content_types(count: int) -> str:
    sheets = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for n in range(1, count + 1))
    return (f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            f"{sheets}"
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>')


def _package_relationships() -> str:
    return (f'{_HEAD}<Relationships xmlns="{_PKG_REL}">'
            f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
            'core-properties" Target="docProps/core.xml"/></Relationships>')


def _core_properties(creator: str, created: datetime) -> str:
    stamp = created.strftime("%Y-%m-%dT%H:%M:%SZ")
    return (f'{_HEAD}<cp:coreProperties '
            'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:creator>{_text(creator)}</dc:creator>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created></cp:coreProperties>')


def _workbook(sheets: list[_Sheet]) -> str:
    entries = "".join(f'<sheet name={quoteattr(sheet.name)} sheetId="{n}" r:id="rId{n}"/>'
                      for n, sheet in enumerate(sheets, start=1))
    return (f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><bookViews><workbookView/></bookViews>'
            f"<sheets>{entries}</sheets></workbook>")


def _workbook_relationships(count: int) -> str:
    sheets = "".join(f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" Target="worksheets/sheet{n}.xml"/>'
                     for n in range(1, count + 1))
    return (f'{_HEAD}<Relationships xmlns="{_PKG_REL}">{sheets}'
            f'<Relationship Id="rId{count + 1}" Type="{_REL}/styles" Target="styles.xml"/></Relationships>')
