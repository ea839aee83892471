"""HQ on PostgreSQL searches as the post's FTS5 does: the same hits for the same words on a shared corpus of bundles,
through a GIN index that stays in the plan (generic plans, two spellings at once), and the list's first page on
its date index."""

from __future__ import annotations

import random

import pytest

from blo_desk.config import load_settings
from blo_desk.domain.entities import CaseQuery
from blo_desk.domain.permissions import SYSTEM
from blo_desk.services.registry import open_services
from blo_desk.storage.search_query import index_tokens, search_vector

pytestmark = pytest.mark.postgres

POSTS = ("UZ-DUS", "UZ-OYB", "KZ-KON", "TJ-PAK")
PER_POST = 550  # 2,200 cases


def _open(folder, url=None):
    return open_services(load_settings(data_dir=folder, db_url=url, language="en", plaintext_store=True),
                         principal=SYSTEM)


@pytest.fixture(scope="module")
def both(pg_server, import_posts, tmp_path_factory):
    """The same bundles imported at HQ on SQLite and on PostgreSQL."""
    root = tmp_path_factory.mktemp("parity")
    pg_server.admin("CREATE DATABASE parity")
    stores = {"sqlite": _open(root / "sqlite"), "postgresql": _open(root / "pg", pg_server.url("parity"))}
    import_posts(list(stores.values()), root / "bundles", POSTS, PER_POST, seed=40)
    yield stores
    for services in stores.values():
        services.close()


def _hits(services, typed):
    page = services.cases.list_cases(query=CaseQuery(text=typed, limit=5_000))
    return {r.case_number for r in page.rows}


FIXED = ["01 A", "01A", "Karimov", "Каримов", "каримова", "toʻxtayev", "TO'XTAYEV", "to‘xta", "Toxtayev", "Шарипов",
         "sharipov", "Жумабаев", "zhumabaev", "jumabaev", "Ерлан", "erlan", "oʻrinov", "Gʻaniyev", "ganiyev",
         "героин", "heroin", "nasha", "марихуаны", "гашиш", "AA", "KN 00", "UZ-DUS", "uz dus 2024", "a_b", "_", "№ 1",
         "vodka", "perfume", "baby", "Dilnoza Karimov", "Асанов Бакыт"]


def _generated_queries(services, count, seed=5):
    """Words as analysts type them, taken from the stored cases: names, plates and document numbers cut at any
    length, with any apostrophe, in upper case, a word from two cases at once."""
    rng = random.Random(seed)
    cases = services.cases.list_cases(query=CaseQuery(limit=5_000)).rows
    queries = []
    while len(queries) < count:
        case = services.cases.get(case_id=rng.choice(cases).id)
        pool = [p.full_name for p in case.persons] + [p.document_number for p in case.persons]
        pool += [case.conveyance_registration, case.case_number, case.concealment_details]
        pool += [i.description for i in case.items]
        source = rng.choice([p for p in pool if p] or [case.case_number])
        words = source.split()
        start = rng.randrange(len(words))
        typed = " ".join(words[start:start + rng.randint(1, 2)])
        typed = typed[: rng.randint(1, len(typed))]
        typed = rng.choice([typed, typed.upper(), typed.replace("ʻ", "'"), typed.replace("ʻ", "`"),
                            typed.replace(" ", "")])
        if rng.random() < 0.1:
            typed += " " + rng.choice(FIXED)
        queries.append(typed)
    return queries


@pytest.mark.slow  # ~12 s: 200 searches, each run to its last hit, on two engines over 2,200 cases
def test_the_same_words_find_the_same_cases_on_sqlite_and_postgresql(both):
    # GIVEN 2,200 cases from four posts, imported from the same bundles at an HQ on SQLite and one on PostgreSQL
    sqlite, postgresql = both["sqlite"], both["postgresql"]
    queries = FIXED + _generated_queries(sqlite, 164)
    # WHEN analysts type the same words in both
    hits = {q: (_hits(sqlite, q), _hits(postgresql, q)) for q in queries}
    # THEN both find exactly the same cases, every time
    differing = {q: (len(a), len(b)) for q, (a, b) in hits.items() if a != b}
    assert not differing, differing
    # AND the words do find cases: the check is not vacuous
    assert sum(1 for a, _b in hits.values() if a) > len(queries) * 0.8


def test_a_plate_prefix_finds_the_cases_with_words_starting_so(both):
    # GIVEN the corpus WHEN an analyst types the start of a plate, "01 A"
    found = _hits(both["postgresql"], "01 A")
    # THEN PostgreSQL finds the cases having a word that starts with "01" and one that starts with "a" (as FTS5
    # does), not every case with "01" anywhere inside a word
    with both["postgresql"].engine.connect() as conn:
        bodies = dict(conn.exec_driver_sql("SELECT case_number, search_text FROM seizure_case").all())
    expected = {number for number, body in bodies.items()
                if any(w.startswith("01") for w in index_tokens(body)) and any(w.startswith("a") for w in index_tokens(body))}
    assert found == expected
    assert 0 < len(found) < len([n for n, body in bodies.items() if "01" in body and "a" in body])


def _lexemes(pg_server, vector_text: str) -> dict[str, list[int]]:
    import psycopg

    with psycopg.connect(host=str(pg_server.folder), port=pg_server.port, user="postgres", dbname="postgres") as conn:
        rows = conn.execute("SELECT lexeme, positions FROM unnest(CAST(%s AS tsvector))", (vector_text,)).fetchall()
    return {lexeme: list(positions or ()) for lexeme, positions in rows}


def test_a_body_at_the_limits_of_a_tsvector_is_indexed_within_them(pg_server):
    # GIVEN a case's search body with a word 300 times, 17,000 words in all, and a word of 600 Cyrillic letters
    # (1,200 bytes: indexed) and one of 1,100 (2,200 bytes: over PostgreSQL's 2 KB for a lexeme)
    body = " ".join(["heroin"] * 300 + [f"w{n}" for n in range(17_000)] + ["ж" * 600, "ж" * 1100, "tail"])
    # WHEN HQ writes its search vector THEN PostgreSQL takes it, within its limits: 256 positions of a word, the
    # last position 16,383; the longest word is left out, yet each word's first one and two letters are there
    lexemes = _lexemes(pg_server, search_vector(body))
    assert lexemes["heroin"] == list(range(1, 257))
    assert lexemes["w0"] == [301] and lexemes["w16999"] == lexemes["tail"] == [16383]
    assert lexemes["ж" * 600] == [16383] and "ж" * 1100 not in lexemes
    assert {"h~", "he~", "w~", "w1~", "ж~", "жж~", "t~", "ta~"} <= set(lexemes)


def test_an_ordinary_body_is_indexed_word_by_word_with_its_positions(pg_server):
    # GIVEN a body with repeated words in two scripts (as index_text writes one: the text, then its Latin key)
    body = "uz-dus 2024 0007 героин kg 2024 geroin kg 01a123bc"
    # WHEN its search vector is read back by PostgreSQL THEN each word has every position it has in the body
    lexemes = _lexemes(pg_server, search_vector(body))
    expected: dict[str, list[int]] = {}
    for n, word in enumerate(index_tokens(body), start=1):
        expected.setdefault(word, []).append(n)
    prefixes = {word[:k] + "~" for word in expected for k in (1, 2) if len(word) >= k}
    assert lexemes == {**expected, **{prefix: [] for prefix in prefixes}}
