"""Engine and sessions: SQLite in WAL mode with synchronous=FULL and foreign keys, or PostgreSQL at HQ."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from blo_desk.storage.crypto import DataKey

# SQLite's own page cache per connection, in KiB. 8 MB: the list reads the case table once from end to end while
# an officer scrolls, and a cache as large as 32 MB only kept those pages twice (the OS caches the file; for
# SQLCipher, decrypting a 4 KB page again costs microseconds): 32 MB -> 8 MB took the desk's peak after scrolling
# 100,000 cases and searching from ~300 MB to ~274 MB, searches as quick. The pool hands out the connection
# returned last (pool_use_lifo): work done one task after another (the list's pages) runs on one connection and
# fills one cache, not one per pooled connection.
CACHE_KIB = 8000
SQLITE_PRAGMAS = ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON", "busy_timeout=10000",
                  f"cache_size=-{CACHE_KIB}")


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    for pragma in SQLITE_PRAGMAS:
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def make_engine(url: str, *, key: DataKey | None = None) -> Engine:
    """An engine for the URL; for SQLite the folder is created and the pragmas set on every connection.

    With a `key`, the SQLite file is a SQLCipher store opened with that raw key (no plaintext ever on disk).
    """
    if url.startswith("sqlite"):
        path = url.split("///", 1)[1] if "///" in url else ""
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        if key is not None:
            engine = _sqlcipher_engine(url, path.split("?", 1)[0], key)
            event.listen(engine, "connect", _sqlite_pragmas)
            return engine
        engine = create_engine(url, connect_args={"check_same_thread": False}, pool_use_lifo=True)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _sqlcipher_engine(url: str, path: str, key: DataKey) -> Engine:
    from sqlcipher3 import dbapi2 as sqlcipher

    pragma = key.sqlcipher_pragma()

    def connect():
        conn = sqlcipher.connect(path, check_same_thread=False)
        conn.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is our error to report, not a log line
        conn.execute(pragma)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # fails here on a wrong key
        return conn

    return create_engine(url, module=sqlcipher, creator=connect, pool_use_lifo=True)


def open_sqlcipher(path: Path, key: DataKey, *, check_same_thread: bool = True):
    """A raw DB-API connection to an encrypted store (backups, tests); raises DatabaseError on a wrong key."""
    from sqlcipher3 import dbapi2 as sqlcipher

    conn = sqlcipher.connect(str(path), check_same_thread=check_same_thread)
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(key.sqlcipher_pragma())
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    return conn


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def sqlite_path(url: str) -> Path | None:
    if url.startswith("sqlite") and "///" in url:
        path = url.split("///", 1)[1].split("?", 1)[0]
        return None if path in ("", ":memory:") else Path(path)
    return None
