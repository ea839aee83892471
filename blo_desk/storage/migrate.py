"""Bring a store to the current schema: refuse a newer store, back up an older one, then upgrade."""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from blo_desk.domain.errors import StoreTooNewError
from blo_desk.storage.crypto import DataKey
from blo_desk.storage.engine import open_sqlcipher, sqlite_path

if TYPE_CHECKING:
    from alembic.config import Config

ALEMBIC_DIR = Path(__file__).resolve().parent / "alembic"
_REVISION = re.compile(r"^(down_)?revision\s*(?::[^=]*)?=\s*(?:['\"]([^'\"]+)['\"]|None)\s*$", re.MULTILINE)


def alembic_config(url: str) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(ALEMBIC_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


@lru_cache(maxsize=1)
def _chain() -> tuple[str, frozenset[str]]:
    """(head, every revision) of the migration scripts, read as text: a store already at head is opened without
    importing Alembic (a third of a second at every login). Anything but one plain chain is left to Alembic."""
    revisions: set[str] = set()
    downs: set[str] = set()
    for script in sorted((ALEMBIC_DIR / "versions").glob("*.py")):
        found = {bool(m.group(1)): m.group(2) for m in _REVISION.finditer(script.read_text(encoding="utf-8"))}
        if False not in found or found[False] is None or True not in found or found[False] in revisions:
            return _chain_by_alembic()
        revisions.add(found[False])
        if found[True] is not None:
            downs.add(found[True])
    heads = revisions - downs
    if len(heads) != 1 or not downs <= revisions:
        return _chain_by_alembic()
    return heads.pop(), frozenset(revisions)


def _chain_by_alembic() -> tuple[str, frozenset[str]]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    head = script.get_current_head()
    assert head is not None  # the package ships its migration scripts
    return head, frozenset(rev.revision for rev in script.walk_revisions())


def head_revision() -> str:
    """The newest schema revision this build knows (the migration scripts are read once per process)."""
    return _chain()[0]


def known_revisions() -> frozenset[str]:
    return _chain()[1]


def _sqlite_current_revision(path: Path) -> str | None:
    """Read the schema version without writing a byte (read-only URI, no WAL switch)."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    return _version_of(sqlite3.connect(f"file:{path}?mode=ro", uri=True))


def _sqlcipher_current_revision(path: Path, key: DataKey) -> str | None:
    if not path.exists() or path.stat().st_size == 0:
        return None
    return _version_of(open_sqlcipher(path, key))


def _version_of(conn) -> str | None:
    """The Alembic revision recorded in an open DB-API connection (closed afterwards), or None."""
    try:
        row = conn.execute("SELECT name FROM sqlite_master WHERE type='table' AND name='alembic_version'").fetchone()
        if row is None:
            return None
        found = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return found[0] if found else None
    finally:
        conn.close()


def _engine_current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def backup_sqlite(path: Path, backups_dir: Path, revision: str) -> Path:
    """Copy the store with SQLite's online backup (consistent even with a WAL beside it)."""
    backups_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    target = backups_dir / f"{path.stem}-{revision}-{stamp}{path.suffix}"
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        dest = sqlite3.connect(target)
        with dest:
            source.backup(dest)
        dest.close()
    finally:
        source.close()
    return target


def backup_sqlcipher(path: Path, backups_dir: Path, revision: str, key: DataKey) -> Path:
    """Copy an encrypted store into an encrypted backup under the same key (sqlcipher_export)."""
    backups_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    target = backups_dir / f"{path.stem}-{revision}-{stamp}{path.suffix}"
    conn = open_sqlcipher(path, key)
    try:
        conn.execute(f"ATTACH DATABASE ? AS backup KEY \"x'{key.raw.hex()}'\"", (str(target),))
        conn.execute("SELECT sqlcipher_export('backup')")
        conn.execute("DETACH DATABASE backup")
    finally:
        conn.close()
    return target


def upgrade(engine: Engine, *, url: str, backups_dir: Path | None = None, key: DataKey | None = None) -> Path | None:
    """Upgrade the store to head; returns the backup taken, if any. Raises StoreTooNewError untouched."""
    path = sqlite_path(url)
    if path is not None and key is not None:
        current = _sqlcipher_current_revision(path, key)
    else:
        current = _sqlite_current_revision(path) if path else _engine_current_revision(engine)
    head = head_revision()
    if current is not None and current not in known_revisions():
        raise StoreTooNewError(found=current)
    if current == head:
        return None
    backup = None
    if path is not None and current is not None:
        if key is not None:
            backup = backup_sqlcipher(path, backups_dir or path.parent / "backups", current, key)
        else:
            backup = backup_sqlite(path, backups_dir or path.parent / "backups", current)
    from alembic import command

    cfg = alembic_config(url)
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")
    return backup


