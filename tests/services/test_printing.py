"""Printing service and commands: protocol and report files, and checking a paper copy's code."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from zoneinfo import ZoneInfo

import pytest

from blo_desk.cli import main
from blo_desk.domain.check_code import CheckOutcome, make_check_code
from blo_desk.domain.errors import DomainError
from blo_desk.i18n import translator
from blo_desk.services.demo import load_demo


@pytest.fixture
def dustlik(services):
    saved = load_demo(cases=services.cases)
    return next(c for c in saved if c.case_number == "UZ-DUS-2024-00001")


def test_verify_print_says_match_for_a_real_code_and_mismatch_for_an_altered_one(services, dustlik):
    # GIVEN the check code printed on the Dustlik protocol
    code = services.printing.protocol_data(case_id=dustlik.id).check_code
    # WHEN HQ checks it THEN it matches, by the short printed code and by the full QR content
    assert services.printing.verify_code(code=code.short()).outcome == CheckOutcome.MATCH
    assert services.printing.verify_code(code=code.full().upper()).outcome == CheckOutcome.MATCH
    # WHEN one digit of the hash is altered THEN it is a mismatch
    altered = code.short()[:-1] + ("0" if code.short()[-1] != "0" else "1")
    assert services.printing.verify_code(code=altered).outcome == CheckOutcome.MISMATCH
    # WHEN the revision is one the store does not hold, or the case is unknown, or it is no code at all
    assert services.printing.verify_code(code=replace(code, revision=99).short()).outcome == CheckOutcome.UNKNOWN
    other = make_check_code(case_id="00000000-0000-4000-8000-000000000000", revision=1, content_hash="ab" * 32)
    assert services.printing.verify_code(code=other.short()).outcome == CheckOutcome.UNKNOWN
    assert services.printing.verify_code(code="hello").outcome == CheckOutcome.MALFORMED


def test_a_copy_of_an_amended_case_is_superseded_with_the_new_revision_its_date_and_reason(services, dustlik):
    # GIVEN a protocol printed at the case's current revision, then the case amended with a reason
    old = services.printing.protocol_data(case_id=dustlik.id).check_code
    amended = services.cases.amend(case=replace(dustlik, narrative=dustlik.narrative + " Amended."),
                                   reason="Typo in the narrative")
    # WHEN the old copy is checked
    result = services.printing.verify_code(code=old.short())
    # THEN it is SUPERSEDED, not a match: the revision that replaced it, when, and why are named
    assert result.outcome == CheckOutcome.SUPERSEDED and not result.matches
    assert result.replaced_by == amended.revision == old.revision + 1 and result.reason == "Typo in the narrative"
    assert result.replaced_at is not None
    msgid, params = result.message()
    message = msgid.format(**params)
    assert message.startswith("SUPERSEDED") and "Typo in the narrative" in message
    # (the moment in the case's post time, as the desk writes dates, the zone named: not in UTC)
    local = result.replaced_at.astimezone(ZoneInfo(dustlik.timezone))
    assert f"Revision {amended.revision} replaced it on {local:%d/%m/%Y, %H:%M} (Uzbekistan Standard Time)" \
        in message
    assert "UTC" not in message
    # AND in Russian the moment is written the Russian way, the zone named in Russian
    msgid, params = result.message(translator("ru"))
    assert f"{local:%d.%m.%Y, %H:%M} (Узбекистан, стандартное время)" == params["when"]
    # AND a copy of the new revision matches
    new = services.printing.protocol_data(case_id=dustlik.id).check_code
    assert services.printing.verify_code(code=new.short()).outcome == CheckOutcome.MATCH
    # AND an altered copy of the old revision is still a mismatch, not superseded
    altered = old.short()[:-1] + ("0" if old.short()[-1] != "0" else "1")
    assert services.printing.verify_code(code=altered).outcome == CheckOutcome.MISMATCH


def test_verify_print_of_an_old_paper_says_superseded_with_an_exit_code_of_its_own(settings, dustlik, tmp_path, capsys):
    # GIVEN revision 2 of a case printed, then the case amended to revision 3 from the command line
    base = ["--data-dir", str(settings.data_dir), "--lang", "en"]
    paper = tmp_path / "rev2.pdf"
    assert main([*base, "print", "protocol", dustlik.case_number, "--lang", "uz", "--out", str(paper)]) == 0
    old_code = re.search(rb"BLO1:[0-9a-f:-]+", paper.read_bytes()).group(0).decode()
    assert old_code.split(":")[2] == "2"
    changed = tmp_path / "case.json"
    capsys.readouterr()
    assert main([*base, "cases", "show", dustlik.case_number]) == 0
    case_json = json.loads(capsys.readouterr().out)
    case_json["narrative"] += " The pellets were recounted."
    changed.write_text(json.dumps(case_json), encoding="utf-8")
    assert main([*base, "cases", "amend", dustlik.case_number, str(changed), "--reason", "Pellets recounted"]) == 0
    new_paper = tmp_path / "rev3.pdf"
    assert main([*base, "print", "protocol", dustlik.case_number, "--lang", "uz", "--out", str(new_paper)]) == 0
    new_code = re.search(rb"BLO1:[0-9a-f:-]+", new_paper.read_bytes()).group(0).decode()
    assert new_code.split(":")[2] == "3"
    capsys.readouterr()
    # WHEN the old paper is verified THEN the answer is SUPERSEDED, naming revision 3 and the reason, exit 3
    assert main([*base, "verify-print", old_code]) == 3
    out = capsys.readouterr().out
    assert out.startswith("SUPERSEDED") and "Revision 3 replaced it on" in out and "Pellets recounted" in out
    assert "(Uzbekistan Standard Time)" in out and "UTC" not in out  # the post's time, the zone named
    # AND the new paper still matches, exit 0
    assert main([*base, "verify-print", new_code]) == 0
    assert capsys.readouterr().out.startswith("Match")


def test_verify_print_help_lists_its_exit_codes(capsys):
    # GIVEN the command line WHEN verify-print's help is asked for THEN every exit status is explained
    with pytest.raises(SystemExit):
        main(["--lang", "en", "verify-print", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    for words in ("0 match", "1 mismatch", "2 not a check code", "3 superseded"):
        assert words in help_text


def test_commands_write_the_protocol_and_report_and_verify_the_code(settings, dustlik, tmp_path, capsys):
    # GIVEN the demo store WHEN the protocol is printed from the command line
    base = ["--data-dir", str(settings.data_dir), "--lang", "en"]
    out = tmp_path / "protocol.pdf"
    assert main([*base, "print", "protocol", "UZ-DUS-2024-00001", "--lang", "uz+ru", "--out", str(out)]) == 0
    # THEN a PDF is written
    assert out.read_bytes().startswith(b"%PDF")
    # WHEN the report is printed for one post
    report = tmp_path / "report.pdf"
    assert main([*base, "report", "--from", "2024-01-01", "--to", "2024-12-31", "--post", "UZ-DUS", "--lang", "ru",
                 "--out", str(report)]) == 0
    assert report.read_bytes().startswith(b"%PDF")
    capsys.readouterr()
    # WHEN verify-print is given the printed code THEN it says match (exit 0); altered, mismatch (exit 1)
    services_code = re.search(rb"BLO1:[0-9a-f:-]+", out.read_bytes())  # the full code is in the PDF's metadata
    code = services_code.group(0).decode()
    assert main([*base, "verify-print", code]) == 0
    assert "Match" in capsys.readouterr().out
    altered = code[:-1] + ("0" if code[-1] != "0" else "1")
    assert main([*base, "verify-print", altered]) == 1
    assert "MISMATCH" in capsys.readouterr().out


def test_an_unknown_print_language_or_reversed_period_is_refused(services, dustlik):
    # GIVEN the demo store WHEN asked for a language the forms do not have, or a period that ends before it starts
    from datetime import date

    with pytest.raises(DomainError):
        services.printing.protocol(case_id=dustlik.id, lang="de")
    with pytest.raises(DomainError):
        services.printing.period_report(date_from=date(2024, 2, 1), date_to=date(2024, 1, 1), lang="en")


def pdf_text(pdf: bytes) -> str:
    import io

    from pypdf import PdfReader

    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_protocol_names_the_case_substances_in_the_print_language(services, dustlik):
    # GIVEN a saved case with a heroin item
    item = replace(dustlik.items[0], substance="heroin")
    draft = replace(dustlik, id=None, case_number="", status=dustlik.status.DRAFT, revision=0, items=(item,))
    saved = services.cases.save(case=draft)
    # WHEN its protocol is printed in Russian and in Uzbek
    # THEN the substance is named in that language, from the shipped substance list
    assert "Героин" in pdf_text(services.printing.protocol(case_id=saved.id, lang="ru"))
    assert "Geroin" in pdf_text(services.printing.protocol(case_id=saved.id, lang="uz"))


def test_a_supervisor_reports_on_their_own_post_only_and_hq_on_every_post(settings, services, dustlik, tmp_path):
    # GIVEN the demo cases, a supervisor at Dustlik (UZ-DUS) and an HQ analyst
    from datetime import date

    from blo_desk.domain.permissions import Principal, Role
    from blo_desk.services.registry import open_services

    supervisor = open_services(settings, principal=Principal("nodira", Role.SUPERVISOR, "UZ-DUS"))
    analyst = open_services(settings, principal=Principal("lola", Role.ANALYST, ""))
    try:
        year = {"date_from": date(2024, 1, 1), "date_to": date(2024, 12, 31), "lang": "en"}
        # WHEN the supervisor asks for another post's report
        # THEN it is refused with a message that says why, and no PDF is made
        with pytest.raises(DomainError) as refused:
            supervisor.printing.period_report(**year, post_codes=["TJ-FOT"], out=tmp_path / "fot.pdf")
        assert refused.value.translated() == "You work at post UZ-DUS: your reports cover that post only, not post TJ-FOT."
        assert not (tmp_path / "fot.pdf").exists()
        with pytest.raises(DomainError):
            supervisor.printing.period_report(**year, post_codes=["UZ-DUS", "UZ-GSK"])
        # WHEN the supervisor asks for no post in particular THEN the report covers their own post only
        own = pdf_text(supervisor.printing.period_report(**year))
        assert "UZ-DUS-2024-00001" in own and "TJ-FOT-2024-00001" not in own and "UZ-GSK" not in own
        assert "All posts" not in own
        # WHEN the analyst asks for every post, or for Fotehobod THEN HQ gets them
        every = pdf_text(analyst.printing.period_report(**year))
        assert "TJ-FOT-2024-00001" in every and "UZ-DUS-2024-00001" in every
        assert "TJ-FOT-2024-00001" in pdf_text(analyst.printing.period_report(**year, post_codes=["TJ-FOT"]))
    finally:
        supervisor.close()
        analyst.close()


def test_report_for_another_post_is_refused_on_the_command_line(settings, dustlik, tmp_path, capsys, monkeypatch):
    # GIVEN a supervisor account at Dustlik
    from blo_desk.domain.permissions import SYSTEM
    from blo_desk.services.registry import open_services

    admin = open_services(settings, principal=SYSTEM)
    try:
        admin.users.add_user(username="nodira", password="correct horse battery", role="supervisor",
                             post_code="UZ-DUS")
    finally:
        admin.close()
    monkeypatch.setenv("BLO_DESK_PASSWORD", "correct horse battery")
    # WHEN the supervisor runs `report --post TJ-FOT`
    out = tmp_path / "fot.pdf"
    code = main(["--data-dir", str(settings.data_dir), "--lang", "ru", "--user", "nodira", "report", "--from",
                 "2024-01-01", "--to", "2024-12-31", "--post", "TJ-FOT", "--out", str(out)])
    # THEN it is refused (exit 2) with the reason in the user's language, and no file is written
    assert code == 2 and not out.exists()
    error = capsys.readouterr().err
    assert "UZ-DUS" in error and "TJ-FOT" in error
