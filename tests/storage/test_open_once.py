"""Opening a store that is already at the current schema: no migration, no backup, no second seeding."""

from __future__ import annotations

import sqlite3

from blo_desk.domain.permissions import SYSTEM
from blo_desk.services.registry import SEED_HASH_SETTING, open_services, shipped_seed_digest
from blo_desk.storage.migrate import head_revision


def _read(store, sql, *params):
    conn = sqlite3.connect(store)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def _write(store, sql, *params):
    conn = sqlite3.connect(store)
    try:
        conn.execute(sql, params)
        conn.commit()
    finally:
        conn.close()


def _seed_events(store) -> int:
    return _read(store, "SELECT count(*) FROM audit_event WHERE action = 'reference.seed'")[0][0]


def test_a_store_at_head_is_neither_migrated_again_nor_seeded_again(settings):
    # GIVEN a store created (migrated and seeded) by an earlier run
    open_services(settings, principal=SYSTEM).close()
    store = settings.data_dir / "blo_desk.sqlite3"
    kind, code = _read(store, "SELECT kind, code FROM reference_item ORDER BY kind, code LIMIT 1")[0]
    _write(store, "DELETE FROM reference_item WHERE kind = ? AND code = ?", kind, code)
    seeded = _seed_events(store)

    # WHEN it is opened again by the same build (the shipped lists unchanged)
    open_services(settings, principal=SYSTEM).close()

    # THEN no migration ran (no backup taken, schema still at head) and the lists were not seeded again
    assert not settings.backups_dir.exists()
    assert _read(store, "SELECT version_num FROM alembic_version")[0][0] == head_revision()
    assert _read(store, "SELECT count(*) FROM reference_item WHERE kind = ? AND code = ?", kind, code)[0][0] == 0
    assert _seed_events(store) == seeded


def test_changed_shipped_lists_are_seeded_into_an_existing_store(settings):
    # GIVEN a store last seeded from other shipped lists than this build's, and missing one of this build's entries
    open_services(settings, principal=SYSTEM).close()
    store = settings.data_dir / "blo_desk.sqlite3"
    kind, code = _read(store, "SELECT kind, code FROM reference_item ORDER BY kind, code LIMIT 1")[0]
    _write(store, "DELETE FROM reference_item WHERE kind = ? AND code = ?", kind, code)
    _write(store, "UPDATE setting SET value = 'lists of an older build' WHERE key = ?", SEED_HASH_SETTING)
    seeded = _seed_events(store)

    # WHEN this build opens it
    open_services(settings, principal=SYSTEM).close()

    # THEN the missing entry is added (and audited), and the store remembers which lists it was seeded from
    assert _read(store, "SELECT count(*) FROM reference_item WHERE kind = ? AND code = ?", kind, code)[0][0] == 1
    assert _seed_events(store) == seeded + 1
    assert _read(store, "SELECT value FROM setting WHERE key = ?", SEED_HASH_SETTING)[0][0] == shipped_seed_digest()
