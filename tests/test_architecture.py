"""The one import rule, held by import-linter: ui -> services -> (exchange, reports, storage) -> domain."""

from __future__ import annotations

import ast
from pathlib import Path

from importlinter.cli import lint_imports

PACKAGE = Path(__file__).resolve().parent.parent / "blo_desk"


def test_import_contracts_hold():
    # GIVEN the contracts in pyproject.toml WHEN import-linter checks the package THEN none is broken
    assert lint_imports(config_filename=str(PACKAGE.parent / "pyproject.toml"), no_cache=True) == 0


def test_every_module_opens_with_a_docstring():
    # GIVEN every module of the package WHEN parsed THEN each starts with a one-line purpose docstring
    missing = []
    for path in PACKAGE.rglob("*.py"):
        if "alembic" in path.parts and path.name != "env.py" and "versions" not in path.parts:
            continue
        doc = ast.get_docstring(ast.parse(path.read_text("utf-8")))
        if not doc:
            missing.append(str(path.relative_to(PACKAGE.parent)))
    assert not missing, missing
