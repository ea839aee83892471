"""Fixtures of the storage tests: one PostgreSQL server for all of them, started by the tests themselves."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pg  # noqa: E402


@pytest.fixture(scope="session")
def pg_server():
    """A PostgreSQL server (initdb + pg_ctl in a temporary folder); missing server binaries FAIL the tests."""
    try:
        started = pg.start()
    except Exception as exc:  # noqa: BLE001 — a loud failure on purpose
        pytest.fail(f"cannot start the test PostgreSQL server: {exc}", pytrace=False)
    yield started
    pg.stop(started)


@pytest.fixture(scope="session")
def import_posts():
    """A function that makes one signed bundle of new synthetic cases per post (Cyrillic and Uzbek Latin names,
    plates, documents) and imports them all into each HQ given, through HQ's own import."""
    from dataclasses import replace

    from blo_desk.domain.canonical import canonical_json, revision_record
    from blo_desk.exchange import minisign
    from blo_desk.exchange.manifest import Manifest
    from blo_desk.exchange.pack import write_bundle
    from blo_desk.services.demo import synthetic_cases

    def load(stores: list, folder: Path, posts: tuple[str, ...], per_post: int, seed: int) -> None:
        made = []
        for n, code in enumerate(posts, start=1):
            key = minisign.SecretKey.generate()
            cases = [replace(c, post_code=code, case_number=f"{code}-{c.case_number.rsplit('-', 2)[1]}-{n}{k:05d}")
                     for k, c in enumerate(synthetic_cases(per_post, seed=seed + n), start=1)]
            records = [canonical_json(revision_record(c, parent_hash="")) for c in cases]
            manifest = Manifest(post=code, key_id=key.public_key.key_id_text, sequence=1, previous_sha256="",
                                created_at="2026-01-01T00:00:00.000000Z", app_version="test", schema_version="test",
                                full=False, records=len(records), cases=len(records), attachments=0)
            bundle = write_bundle(folder=folder, manifest=manifest, key=key, records=records, attachments=[])
            made.append((code, key.public_key.to_file_text(), bundle.path))
        for services in stores:
            for code, public_key, _path in made:
                services.hq.trust_key(post_code=code, public_key=public_key)
            reports = services.hq.import_bundles(paths=[path for _c, _k, path in made])
            assert [r.outcome for r in reports] == ["imported"] * len(made), [r.reason() for r in reports]

    return load
