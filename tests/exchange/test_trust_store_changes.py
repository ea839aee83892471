"""The trust store only tightens unless an administrator forces it with a reason; a key that never signed an
imported bundle can be taken out; `hq status` and `hq alerts` show alerts in each language."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from blo_desk.exchange import errors as E
from blo_desk.i18n import translator

import bundle_kit as kit

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


@pytest.fixture(scope="module")
def dus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("post-trust")
    post = kit.make_post(folder / "data", "UZ-DUS", cases=2, seed=4, photos=0)
    try:
        bundle = Path(post.sync.export(folder=folder / "out").path)
        return bundle, post.sync.public_key_text(), post.sync.identity().key_id
    finally:
        post.close()


def _events(hq, op: str) -> list[dict]:
    """The details of every audit event of this operation, oldest first."""
    with hq.uow() as uow:
        found = [json.loads(e.details) if isinstance(e.details, str) else e.details for e in hq.guard.trail(uow).events(newest_first=False)]
    return [d for d in found if d and d.get("op") == op]


def test_a_revocation_is_not_loosened_without_force_and_a_reason(hq, dus):
    _bundle, public, key_id = dus
    hq.hq.trust_key(post_code="UZ-DUS", public_key=public)
    hq.hq.revoke_key(key_id=key_id, from_sequence=1)
    before = kit.dump(hq)
    # WHEN someone moves the revocation later (bundles 1 to 99 would be accepted again)
    with pytest.raises(E.RevocationLoosensError) as refused:
        hq.hq.revoke_key(key_id=key_id, from_sequence=100)
    # THEN it is refused, says so in each language, and the key stays refused from 1 on
    assert "1" in refused.value.translated() and "--force" in refused.value.translated()
    for lang in ("ru", "uz"):
        assert "--force" in refused.value.translated(translator(lang))
    assert kit.dump(hq) == before
    assert [k.revoked_from for k in hq.hq.trusted_keys()] == [1]
    # AND --force without a reason is refused too
    with pytest.raises(E.ForceNeedsReasonError):
        hq.hq.revoke_key(key_id=key_id, from_sequence=100, force=True)
    assert [k.revoked_from for k in hq.hq.trusted_keys()] == [1]
    # AND tightening needs nothing; loosening with force and a reason is done and audited with the reason
    assert hq.hq.revoke_key(key_id=key_id, from_sequence=1).revoked_from == 1
    assert hq.hq.revoke_key(key_id=key_id, from_sequence=100, force=True, reason="typed 1 for 100").revoked_from == 100
    last = _events(hq, "revoke_key")[-1]
    assert last["reason"] == "typed 1 for 100" and last["loosened"] is True


def test_a_key_that_signed_nothing_imported_can_be_removed(hq, dus):
    bundle, public, key_id = dus
    # GIVEN the post's key registered to the wrong post by mistake
    hq.hq.trust_key(post_code="UZ-OYB", public_key=public)
    assert hq.hq.import_bundle(path=bundle).outcome == "rejected"
    # WHEN it is removed THEN it is gone and the removal is audited; registered again to the right post it works
    removed = hq.hq.remove_key(key_id=key_id, reason="wrong post")
    assert removed.post_code == "UZ-OYB"
    assert hq.hq.trusted_keys() == []
    assert _events(hq, "remove_key")[-1]["reason"] == "wrong post"
    hq.hq.trust_key(post_code="UZ-DUS", public_key=public)
    assert hq.hq.import_bundle(path=bundle).outcome == "imported"
    # AND a key that signed an imported bundle cannot be removed (revoke it instead); nothing changes
    before = kit.dump(hq)
    with pytest.raises(E.KeySignedBundlesError) as refused:
        hq.hq.remove_key(key_id=key_id)
    assert "signed 1 bundle HQ imported" in refused.value.translated()
    assert kit.dump(hq) == before


def _cli(data_dir: Path, lang: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "BLO_DESK_DATA_DIR": str(data_dir), "BLO_DESK_PLAINTEXT_STORE": "1"}
    env.pop("BLO_DESK_USER", None)
    return subprocess.run([sys.executable, "-m", "blo_desk", "--lang", lang, *args], capture_output=True, text=True,
                          env=env, timeout=120)


def test_hq_status_and_alerts_show_alerts_in_three_languages(hq, dus):
    # GIVEN an HQ store holding bundle 1 of UZ-DUS and two alerts about the post
    hq.hq.trust_key(post_code="UZ-DUS", public_key=dus[1])
    assert hq.hq.import_bundle(path=dus[0]).outcome == "imported"
    with hq.uow() as uow:
        for seq in (1, 2):
            uow.sync.add_alert(kind="duplicate_sequence", post_code="UZ-DUS", sequence=seq, manifest_sha256="a" * 64,
                               file_name=f"UZ-DUS-00000{seq}.blo",
                               params={"post": "UZ-DUS", "seq": seq, "file_name": f"UZ-DUS-00000{seq}.blo"},
                               at=datetime.now(UTC))
        uow.commit()
    data_dir = hq.settings.data_dir
    hq.close()
    expected = {"en": ("2 alerts", "Alert: Post UZ-DUS sent two different bundles numbered 2"),
                "ru": ("2 оповещения", "Оповещение: Пост UZ-DUS прислал два разных пакета с номером 2"),
                "uz": ("2 ta ogohlantirish", "Ogohlantirish: UZ-DUS posti 2 raqamli ikki xil paket yubordi")}
    for lang, (count, alert) in expected.items():
        # WHEN the analyst asks for the status THEN each post's line counts its alerts and each alert is said
        status = _cli(data_dir, lang, "hq", "status")
        assert status.returncode == 0, status.stderr
        assert "UZ-DUS\t1\t" in status.stdout and count in status.stdout, status.stdout
        assert alert in status.stdout
        alerts = _cli(data_dir, lang, "hq", "alerts")
        assert alerts.returncode == 0 and len(alerts.stdout.splitlines()) == 2, alerts.stderr
