"""The blo-desk command as a user runs it: demo data, listing and searching, in the chosen language."""

from __future__ import annotations

import os
import subprocess
import sys


def _run(tmp_path, *args):
    env = {**os.environ, "BLO_DESK_DATA_DIR": str(tmp_path / "data")}
    return subprocess.run([sys.executable, "-m", "blo_desk", *args], capture_output=True, text=True, env=env, timeout=120)


def test_demo_then_search_in_three_languages(tmp_path):
    # GIVEN a fresh data folder WHEN the demo is loaded
    loaded = _run(tmp_path, "demo")
    assert loaded.returncode == 0, loaded.stderr
    assert (tmp_path / "data" / "blo_desk.sqlite3").exists()
    # WHEN searching for the pellets in uz, ru and en
    outputs = {lang: _run(tmp_path, "--lang", lang, "cases", "search", "Oztay") for lang in ("uz", "ru", "en")}
    # THEN each finds the Dustlik case, with the value written the way that language writes it
    for result in outputs.values():
        assert result.returncode == 0, result.stderr
        assert "UZ-DUS-2024-00001" in result.stdout
    assert "9\u00a0100\u00a0000\u00a0soʻm" in outputs["uz"].stdout
    assert "9\u00a0100\u00a0000\u00a0сум" in outputs["ru"].stdout
    assert "UZS\u00a09,100,000" in outputs["en"].stdout


def test_show_an_unknown_case_fails_with_a_clear_message(tmp_path):
    result = _run(tmp_path, "--lang", "en", "cases", "show", "UZ-DUS-1999-00042")
    assert result.returncode == 2
    assert "UZ-DUS-1999-00042" in result.stderr and "not found" in result.stderr


def test_bilingual_protocol_from_the_command_line(tmp_path):
    # GIVEN the demo store
    assert _run(tmp_path, "demo").returncode == 0
    out = tmp_path / "protocol.pdf"
    # WHEN the Dustlik protocol is printed on the bilingual uz+ru form
    printed = _run(tmp_path, "print", "protocol", "UZ-DUS-2024-00001", "--lang", "uz+ru", "--out", str(out))
    assert printed.returncode == 0, printed.stderr
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    # THEN each language names the post in its own script, and the region is named in both
    assert "“Doʻstlik” chegara oʻtkazish punkti (UZ-DUS)" in text
    assert "Пункт пропуска «Дустлик» (UZ-DUS)" in text
    assert "Andijon viloyati / Андижанская область" in text


REAL_CASES = __import__("pathlib").Path(__file__).resolve().parent / "data" / "real_cases"


def test_cases_add_then_show_gives_back_every_value_entered(tmp_path):
    import json
    from decimal import Decimal

    from blo_desk.domain.canonical import content_dict
    from blo_desk.domain.case_json import case_from_json

    for name in ("truck_two_drugs.json", "freight_wagon_joint.json", "pedestrian_cash_pistol.json"):
        # GIVEN a real seizure as a JSON file WHEN it is added from the command line
        added = _run(tmp_path, "--lang", "en", "cases", "add", str(REAL_CASES / name))
        assert added.returncode == 0, added.stderr
        number = added.stdout.split()[2]
        # THEN `cases show` prints it back with every value, in the same documented form
        shown = _run(tmp_path, "--lang", "en", "cases", "show", number)
        assert shown.returncode == 0, shown.stderr
        printed = json.loads(shown.stdout, parse_float=Decimal)
        entered = json.loads((REAL_CASES / name).read_text("utf-8"), parse_float=Decimal)
        zone = printed["timezone"]
        again, first = case_from_json(printed), case_from_json(entered, default_timezone=zone)
        skip = {"id", "case_number", "status"}
        assert {k: v for k, v in content_dict(again).items() if k not in skip} == \
            {k: v for k, v in content_dict(first).items() if k not in skip}
        assert number.startswith(f"{entered['post_code']}-{entered['occurred_at'][:4]}-")
        # AND its protocol printed from the command line in Russian shows the numbers and names that were entered
        out = tmp_path / f"{number}.pdf"
        printed = _run(tmp_path, "print", "protocol", number, "--lang", "ru", "--out", str(out))
        assert printed.returncode == 0, printed.stderr
        text = "".join(subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                                      check=True).stdout.split())
        wanted = [item["net_weight"].replace(".", ",") for item in entered["items"] if item.get("net_weight")]
        wanted += [entered.get(key, "") for key in ("vin", "wagon_number", "container_number")]
        wanted += [person["full_name"] for person in entered["persons"]]
        for value in filter(None, wanted):
            assert "".join(str(value).split()) in text, (name, value)


def test_a_bad_case_file_gets_every_error_with_its_path_and_saves_nothing(tmp_path):
    import json

    # GIVEN a file with a decimal comma, an unknown field, a net weight above the gross and an unknown role
    data = json.loads((REAL_CASES / "truck_two_drugs.json").read_text("utf-8"))
    data["items"][1]["net_weight"] = "0,35"
    data["items"][0]["net_weight"] = "90"
    data["items"][0]["colour"] = "brown"
    data["persons"][0]["other_roles"] = ["smuggler"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    # WHEN it is added
    result = _run(tmp_path, "--lang", "en", "cases", "add", str(bad))
    # THEN every problem is named with its field path, and no case was saved
    assert result.returncode == 2
    for path in ("items[1].net_weight", "items[0].colour", "persons[0].other_roles[0]"):
        assert path in result.stderr, (path, result.stderr)
    assert "Nothing was saved." in result.stderr
    assert "0 of 0 cases" in _run(tmp_path, "--lang", "en", "cases", "list").stdout
    # AND once the file is read, the rules of a case are reported the same way (net weight above gross)
    data["items"][1]["net_weight"] = "0.35"
    del data["items"][0]["colour"]
    data["persons"][0]["other_roles"] = ["suspect"]
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = _run(tmp_path, "--lang", "en", "cases", "add", str(bad))
    assert result.returncode == 2 and "items[0].net_weight" in result.stderr
    assert "more than the gross weight" in result.stderr


def test_cases_amend_saves_a_draft_and_changes_a_finalized_case_only_with_a_reason(tmp_path):
    import json

    added = _run(tmp_path, "--lang", "en", "cases", "add", str(REAL_CASES / "pedestrian_cash_pistol.json"))
    number = added.stdout.split()[2]
    shown = json.loads(_run(tmp_path, "cases", "show", number).stdout)
    shown["narrative"] = "The belt held 450 banknotes of 100 US dollars."
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(shown, ensure_ascii=False), encoding="utf-8")
    # A draft is saved by amend without a reason
    result = _run(tmp_path, "--lang", "en", "cases", "amend", number, str(edited))
    assert result.returncode == 0, result.stderr
    assert "revision 2" in result.stdout
    assert "450 banknotes" in _run(tmp_path, "cases", "show", number).stdout
    # WHEN a supervisor has finalized it (in the desk) THEN amend refuses without a reason and records one with it
    from blo_desk.config import load_settings
    from blo_desk.domain.permissions import SYSTEM
    from blo_desk.services.registry import open_services

    services = open_services(load_settings(data_dir=tmp_path / "data", plaintext_store=True), principal=SYSTEM)
    try:
        case = services.cases.find(reference=number)
        services.cases.finalize(case_id=case.id, expected_revision=case.revision)
    finally:
        services.close()
    shown = json.loads(_run(tmp_path, "cases", "show", number).stdout)  # the finalized revision, as shown now
    shown["narrative"] = "The belt held 449 banknotes of 100 US dollars and one of 50."
    edited.write_text(json.dumps(shown, ensure_ascii=False), encoding="utf-8")
    refused = _run(tmp_path, "--lang", "en", "cases", "amend", number, str(edited))
    assert refused.returncode == 2 and "reason" in refused.stderr
    amended = _run(tmp_path, "--lang", "en", "cases", "amend", number, str(edited), "--reason", "Recount at the bank")
    assert amended.returncode == 0, amended.stderr
    assert "revision 4" in amended.stdout
    assert "449 banknotes" in _run(tmp_path, "cases", "show", number).stdout


def test_cases_void_keeps_the_draft_hidden_from_the_list_and_refuses_a_finalized_case(tmp_path):
    # GIVEN the demo store and a draft added from a file
    assert _run(tmp_path, "demo").returncode == 0
    added = _run(tmp_path, "--lang", "en", "cases", "add", str(REAL_CASES / "pedestrian_cash_pistol.json"))
    number = added.stdout.split()[2]
    before = _run(tmp_path, "--lang", "en", "cases", "list").stdout
    assert number in before
    # WHEN it is voided with a reason
    voided = _run(tmp_path, "--lang", "en", "cases", "void", number, "--reason", "Entered at the wrong post")
    # THEN it says so, the list no longer shows it, the voided list does, and it can still be shown
    assert voided.returncode == 0, voided.stderr
    assert f"Voided case {number} (revision 2)." in voided.stdout
    assert number not in _run(tmp_path, "--lang", "en", "cases", "list").stdout
    assert number in _run(tmp_path, "--lang", "en", "cases", "list", "--status", "voided").stdout
    assert '"status": "voided"' in _run(tmp_path, "cases", "show", number).stdout
    # WHEN the finalized demo case is voided THEN it is refused with a clear message
    refused = _run(tmp_path, "--lang", "en", "cases", "void", "UZ-DUS-2024-00001", "--reason", "No")
    assert refused.returncode == 2 and "only a draft can be voided" in refused.stderr


def test_user_add_and_set_keep_the_rank_and_agency(tmp_path):
    # GIVEN a store with its first administrator, made from the command line
    password = {"BLO_DESK_NEW_PASSWORD": "admin-password-1", "BLO_DESK_PASSWORD": "admin-password-1"}

    def run(*args):
        env = {**os.environ, "BLO_DESK_DATA_DIR": str(tmp_path / "data"), **password}
        return subprocess.run([sys.executable, "-m", "blo_desk", "--lang", "en", *args], capture_output=True,
                              text=True, env=env, timeout=120)

    assert run("user", "add", "admin", "--role", "admin").returncode == 0
    # WHEN the admin adds an officer with a rank and an agency, then promotes them
    added = run("--user", "admin", "user", "add", "karim", "--role", "officer", "--post", "UZ-DUS",
                "--full-name", "Karimov Karim", "--rank", "Captain", "--agency", "border")
    assert added.returncode == 0, added.stdout + added.stderr
    changed = run("--user", "admin", "user", "set", "karim", "--rank", "Major")
    assert changed.returncode == 0, changed.stdout + changed.stderr
    # THEN the list shows the new rank, the agency and the name as they were
    listed = run("--user", "admin", "user", "list")
    assert listed.returncode == 0, listed.stderr
    line = next(line for line in listed.stdout.splitlines() if line.startswith("karim\t"))
    assert line.split("\t")[3:6] == ["Karimov Karim", "Major", "border"]
    # AND an unknown agency is refused with a clear message
    refused = run("--user", "admin", "user", "set", "karim", "--agency", "mafia")
    assert refused.returncode != 0 and "mafia" in refused.stdout + refused.stderr


def test_cases_add_and_amend_refuse_photos_a_file_names_stale_files_and_numbers_that_cannot_be_kept(tmp_path):
    import json

    data = json.loads((REAL_CASES / "pedestrian_cash_pistol.json").read_text("utf-8"))
    # GIVEN a file naming a photo the store does not hold WHEN it is added THEN it is refused, nothing saved
    photo = {"sha256": "b" * 64, "filename": "x.jpg", "media_type": "image/jpeg", "size": 10 ** 20, "caption": ""}
    with_photo = tmp_path / "photo.json"
    with_photo.write_text(json.dumps({**data, "attachments": [photo]}, ensure_ascii=False), encoding="utf-8")
    refused = _run(tmp_path, "--lang", "en", "cases", "add", str(with_photo))
    assert refused.returncode == 2 and "attachments" in refused.stderr and "Traceback" not in refused.stderr
    assert "0 of 0 cases" in _run(tmp_path, "--lang", "en", "cases", "list").stdout
    # AND a weight too small to keep exactly is refused rather than stored as 0
    tiny = tmp_path / "tiny.json"
    tiny.write_text(json.dumps({**data, "items": [{**data["items"][0], "net_weight": "1e-5000000"}]},
                               ensure_ascii=False), encoding="utf-8")
    refused = _run(tmp_path, "--lang", "en", "cases", "add", str(tiny))
    assert refused.returncode == 2 and "items[0].net_weight" in refused.stderr

    # GIVEN a saved case shown into a file (revision 1), then changed by someone else (revision 2)
    number = _run(tmp_path, "--lang", "en", "cases", "add", str(REAL_CASES / "pedestrian_cash_pistol.json")
                  ).stdout.split()[2]
    shown = json.loads(_run(tmp_path, "cases", "show", number).stdout)
    first = tmp_path / "first.json"
    first.write_text(json.dumps(shown, ensure_ascii=False), encoding="utf-8")
    other = tmp_path / "other.json"
    other.write_text(json.dumps({**shown, "narrative": "Changed by the supervisor"}, ensure_ascii=False),
                     encoding="utf-8")
    assert _run(tmp_path, "--lang", "en", "cases", "amend", number, str(other)).returncode == 0
    # WHEN the older file is amended in THEN it is refused as a conflict and the supervisor's text stays
    stale = tmp_path / "stale.json"
    stale.write_text(json.dumps({**shown, "narrative": "Typo fixed on the old copy"}, ensure_ascii=False),
                     encoding="utf-8")
    result = _run(tmp_path, "--lang", "en", "cases", "amend", number, str(stale))
    assert result.returncode == 2 and "changed elsewhere" in result.stderr
    assert "Changed by the supervisor" in _run(tmp_path, "cases", "show", number).stdout
    # AND an amend may not bring in a photo the case does not have
    current = json.loads(_run(tmp_path, "cases", "show", number).stdout)
    sneaky = tmp_path / "sneaky.json"
    sneaky.write_text(json.dumps({**current, "attachments": [photo]}, ensure_ascii=False), encoding="utf-8")
    result = _run(tmp_path, "--lang", "en", "cases", "amend", number, str(sneaky))
    assert result.returncode == 2 and "attachments[0].sha256" in result.stderr
