"""Delivery by upload of encrypted bundles: the intake service imports them through HqService like a file import."""

from __future__ import annotations

from pathlib import Path

from blo_desk.exchange import age
from blo_desk.services.delivery import DELIVERED, REFUSED

import bundle_kit
from kit import add_photos, delivery_for, hq_store


def _hq_recipient(folder: Path) -> str:
    hq = bundle_kit.open_store(folder)
    try:
        return hq.hq.age_recipient(create=True)
    finally:
        hq.close()


def _held(folder: Path):
    hq = bundle_kit.open_store(folder)
    try:
        from blo_desk.storage.sync_repository import SyncRepository

        with hq.uow() as uow:
            held = SyncRepository(uow.session).imported_bundle("UZ-DUS", 1)
            return None if held is None else held.sha256
    finally:
        hq.close()


def test_an_encrypted_bundle_is_uploaded_through_drops_and_imported(tmp_path, posts, servers, links):
    # GIVEN a post that pinned HQ's age key, one encrypted bundle waiting, and a link that cuts two uploads
    post = posts("UZ-DUS", cases=5, photos=1)
    add_photos(post, count=2, size=200_000)
    hq_store(tmp_path / "hq", [post])
    post.sync.pin_hq_recipient(recipient=_hq_recipient(tmp_path / "hq"))
    exported = post.sync.export()
    assert exported.encrypted and exported.path.endswith(".enc.blo")
    server = servers(tmp_path / "hq")
    link = links(server.port, [120_000, 70_000, None])
    delivery = delivery_for(post, chunk_bytes=64 * 1024)
    delivery.configure(url=link.url, public_key=server.public_key_file.read_text())
    # WHEN the post sends what waits
    outcomes = delivery.send_waiting()
    # THEN HQ imported it, its receipt names the encrypted file's hash, and nothing is left on HQ's disk
    assert [o.outcome for o in outcomes] == [DELIVERED], [o.error for o in outcomes]
    assert outcomes[0].receipt.bundle_sha256 == exported.sha256
    assert post.sync.outbox() == []
    held = _held(tmp_path / "hq")
    assert held == exported.sha256
    assert server.uploads_on_disk() == []
    staging = tmp_path / "hq" / "attachments" / ".staging"
    assert not staging.exists() or list(staging.iterdir()) == []


def test_a_bundle_encrypted_to_another_key_is_refused_and_keeps_waiting(tmp_path, posts, servers):
    # GIVEN a post that pinned a recipient that is not HQ's
    post = posts("UZ-DUS", cases=2, photos=0)
    hq_store(tmp_path / "hq", [post])
    _hq_recipient(tmp_path / "hq")
    post.sync.pin_hq_recipient(recipient=age.recipient_of(age.generate_identity()))
    post.sync.export()
    server = servers(tmp_path / "hq")
    delivery = delivery_for(post)
    delivery.configure(url=server.url, public_key=server.public_key_file.read_text())
    # WHEN it sends THEN HQ refuses with the reason (in the post's language) and the bundle keeps waiting
    outcomes = delivery.send_waiting()
    assert [o.outcome for o in outcomes] == [REFUSED]
    assert "not to this HQ's age key" in outcomes[0].error.translated()
    assert len(post.sync.outbox()) == 1
    assert _held(tmp_path / "hq") is None
