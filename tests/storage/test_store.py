"""The store file: durable pragmas, refusal of a newer schema, backup and upgrade of an older file."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from blo_desk.config import load_settings
from blo_desk.domain.entities import CaseQuery
from blo_desk.domain.errors import StoreTooNewError
from blo_desk.domain.permissions import SYSTEM
from blo_desk.services.registry import open_services
from blo_desk.storage.migrate import head_revision

OLD_STORE = Path(__file__).parent / "data" / "store-0001-demo.sqlite3"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_sqlite_runs_in_wal_with_full_sync_and_foreign_keys(services):
    # GIVEN an open store WHEN its pragmas are read on a pooled connection
    with services.engine.connect() as conn:
        journal = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
        sync = conn.exec_driver_sql("PRAGMA synchronous").scalar()
        fks = conn.exec_driver_sql("PRAGMA foreign_keys").scalar()
    # THEN WAL, synchronous=FULL (2) and foreign keys are on
    assert (journal, sync, fks) == ("wal", 2, 1)


def test_store_lives_in_the_data_folder(services, settings):
    # GIVEN default settings for a data folder WHEN the store is opened THEN the SQLite file is in that folder
    assert (settings.data_dir / "blo_desk.sqlite3").exists()


def test_a_store_from_a_newer_version_is_refused_and_left_untouched(tmp_path):
    # GIVEN a store whose schema version this build does not know
    data = tmp_path / "data"
    data.mkdir()
    store = data / "blo_desk.sqlite3"
    shutil.copyfile(OLD_STORE, store)
    conn = sqlite3.connect(store)
    conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.commit()
    conn.close()
    before = _digest(store)
    # WHEN BLO Desk opens it
    with pytest.raises(StoreTooNewError) as caught:
        open_services(load_settings(data_dir=data, plaintext_store=True), principal=SYSTEM)
    # THEN the message says so plainly, and not a byte of the file changed (no WAL, no backup)
    assert "newer version" in caught.value.translated()
    assert "9999_from_the_future" in caught.value.translated()
    assert _digest(store) == before
    assert sorted(p.name for p in data.iterdir()) == ["blo_desk.sqlite3"]


def test_an_older_store_is_backed_up_then_upgraded_with_its_cases(tmp_path):
    # GIVEN a store file written by the first schema (0001), kept in tests/storage/data
    data = tmp_path / "data"
    data.mkdir()
    store = data / "blo_desk.sqlite3"
    shutil.copyfile(OLD_STORE, store)
    assert head_revision() != "0001", "this test needs a schema newer than 0001 to upgrade to"
    # WHEN the current build opens it
    services = open_services(load_settings(data_dir=data, plaintext_store=True), principal=SYSTEM)
    try:
        # THEN a backup of the old file (old schema, all its cases) was taken first, and the cases are all still there
        assert services.backup_taken is not None and services.backup_taken.exists()
        backup = sqlite3.connect(services.backup_taken)
        assert backup.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert backup.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
        assert backup.execute("SELECT count(*) FROM seizure_case").fetchone()[0] == 12
        backup.close()
        assert services.cases.list_cases(query=CaseQuery()).total == 12
        assert services.cases.search(text="oztay").total == 1
    finally:
        services.close()
    conn = sqlite3.connect(store)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == head_revision()
    conn.close()


STORE_0004 = Path(__file__).parent / "data" / "store-0004-demo.sqlite3"


def test_a_store_of_schema_0004_upgrades_keeping_every_case_and_its_hash(tmp_path):
    # GIVEN a store written by schema 0004 (before the format-2 fields): 12 demo cases, 10 of them finalized
    data = tmp_path / "data"
    data.mkdir()
    store = data / "blo_desk.sqlite3"
    shutil.copyfile(STORE_0004, store)
    old = sqlite3.connect(store)
    hashes = dict(old.execute("SELECT case_number, content_hash FROM seizure_case"))
    old.close()
    # WHEN the current build opens it
    services = open_services(load_settings(data_dir=data, plaintext_store=True), principal=SYSTEM)
    try:
        # THEN a backup was taken, every case is there, each rebuilt from its rows hashes as it did before the
        # upgrade (empty format-2 fields leave the content unchanged), and search still works
        assert services.backup_taken is not None and services.backup_taken.exists()
        page = services.cases.list_cases(query=CaseQuery(limit=50))
        assert page.total == 12
        from blo_desk.domain.canonical import content_hash

        for row in page.rows:
            case = services.cases.get(case_id=row.id)
            assert content_hash(case) == hashes[case.case_number], case.case_number
            assert case.agencies == ((case.agency,) if case.agency else ())
            assert case.joint_agencies == () and case.documents == ()
        assert services.cases.search(text="heroin").total >= 1
    finally:
        services.close()
    conn = sqlite3.connect(store)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == head_revision()
    conn.close()
