"""PostgreSQL's COPY text of rows, made without a connection (in a worker process of HQ's import) and sent as is."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from typing import Any

# A formatter keeps the rows it was given until end(): one per thread (HQ imports in several lanes at once).
_local = threading.local()


def _formatter() -> Any:
    formatter = getattr(_local, "formatter", None)
    if formatter is None:
        from psycopg.adapt import Transformer

        try:  # psycopg 3.2 on keeps its formatters beside Copy, 3.1 in psycopg.copy itself
            from psycopg._copy_base import TextFormatter
        except ImportError:  # pragma: no cover - psycopg 3.1
            from psycopg.copy import TextFormatter  # type: ignore[attr-defined,no-redef]

        formatter = _local.formatter = TextFormatter(Transformer())
    return formatter


def copy_text(rows: Iterable[Sequence[Any]]) -> bytes:
    """The rows in COPY's text format (UTF-8), formatted by psycopg exactly as `Copy.write_row` formats them on a
    connection (its default adapters; the store's connections are UTF-8): bytes that pickle as one block, where
    the rows' own objects (strings, datetimes) cost more to hand from a worker process than to format."""
    formatter = _formatter()
    out = bytearray()
    for row in rows:
        out += formatter.write_row(row)
    out += formatter.end()
    return bytes(out)
