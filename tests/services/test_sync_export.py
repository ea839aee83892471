"""Export at the post: the key kept private, revisions since the last bundle, full re-export, numbers never reused."""

from __future__ import annotations

import json
import os
import stat
import zipfile
from dataclasses import replace

import pytest

from blo_desk.domain.entities import CaseQuery
from blo_desk.exchange.errors import ExportWriteError, NothingToExportError, PostAlreadySetUpError, UnknownPostError
from blo_desk.services.demo import synthetic_cases


def _seed(services, code="UZ-DUS", count=4, seed=5):
    cases = [replace(c, post_code=code, case_number=f"{code}-2024-{n:05d}", destination_country=code[:2])
             for n, c in enumerate(synthetic_cases(count, seed=seed), start=1)]
    with services.uow() as uow:
        uow.cases.bulk_insert(cases)
        uow.commit()
    return cases


def _records(path):
    with zipfile.ZipFile(path) as zf:
        return [json.loads(line) for line in zf.read("records.jsonl").splitlines()]


def test_post_set_up_keeps_the_secret_key_owner_only(services):
    # GIVEN a fresh store WHEN the post is set up
    identity = services.sync.set_up_post(post_code="uz-dus")
    # THEN the code is normalised, the secret key file is 0600 in a 0700 folder, the public key is minisign's
    assert identity.post_code == "UZ-DUS" and len(identity.key_id) == 16
    keys = services.settings.data_dir / "keys"
    secret = next(keys.glob("*.key"))
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert stat.S_IMODE(keys.stat().st_mode) == 0o700
    assert services.sync.public_key_text().startswith(f"untrusted comment: minisign public key {identity.key_id}\n")
    # AND setting up twice, or an unknown post, is refused with a clear message
    with pytest.raises(PostAlreadySetUpError):
        services.sync.set_up_post(post_code="UZ-DUS")


def test_an_unknown_post_code_is_refused(services):
    with pytest.raises(UnknownPostError):
        services.sync.set_up_post(post_code="XX-NOPE")


def test_export_takes_what_is_new_and_full_takes_everything(services, tmp_path):
    # GIVEN a post with 4 cases of its own and 2 of another post in the same store
    services.sync.set_up_post(post_code="UZ-DUS")
    _seed(services)
    _seed(services, code="UZ-OYB", count=2, seed=6)
    # WHEN exported twice, with a change in between
    first = services.sync.export(folder=tmp_path / "out")
    case_id = services.cases.list_cases(query=CaseQuery(post_code="UZ-DUS")).rows[0].id
    case = services.cases.get(case_id=case_id)
    if case.is_finalized:
        services.cases.amend(case=replace(case, narrative="changed"), reason="Typo in the narrative")
    else:
        services.cases.save(case=replace(case, narrative="changed"))
    second = services.sync.export(folder=tmp_path / "out")
    # THEN bundle 1 holds the post's 4 cases, bundle 2 only the new revision, chained by hash
    assert (first.sequence, first.records, first.cases) == (1, 4, 4)
    assert (second.sequence, second.records) == (2, 1)
    assert {r["case"]["post_code"] for r in _records(first.path)} == {"UZ-DUS"}
    with zipfile.ZipFile(second.path) as zf:
        assert json.loads(zf.read("manifest.json"))["previous_sha256"] == first.sha256
    # AND with nothing new, export says so; a full export takes every revision again under a new number
    with pytest.raises(NothingToExportError):
        services.sync.export(folder=tmp_path / "out")
    full = services.sync.export(folder=tmp_path / "out", full=True)
    assert (full.sequence, full.records, full.full) == (3, 5, True)
    # AND nothing but finished bundles is left in the folder (temporary file, fsync, rename)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["UZ-DUS-000001.blo", "UZ-DUS-000002.blo",
                                                          "UZ-DUS-000003.blo"]


def test_a_failed_write_burns_its_number_and_the_outbox_lists_what_waits(services, tmp_path):
    # GIVEN a post with cases and an unwritable folder
    services.sync.set_up_post(post_code="UZ-DUS")
    _seed(services)
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where a folder should be")
    # WHEN an export fails THEN the error is clear and the revisions stay pending
    with pytest.raises(ExportWriteError):
        services.sync.export(folder=blocked / "sub")
    # WHEN it is retried elsewhere THEN it gets number 2: number 1 is never reused
    done = services.sync.export(folder=tmp_path / "stick")
    assert done.sequence == 2 and done.records == 4
    # AND the outbox lists bundle 2 until HQ acknowledges it
    assert [e.sequence for e in services.sync.outbox()] == [2]
    assert services.sync.acknowledge(up_to=2) == 1
    assert services.sync.outbox() == []
    assert [e.status for e in services.sync.outbox(include_acknowledged=True)] == ["failed", "written"]


def test_a_secret_key_readable_by_others_is_refused(services, tmp_path):
    from blo_desk.exchange.errors import SecretKeyExposedError

    services.sync.set_up_post(post_code="UZ-DUS")
    _seed(services)
    secret = next((services.settings.data_dir / "keys").glob("*.key"))
    os.chmod(secret, 0o644)
    with pytest.raises(SecretKeyExposedError):
        services.sync.export(folder=tmp_path / "out")


def test_two_exports_at_once_get_consecutive_numbers_and_a_correct_chain(services, tmp_path):
    # GIVEN a post with cases, and two services of the same store (the export dialog and the delivery tick)
    import threading

    from blo_desk.services import sync as sync_module

    services.sync.set_up_post(post_code="UZ-DUS")
    _seed(services)
    other = sync_module.SyncService(uow=services.uow, data_dir=services.settings.data_dir, blobs=services.sync._blobs,
                                    guard=services.guard, sealer=services.sync._sealer)
    # WHEN both export at the same moment (the first one is held inside its export until the second has started)
    started = threading.Event()
    original = sync_module.write_bundle

    def slow_write_bundle(**kwargs):
        started.set()
        threading.Event().wait(0.3)
        return original(**kwargs)

    results, errors = [], []

    def run(service):
        try:
            results.append(service.export(folder=tmp_path / "out", full=True))
        except Exception as exc:  # pragma: no cover - the assertion below shows it
            errors.append(exc)

    sync_module.write_bundle = slow_write_bundle
    try:
        first = threading.Thread(target=run, args=(services.sync,))
        first.start()
        assert started.wait(5)
        second = threading.Thread(target=run, args=(other,))
        second.start()
        first.join(10)
        second.join(10)
    finally:
        sync_module.write_bundle = original
    # THEN both succeed, with consecutive numbers, and the second chains to the first
    assert errors == []
    one, two = sorted(results, key=lambda r: r.sequence)
    assert (one.sequence, two.sequence) == (1, 2)
    with zipfile.ZipFile(two.path) as zf:
        assert json.loads(zf.read("manifest.json"))["previous_sha256"] == one.sha256
