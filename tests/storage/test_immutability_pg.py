"""Finalized cases on PostgreSQL: the statement-level guards refuse plain SQL exactly as the row triggers did, while
amendments and bulk imports (COPY) still work."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest

from blo_desk.config import load_settings
from blo_desk.domain.permissions import SYSTEM
from blo_desk.services.demo import dustlik_case
from blo_desk.services.registry import open_services

_numbers = itertools.count(1)


@pytest.fixture
def store(pg_server, tmp_path):
    server = pg_server
    name = f"imm_{next(_numbers)}"
    server.admin(f"CREATE DATABASE {name}")
    services = open_services(load_settings(data_dir=tmp_path, db_url=server.url(name), language="en",
                                           plaintext_store=True), principal=SYSTEM)
    yield services, server, name
    services.close()


def _connect(server, name):
    import psycopg

    return psycopg.connect(host=str(server.folder), port=server.port, user="postgres", dbname=name)


REFUSED = [
    "UPDATE seizure_case SET narrative = 'rewritten' WHERE id = %(id)s",
    "UPDATE seizure_case SET narrative = 'x', revision = revision + 1 WHERE id = %(id)s",
    "DELETE FROM seizure_case WHERE id = %(id)s",
    "UPDATE seized_item SET quantity = '1' WHERE case_id = %(id)s",
    "DELETE FROM person WHERE case_id = %(id)s",
    "DELETE FROM seized_item WHERE case_id IN (%(id)s, %(draft)s)",  # one statement over a draft and a final case
    "INSERT INTO person(case_id, position, role, full_name, nationality, document_type, document_number, address)"
    " VALUES (%(draft)s, 8, 'witness', 'Extra', 'UZ', '', '', ''),"
    " (%(id)s, 9, 'witness', 'Extra', 'UZ', '', '', '')",
    "UPDATE person SET case_id = %(draft)s WHERE case_id = %(id)s",  # moving a child away counts too
    "UPDATE case_revision SET reason = 'x' WHERE case_id = %(id)s",
    "DELETE FROM case_revision WHERE case_id = %(id)s",
]


@pytest.mark.parametrize("sql", REFUSED, ids=range(len(REFUSED)))
def test_plain_sql_cannot_change_a_finalized_case_on_postgresql(store, sql):
    import psycopg

    services, server, name = store
    # GIVEN a finalized case and a draft
    saved = services.cases.save(case=dustlik_case())
    final = services.cases.finalize(case_id=saved.id, expected_revision=saved.revision)
    draft = services.cases.save(case=dustlik_case())
    # WHEN plain SQL changes the finalized case, its children or its history
    with _connect(server, name) as conn:
        with pytest.raises(psycopg.Error, match="immutable|append-only"):
            conn.execute(sql, {"id": final.id, "draft": draft.id})
        conn.rollback()
    # THEN it is refused and the case is as finalized
    assert services.cases.get(case_id=final.id) == final
    assert services.cases.get(case_id=draft.id) == draft


def test_drafts_stay_editable_and_amendments_work_on_postgresql(store):
    services, server, name = store
    saved = services.cases.save(case=dustlik_case())
    final = services.cases.finalize(case_id=saved.id, expected_revision=saved.revision)
    draft = services.cases.save(case=dustlik_case())
    # GIVEN plain SQL on a draft's rows WHEN it runs THEN it is accepted
    with _connect(server, name) as conn:
        conn.execute("UPDATE seized_item SET brand = 'edited' WHERE case_id = %s", (draft.id,))
        conn.execute("DELETE FROM person WHERE case_id = %s", (draft.id,))
        conn.commit()
    # AND an amendment through the service (amendment window) still replaces the finalized case's children
    amended = services.cases.amend(case=replace(final, narrative="Corrected", items=final.items[:1]),
                                   reason="Typo")
    assert amended.revision == final.revision + 1
    assert len(services.cases.get(case_id=final.id).items) == 1
    # AND the full check names the draft changed outside the program (issue 15), and nothing else
    assert [p.translated() for p in services.audit.verify().problems] == [
        f"Case {draft.case_number} differs from revision {draft.revision} as the audit trail recorded it: "
        "it was changed outside the program."]
