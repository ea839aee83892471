"""The legal basis and the reason of an operational share travel with it (issue 16's leftover): the sender's
supervisor states them, the receiving post reads them, labelled in its language, on the desk and from the CLI; a
share that carries none (non-nominal, or written before they were shown) imports and reads as before."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from blo_desk.cli import main
from blo_desk.domain.permissions import Role
from blo_desk.domain.sharing import MessageKind
from blo_desk.i18n import set_language, translator

import bundle_kit as kit

BASIS = "Соглашение о сотрудничестве таможенных органов от 2019 г., ст. 5"
REASON = "Совместная проверка: тот же тягач прошёл через Фотехобод 12 марта"
LABELS = ("Legal basis for sharing", "Reason for sharing")


@pytest.fixture
def posts(tmp_path):
    oybek = kit.make_post(tmp_path / "oyb", "UZ-OYB", cases=2, seed=3, photos=0)
    fotehobod = kit.make_post(tmp_path / "fot", "TJ-FOT", cases=1, seed=4, photos=0)
    kit.pair_posts(oybek, fotehobod, tmp_path)
    yield oybek, fotehobod
    oybek.close()
    fotehobod.close()


def _first_case(services) -> str:
    from blo_desk.domain.entities import CaseQuery

    return services.cases.list_cases(query=CaseQuery()).rows[0].case_number


def _share_operationally(oybek, tmp_path: Path) -> Path:
    with kit.sharing_as(oybek, Role.SUPERVISOR):
        sent = oybek.sharing.share(references=[_first_case(oybek)], to="TJ-FOT", profile="operational",
                                   reason=REASON, legal_basis=BASIS, out=tmp_path / "stick")
    return Path(sent.path)


@pytest.mark.parametrize("language", ["ru", "uz", "en"])
def test_the_receiver_reads_the_legal_basis_and_reason_of_an_operational_share(posts, tmp_path, language):
    # GIVEN Oybek's supervisor shares a case operationally, stating a legal basis and a reason
    oybek, fotehobod = posts
    path = _share_operationally(oybek, tmp_path)
    # WHEN Fotehobod imports the file and its officer opens the record in Shared with us
    fotehobod.sharing.import_share(path=path)
    [record] = fotehobod.sharing.shared_records()
    set_language(language)
    try:
        lines = fotehobod.sharing.record_lines(record_id=record.id, language=language)
    finally:
        set_language("en")
    # THEN both are there as stated, labelled in the user's language, right after the profile
    g = translator(language).gettext
    labels = [label for label, _value in lines]
    at = labels.index(g("Redaction profile"))
    assert lines[at + 1:at + 3] == [(g(LABELS[0]), BASIS), (g(LABELS[1]), REASON)]
    assert (record.legal_basis, record.reason) == (BASIS, REASON)
    # AND the receiving post's audit trail names them with the receipt
    [event] = [e for e in fotehobod.audit.events(limit=20) if e.action == "share.receive"]
    details = json.loads(event.details) if isinstance(event.details, str) else event.details
    assert (details["legal_basis"], details["reason"]) == (BASIS, REASON)


def test_shared_show_prints_the_legal_basis_and_reason(posts, tmp_path, capsys):
    # GIVEN an operational share received at Fotehobod
    oybek, fotehobod = posts
    fotehobod.sharing.import_share(path=_share_operationally(oybek, tmp_path))
    [record] = fotehobod.sharing.shared_records()
    fot = fotehobod.settings.data_dir
    fotehobod.close()
    # WHEN its officer runs `shared show ID`
    code = main(["--lang", "en", "--data-dir", str(fot), "shared", "show", record.id])
    out = capsys.readouterr().out
    set_language("en")
    # THEN the record's lines include both, labelled
    assert code == 0, out
    assert f"Legal basis for sharing: {BASIS}\n" in out and f"Reason for sharing: {REASON}\n" in out, out


def test_a_share_without_grounds_imports_and_reads_as_before(posts, tmp_path):
    # GIVEN a share written as before this change carried no legal basis or reason (the keys absent), and a
    # non-nominal share (the keys empty)
    oybek, fotehobod = posts
    reference = _first_case(oybek)
    [(ref, content, _spots)] = oybek.sharing._redacted([reference], "non-nominal")
    _message, old = oybek.sharing._send(to="TJ-FOT", kind=MessageKind.SHARE, out=tmp_path / "old",
                                        body={"profile": "non-nominal", "records": [{"reference": ref,
                                                                                     "content": content}]})
    plain = oybek.sharing.share(references=[reference], to="TJ-FOT", out=tmp_path / "new")
    # WHEN Fotehobod imports both THEN both are kept, and neither shows a legal basis or a reason line
    for path in (old.path, plain.path):
        fotehobod.sharing.import_share(path=Path(path))
    records = fotehobod.sharing.shared_records()
    assert len(records) == 2
    for record in records:
        labels = [label for label, _value in fotehobod.sharing.record_lines(record_id=record.id, language="en")]
        assert not set(LABELS) & set(labels) and (record.legal_basis, record.reason) == ("", "")
