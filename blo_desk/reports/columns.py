"""Table columns sized from their content: amounts, codes, dates and status words never break inside; the font
shrinks within limits before anything would."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from blo_desk.reports.fonts import BOLD, register_fonts

NBSP = "\u00a0"
#: where a whole value may still wrap: between the two languages of a bilingual form ("Yakunlangan / Завершено")
LANGUAGE_BREAK = " / "
#: the cell font sizes tried, largest first: a table shrinks to the first size at which every whole value fits
FONT_SIZES = (8.0, 7.5, 7.0, 6.5, 6.0)
PADDING = 6.5  # left + right cell padding of grid_style, and a little air


def keep_whole(value: str) -> str:
    """A value that must not break inside ("17 000 000 soʻm", "130 boxes"): its spaces made non-breaking.

    It may still wrap between the two languages of a bilingual form, at " / "."""
    return LANGUAGE_BREAK.join(part.replace(" ", NBSP) for part in value.split(LANGUAGE_BREAK))


@dataclass(frozen=True, slots=True)
class Column:
    """How a column behaves: `whole` values never break (they set the column's width); text wraps between words.

    `min_width` is the least a text column gets; `weight` how much of the room left a text column takes."""

    whole: bool = False
    min_width: float = 14 * mm
    weight: float = 1.0


@dataclass(frozen=True, slots=True)
class Fit:
    """Column widths (points) and the font size at which every whole value fits on one line."""

    widths: tuple[float, ...]
    font_size: float


def _pieces(value: str, *, whole: bool) -> list[str]:
    """What may not break: each line of a whole value (each language of it), or each word of text."""
    pieces: list[str] = []
    for line in value.split("\n"):
        if whole:
            pieces += [part.strip() for part in line.split(LANGUAGE_BREAK)]
        else:
            pieces += line.split()
    return [p for p in pieces if p]


def _width(pieces: Sequence[str], size: float) -> float:
    return max((stringWidth(p, BOLD, size) for p in pieces), default=0.0)


def _lines_of(value: str) -> list[str]:
    return [line for line in value.split("\n") if line.strip()]


def fit_columns(rows: Sequence[Sequence[str]], columns: Sequence[Column], *, total_width: float,
                header: Sequence[str] = (), header_step: float = 0.5, sizes: Sequence[float] = FONT_SIZES,
                text_reserve: float = 25 * mm) -> Fit:
    """Widths for a table of plain-text cells ("\\n" between lines) that fill `total_width`.

    Every whole value, and every word of a header or of text, is measured in the bold face (totals are bold),
    at the largest size in `sizes` where all whole values and the longest words fit. Then, as the room allows,
    whole columns widen so that a bilingual value or header stays on one line (keeping `text_reserve` for each
    text column); text columns share what is left by weight. Headers are `header_step` points smaller than the
    cells, as the grid's heading style is."""
    register_fonts()
    count = len(columns)

    def cell(row: Sequence[str], n: int) -> str:
        return row[n] if n < len(row) else ""

    pieces = [[p for row in rows for p in _pieces(cell(row, n), whole=col.whole)] for n, col in enumerate(columns)]
    lines = [[line for row in rows for line in _lines_of(cell(row, n))] for n in range(count)]
    heads = [cell(header, n) for n in range(count)]

    def floors(size: float) -> list[float]:
        return [max(_width(pieces[n], size), _width(heads[n].split(), size - header_step)) + PADDING
                for n in range(count)]

    size = sizes[-1]
    for candidate in sizes:
        need = floors(candidate)
        if sum(need if col.whole else max(col.min_width, need) for need, col in zip(need, columns, strict=True)) \
                <= total_width:
            size = candidate
            break
    need = floors(size)
    widths = [n_ if col.whole else max(col.min_width, n_) for n_, col in zip(need, columns, strict=True)]
    if sum(widths) > total_width:
        # Even the smallest size is too wide: text columns give back down to their minimum (long words then break).
        widths = [n_ if col.whole else col.min_width for n_, col in zip(need, columns, strict=True)]
    flexible = [n for n, col in enumerate(columns) if not col.whole]
    room = total_width - sum(widths)
    reserve = sum(text_reserve for _ in flexible)
    preferred = {n: max(_width(lines[n], size), _width([heads[n]], size - header_step)) + PADDING
                 for n, col in enumerate(columns) if col.whole}
    for n in sorted(preferred, key=lambda n: preferred[n] - widths[n]):
        extra = preferred[n] - widths[n]
        if 0 < extra <= room - reserve:
            widths[n] += extra
            room -= extra
    if not flexible:  # nothing wraps: the room goes to every column alike
        flexible = list(range(count))
    weights = sum(columns[n].weight for n in flexible) or 1.0
    for n in flexible:
        widths[n] += room * columns[n].weight / weights
    return Fit(widths=tuple(widths), font_size=size)
