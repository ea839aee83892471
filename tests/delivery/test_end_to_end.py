"""End to end: a case finalized while HQ is out of reach gets there by itself once the intake service is up."""

from __future__ import annotations

import threading
import time
from dataclasses import replace

from sqlalchemy import select

from blo_desk.domain.delivery import Backoff
from blo_desk.services.delivery import WatchState
from blo_desk.storage.models import CaseRow

import bundle_kit
from kit import delivery_for, hq_store


def _tick_loop(delivery, stop: threading.Event, ticks: list) -> None:
    """What the desk app's timer does: a tick, then wait (longer after failures), until stopped."""
    state = WatchState(interval=0.2, maximum=0.5)
    while not stop.is_set():
        result = delivery.tick()
        ticks.append(result)
        stop.wait(state.next_delay(result))


def _hq_case(folder, case_id, db_url=None):
    hq = bundle_kit.open_store(folder, db_url)
    try:
        with hq.uow() as uow:
            return uow.session.execute(
                select(CaseRow.status, CaseRow.revision).where(CaseRow.id == case_id)).first()
    finally:
        hq.close()


def _run(tmp_path, posts, servers, *, db_url=None):
    # GIVEN a post whose HQ address is configured, but HQ's service is down
    post = posts("UZ-DUS", cases=3, photos=1)
    hq_store(tmp_path / "hq", [post], db_url)
    server = servers(tmp_path / "hq", db_url=db_url)
    key_text = server.public_key_file.read_text()
    server.stop()
    delivery = delivery_for(post, backoff=Backoff(first=0.02, maximum=0.05, retries=1))
    delivery.configure(url=server.url, public_key=key_text)
    stop, ticks = threading.Event(), []
    loop = threading.Thread(target=_tick_loop, args=(delivery, stop, ticks), daemon=True)
    loop.start()
    try:
        # WHEN an officer finalizes a new case while offline
        case = post.cases.new_case(post_code="UZ-DUS")
        first = bundle_kit.post_cases("UZ-DUS", 1, seed=9)[0]
        case = post.cases.save(case=replace(first, id=case.id, case_number=case.case_number, status=case.status))
        case = post.cases.finalize(case_id=case.id, expected_revision=case.revision)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not any(t.exported for t in ticks):
            time.sleep(0.05)
        assert any(t.exported for t in ticks), "the tick loop should bundle the new cases by itself"
        assert any(t.reachable is False for t in ticks) or delivery.status().waiting >= 1
        assert _hq_case(tmp_path / "hq", case.id, db_url) is None
        # AND the link comes back (nobody presses a button)
        server.start()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and delivery.status().waiting:
            time.sleep(0.1)
    finally:
        stop.set()
        loop.join(10)
    # THEN the finalized case is in HQ's database, and the post shows nothing waiting and HQ's confirmation
    found = _hq_case(tmp_path / "hq", case.id, db_url)
    assert found is not None and found.status == "finalized", found
    status = delivery.status()
    assert status.waiting == 0 and status.last_confirmed_at is not None


def test_a_case_finalized_offline_reaches_hq_on_sqlite(tmp_path, posts, servers):
    _run(tmp_path, posts, servers)


def test_a_case_finalized_offline_reaches_hq_on_postgresql(tmp_path, posts, servers, pg_server):
    pg_server.admin("CREATE DATABASE hq_delivery")
    _run(tmp_path, posts, servers, db_url=pg_server.url("hq_delivery"))


def test_receipts_carry_hq_updates_that_the_post_applies_once(tmp_path, posts, servers):
    # GIVEN HQ revoked another post's key and holds a reference entry the post lacks
    post, other = posts("UZ-DUS", cases=2, seed=1), posts("UZ-OYB", cases=2, seed=2)
    hq_store(tmp_path / "hq", [post, other])
    hq = bundle_kit.open_store(tmp_path / "hq")
    try:
        revoked = other.sync.identity().key_id
        hq.hq.revoke_key(key_id=revoked, from_sequence=3)
        with hq.uow() as uow:
            uow.reference.seed([], {"commodity_category": [["hq_new_item", "Yangi", "Новое", "New from HQ"]]})
            uow.commit()
    finally:
        hq.close()
    server = servers(tmp_path / "hq")
    delivery = delivery_for(post)
    delivery.configure(url=server.url, public_key=server.public_key_file.read_text())
    # WHEN the post delivers a bundle
    result = delivery.tick()
    assert result.delivered == 1, result
    # THEN HQ's signed updates are applied: the revoked key is known and the new list entry exists
    with post.uow() as uow:
        from blo_desk.storage.delivery_repository import DeliveryRepository

        assert DeliveryRepository(uow.session).revoked_keys()[revoked] == {"post": "UZ-OYB", "from_sequence": 3}
    assert "hq_new_item" in [i.code for i in post.reference.items(kind="commodity_category")]
    # AND the next receipt leaves the unchanged reference lists out; applying again changes nothing
    bundle_kit.change(post, _first_case(post))
    again = delivery.tick()
    assert again.delivered == 1
    assert again.outcomes[0].receipt.reference is None
    assert [i.code for i in post.reference.items(kind="commodity_category")].count("hq_new_item") == 1


def _first_case(post) -> str:
    with post.uow() as uow:
        return uow.session.scalars(select(CaseRow.id).order_by(CaseRow.case_number)).first()
