"""Where BLO Desk keeps its files: data folder, database URL and bundled resources (frozen-aware)."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "blo-desk"
DB_FILENAME = "blo_desk.sqlite3"
LANGUAGES = ("uz", "ru", "en")
DEFAULT_LANGUAGE = "uz"


def source_root() -> Path:
    """The folder holding resources/ and translations/: the PyInstaller bundle or the source tree."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root)
    return Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    return source_root() / "resources"


def translations_dir() -> Path:
    return source_root() / "translations"


def default_data_dir() -> Path:
    """The user's data folder (platformdirs), or BLO_DESK_DATA_DIR when set."""
    override = os.environ.get("BLO_DESK_DATA_DIR")
    if override:
        return Path(override)
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


@dataclass(frozen=True, slots=True)
class Settings:
    """Resolved settings for one run of the app or a command."""

    data_dir: Path
    db_url: str
    language: str = DEFAULT_LANGUAGE
    # Tests and benchmarks only: keep a SQLite store unencrypted. Set explicitly (argument or
    # BLO_DESK_PLAINTEXT_STORE=1); a real install always encrypts its SQLite store with SQLCipher.
    plaintext_store: bool = False

    @property
    def keyring_path(self) -> Path:
        return self.data_dir / "keyring.json"

    @property
    def encrypted_store(self) -> bool:
        """SQLite stores are encrypted at rest; PostgreSQL at HQ relies on the server's own protections."""
        return self.is_sqlite and not self.plaintext_store

    @property
    def attachments_dir(self) -> Path:
        return self.data_dir / "attachments"

    @property
    def backups_dir(self) -> Path:
        return self.data_dir / "backups"

    @property
    def is_sqlite(self) -> bool:
        return self.db_url.startswith("sqlite")


def load_settings(
    *, data_dir: Path | None = None, db_url: str | None = None, language: str | None = None,
    plaintext_store: bool | None = None,
) -> Settings:
    """Settings from arguments, then environment (BLO_DESK_DATA_DIR, BLO_DESK_DB_URL, BLO_DESK_LANG,
    BLO_DESK_PLAINTEXT_STORE), then defaults."""
    folder = Path(data_dir) if data_dir else default_data_dir()
    url = db_url or os.environ.get("BLO_DESK_DB_URL") or sqlite_url(folder / DB_FILENAME)
    lang = language or os.environ.get("BLO_DESK_LANG") or DEFAULT_LANGUAGE
    if lang not in LANGUAGES:
        lang = DEFAULT_LANGUAGE
    if plaintext_store is None:
        plaintext_store = os.environ.get("BLO_DESK_PLAINTEXT_STORE", "") == "1"
    return Settings(data_dir=folder, db_url=url, language=lang, plaintext_store=plaintext_store)
