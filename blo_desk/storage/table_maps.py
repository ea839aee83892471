"""The international table mappings: data files under resources/reference/tables, or an analyst's copy in the
data folder's tables/ folder, which takes precedence."""

from __future__ import annotations

import json
from pathlib import Path

from blo_desk.domain.case_tables import TableMap, TableMapError, parse_table_map
from blo_desk.storage.substances import reference_folder

#: The tables shipped with BLO Desk, by the name the export command takes.
SHIPPED_TABLES = ("cen", "ids")


def load_table_map(name: str, *, override_folder: Path | None = None) -> TableMap:
    """The mapping `name`: the data folder's copy when there is one, else the shipped file. A file that does not
    read as JSON, or names an unknown source, raises TableMapError with the reason."""
    candidates = [override_folder / f"{name}.json"] if override_folder is not None else []
    candidates.append(reference_folder() / "tables" / f"{name}.json")
    for path in candidates:
        if path.is_file():
            try:
                data = json.loads(path.read_text("utf-8"))
            except (OSError, ValueError) as exc:
                raise TableMapError(name=str(path), problem=str(exc)) from None
            if not isinstance(data, dict):
                raise TableMapError(name=str(path), problem="not a JSON object")
            return parse_table_map(str(path), data)
    raise TableMapError(name=name, problem="no such table")
