"""Cross-border exchange (issue 16): Oybek (UZ-OYB) and Fotehobod (TJ-FOT) pair, share, import, request, answer;
a tampered, misaddressed, stranger's, revoked or replayed share is refused with the receiving store unchanged."""

from __future__ import annotations

import io
import json
import subprocess
import zipfile
import zlib
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from blo_desk.domain.entities import Officer, Person, TransportDocument
from blo_desk.domain.enums import PersonRole, Sex
from blo_desk.domain.sharing import LinkRelation, MessageKind, RequestStatus
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

import bundle_kit as kit


def _store(folder: Path, code: str, *, seed: int, photos: int = 1):
    return kit.make_post(folder, code, cases=3, seed=seed, photos=photos)


def _pair(a, b, tmp: Path) -> None:
    """Each administrator writes the post's card; the other adds it after comparing the fingerprint."""
    for one, other in ((a, b), (b, a)):
        path, fingerprint = one.sharing.write_card(path=tmp / f"{one.sync.identity().post_code}.card")
        card, read = other.sharing.read_card(path=path)
        assert read == fingerprint == card_fingerprint(card)
        other.sharing.add_counterpart(path=path, fingerprint=read)


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
    # AND the record reads, in Russian, with its moments written as every moment on the desk: the incident in the
    # case's local time, when it was shared in the receiving post's (no babel "medium" form, no ISO date)
    from zoneinfo import ZoneInfo

    from blo_desk.i18n import set_language, set_local_zone, translator

    set_local_zone("Asia/Dushanbe")
    set_language("ru")
    try:
        lines = dict(fotehobod.sharing.record_lines(record_id=records[0].id, language="ru"))
    finally:
        set_local_zone(None)
        set_language("en")
    tr = translator("ru")
    assert lines[tr.gettext("Shared on")] == records[0].shared_at.astimezone(ZoneInfo("Asia/Dushanbe")).strftime(
        "%d.%m.%Y, %H:%M")
    occurred = oybek.cases.find(reference=first)
    assert lines[tr.gettext("Date and time (local)")] == occurred.occurred_at.astimezone(
        ZoneInfo(occurred.timezone)).strftime("%d.%m.%Y, %H:%M")
    # AND a coded field reads by its name alone, no reference-list code beside it; the sender by name and code
    with fotehobod.uow() as uow:
        units = uow.reference.by_kind()["unit"]
    unit = records[0].content["items"][0]["unit"]
    assert lines[tr.gettext("Item {number}: {field}").format(number=1, field=tr.gettext("Unit"))] == units[
        unit].label("ru")
    assert lines[tr.gettext("Shared by post")].endswith(" (UZ-OYB)")
    # AND the search at the post finds it by a word of its content
    assert fotehobod.sharing.shared_records(text=records[0].content["items"][0]["description"])
    assert not fotehobod.sharing.shared_records(text="no-such-word-anywhere")
    # AND an officer at Fotehobod links a local case to it ("same vehicle"), seen from both the record and the case
    local = _case_numbers(fotehobod)[0]
    link = fotehobod.sharing.link(record_id=records[0].id, case_reference=local, relation=LinkRelation.SAME_VEHICLE)
    assert (link.case_number, link.relation) == (local, LinkRelation.SAME_VEHICLE)
    assert [x.record_id for x in fotehobod.sharing.links(case_reference=local)] == [records[0].id]

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


# --- the redaction is real --------------------------------------------------------------------------------------
REDACTED_CASE_TEXT = ("conveyance_registration", "trailer_plate", "vin", "container_number", "train_number",
                      "wagon_number", "flight_number", "narrative", "legal_basis", "interpreter_language")


def _marked_case(services, tmp_path: Path, *, typed: bool = False):
    """A new case of the post whose every field the non-nominal profile removes holds a marker of its own
    (stored through the bulk path: the markers are not valid plates or names, and need not be); `typed`: every
    free text the profile sends holds all those markers too, as an officer might have typed them."""
    markers: list[str] = []

    def mark(name: str) -> str:
        markers.append(f"MRK{len(markers):03d}Q{name.upper().replace('_', '')}Z")
        return markers[-1]

    base = kit.post_cases("UZ-OYB", 1, seed=9)[0]
    photo = tmp_path / "goods.jpg"
    photo.write_bytes(kit.JPEG + b"goods-photo")
    stored = services.attachments.add_file(path=photo, caption="x")
    persons = tuple(Person(role=role, full_name=mark(f"name{n}"), birth_date=date(1971, 3, 4 + n), sex=Sex.MALE,
                           nationality="UZ", document_type="passport", document_number=mark(f"docnum{n}"),
                           address=mark(f"address{n}"), document_issuer=mark(f"issuer{n}"),
                           birth_place=mark(f"birthplace{n}"))
                    for n, role in enumerate((PersonRole.DRIVER, PersonRole.OWNER)))
    items = tuple(replace(item, seals=mark(f"seals{n}")) for n, item in enumerate(base.items))
    case = replace(
        base, id="0" * 31 + "1", case_number="UZ-OYB-2024-990001",
        **{name: mark(name) for name in REDACTED_CASE_TEXT}, persons=persons, items=items,
        documents=(TransportDocument(kind="cmr", number=mark("cmr"), issued_on=date(2024, 1, 1)),),
        officers=(Officer(full_name=mark("officer"), rank=mark("rank"), agency="customs", username=mark("user")),),
        attachments=(replace(stored, filename=mark("filename") + ".jpg", caption=mark("caption")),),
    )
    # birth dates are redacted too: their ISO text must not leave either
    markers += [p.birth_date.isoformat() for p in persons]
    if typed:
        case = replace(case, **{name: _typed(markers, n) for n, name in enumerate(CASE_FREE_TEXT)},
                       items=tuple(replace(item, **{name: _typed(markers, n) for n, name in enumerate(ITEM_FREE_TEXT)})
                                   for item in case.items))
    with services.uow() as uow:
        uow.cases.bulk_insert([case])
        uow.commit()
    return case, markers


#: The free texts the non-nominal profile sends as written.
CASE_FREE_TEXT = ("concealment_details", "declared_cargo", "vehicle_make")
ITEM_FREE_TEXT = ("description", "brand", "package_group")


def _typed(markers: list[str], n: int) -> str:
    """Every marker in a sentence, as typed: in lower case, split by spaces, or as written, by turns."""
    def spelled(marker: str, k: int) -> str:
        return [marker, marker.lower(), " ".join([marker[:5], marker[5:]])][(n + k) % 3]

    return "Found behind the panel; " + ", ".join(f"see {spelled(m, k)}" for k, m in enumerate(markers)) + "."


def _encodings(marker: str) -> list[bytes]:
    return [marker.encode("utf-8"), marker.encode("utf-16-le"), marker.encode("utf-16-be"),
            json.dumps(marker).encode("ascii")]


def _all_plaintexts(share: Path, identity) -> dict[str, bytes]:
    """Every member of the share and of its decrypted inner ZIP, each also inflated if it is a deflate stream."""
    outer = kit.read_members(share)
    plain = io.BytesIO()
    age.decrypt_stream(io.BytesIO(outer["share.age"]), plain, identity=identity)
    found = {f"outer/{n}": b for n, b in outer.items()}
    found["inner.zip"] = plain.getvalue()
    with zipfile.ZipFile(io.BytesIO(plain.getvalue())) as zf:
        for info in zf.infolist():
            found[f"inner/{info.filename}"] = zf.read(info)
    for name, data in list(found.items()):
        for wbits in (-15, 15, 31):
            try:
                found[f"{name}#inflated{wbits}"] = zlib.decompress(data, wbits)
            except zlib.error:
                pass
    return found


def test_no_redacted_field_leaves_the_post_in_any_encoding(posts, tmp_path):
    # GIVEN a case whose every field the non-nominal profile removes holds a unique marker
    oybek, fotehobod = posts
    case, markers = _marked_case(oybek, tmp_path)
    # WHEN Oybek shares it non-nominal, and the share is decrypted with Fotehobod's age identity
    sent = oybek.sharing.share(references=[case.case_number], to="TJ-FOT", out=tmp_path / "stick")
    members = _all_plaintexts(Path(sent.path), fotehobod.sharing._age_key.identity())
    # THEN no marker appears in any member, in UTF-8, UTF-16 or JSON-escaped form, deflated or not
    assert any(name.startswith("inner/photos/") for name in members), "the photo of the goods goes along"
    leaks = [(marker, name) for marker in markers for name, data in members.items()
             if any(form in data for form in _encodings(marker))]
    assert leaks == []
    # AND what does go is what the officer at Fotehobod needs: commodity, quantities, concealment, conveyance
    fotehobod.sharing.import_share(path=Path(sent.path))
    [record] = fotehobod.sharing.shared_records()
    content = record.content
    assert content["items"][0]["category"] == case.items[0].category
    assert content["conveyance_type"] == case.conveyance_type
    assert content["concealment_method"] == case.concealment_method
    assert "persons" not in content and "vin" not in content and "conveyance_registration" not in content


def test_withheld_values_typed_into_free_text_do_not_leave_either(posts, tmp_path):
    # GIVEN the same case, and every marker also typed into every free text the non-nominal profile sends
    # (concealment details, declared cargo, make, each item's description, brand and package group)
    oybek, fotehobod = posts
    case, markers = _marked_case(oybek, tmp_path, typed=True)
    assert all(m in case.concealment_details or m.lower() in case.concealment_details for m in markers[:1])
    # WHEN the officer previews the share THEN the preview already shows the masked text and says where
    [preview] = oybek.sharing.share_preview(references=[case.case_number], language="en")
    shown = dict(preview.lines)
    assert "\u2587\u2587\u2587" in shown["Concealment details"] and "Found behind the panel" in shown[
        "Concealment details"]
    assert dict(preview.masked)["Concealment details"] == len(markers)
    assert dict(preview.masked)["Item 1: Description"] == len(markers)
    # WHEN Oybek shares it non-nominal, and the share is decrypted with Fotehobod's age identity
    sent = oybek.sharing.share(references=[case.case_number], to="TJ-FOT", out=tmp_path / "stick")
    members = _all_plaintexts(Path(sent.path), fotehobod.sharing._age_key.identity())
    # THEN no marker appears in any member, in any spelling typed, in UTF-8, UTF-16 or JSON-escaped form
    spellings = {form for m in markers for form in (m, m.lower(), f"{m[:5]} {m[5:]}")}
    leaks = [(marker, name) for marker in spellings for name, data in members.items()
             if any(form in data for form in _encodings(marker))]
    assert leaks == []
    # AND the texts arrive with the mask where the markers were, the rest as typed
    fotehobod.sharing.import_share(path=Path(sent.path))
    [record] = fotehobod.sharing.shared_records()
    assert record.content["concealment_details"].startswith("Found behind the panel; see \u2587\u2587\u2587")
    # AND the audit trail says where and how much was masked
    [event] = [e for e in oybek.audit.events(limit=20) if e.action == "share.send"]
    details = json.loads(event.details) if isinstance(event.details, str) else event.details
    assert details["masked"][f"{case.case_number}:case.concealment_details"] == len(markers)


def test_the_operational_profile_masks_nothing(posts, tmp_path):
    # GIVEN the case with the markers typed into its free texts, and a supervisor with a legal basis and a reason
    from blo_desk.domain.permissions import Role

    oybek, _fotehobod = posts
    case, _markers = _marked_case(oybek, tmp_path, typed=True)
    with kit.sharing_as(oybek, Role.SUPERVISOR):
        # WHEN the operational preview is read THEN the free texts are as typed: it sends persons and plates
        [preview] = oybek.sharing.share_preview(references=[case.case_number], profile="operational", language="en")
    assert preview.masked == () and dict(preview.lines)["Concealment details"] == case.concealment_details


def test_the_operational_profile_needs_a_supervisor_a_legal_basis_and_a_reason(posts, tmp_path):
    oybek, _fotehobod = posts
    case, markers = _marked_case(oybek, tmp_path)
    from blo_desk.domain.errors import PermissionDeniedError
    from blo_desk.domain.permissions import Role
    from blo_desk.services.sharing import OperationalNeedsError

    # WHEN the legal basis or the reason is missing THEN nothing is written
    with pytest.raises(OperationalNeedsError):
        oybek.sharing.share(references=[case.case_number], to="TJ-FOT", profile="operational", reason="joint case",
                            out=tmp_path / "none")
    assert not (tmp_path / "none").exists()
    # WHEN an officer tries THEN it is refused and the refusal is audited
    with kit.sharing_as(oybek, Role.OFFICER, username="aziz"), pytest.raises(PermissionDeniedError):
        oybek.sharing.share(references=[case.case_number], to="TJ-FOT", profile="operational",
                            reason="joint case", legal_basis="Agreement of 2019, art. 5", out=tmp_path / "none")
    # WHEN a supervisor shares with both THEN persons and plates go, and the audit names the basis and the reason
    with kit.sharing_as(oybek, Role.SUPERVISOR):
        sent = oybek.sharing.share(references=[case.case_number], to="TJ-FOT", profile="operational",
                                   reason="joint case", legal_basis="Agreement of 2019, art. 5", out=tmp_path / "s")
    assert sent.profile == "operational"
    events = [e for e in oybek.audit.events(limit=50) if e.action in ("share.operational",)]
    assert [e.outcome for e in events][:2] == ["ok", "denied"]
    details = json.loads(events[0].details) if isinstance(events[0].details, str) else events[0].details
    assert (details["legal_basis"], details["reason"]) == ("Agreement of 2019, art. 5", "joint case")
    _fotehobod.sharing.import_share(path=Path(sent.path))
    [record] = _fotehobod.sharing.shared_records()
    assert record.profile == "operational" and record.content["vin"] == case.vin
    assert [p["full_name"] for p in record.content["persons"]] == [p.full_name for p in case.persons]


# --- refusals leave the receiving store unchanged ----------------------------------------------------------------
def _refused(services, path: Path, error):
    before = _shares_dump(services)
    with pytest.raises(error) as caught:
        services.sharing.import_share(path=path)
    assert _shares_dump(services) == before
    assert str(caught.value)  # a translated reason
    return caught.value


def _rewrite(path: Path, target: Path, **members: bytes) -> Path:
    found = kit.read_members(path)
    found.update(members)
    with zipfile.ZipFile(target, "w") as zf:
        for name in ("share.age", "envelope.json", "envelope.json.minisig"):
            zf.writestr(name, found[name])
    return target


def test_tampered_shares_are_refused_whole(posts, tmp_path):
    oybek, fotehobod = posts
    sent = Path(oybek.sharing.share(references=_case_numbers(oybek)[:2], to="TJ-FOT", out=tmp_path / "s").path)
    members = kit.read_members(sent)
    # a flipped byte in the ciphertext, an altered envelope, a removed signature, a truncated file, a deflated zip
    flipped = bytearray(members["share.age"])
    flipped[len(flipped) // 2] ^= 1
    _refused(fotehobod, _rewrite(sent, tmp_path / "t1.share", **{"share.age": bytes(flipped)}), ShareTamperedError)
    envelope = members["envelope.json"].replace(b'"kind":"share"', b'"kind":"answer"')
    _refused(fotehobod, _rewrite(sent, tmp_path / "t2.share", **{"envelope.json": envelope}), ShareBadSignatureError)
    truncated = tmp_path / "t3.share"
    truncated.write_bytes(sent.read_bytes()[:-200])
    from blo_desk.exchange.share import NotAShareError

    _refused(fotehobod, truncated, NotAShareError)
    deflated = tmp_path / "t4.share"
    with zipfile.ZipFile(deflated, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    _refused(fotehobod, deflated, NotAShareError)
    # an extra member, a missing member, the members in another order
    with zipfile.ZipFile(tmp_path / "t5.share", "w") as zf:
        for name in ("share.age", "envelope.json", "envelope.json.minisig"):
            zf.writestr(name, members[name])
        zf.writestr("readme.txt", b"extra")
    _refused(fotehobod, tmp_path / "t5.share", NotAShareError)
    with zipfile.ZipFile(tmp_path / "t6.share", "w") as zf:
        for name in ("share.age", "envelope.json"):
            zf.writestr(name, members[name])
    _refused(fotehobod, tmp_path / "t6.share", NotAShareError)
    with zipfile.ZipFile(tmp_path / "t7.share", "w") as zf:
        for name in ("envelope.json", "share.age", "envelope.json.minisig"):
            zf.writestr(name, members[name])
    _refused(fotehobod, tmp_path / "t7.share", NotAShareError)
    # a message altered inside and the whole file rebuilt, signed by a key that is not Oybek's
    from blo_desk.exchange import minisign
    from blo_desk.exchange.share import write_share

    with oybek.uow() as uow:
        card = uow.shares.counterpart("TJ-FOT").card
    forged = write_share(folder=tmp_path / "forged", key=minisign.SecretKey.generate(), recipient=card.age_recipient,
                         message={"format": "blo-desk-share-message", "format_version": 1, "id": "f" * 32,
                                  "kind": "share", "from": "UZ-OYB", "to": "TJ-FOT",
                                  "created_at": "2026-01-01T00:00:00.000000Z", "profile": "non-nominal",
                                  "reason": "", "legal_basis": "", "records": [{"reference": "X", "content": {}}]})
    _refused(fotehobod, forged.path, ShareBadSignatureError)
    # AND the genuine file still goes in afterwards
    fotehobod.sharing.import_share(path=sent)


def test_a_replayed_share_is_refused(posts, tmp_path):
    oybek, fotehobod = posts
    sent = Path(oybek.sharing.share(references=_case_numbers(oybek)[:1], to="TJ-FOT", out=tmp_path / "s").path)
    fotehobod.sharing.import_share(path=sent)
    _refused(fotehobod, sent, ShareReplayError)


def test_a_share_for_another_post_or_another_key_is_refused(posts, tmp_path):
    oybek, fotehobod = posts
    # GIVEN a third post, Dustlik's counterpart Dostuk (KG-DOS), paired with Oybek
    dostuk = _store(tmp_path / "dos", "KG-DOS", seed=5, photos=0)
    try:
        _pair(oybek, dostuk, tmp_path)
        to_dostuk = Path(oybek.sharing.share(references=_case_numbers(oybek)[:1], to="KG-DOS",
                                             out=tmp_path / "s").path)
        # WHEN Fotehobod is handed the file meant for Dostuk THEN it is not for this post, said with the posts' names
        refused = _refused(fotehobod, to_dostuk, ShareNotForUsError)
        assert str(refused) == ("The share is addressed to post Dostuk (KG-DOS), not to this post (Fotehobod); "
                                "nothing of it was kept.")
    finally:
        dostuk.close()
    # WHEN Oybek holds a stale card of Fotehobod (another age key) THEN Fotehobod refuses the share before decrypting
    stale = age.recipient_of(age.generate_identity())
    with oybek.uow() as uow:
        row = uow.session.get(CounterpartRow, "TJ-FOT")
        card = json.loads(row.card_json)
        card["age_recipient"] = stale
        row.card_json = json.dumps(card)
        uow.commit()
    wrong = Path(oybek.sharing.share(references=_case_numbers(oybek)[:1], to="TJ-FOT", out=tmp_path / "w").path)
    _refused(fotehobod, wrong, ShareWrongRecipientError)


def test_a_stranger_and_a_revoked_pairing_are_refused(posts, tmp_path):
    oybek, fotehobod = posts
    stranger = _store(tmp_path / "kud", "UZ-KUD", seed=6, photos=0)
    try:
        # GIVEN Kudukli paired one way only (it holds Fotehobod's card; Fotehobod never added Kudukli's)
        path, _fp = fotehobod.sharing.write_card(path=tmp_path / "fot-again.card")
        stranger.sharing.add_counterpart(path=path, fingerprint=_fp)
        from_stranger = Path(stranger.sharing.share(references=_case_numbers(stranger)[:1], to="TJ-FOT",
                                                    out=tmp_path / "k").path)
        _refused(fotehobod, from_stranger, ShareUnpairedError)
    finally:
        stranger.close()
    # WHEN Fotehobod revokes Oybek THEN Oybek's shares are refused, and Fotehobod can no longer send to Oybek
    sent = Path(oybek.sharing.share(references=_case_numbers(oybek)[:1], to="TJ-FOT", out=tmp_path / "s").path)
    assert fotehobod.sharing.revoke(post_code="UZ-OYB")
    _refused(fotehobod, sent, ShareRevokedError)
    from blo_desk.services.sharing import PairingRevokedError

    with pytest.raises(PairingRevokedError):
        fotehobod.sharing.request(to="UZ-OYB", about="", text="?", out=tmp_path / "r")


# --- the stock tools check a share ------------------------------------------------------------------------------
def test_stock_age_and_minisign_check_a_share(posts, tmp_path):
    oybek, fotehobod = posts
    sent = Path(oybek.sharing.share(references=_case_numbers(oybek)[:1], to="TJ-FOT", out=tmp_path / "s").path)
    work = tmp_path / "check"
    work.mkdir()
    for name, data in kit.read_members(sent).items():
        (work / name).write_bytes(data)
    pub = work / "oybek.pub"
    pub.write_text(oybek.sync.public_key_text(), encoding="ascii")
    identity = work / "fotehobod.agekey"
    identity.write_text(fotehobod.sharing._age_key.identity_text(), encoding="ascii")
    identity.chmod(0o600)

    def run(*argv: str) -> subprocess.CompletedProcess:
        return subprocess.run(argv, cwd=work, capture_output=True, timeout=30)

    # the envelope, by the sender's key, before anything is decrypted
    assert run("minisign", "-V", "-p", str(pub), "-m", "envelope.json").returncode == 0
    # the ciphertext, with the counterpart's identity, then the message inside, by the sender's key
    done = run("age", "-d", "-i", str(identity), "-o", "inner.zip", "share.age")
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(work / "inner.zip") as zf:
        zf.extractall(work / "inner")
    assert run("minisign", "-V", "-p", str(pub), "-m", "inner/message.json").returncode == 0
    # and a changed message fails the stock check
    message = work / "inner" / "message.json"
    message.write_bytes(message.read_bytes().replace(b"UZ-OYB", b"UZ-DUS", 1))
    assert run("minisign", "-V", "-p", str(pub), "-m", "inner/message.json").returncode != 0
    # HQ (or any relay) without the counterpart's identity reads nothing
    other = work / "other.agekey"
    other.write_text(age.identity_file_text(age.generate_identity()), encoding="ascii")
    assert run("age", "-d", "-i", str(other), "share.age").returncode != 0


def test_the_cover_letter_is_in_russian_and_in_the_senders_language(posts, tmp_path):
    from pypdf import PdfReader

    from blo_desk.i18n import set_language

    oybek, _fotehobod = posts
    numbers = _case_numbers(oybek)[:2]
    sent = oybek.sharing.share(references=numbers, to="TJ-FOT", out=tmp_path / "s")
    # WHEN an Uzbek-speaking officer prints the cover letter
    set_language("uz")
    path = oybek.sharing.cover_letter(message_id=sent.id, path=tmp_path / "letter.pdf")
    pages = [page.extract_text() for page in PdfReader(path).pages]
    # THEN page 1 is Russian, page 2 Uzbek; each names both posts, the profile, the cases and the check code
    assert len(pages) == 2
    assert "Обезличенный" in pages[0] and "Shaxssiz" in pages[1]
    for page in pages:
        assert "UZ-OYB" in page and "TJ-FOT" in page and all(n in page for n in numbers)
        assert sent.sha256[:8] in page and Path(sent.path).name in page
    # AND the posts are named in each page's language, the code beside, in the letter's text too
    flat = [" ".join(page.split()) for page in pages]
    assert "Пост Айбек (UZ-OYB) направляет посту Фотехобод (TJ-FOT)" in flat[0] or (
        "Айбек (UZ-OYB)" in flat[0] and flat[0].count("Фотехобод (TJ-FOT)") >= 2), flat[0]
    assert flat[1].count("Oybek (UZ-OYB)") >= 2 and flat[1].count("Fotehobod (TJ-FOT)") >= 2, flat[1]
    assert "post UZ-OYB" not in flat[1] and "посту TJ-FOT" not in flat[0]


def test_hq_sees_the_traffic_and_the_open_requests_per_pair_but_not_the_content(posts, hq, tmp_path):
    # GIVEN Oybek shared two cases with Fotehobod, Fotehobod asked twice and Oybek answered once
    oybek, fotehobod = posts
    numbers = _case_numbers(oybek)
    stick = tmp_path / "stick"
    fotehobod.sharing.import_share(path=Path(oybek.sharing.share(references=numbers[:2], to="TJ-FOT",
                                                                 out=stick).path))
    # AND shared the first of them again (after an amendment, say)
    fotehobod.sharing.import_share(path=Path(oybek.sharing.share(references=numbers[:1], to="TJ-FOT",
                                                                 out=stick).path))
    asked = [fotehobod.sharing.request(to="UZ-OYB", about=numbers[0], text=f"Question {n}", out=stick,
                                       due=date.today() - timedelta(days=1)) for n in range(2)]
    for request in asked:
        oybek.sharing.import_share(path=Path(request.path))
    answer = oybek.sharing.answer(request_id=asked[0].id, text="Answered.", out=stick)
    fotehobod.sharing.import_share(path=Path(answer.path))
    # WHEN both posts export their bundles and HQ imports them
    for post in (oybek, fotehobod):
        identity = post.sync.identity()
        hq.hq.trust_key(post_code=identity.post_code, public_key=identity.public_key)
    bundles = [Path(post.sync.export(folder=tmp_path / "outbox").path) for post in (oybek, fotehobod)]
    reports = hq.hq.import_bundles(paths=bundles)
    assert all(not r.rejected for r in reports), [r.error for r in reports]
    # THEN HQ shows the pair: two shares from Oybek of 2 distinct cases (the case shared twice counts once), two
    # requests, one answered, one open and overdue
    [pair] = hq.sharing.hq_traffic()
    assert (pair.first, pair.second) == ("TJ-FOT", "UZ-OYB")
    assert (pair.shares_first_to_second, pair.shares_second_to_first, pair.cases) == (0, 2, 2)
    assert (pair.requests, pair.answered, pair.open_requests, pair.overdue) == (2, 1, 1, 1)
    # AND the bundles carry events and hashes, not a second copy of what was shared or asked
    manifest = b"".join(kit.read_members(b)["manifest.json"] for b in bundles)
    assert b"Question 0" not in manifest and b"Answered." not in manifest
    # AND a later bundle does not report the same events again
    kit.change(oybek, oybek.cases.find(reference=numbers[2]).id)
    again = Path(oybek.sync.export(folder=tmp_path / "outbox").path)
    assert b"share_events" not in kit.read_members(again)["manifest.json"]


def test_a_link_made_by_mistake_is_removed_and_the_trail_keeps_both(posts, tmp_path):
    # GIVEN Fotehobod linked one of its cases to a record Oybek shared
    oybek, fotehobod = posts
    number = _case_numbers(oybek)[0]
    sent = oybek.sharing.share(references=[number], to="TJ-FOT", out=tmp_path / "stick")
    fotehobod.sharing.import_share(path=Path(sent.path))
    [record] = fotehobod.sharing.shared_records()
    own = _case_numbers(fotehobod)[0]
    fotehobod.sharing.link(record_id=record.id, case_reference=own, relation=LinkRelation.SAME_PERSON)
    # WHEN the link is removed
    assert fotehobod.sharing.unlink(record_id=record.id, case_reference=own) is True
    # THEN neither the record nor the case lists it, the record stays, and removing it again changes nothing
    assert fotehobod.sharing.links(record_id=record.id) == []
    assert fotehobod.sharing.links(case_reference=own) == []
    assert [r.id for r in fotehobod.sharing.shared_records()] == [record.id]
    assert fotehobod.sharing.unlink(record_id=record.id, case_reference=own) is False
    # AND the audit trail holds the link and its removal, with the relation it had
    ops = [json.loads(e.details) for e in fotehobod.audit.events(limit=50, target=f"shared:{record.id}")]
    assert sorted((o["op"], o["case"], o["relation"]) for o in ops if o.get("op") in ("link", "unlink")) == [
        ("link", own, "same-person"), ("unlink", own, "same-person")]
