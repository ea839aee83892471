"""Printing service and commands: protocol and report files, and checking a paper copy's code."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from blo_desk.cli import main
from blo_desk.domain.check_code import CheckOutcome, make_check_code
from blo_desk.domain.errors import DomainError
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


def test_an_older_revision_still_matches_and_names_the_newer_one(services, dustlik):
    # GIVEN a protocol printed, then the case amended
    old = services.printing.protocol_data(case_id=dustlik.id).check_code
    services.cases.amend(case=replace(dustlik, narrative=dustlik.narrative + " Amended."), reason="Typo in the narrative")
    # WHEN the old copy is checked THEN it matches its own revision, and the newer revision is named
    result = services.printing.verify_code(code=old.short())
    assert result.matches and result.latest_revision == old.revision + 1
    assert str(old.revision + 1) in result.message()[0].format(**result.message()[1])


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


# Remove the mark once the store keeps an item's substance (being wired on the lead's branch at the same time).
@pytest.mark.xfail(reason="the store does not yet keep SeizedItem.substance", strict=False)
def test_the_protocol_data_names_the_case_substances_from_the_substance_list(services, dustlik):
    from blo_desk.services.printing import PrintingService

    # GIVEN a saved case with a heroin item, and a substance list that names heroin (and other substances)
    item = replace(dustlik.items[0], substance="heroin")
    draft = replace(dustlik, id=None, case_number="", status=dustlik.status.DRAFT, revision=0, items=(item,))
    saved = services.cases.save(case=draft)
    names = {"heroin": {"uz": "Geroin", "ru": "Героин", "en": "Heroin"}, "opium": {"en": "Opium"}}
    printing = PrintingService(uow=services.uow, guard=services.guard, substance_names=lambda: names)
    # WHEN the protocol's data is read
    data = printing.protocol_data(case_id=saved.id)
    # THEN it carries the names of the case's own substances only
    assert data.substance_names == {"heroin": {"uz": "Geroin", "ru": "Героин", "en": "Heroin"}}


@pytest.mark.parametrize("content", [
    '[{"code": "heroin", "names": {"uz": ["Geroin", "geroin"], "ru": ["Героин"], "en": "Heroin"}}]',
    '{"substances": [{"code": "heroin", "uz": "Geroin", "ru": "Героин", "en": "Heroin"}]}',
    '{"heroin": {"names": {"uz": "Geroin", "ru": "Героин", "en": "Heroin"}}}',
])
def test_substance_names_are_read_from_a_substances_file(tmp_path, content):
    from blo_desk.services.printing import substance_names_from

    # GIVEN a substances file (the name of each language first, its synonyms after)
    path = tmp_path / "substances.json"
    path.write_text(content, encoding="utf-8")
    # WHEN its names are read for printing
    # THEN each code has its name in each language
    assert substance_names_from(path) == {"heroin": {"uz": "Geroin", "ru": "Героин", "en": "Heroin"}}
    # AND a missing file gives no names (the paper then prints the code)
    assert substance_names_from(tmp_path / "none.json") == {}
