"""Counterpart shares through HQ's intake (issue 16): HQ checks the sender's signature and the addressee, keeps the
share encrypted to the counterpart, and the counterpart collects it at its next sync. HQ never holds the content."""

from __future__ import annotations

import zlib
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from blo_desk.domain.entities import CaseQuery
from blo_desk.domain.errors import DomainError
from blo_desk.exchange.share import relay_token
from blo_desk.services.share_relay import RelayClient

import bundle_kit
from kit import hq_store

GOODS = "RelayMarkerGoodsQ7Z"  # shared under the non-nominal profile: the counterpart reads it, HQ must not
CONCEALED = "RelayMarkerConcealedW4X"


def _marked_case(post):
    base = bundle_kit.post_cases("UZ-OYB", 1, seed=21)[0]
    case = replace(base, id="0" * 31 + "9", case_number="UZ-OYB-2024-770001", concealment_details=CONCEALED,
                   items=(replace(base.items[0], description=GOODS),))
    with post.uow() as uow:
        uow.cases.bulk_insert([case])
        uow.commit()
    return case


def _forms(marker: str) -> list[bytes]:
    text = marker.encode("utf-8")
    return [text, marker.encode("utf-16-le"), zlib.compress(text)[2:-4]]


def _hq_bytes(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def pair_and_hq(tmp_path, posts, servers):
    """Oybek and Fotehobod paired, both trusted by HQ, HQ's intake running, both posts pointed at it."""
    oybek, fotehobod = posts("UZ-OYB", cases=1, seed=3, photos=0), posts("TJ-FOT", cases=1, seed=4, photos=0)
    bundle_kit.pair_posts(oybek, fotehobod, tmp_path)
    hq_store(tmp_path / "hq", [oybek, fotehobod])
    server = servers(tmp_path / "hq")
    for post in (oybek, fotehobod):
        post.delivery.configure(url=server.url, public_key=server.public_key_file.read_text())
    return oybek, fotehobod, server


def test_a_share_goes_through_hq_which_cannot_read_it_and_the_counterpart_collects_it(pair_and_hq, tmp_path):
    oybek, fotehobod, server = pair_and_hq
    # GIVEN Oybek shares a case whose goods and concealment carry markers, and sends the file through HQ
    case = _marked_case(oybek)
    sent = oybek.sharing.share(references=[case.case_number], to="TJ-FOT", out=tmp_path / "out")
    relayed = oybek.sharing.send_via_hq(path=Path(sent.path))
    assert (relayed.sender, relayed.receiver, relayed.id, relayed.sha256) == ("UZ-OYB", "TJ-FOT", sent.id, sent.sha256)
    # THEN HQ keeps it for Fotehobod, and nothing HQ holds (store, relay, logs) has the content in clear
    held = _hq_bytes(server.data_dir)
    assert [name for name in held if name.startswith("intake/relay/TJ-FOT/")] == [
        f"intake/relay/TJ-FOT/{sent.id}.share"]
    leaks = [(marker, name) for marker in (GOODS, CONCEALED) for name, data in held.items()
             if any(form in data for form in _forms(marker))]
    assert leaks == []
    # AND the sender's audit trail says it went through HQ
    assert any(e.action == "share.send" and "relay" in str(e.details) and sent.id in str(e.details)
               for e in oybek.audit.events(limit=20))
    # WHEN Fotehobod syncs
    result = fotehobod.delivery.tick()
    # THEN it collected the share, checked and kept it as from a stick, and HQ holds no copy any more
    assert [(c.sender, c.kept) for c in result.collected] == [("UZ-OYB", True)], result.collected
    [record] = fotehobod.sharing.shared_records(text=GOODS)
    assert record.reference == case.case_number and record.content["concealment_details"] == CONCEALED
    assert not any(name.startswith("intake/relay/TJ-FOT/") for name in _hq_bytes(server.data_dir))
    # AND a second sync finds nothing more, and the same file sent again by stick is a replay
    assert fotehobod.delivery.tick().collected == ()
    with pytest.raises(DomainError):
        fotehobod.sharing.import_share(path=Path(sent.path))


def test_hq_refuses_a_stranger_a_tampered_envelope_and_a_post_collecting_anothers_shares(pair_and_hq, tmp_path):
    oybek, fotehobod, server = pair_and_hq
    sent = Path(oybek.sharing.share(references=[_marked_case(oybek).case_number], to="TJ-FOT",
                                    out=tmp_path / "out").path)
    # WHEN a share's envelope is altered on the way THEN HQ refuses it and keeps nothing
    data = bytearray(sent.read_bytes())
    at = data.find(b'"to":"TJ-FOT"')
    data[at:at + 13] = b'"to":"TJ-PAK"'
    refused = httpx.post(server.url + "/v1/shares", content=bytes(data))
    assert refused.status_code == 422 and refused.json()["error"] == "rejected"
    # WHEN a post HQ does not trust sends a share THEN it is refused for an unknown sender
    stranger = bundle_kit.make_post(tmp_path / "kz", "KZ-KON", cases=1, seed=5, photos=0)
    try:
        bundle_kit.pair_posts(stranger, fotehobod, tmp_path)
        number = stranger.cases.list_cases(query=CaseQuery()).rows[0].case_number
        foreign = stranger.sharing.share(references=[number], to="TJ-FOT", out=tmp_path / "kz-out")
        answer = httpx.post(server.url + "/v1/shares", content=Path(foreign.path).read_bytes())
        assert answer.status_code == 403 and answer.json()["error"] == "unknown_sender"
    finally:
        stranger.close()
    assert not (server.data_dir / "intake" / "relay").exists() or not any(
        (server.data_dir / "intake" / "relay").rglob("*.share"))
    # GIVEN a real share waits for Fotehobod
    oybek.sharing.send_via_hq(path=sent)
    # WHEN Oybek asks for Fotehobod's shares with its own key, or anyone asks without a signature
    with RelayClient(server.url, post="TJ-FOT", key=oybek.sync.signing_key()) as impostor:
        with pytest.raises(DomainError) as refusal:
            impostor.waiting()
    assert "TJ-FOT" in refusal.value.translated()
    assert httpx.get(server.url + "/v1/shares/TJ-FOT").status_code == 403
    # AND an old signature is not accepted either
    old = relay_token(fotehobod.sync.signing_key(), post="TJ-FOT", at="2020-01-01T00:00:00.000000Z")
    replayed = httpx.get(server.url + "/v1/shares/TJ-FOT", headers={"Blo-Time": "2020-01-01T00:00:00.000000Z",
                                                                   "Blo-Auth": old})
    assert replayed.status_code == 403
    # THEN the share still waits for Fotehobod, which collects it with its own key
    with RelayClient(server.url, post="TJ-FOT", key=fotehobod.sync.signing_key()) as own:
        assert [w.sender for w in own.waiting()] == ["UZ-OYB"]


def test_the_share_dialog_sends_via_hq_and_the_cli_collects(pair_and_hq, tmp_path, qtbot, capsys):
    from blo_desk.cli import main
    from blo_desk.ui.dialogs.share import ShareDialog
    from blo_desk.ui.tasks import TaskRunner

    oybek, fotehobod, server = pair_and_hq
    case = _marked_case(oybek)
    # GIVEN the share dialog for a case, at a post whose HQ address is set
    runner = TaskRunner()
    dialog = ShareDialog(None, runner=runner, sharing=oybek.sharing, references=[case.id], folder=tmp_path / "stick")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.send_hq.isEnabled(), timeout=10_000)
    # WHEN the officer presses "Share and send via HQ"
    dialog.send_hq.click()
    qtbot.waitUntil(lambda: dialog.shared is not None or "wrong" in dialog.status.text(), timeout=20_000)
    runner.wait()
    # THEN the file and its letter are on the stick, HQ holds it for Fotehobod, and the dialog says so
    assert dialog.relayed is not None, dialog.status.text()
    assert Path(dialog.shared.path).exists() and "Sent through HQ" in dialog.status.text()
    assert (server.data_dir / "intake" / "relay" / "TJ-FOT" / f"{dialog.shared.id}.share").exists()
    # WHEN Fotehobod's officer collects from the command line (its store closed, as a script would)
    fotehobod.close()
    code = main(["--lang", "en", "--data-dir", str(fotehobod.settings.data_dir), "share", "collect"])
    out = capsys.readouterr().out
    # THEN the share is received, and nothing more waits
    assert code == 0 and "Received from post UZ-OYB" in out, out
    assert main(["--lang", "en", "--data-dir", str(fotehobod.settings.data_dir), "share", "collect"]) == 0
    assert "Nothing waits for this post at HQ." in capsys.readouterr().out
