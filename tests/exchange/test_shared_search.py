"""The search at the post finds the records counterparts shared, by the rules of the case search (issue 16):
prefixes, any apostrophe, Latin or Cyrillic, substances by any name, plates with or without their spaces."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import text
from test_counterpart_share import _pair

from blo_desk.domain.entities import Person
from blo_desk.domain.enums import PersonRole
from blo_desk.domain.permissions import Role

import bundle_kit as kit


@pytest.fixture
def posts(tmp_path):
    oybek = kit.make_post(tmp_path / "oyb", "UZ-OYB", cases=2, seed=3, photos=0)
    fotehobod = kit.make_post(tmp_path / "fot", "TJ-FOT", cases=2, seed=4, photos=0)
    _pair(oybek, fotehobod, tmp_path)
    yield oybek, fotehobod
    oybek.close()
    fotehobod.close()


def _share_operational(oybek, fotehobod, tmp_path: Path):
    """A supervisor at Oybek shares (operational) a heroin case: driver Toʻxtayev, truck 01 A 457 BC."""
    base = kit.post_cases("UZ-OYB", 1, seed=11)[0]
    items = (replace(base.items[0], substance="heroin", description="Kukun"),)
    persons = (Person(role=PersonRole.DRIVER, full_name="Toʻxtayev Bahodir", document_number="FA 1234567"),)
    case = replace(base, id="0" * 31 + "7", case_number="UZ-OYB-2024-880001", conveyance_registration="01 A 457 BC",
                   items=items, persons=persons)
    with oybek.uow() as uow:
        uow.cases.bulk_insert([case])
        uow.commit()
    with kit.sharing_as(oybek, Role.SUPERVISOR):
        sent = oybek.sharing.share(references=[case.case_number], to="TJ-FOT", profile="operational",
                                   reason="joint case", legal_basis="Agreement of 2019, art. 5", out=tmp_path / "s")
    fotehobod.sharing.import_share(path=Path(sent.path))
    return case


def _found(services, typed: str) -> list[str]:
    return [r.reference for r in services.sharing.shared_records(text=typed)]


def test_the_post_finds_a_shared_record_as_it_finds_its_cases(posts, tmp_path):
    # GIVEN Fotehobod received Oybek's case of heroin, driver Toʻxtayev, truck 01 A 457 BC
    oybek, fotehobod = posts
    case = _share_operational(oybek, fotehobod, tmp_path)
    number = case.case_number
    # WHEN an officer at Fotehobod types the name in Cyrillic, without the apostrophe, or only its start
    # THEN the shared record is found every time
    for typed in ("Тўхтаев", "toxtayev", "To'xtayev", "toʻxt", "ТЎХТАЕВ Баҳодир"):
        assert _found(fotehobod, typed) == [number], typed
    # AND by the plate with or without its spaces, the passport, the substance in Russian inflected, the sender
    for typed in ("01 A 457", "01A457BC", "FA1234567", "героина", "heroin", "UZ-OYB-2024-880001", "UZ-OYB"):
        assert _found(fotehobod, typed) == [number], typed
    # AND a word it does not hold finds nothing, and every typed word must match
    assert _found(fotehobod, "Karimov") == []
    assert _found(fotehobod, "Toʻxtayev Karimov") == []
    # AND the case search stays the post's own cases: the shared record is not one of them
    assert number not in [s.case_number for s in fotehobod.cases.search(text="Тўхтаев", limit=50).rows]
    # AND a limit keeps the list short
    assert len(fotehobod.sharing.shared_records(text="", limit=1)) == 1


def test_records_held_before_the_upgrade_are_found_after_it(posts, tmp_path):
    # GIVEN a record received while the store was at migration 0014 (no search index of shared records yet)
    oybek, fotehobod = posts
    _share_operational(oybek, fotehobod, tmp_path)
    from alembic import command
    from alembic.script import ScriptDirectory

    from blo_desk.storage.migrate import alembic_config

    url = fotehobod.engine.url.render_as_string(hide_password=False)
    fotehobod.engine.dispose()
    config = alembic_config(url)
    before = ScriptDirectory.from_config(config).get_revision("0017").down_revision
    command.downgrade(config, before)
    with fotehobod.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM sqlite_master WHERE name = 'shared_fts'")).scalar() == 0
    # WHEN the store is upgraded again
    command.upgrade(config, "head")
    fotehobod.engine.dispose()
    # THEN the record is found by the new rules
    assert _found(fotehobod, "Тўхтаев") == ["UZ-OYB-2024-880001"]
