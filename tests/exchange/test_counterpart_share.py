"""Cross-border exchange (issue 16): Oybek (UZ-OYB) and Fotehobod (TJ-FOT) pair, share, import, request, answer;
a tampered, misaddressed, stranger's, revoked or replayed share is refused with the receiving store unchanged."""

from __future__ import annotations

import io
import json
import subprocess
import zipfile
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select

import bundle_kit as kit
from blo_desk.domain.entities import Attachment, Officer, Person, TransportDocument
from blo_desk.domain.enums import PersonRole, Sex
from blo_desk.domain.sharing import MessageKind, RequestStatus
from blo_desk.exchange import age
from blo_desk.exchange.share import (
    ShareBadSignatureError,
    ShareNotForUsError,
    ShareReplayError,
    ShareRevokedError,
    ShareTamperedError,
    ShareUnpairedError,
    ShareWrongRecipientError,
    card_fingerprint,
)
from blo_desk.storage.models_share import CounterpartRow, SharedRecordRow, ShareMessageRow
from blo_desk.storage.sync_repository import SyncRepository


def _store(folder: Path, code: str, *, seed: int, photos: int = 1):
    return kit.make_post(folder, code, cases=3, seed=seed, photos=photos)


def _pair(a, b, tmp: Path) -> None:
    """Each administrator writes the post's card; the other adds it after comparing the fingerprint."""
    for one, other in ((a, b), (b, a)):
        path, fingerprint = one.sharing.write_card(path=tmp / f"{one.sync.identity().post_code}.card")
        card, read = other.sharing.read_card(path=path)
        assert read == fingerprint == card_fingerprint(card)
        other.sharing.add_counterpart(path=path)


@pytest.fixture
def posts(tmp_path):
    oybek = _store(tmp_path / "oyb", "UZ-OYB", seed=3, photos=2)
    fotehobod = _store(tmp_path / "fot", "TJ-FOT", seed=4, photos=0)
    _pair(oybek, fotehobod, tmp_path)
    yield oybek, fotehobod
    oybek.close()
    fotehobod.close()


def _case_numbers(services) -> list[str]:
    with services.uow() as uow:
        from blo_desk.storage.models import CaseRow

        return list(uow.session.scalars(select(CaseRow.case_number).order_by(CaseRow.case_number)))


def _shares_dump(services) -> list:
    """The receiving side's channel tables, the cases and the photo store: what a refused share must not change."""
    out = [row for row in kit.dump(services) if row[0] != "hq_imported_bundle"]
    with services.uow() as uow:
        for table in (CounterpartRow, ShareMessageRow, SharedRecordRow):
            for row in uow.session.execute(select(*table.__table__.columns)):
                out.append((table.__tablename__, tuple(str(v) for v in row)))
    return out


def test_oybek_and_fotehobod_pair_share_request_and_answer(posts, tmp_path):
    # GIVEN Oybek and Fotehobod paired by their cards
    oybek, fotehobod = posts
    assert [c.post_code for c in oybek.sharing.counterparts()] == ["TJ-FOT"]
    assert [c.post_code for c in fotehobod.sharing.counterparts()] == ["UZ-OYB"]
    first = _case_numbers(oybek)[0]
    # WHEN Oybek shares a case (non-nominal) and Fotehobod imports the file
    sent = oybek.sharing.share(references=[first], to="TJ-FOT", out=tmp_path / "stick")
    assert Path(sent.path).name.startswith("UZ-OYB-TJ-FOT-") and sent.profile == "non-nominal"
    received = fotehobod.sharing.import_share(path=Path(sent.path))
    # THEN Fotehobod holds a read-only record of that case, with the sender and the profile
    assert received.kind == MessageKind.SHARE and received.peer == "UZ-OYB"
    records = fotehobod.sharing.shared_records()
    assert [(r.sender, r.profile, r.reference) for r in records] == [("UZ-OYB", "non-nominal", first)]
    assert "persons" not in records[0].content
    assert fotehobod.sharing.shared_record(record_id=records[0].id).reference == first
    # AND the search at the post finds it by a word of its content
    commodity = records[0].content["items"][0]["category"]
    assert fotehobod.sharing.shared_records(text=commodity)
    assert not fotehobod.sharing.shared_records(text="no-such-word-anywhere")

    # WHEN Fotehobod asks Oybek about it, due in a week, and Oybek imports the request
    asked = fotehobod.sharing.request(to="UZ-OYB", about=records[0].id, text="Who loaded the truck?",
                                      due=date.today() + timedelta(days=7), out=tmp_path / "stick")
    assert fotehobod.sharing.request_status(request_id=asked.id) == RequestStatus.SENT
    oybek.sharing.import_share(path=Path(asked.path))
    [request] = oybek.sharing.requests()
    assert (request.status, request.about, request.text) == (RequestStatus.RECEIVED, first, "Who loaded the truck?")
    # AND Oybek answers, and Fotehobod imports the answer
    answer = oybek.sharing.answer(request_id=request.id[:8], text="A company in Tashkent; details follow.",
                                  out=tmp_path / "stick")
    assert oybek.sharing.request_status(request_id=request.id) == RequestStatus.ANSWERED
    fotehobod.sharing.import_share(path=Path(answer.path))
    # THEN both sides see the request answered, and the requester sees the answer's text
    [mine] = fotehobod.sharing.requests()
    assert mine.status == RequestStatus.ANSWERED and mine.answer_text == "A company in Tashkent; details follow."


def test_a_request_past_its_due_date_is_overdue_on_both_sides(posts, tmp_path):
    oybek, fotehobod = posts
    asked = fotehobod.sharing.request(to="UZ-OYB", about="UZ-OYB-2024-1", text="Details?",
                                      due=date.today() - timedelta(days=1), out=tmp_path)
    oybek.sharing.import_share(path=Path(asked.path))
    assert fotehobod.sharing.request_status(request_id=asked.id) == RequestStatus.OVERDUE
    assert oybek.sharing.request_status(request_id=asked.id) == RequestStatus.OVERDUE


# --- the redaction is real --------------------------------------------------------------------------------------
REDACTED_CASE_TEXT = ("conveyance_registration", "trailer_plate", "vin", "container_number", "train_number",
                      "wagon_number", "flight_number", "narrative", "legal_basis", "interpreter_language")


