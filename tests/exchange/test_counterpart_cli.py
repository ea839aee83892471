"""The counterpart channel from the command line (issue 16): the same steps as the desk, scriptable and checkable."""

from __future__ import annotations

import hashlib
from pathlib import Path

from blo_desk.cli import main
from blo_desk.domain.entities import CaseQuery
from blo_desk.i18n import set_language

import bundle_kit as kit


def _run(capsys, data: Path, *argv: str) -> tuple[int, str]:
    code = main(["--lang", "en", "--data-dir", str(data), *argv])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_pair_share_import_request_answer_and_revoke_from_the_command_line(tmp_path, capsys):
    # GIVEN two posts with cases, their stores closed (the commands open them)
    oyb, fot = tmp_path / "oyb", tmp_path / "fot"
    for folder, code, seed in ((oyb, "UZ-OYB", 3), (fot, "TJ-FOT", 4)):
        services = kit.make_post(folder, code, cases=2, seed=seed, photos=1)
        services.close()
    cards = tmp_path / "cards"
    cards.mkdir()
    # WHEN each administrator writes the card and the other adds it
    code, out = _run(capsys, oyb, "counterpart", "card", "--out", str(cards / "oyb.card"))
    assert code == 0 and "Fingerprint to read out by telephone:" in out
    fingerprint = out.rsplit(": ", 1)[1].strip()
    # WHEN Fotehobod's administrator adds it without saying the fingerprint was compared
    code, out = _run(capsys, fot, "counterpart", "add", str(cards / "oyb.card"))
    # THEN the card is shown (post name, code, fingerprint), and nothing is stored until it is confirmed
    assert code == 2 and "Card of post Oybek (UZ-OYB)" in out and f"Key fingerprint: {fingerprint}" in out, out
    assert "--fingerprint" in out and "No counterpart post" in _run(capsys, fot, "counterpart", "list")[1]
    # AND a fingerprint that differs from the card's (misheard, or another key) stores nothing either
    wrong = ("0000 " + fingerprint[5:]) if not fingerprint.startswith("0000") else ("1111 " + fingerprint[5:])
    code, out = _run(capsys, fot, "counterpart", "add", str(cards / "oyb.card"), "--fingerprint", wrong)
    assert code == 2 and "does not match" in out
    assert "No counterpart post" in _run(capsys, fot, "counterpart", "list")[1]
    # WHEN the fingerprint read out by telephone is given (as typed: lower case, no spaces) THEN it pairs
    typed = fingerprint.replace(" ", "").lower()
    code, out = _run(capsys, fot, "counterpart", "add", str(cards / "oyb.card"), "--fingerprint", typed)
    assert code == 0 and fingerprint in out and "Paired with post UZ-OYB" in out
    assert _run(capsys, fot, "counterpart", "card", "--out", str(cards / "fot.card"))[0] == 0
    assert _run(capsys, oyb, "counterpart", "add", str(cards / "fot.card"), "--yes")[0] == 0
    code, out = _run(capsys, oyb, "counterpart", "list")
    assert "TJ-FOT" in out and "active" in out
    # WHEN Oybek shares its first case and Fotehobod imports it
    services = kit.open_store(oyb)
    first = services.cases.list_cases(query=CaseQuery()).rows[0].case_number
    origin = services.cases.find(reference=first).origin_country
    services.close()
    # WHEN Oybek's officer previews the share THEN it reads as the desk's preview: labels and names, no JSON
    code, out = _run(capsys, oyb, "share", first, "--to", "TJ-FOT", "--preview")
    assert code == 0 and f"== {first} ==" in out and "Crossing point: Oybek (UZ-OYB)" in out, out
    assert "Item 1: Category: " in out and '"content"' not in out
    # countries by their names (CLDR), not by code
    from blo_desk.cldr import country_name

    assert origin and f"Country of origin: {country_name(origin, 'en')}\n" in out and country_name(origin, "en") != origin
    code = main(["--lang", "ru", "--data-dir", str(oyb), "share", first, "--to", "TJ-FOT", "--preview"])
    ru = capsys.readouterr().out
    set_language("en")
    assert code == 0 and "Пункт пропуска: " in ru and "Category" not in ru, ru
    assert f": {country_name(origin, 'ru')}\n" in ru
    # AND --json gives scripts the records exactly as the share carries them
    code, out = _run(capsys, oyb, "share", first, "--to", "TJ-FOT", "--preview", "--json")
    import json

    assert code == 0 and json.loads(out)[0]["reference"] == first
    code, out = _run(capsys, oyb, "share", first, "--to", "TJ-FOT", "--out", str(tmp_path / "stick"))
    assert code == 0 and "non-nominal" in out, out
    [share] = sorted((tmp_path / "stick").glob("UZ-OYB-TJ-FOT-*.share"))
    code, out = _run(capsys, fot, "share", "import", str(share))
    assert code == 0 and "Received from post UZ-OYB" in out
    # AND it prints the check code the cover letter asks to compare, grouped as the letter prints it
    digest = hashlib.sha256(share.read_bytes()).hexdigest()
    assert f"Check code (SHA-256): {' '.join(digest[i:i + 8] for i in range(0, 64, 8))}" in out
    # THEN the shared record is listed and shown, read-only, with its labels
    code, out = _run(capsys, fot, "shared", "list")
    record_id = out.split("\t", 1)[0]
    assert first in out
    code, out = _run(capsys, fot, "shared", "show", record_id)
    # the sender and the crossing point by name (code beside), the profile by its name in the user's language
    assert code == 0 and "Shared by post: Oybek (UZ-OYB)" in out and "Redaction profile: Non-nominal" in out
    assert "Crossing point: Oybek (UZ-OYB)" in out
    assert f"Country of origin: {country_name(origin, 'en')}\n" in out  # by name in the shared record too
    # AND when it was shared is in Fotehobod's time (Dushanbe), as the desk shows it, not in UTC
    from blo_desk.i18n import set_local_zone, translator

    try:
        services = kit.open_store(fot)
        shared_at = services.sharing.shared_record(record_id=record_id).shared_at
        services.close()
        assert f"Shared on: {translator('en').format_datetime(shared_at, tz='Asia/Dushanbe')}" in out, out
    finally:
        set_local_zone(None)
    # AND a case of Fotehobod is linked to it
    services = kit.open_store(fot)
    local = services.cases.list_cases(query=CaseQuery()).rows[0].case_number
    services.close()
    code, out = _run(capsys, fot, "shared", "link", record_id, local, "--as", "same-consignment")
    assert code == 0 and "same consignment" in out
    code, out = _run(capsys, fot, "shared", "show", record_id)
    assert f"Linked case: {local} (same consignment)" in out
    # WHEN the same file is imported again THEN it is refused with the reason
    code, out = _run(capsys, fot, "share", "import", str(share))
    assert code == 2 and "already received" in out
    # WHEN Fotehobod asks, and Oybek answers
    code, out = _run(capsys, fot, "share", "request", "--to", "UZ-OYB", "--about", record_id, "--text",
                     "Who sent it?", "--due", "2099-01-01", "--out", str(tmp_path / "req"))
    assert code == 0
    [request] = (tmp_path / "req").glob("*.share")
    assert _run(capsys, oyb, "share", "import", str(request))[0] == 0
    code, out = _run(capsys, oyb, "shared", "requests")
    assert "received" in out and "Who sent it?" in out
    request_id = out.split("\t", 1)[0]
    code, out = _run(capsys, oyb, "share", "answer", request_id, "--text", "A firm in Tashkent.", "--out",
                     str(tmp_path / "ans"))
    assert code == 0
    [answer] = (tmp_path / "ans").glob("*.share")
    assert _run(capsys, fot, "share", "import", str(answer))[0] == 0
    code, out = _run(capsys, fot, "shared", "requests")
    assert "answered" in out
    # AND the asking post reads the answer itself, after its question
    assert out.rstrip("\n").endswith("\tA firm in Tashkent."), out
    # WHEN Oybek revokes Fotehobod THEN nothing more goes to it
    assert _run(capsys, oyb, "counterpart", "revoke", "TJ-FOT")[0] == 0
    code, out = _run(capsys, oyb, "share", first, "--to", "TJ-FOT", "--out", str(tmp_path / "stick2"))
    assert code == 2 and "revoked" in out


def test_counterpart_add_asks_at_a_terminal_and_stores_nothing_unless_yes(tmp_path, capsys, monkeypatch):
    # GIVEN Fotehobod's card, and Oybek's administrator at a terminal
    oyb, fot = tmp_path / "oyb", tmp_path / "fot"
    for folder, code, seed in ((oyb, "UZ-OYB", 3), (fot, "TJ-FOT", 4)):
        kit.make_post(folder, code, cases=0, seed=seed, photos=0).close()
    code, out = _run(capsys, fot, "counterpart", "card", "--out", str(tmp_path / "fot.card"))
    fingerprint = out.rsplit(": ", 1)[1].strip()

    class Terminal:
        @staticmethod
        def isatty() -> bool:
            return True

    monkeypatch.setattr("sys.stdin", Terminal())
    asked: list[str] = []
    for answer, expected in (("no", 1), ("yes", 0)):
        monkeypatch.setattr("builtins.input", lambda prompt, a=answer: asked.append(prompt) or a)
        # WHEN the card is added and the question is answered
        code, out = _run(capsys, oyb, "counterpart", "add", str(tmp_path / "fot.card"))
        # THEN the card was shown before the question, and only "yes" pairs
        assert code == expected and f"Key fingerprint: {fingerprint}" in out, out
        listed = _run(capsys, oyb, "counterpart", "list")[1]
        assert ("TJ-FOT" in listed) == (answer == "yes")
    assert "read out by telephone" in asked[0]
