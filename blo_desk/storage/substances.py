"""The shipped substance list (resources/reference/substances.json), read once per process, for search and seeding."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from blo_desk.config import resources_dir
from blo_desk.domain.substances import Substance, SubstanceIndex, parse_substances


def reference_folder(folder: Path | None = None) -> Path:
    return folder or _shipped_folder()


@lru_cache(maxsize=1)
def _shipped_folder() -> Path:
    """The shipped reference folder, found once (resources_dir resolves a path on disk: costly per search body)."""
    return resources_dir() / "reference"


@lru_cache(maxsize=4)
def _shipped(folder: Path) -> tuple[Substance, ...]:
    return tuple(parse_substances(json.loads((folder / "substances.json").read_text("utf-8"))))


@lru_cache(maxsize=4)
def _index(folder: Path) -> SubstanceIndex:
    return SubstanceIndex(_shipped(folder))


def load_substances(folder: Path | None = None) -> list[Substance]:
    """The shipped substances and goods, read once per process."""
    return list(_shipped(reference_folder(folder)))


def substance_index(folder: Path | None = None) -> SubstanceIndex:
    """Substances by code, with their names and synonyms, for item choices and search expansion (built once)."""
    return _index(reference_folder(folder))
