"""Delivery over a real intake service on 127.0.0.1: drops, restarts, repeats, several posts, refusals, receipts."""

from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path

import httpx
import pytest

from blo_desk.domain.delivery import Backoff
from blo_desk.exchange import minisign
from blo_desk.services.delivery import DELIVERED, RECEIPT_REJECTED, REFUSED, UNREACHABLE

import bundle_kit
from kit import FAST, add_photos, delivery_for, hq_store


def _hq_counts(folder: Path, db_url: str | None = None) -> dict:
    hq = bundle_kit.open_store(folder, db_url)
    try:
        status = {row.post_code: row.sequences for row in hq.hq.status()}
        with hq.uow() as uow:
            from sqlalchemy import func, select

            from blo_desk.storage.models import CaseRow

            cases = uow.session.scalar(select(func.count()).select_from(CaseRow))
        return {"sequences": status, "cases": cases, "dump": bundle_kit.dump(hq)}
    finally:
        hq.close()


def _configure(delivery, server, url=None):
    delivery.configure(url=url or server.url, public_key=server.public_key_file.read_text())


def test_a_bundle_arrives_once_although_the_link_drops_mid_chunk(tmp_path, posts, servers, links):
    # GIVEN a post with photos, one waiting bundle, and a link to HQ that cuts three uploads mid-chunk
    post = posts("UZ-DUS", cases=6, photos=1)
    add_photos(post, count=3, size=300_000)
    hq_store(tmp_path / "hq", [post])
    server = servers(tmp_path / "hq")
    exported = post.sync.export()
    link = links(server.port, [150_000, 90_000, 200_000, None])
    delivery = delivery_for(post, chunk_bytes=64 * 1024)
    _configure(delivery, server, link.url)
    # WHEN the post sends what waits
    outcomes = delivery.send_waiting()
    # THEN the bundle was delivered despite the drops, and at most one chunk per drop was sent again
    assert [o.outcome for o in outcomes] == [DELIVERED], outcomes
    assert link.cut_count == 3
    assert outcomes[0].drops >= 3
    assert outcomes[0].bytes_resent <= 3 * 64 * 1024
    assert post.sync.outbox() == []
    # AND HQ holds bundle 1 exactly once, with every case, and no upload is left on disk
    counts = _hq_counts(tmp_path / "hq")
    assert counts["sequences"] == {"UZ-DUS": (1,)}
    assert counts["cases"] == 6
    assert server.uploads_on_disk() == []
    # AND the receipt kept at the post names the bundle's post, number and hash, signed by HQ's key
    body = (post.settings.data_dir / "receipts" / "UZ-DUS-000001.receipt.json").read_bytes()
    receipt = json.loads(body)
    assert (receipt["post"], receipt["sequence"], receipt["bundle_sha256"]) == ("UZ-DUS", 1, exported.sha256)
    assert receipt["outcome"] == "imported"



def test_the_server_restarts_mid_upload_and_the_upload_resumes(tmp_path, posts, servers, links):
    # GIVEN an upload cut after about half of the bundle, and HQ's service killed right after
    post = posts("UZ-DUS", cases=4, photos=1)
    add_photos(post, count=2, size=400_000)
    hq_store(tmp_path / "hq", [post])
    server = servers(tmp_path / "hq")
    entry_size = post.sync.export().size
    link = links(server.port, [entry_size // 2])
    delivery = delivery_for(post, chunk_bytes=128 * 1024, backoff=Backoff(first=0.01, maximum=0.01, retries=0))
    _configure(delivery, server, link.url)
    first = delivery.send_waiting()
    assert [o.outcome for o in first] == [UNREACHABLE]
    server.stop(kill=True)
    parts = [p for p in server.uploads_on_disk() if p.suffix == ".part"]
    assert len(parts) == 1 and 0 < parts[0].stat().st_size < entry_size
    held = parts[0].stat().st_size
    # WHEN the service comes back and the post tries again
    server.start()
    delivery.backoff = FAST
    second = delivery.send_waiting()
    # THEN the upload continued from the bytes HQ kept, and the bundle is imported once
    assert [o.outcome for o in second] == [DELIVERED], second
    assert second[0].bytes_sent <= entry_size - held + 128 * 1024
    assert _hq_counts(tmp_path / "hq")["sequences"] == {"UZ-DUS": (1,)}
    assert server.uploads_on_disk() == []


def test_the_same_bundle_twice_and_two_posts_at_once(tmp_path, posts, servers):
    # GIVEN two posts with a waiting bundle each, both known to HQ
    dus, oy = posts("UZ-DUS", cases=5, seed=1), posts("UZ-OYB", cases=5, seed=2)
    add_photos(dus, count=2, size=200_000)
    add_photos(oy, count=2, size=200_000)
    hq_store(tmp_path / "hq", [dus, oy])
    server = servers(tmp_path / "hq")
    deliveries = []
    for post in (dus, oy):
        post.sync.export()
        delivery = delivery_for(post)
        _configure(delivery, server)
        deliveries.append(delivery)
    # WHEN both upload at the same time
    results: dict[int, list] = {}
    threads = [threading.Thread(target=lambda i=i, d=d: results.__setitem__(i, d.send_waiting()))
               for i, d in enumerate(deliveries)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    # THEN both arrive, once each
    assert [o.outcome for o in results[0]] == [DELIVERED] and [o.outcome for o in results[1]] == [DELIVERED]
    before = _hq_counts(tmp_path / "hq")
    assert before["sequences"] == {"UZ-DUS": (1,), "UZ-OYB": (1,)}
    # AND the same bundle sent again (its receipt was lost, say) is answered from HQ's log, changing nothing
    entry = dus.sync.outbox(include_acknowledged=True)[0]
    path = Path(entry.folder) / entry.file_name
    with deliveries[0].uploader() as uploader:
        answer = uploader.upload(path, post="UZ-DUS", sequence=1, sha256=entry.sha256, key_id=entry_key(dus))
    assert json.loads(answer["receipt"])["outcome"] == "already_imported"
    assert _hq_counts(tmp_path / "hq")["dump"] == before["dump"]


def entry_key(post) -> str:
    return post.sync.identity().key_id


def _raw_upload(server, path: Path, *, post: str, sequence: int, key_id: str) -> httpx.Response:
    """Create and send in one PATCH, as any client could."""
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    created = httpx.post(server.url + "/v1/uploads", headers={
        "Upload-Length": str(len(data)), "Blo-Post": post, "Blo-Sequence": str(sequence), "Blo-Sha256": sha,
        "Blo-Key-Id": key_id})
    if created.status_code != 201:
        return created
    return httpx.patch(server.url + created.headers["Location"], content=data, timeout=60,
                       headers={"Upload-Offset": "0", "Content-Type": "application/offset+octet-stream"})


def test_tampered_unknown_key_and_oversized_bundles_are_refused_and_nothing_is_stored(tmp_path, posts, servers):
    # GIVEN HQ knows UZ-DUS (but not UZ-OYB) and accepts bundles up to 1 MB
    dus, stranger = posts("UZ-DUS", cases=3, seed=1), posts("UZ-OYB", cases=3, seed=2)
    hq_store(tmp_path / "hq", [dus])
    server = servers(tmp_path / "hq", extra=("--max-mb", "1"))
    before = _hq_counts(tmp_path / "hq")["dump"]
    good = Path(dus.sync.export().path)
    # WHEN a bundle with one byte changed in a record is uploaded
    tampered = tmp_path / "tampered.blo"
    members = bundle_kit.read_members(good)
    members["records.jsonl"] = members["records.jsonl"].replace(b"UZ-DUS", b"UZ-DUZ", 1)
    bundle_kit.write_members(tampered, members)
    refused = _raw_upload(server, tampered, post="UZ-DUS", sequence=1, key_id=entry_key(dus))
    # THEN it is refused with the reason the file import gives
    assert refused.status_code == 422 and refused.json()["error"] == "rejected"
    assert "records.jsonl" in refused.json()["reason"]
    # AND a bundle signed by a key HQ does not know is refused before a byte is sent
    foreign = Path(stranger.sync.export().path)
    unknown = _raw_upload(server, foreign, post="UZ-OYB", sequence=1, key_id=entry_key(stranger))
    assert unknown.status_code == 403 and "not registered at HQ" in unknown.json()["reason"]
    # AND a bundle above the size limit is refused at once
    add_photos(dus, count=2, size=700_000)
    big = Path(dus.sync.export().path)
    oversized = _raw_upload(server, big, post="UZ-DUS", sequence=2, key_id=entry_key(dus))
    assert oversized.status_code == 413 and "at most 1.0 MB" in oversized.json()["reason"]
    # AND the post's own uploader reports the refusal and keeps the bundle waiting
    delivery = delivery_for(dus)
    _configure(delivery, server)
    outcomes = {o.sequence: o for o in delivery.send_waiting()}
    assert outcomes[2].outcome == REFUSED and "1.0 MB" in outcomes[2].error.translated()
    assert [e.sequence for e in dus.sync.outbox()] == [2]
    # AND HQ stored nothing of the refused bundles: only bundle 1 (sent properly at the end) is there
    assert server.uploads_on_disk() == []
    after = _hq_counts(tmp_path / "hq")
    assert after["sequences"] == {"UZ-DUS": (1,)}
    assert before != after["dump"]


def test_a_forged_receipt_is_ignored_and_the_bundle_keeps_waiting(tmp_path, posts, servers):
    # GIVEN a post that pinned a key other than the one HQ's service signs with
    post = posts("UZ-DUS", cases=3)
    hq_store(tmp_path / "hq", [post])
    server = servers(tmp_path / "hq")
    post.sync.export()
    delivery = delivery_for(post)
    impostor = minisign.SecretKey.generate()
    delivery.configure(url=server.url, public_key=impostor.public_key.to_file_text())
    # WHEN it uploads
    outcomes = delivery.send_waiting()
    # THEN the receipt is not believed and the bundle keeps waiting
    assert [o.outcome for o in outcomes] == [RECEIPT_REJECTED]
    assert "not signed by the HQ key" in outcomes[0].error.translated()
    assert [e.sequence for e in post.sync.outbox()] == [1]
    assert delivery.status().last_confirmed_at is None
    # AND a receipt signed by the right key but naming another bundle number is refused too
    _configure(delivery, server)
    entry = post.sync.outbox()[0]
    with delivery.uploader() as uploader:
        answer = uploader.upload(Path(entry.folder) / entry.file_name, post="UZ-DUS", sequence=1, sha256=entry.sha256,
                                 key_id=entry_key(post))
    altered = entry.__class__(**{**{f: getattr(entry, f) for f in entry.__dataclass_fields__}, "sequence": 2})
    from blo_desk.exchange.receipt import ReceiptError

    with pytest.raises(ReceiptError):
        delivery.accept_receipt(answer, entry=altered, config=delivery.config(), post="UZ-DUS")
    forged = dict(answer, receipt=answer["receipt"].replace('"sequence":1', '"sequence":2'))
    with pytest.raises(ReceiptError):
        delivery.accept_receipt(forged, entry=altered, config=delivery.config(), post="UZ-DUS")
    assert [e.sequence for e in post.sync.outbox()] == [1]
    # AND with the genuine receipt the bundle is delivered
    assert [o.outcome for o in delivery.send_waiting()] == [DELIVERED]
    assert post.sync.outbox() == []
