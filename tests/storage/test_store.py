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


def test_accounts_of_a_schema_0004_store_upgrade_to_ranked_accounts(tmp_path):
    # GIVEN a schema-0004 store holding an officer's account (written as that schema wrote it: no rank, no agency)
    data = tmp_path / "data"
    data.mkdir()
    store = data / "blo_desk.sqlite3"
    shutil.copyfile(STORE_0004, store)
    old = sqlite3.connect(store)
    old.execute("INSERT INTO user_account (username, full_name, role, post_code, password_hash, active, "
                "failed_logins, created_at, password_changed_at) VALUES ('karim', 'Karimov Karim', 'officer', "
                "'UZ-DUS', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA', 1, 0, '2026-03-01 08:00:00.000000', "
                "'2026-03-01 08:00:00.000000')")
    old.commit()
    old.close()
    # WHEN the current build opens it
    services = open_services(load_settings(data_dir=data, plaintext_store=True), principal=SYSTEM)
    try:
        # THEN the account is still there, with no rank and no agency yet (nothing made up for it)
        (karim,) = services.users.list_users()
        assert (karim.username, karim.full_name, karim.post_code, karim.rank, karim.agency) == (
            "karim", "Karimov Karim", "UZ-DUS", "", "")
        # AND the admin can give it a rank, and a new account keeps the rank it was given
        services.users.update_user(username="karim", full_name="Karimov Karim", rank="Major", agency="customs")
        services.users.add_user(username="aziz", password="long-enough-pass-1", role="officer", post_code="UZ-DUS",
                                full_name="Azizov Aziz", rank="Senior lieutenant", agency="border")
        ranks = {o.username: (o.rank, o.agency) for o in services.users.post_officers(post_code="UZ-DUS")}
        assert ranks == {"karim": ("Major", "customs"), "aziz": ("Senior lieutenant", "border")}
    finally:
        services.close()


def test_a_fresh_store_has_the_rank_and_agency_columns_at_the_head_schema(settings):
    # GIVEN / WHEN a new store is made THEN its accounts table has the rank and agency, at the newest schema
    services = open_services(settings, principal=SYSTEM)
    services.close()
    conn = sqlite3.connect(settings.data_dir / "blo_desk.sqlite3")
    columns = {row[1] for row in conn.execute("PRAGMA table_info(user_account)")}
    version = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    conn.close()
    assert {"rank", "agency"} <= columns and version == head_revision()


def test_the_schema_head_read_from_the_scripts_is_alembics_and_a_store_at_head_opens_without_alembic(tmp_path):
    # GIVEN the migration scripts shipped with this build
    from blo_desk.storage import migrate

    # WHEN the head and the known revisions are read from the scripts' text
    # THEN they are the ones Alembic finds by importing the scripts
    assert migrate._chain() == migrate._chain_by_alembic()
    # AND a login on a store already at head does not import Alembic (a third of a second of the desk's login)
    import subprocess
    import sys

    code = ("import os, sys; os.environ['BLO_DESK_PLAINTEXT_STORE'] = '1'\n"
            "from pathlib import Path\n"
            "from blo_desk.config import load_settings\n"
            "from blo_desk.services.registry import open_services\n"
            "settings = load_settings(data_dir=Path(sys.argv[1]))\n"
            "open_services(settings).close()\n"  # creates the store (Alembic runs)
            "for name in [m for m in sys.modules if m.startswith('alembic')]: del sys.modules[name]\n"
            "open_services(settings).close()\n"
            "print('alembic' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
