"""A big bundle's records are checked in a worker process ahead of the writes (services/import_work.py): the store
ends exactly as the import in one process leaves it, and a bad record or line anywhere still rejects the bundle
whole, with the same reason, on SQLite and PostgreSQL.

The worker takes bundles above import_work.PIPELINE_FROM records, in chunks of FIRST_CHUNKS then PIPELINE_CHUNK
records; the tests lower them so that a bundle of 43 records travels through the worker in several chunks."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
from pathlib import Path

import pytest

from blo_desk.exchange import errors as E
from blo_desk.services import import_work

import bundle_kit as kit


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """A post's bundle of 40 cases, three of them with a second revision (a photo added to the first, two
    changed), so 43 records, and one photo."""
    folder = tmp_path_factory.mktemp("post-big")
    post = kit.make_post(folder / "data", "UZ-DUS", cases=40, seed=5, photos=1)
    try:
        cases = kit.post_cases("UZ-DUS", 40, seed=5)
        for case in cases[10:12]:
            kit.change(post, case.id)
        path = Path(post.sync.export(folder=folder / "out").path)
        return path, post.sync.public_key_text(), kit.secret_key(post)
    finally:
        post.close()


def _hq(hq_factory, name: str, public_key: str):
    hq = hq_factory(name)
    hq.hq.trust_key(post_code="UZ-DUS", public_key=public_key)
    return hq


def _records(path: Path) -> int:
    return kit.read_members(path)["records.jsonl"].count(b"\n")


def test_a_big_bundle_through_the_worker_stores_what_one_process_stores(hq_factory, big, monkeypatch):
    path, public_key, _key = big
    assert _records(path) == 43
    # GIVEN the bundle imported in one process
    alone = _hq(hq_factory, "alone", public_key)
    report = alone.hq.import_bundle(path=path)
    assert (report.outcome, report.new, report.revisions_added) == ("imported", 40, 43)
    # WHEN the same bundle goes through the worker, in several chunks
    monkeypatch.setattr(import_work, "PIPELINE_FROM", 5)
    monkeypatch.setattr(import_work, "FIRST_CHUNKS", (3,))
    monkeypatch.setattr(import_work, "PIPELINE_CHUNK", 7)
    piped = _hq(hq_factory, "piped", public_key)
    workers = len(multiprocessing.active_children())
    report = piped.hq.import_bundle(path=path)
    # the checks ran in a worker process (PostgreSQL keeps one per import lane, started as the pool needs them)
    assert len(multiprocessing.active_children()) > workers
    # THEN it reports the same and the store holds exactly the same cases, children, revisions and photo
    assert (report.outcome, report.new, report.revisions_added, report.attachments_stored) == ("imported", 40, 43, 1)
    assert kit.dump(piped) == kit.dump(alone)
    # AND a search finds a case of the last chunk on both
    last = json.loads(kit.read_members(path)["records.jsonl"].splitlines()[-1])["case"]["case_number"]
    assert piped.hq.status()[0].sequences == (1,)
    from blo_desk.domain.entities import CaseQuery

    assert [r.case_number for r in piped.cases.list_cases(query=CaseQuery(text=last)).rows] == [last]


def _with_line(path: Path, key, tmp_path: Path, number: int, change) -> Path:
    members = kit.read_members(path)
    lines = members["records.jsonl"].split(b"\n")
    lines[number - 1] = change(lines[number - 1])
    members["records.jsonl"] = b"\n".join(lines)
    return kit.write_members(tmp_path / path.name, kit.resign(members, key))


def _rejected_alike(hq_factory, path: Path, public_key: str, monkeypatch, error_class):
    """The bundle is rejected with the same reason in one process and through the worker; nothing is stored."""
    reasons = []
    for name in ("alone", "piped"):
        if name == "piped":
            monkeypatch.setattr(import_work, "PIPELINE_FROM", 5)
            monkeypatch.setattr(import_work, "FIRST_CHUNKS", (3,))
            monkeypatch.setattr(import_work, "PIPELINE_CHUNK", 7)
        hq = _hq(hq_factory, name, public_key)
        before = kit.dump(hq)
        report = hq.hq.import_bundle(path=path)
        assert report.outcome == "rejected"
        assert isinstance(report.error, error_class), (type(report.error), report.reason())
        assert kit.dump(hq) == before  # whole or nothing: the chunks written before the bad one are gone too
        reasons.append(report.reason())
    assert reasons[0] == reasons[1]


def test_a_bad_record_in_a_late_chunk_rejects_the_whole_bundle(hq_factory, big, monkeypatch, tmp_path):
    path, public_key, key = big
    # GIVEN a bundle whose 40th record was altered after hashing (chunks 1 to 3 are fine and written first)
    bad = _with_line(path, key, tmp_path, 40, lambda line: line.replace(b'"narrative":"', b'"narrative":"X', 1))
    # WHEN it is imported THEN it is rejected whole, naming line 40, with or without the worker
    _rejected_alike(hq_factory, bad, public_key, monkeypatch, E.RecordHashMismatchError)


def test_a_record_of_another_post_in_a_middle_chunk(hq_factory, big, monkeypatch, tmp_path):
    path, public_key, key = big

    def other_post(line: bytes) -> bytes:
        import hashlib

        from blo_desk.domain.canonical import canonical_json

        record = json.loads(line)
        record["case"]["post_code"] = "UZ-OYB"
        record["content_hash"] = hashlib.sha256(canonical_json(record["case"])).hexdigest()
        return canonical_json(record)

    _rejected_alike(hq_factory, _with_line(path, key, tmp_path, 15, other_post), public_key, monkeypatch,
                    E.ForeignPostRecordError)


def test_a_record_count_that_is_not_the_manifests(hq_factory, big, monkeypatch, tmp_path):
    path, public_key, key = big
    # GIVEN a bundle whose signed manifest announces one record more than records.jsonl holds
    members = kit.read_members(path)
    bad = kit.write_members(tmp_path / path.name, kit.resign(
        members, key, edit=lambda m: m["counts"].update(records=m["counts"]["records"] + 1)))
    # WHEN it is imported THEN it is rejected whole after every record was read, with or without the worker
    _rejected_alike(hq_factory, bad, public_key, monkeypatch, E.CountMismatchError)


def test_a_line_without_its_newline_after_a_bad_record_reports_the_record(hq_factory, big, monkeypatch, tmp_path):
    path, public_key, key = big
    # GIVEN a bundle with a bad record on line 20 and a last line cut short (no newline) in the same chunk
    members = kit.read_members(path)
    lines = members["records.jsonl"].split(b"\n")
    lines[19] = lines[19].replace(b'"narrative":"', b'"narrative":"X', 1)
    members["records.jsonl"] = b"\n".join(lines).rstrip(b"\n")
    bad = kit.write_members(tmp_path / path.name, kit.resign(members, key))
    # WHEN it is imported THEN the record's error comes first, as when the lines are read one by one
    _rejected_alike(hq_factory, bad, public_key, monkeypatch, E.RecordHashMismatchError)


def test_when_the_worker_dies_the_import_checks_the_records_itself(hq_factory, big, monkeypatch, tmp_path):
    path, public_key, key = big
    alone = _hq(hq_factory, "alone", public_key)
    assert alone.hq.import_bundle(path=path).outcome == "imported"
    # GIVEN an HQ whose worker process started with a first big bundle (rejected: its count is wrong) and was then
    # killed (out of memory, say)
    monkeypatch.setattr(import_work, "PIPELINE_FROM", 5)
    monkeypatch.setattr(import_work, "FIRST_CHUNKS", (3,))
    monkeypatch.setattr(import_work, "PIPELINE_CHUNK", 7)
    piped = _hq(hq_factory, "piped", public_key)
    wrong = kit.write_members(tmp_path / path.name, kit.resign(
        kit.read_members(path), key, edit=lambda m: m["counts"].update(records=m["counts"]["records"] + 1)))
    before = set(multiprocessing.active_children())
    assert piped.hq.import_bundle(path=wrong).outcome == "rejected"
    started = set(multiprocessing.active_children()) - before  # one per import lane at most
    assert started
    worker = started.pop()
    os.kill(worker.pid, signal.SIGKILL)
    worker.join(timeout=30)
    # WHEN the good bundle comes THEN it is imported all the same, exactly as in one process
    report = piped.hq.import_bundle(path=path)
    assert (report.outcome, report.new, report.revisions_added) == ("imported", 40, 43)
    assert kit.dump(piped) == kit.dump(alone)
