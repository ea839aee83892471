"""HQ's case list on PostgreSQL stays on its indexes: the plans of the very statements the app sends (also as the
generic plans psycopg's prepared statements get), a total that is an estimate above 10,000 instead of a full count,
keyset pages, and a superseded search cancelled on the server."""

from __future__ import annotations

import re
import threading
import time
from contextlib import contextmanager
from dataclasses import replace

import pytest
from sqlalchemy import event

from blo_desk.config import load_settings
from blo_desk.domain.cancel import Cancellation, CancelledError
from blo_desk.domain.entities import EXACT_COUNT_LIMIT, CaseQuery
from blo_desk.domain.permissions import SYSTEM
from blo_desk.services.registry import open_services
from blo_desk.storage import repositories
from blo_desk.storage.search_query import ts_query

pytestmark = pytest.mark.postgres

COPIES = 24  # 24 x 1,000 cases: enough rows for the planner to choose as it does on a national store


@pytest.fixture(scope="module")
def hq(pg_server, import_posts, tmp_path_factory):
    """An HQ store on PostgreSQL with 24,000 cases: 1,000 imported from two posts' bundles, copied in SQL with new
    ids and numbers (the list and the search read seizure_case only), then analysed."""
    root = tmp_path_factory.mktemp("listing")
    pg_server.admin("CREATE DATABASE listing")
    services = open_services(load_settings(data_dir=root / "hq", db_url=pg_server.url("listing"), language="en",
                                           plaintext_store=True), principal=SYSTEM)
    import_posts([services], root / "bundles", ("UZ-DUS", "KZ-KON"), 500, seed=3)
    with services.engine.begin() as conn:
        columns = [c for (c,) in conn.exec_driver_sql(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'seizure_case' "
            "AND column_name NOT IN ('id', 'case_number', 'search_rowid')")]
        listed = ", ".join(columns)
        conn.exec_driver_sql(
            f"INSERT INTO seizure_case (id, case_number, {listed}) "
            f"SELECT md5(id || k::text)::uuid::text, case_number || '-' || k, {listed} "
            f"FROM seizure_case, generate_series(1, {COPIES - 1}) AS k")
        conn.exec_driver_sql("ANALYZE")
    yield services
    services.close()


@contextmanager
def sent(engine):
    """The statements (and their parameters) the app sends while inside."""
    statements: list[tuple[str, dict]] = []

    def record(_conn, _cursor, statement, parameters, _context, _many):
        statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def generic_plan(engine, statement: str, parameters: dict, settings: list[str]) -> str:
    """EXPLAIN of the statement prepared on the server and run with plan_cache_mode = force_generic_plan (the plan
    psycopg's prepared statements end up with, which cannot look at the values), after the planner settings the
    app sent before it in its transaction."""
    import psycopg

    names: list[str] = []

    def placeholder(match):
        names.append(match.group(1))
        return f"${len(names)}"

    sql = re.sub(r"%\((\w+)\)s", placeholder, statement)
    raw = engine.raw_connection()
    try:
        cursor = psycopg.ClientCursor(raw.driver_connection)
        for setting in settings:
            cursor.execute(setting)
        cursor.execute("SET plan_cache_mode = force_generic_plan")
        cursor.execute(f"PREPARE listed AS {sql}")
        cursor.execute(f"EXPLAIN EXECUTE listed({', '.join(['%s'] * len(names))})", [parameters[n] for n in names])
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("DEALLOCATE listed")
        cursor.execute("RESET plan_cache_mode")
        return plan
    finally:
        raw.rollback()
        raw.close()


def _page_statement(services, query):
    """The statement of the page the app sends for the query, its parameters and the settings sent before it."""
    with sent(services.engine) as statements:
        services.cases.list_cases(query=query)
    pages = [n for n, (s, _p) in enumerate(statements) if "ORDER BY" in s]
    assert len(pages) == 1
    statement, parameters = statements[pages[0]]
    return statement, parameters, [s for s, _p in statements[: pages[0]]
                                   if s.startswith(("SET LOCAL", "SELECT set_config"))]


def test_the_first_page_by_date_walks_the_date_index(hq):
    # GIVEN 24,000 cases WHEN the list opens (newest first) and a filtered list by post
    for query, index in ((CaseQuery(limit=500), "ix_case_occurred"),
                         (CaseQuery(limit=500, post_code="UZ-DUS"), "ix_case_post_occurred")):
        plan = generic_plan(hq.engine, *_page_statement(hq, query))
        # THEN the page is read from the date index, newest first, even as a generic plan: no scan, no full sort
        assert f"Index Scan Backward using {index}" in plan, plan
        assert "Seq Scan" not in plan and "\n  ->  Sort" not in plan, plan


@pytest.mark.parametrize("typed", ["Karimov", "Каримов", "Karimov Каримов", "01 A 457", "toʻxtayev"])
def test_a_search_uses_the_search_index_even_with_a_generic_plan(hq, typed):
    # GIVEN 24,000 cases WHEN an analyst searches, a name in one script (two spellings in one query) or both
    plan = generic_plan(hq.engine, *_page_statement(hq, CaseQuery(text=typed, limit=500)))
    # THEN the plan reads the GIN index, also when psycopg has switched to a prepared generic plan
    assert "Bitmap Index Scan on ix_case_search_vector" in plan, plan
    assert "Seq Scan" not in plan, plan


def test_a_word_in_most_cases_walks_the_date_index_to_fill_the_page(hq):
    # GIVEN 24,000 cases, every one of them "synthetic" WHEN an analyst searches that word
    plan = generic_plan(hq.engine, *_page_statement(hq, CaseQuery(text="synthetic", limit=500)))
    # THEN the newest cases are tested one by one until the page is full, instead of reading all 24,000 matches
    # (the filter also leaves voided drafts out: "status <> 'voided'" and the vector test, on the same rows)
    walk = plan.split("Index Scan Backward using ix_case_occurred", 1)
    assert len(walk) == 2 and "Filter:" in walk[1] and "search_vector @@" in walk[1].split("Filter:", 1)[1], plan
    assert "Seq Scan" not in plan and "Bitmap" not in plan, plan


def test_a_large_total_is_an_estimate_and_a_small_one_exact(hq):
    # GIVEN 24,000 cases WHEN the whole list is shown
    with sent(hq.engine) as statements:
        everything = hq.cases.list_cases(query=CaseQuery(limit=500))
    # THEN its total is PostgreSQL's estimate, said to be one, and nothing counted every row
    assert everything.estimated and abs(everything.total - 24_000) < 2_400
    assert not [s for s, _p in statements if "count(" in s.lower() and "LIMIT" not in s], statements
    # WHEN a search matches fewer than 10,000 THEN its total is exact
    found = hq.cases.list_cases(query=CaseQuery(text="01 A 457", limit=500))
    assert not found.estimated and found.total == len(found.rows) < EXACT_COUNT_LIMIT


def test_a_search_the_planner_puts_far_above_the_limit_is_not_counted(hq, monkeypatch):
    # GIVEN 24,000 cases, every one of them "synthetic", and a store that trusts estimates above 15,000 (the app's
    # threshold is 50,000: five times the exact-count limit)
    monkeypatch.setattr(repositories, "TRUSTED_ESTIMATE", 15_000)
    # WHEN an analyst searches that word
    with sent(hq.engine) as statements:
        page = hq.cases.list_cases(query=CaseQuery(text="synthetic", limit=500))
    # THEN the page is full and its total is the planner's estimate, said to be one: no count of the matches ran
    assert len(page.rows) == 500 and page.estimated and abs(page.total - 24_000) < 2_400
    assert not [s for s, _p in statements if "count(" in s.lower()], statements
    # WHEN a search the planner puts under the threshold fills a page THEN it is counted, up to the limit
    with sent(hq.engine) as statements:
        named = hq.cases.list_cases(query=CaseQuery(text="Karimov", limit=500))
    assert [s for s, _p in statements if "count(" in s.lower()]
    assert named.estimated == (named.total > EXACT_COUNT_LIMIT)


def _counted_queries(statements) -> list[str]:
    """The tsquery of each capped count the app sent."""
    return [p["tsq"] for s, p in statements if "count(" in s.lower() and "tsq" in (p or {})]


def test_a_search_whose_whole_words_are_over_the_limit_skips_the_prefix_count(hq, monkeypatch):
    # GIVEN 24,000 cases and an exact-count limit of 1,000 (the app's is 10,000), estimates trusted far above
    monkeypatch.setattr(repositories, "EXACT_COUNT_LIMIT", 1_000)
    monkeypatch.setattr(repositories, "WHOLE_WORDS_FROM", 250)
    monkeypatch.setattr(repositories, "TRUSTED_ESTIMATE", 1_000_000)
    # WHEN an analyst searches a surname typed whole, found in more than 2,000 cases as a whole word
    with sent(hq.engine) as statements:
        whole = hq.cases.list_cases(query=CaseQuery(text="Karimov", limit=500))
    # THEN the search index alone answered how many hold the whole word (its bitmap, under EXPLAIN ANALYZE of one
    # row): nothing was counted, and the total is an estimate over the limit
    assert not _counted_queries(statements), statements
    assert [s for s, _p in statements if s.startswith("EXPLAIN (ANALYZE") and "'karimov'" in s]
    assert whole.estimated and whole.total > 2_000 and len(whole.rows) == 500
    # WHEN the same search is filtered by post (which the search index does not hold) THEN the whole word's matches
    # are counted, and over the limit that is all
    with sent(hq.engine) as statements:
        posted = hq.cases.list_cases(query=CaseQuery(text="Karimov", post_code="UZ-DUS", limit=500))
    assert _counted_queries(statements) == ["'karimov'"], statements
    assert posted.estimated and {r.post_code for r in posted.rows} == {"UZ-DUS"}
    # WHEN the word is typed cut short ("Karimo": no case holds it whole) THEN the search itself is counted
    with sent(hq.engine) as statements:
        cut = hq.cases.list_cases(query=CaseQuery(text="Karimo", limit=500))
    assert _counted_queries(statements) == ["'karimo':*"], statements
    assert cut.estimated and cut.total > 1_000
    # WHEN a search has fewer matches than the limit THEN it is counted exactly, whole words or not
    few = hq.cases.list_cases(query=CaseQuery(text="01 A 457", limit=500))
    assert not few.estimated and few.total == len(few.rows) < 1_000


def test_whole_words_find_a_part_of_what_the_search_finds(hq):
    # GIVEN 24,000 cases WHEN words are matched whole instead of as prefixes (the lower bound of a count)
    with hq.engine.connect() as conn:
        for typed in ("Karimo", "Karimov", "01 A 457", "героин", "perfume", "UZ-DUS-2024", "toʻxtayev", "Rahimova M"):
            def ids(expression):
                return {r[0] for r in conn.exec_driver_sql(
                    "SELECT id FROM seizure_case WHERE search_vector @@ CAST(%(q)s AS tsquery)", {"q": expression})}

            whole, search = ids(ts_query(typed, whole_words=True)), ids(ts_query(typed))
            # THEN they find no case the search does not find
            assert whole <= search, typed
            if typed in ("Karimov", "героин", "perfume"):  # AND words typed whole find cases: not vacuous
                assert whole, typed


def test_a_list_the_planner_puts_far_above_the_limit_is_not_counted(hq, monkeypatch):
    # GIVEN 24,000 cases and a store that trusts estimates above 15,000
    monkeypatch.setattr(repositories, "TRUSTED_ESTIMATE", 15_000)
    # WHEN the whole list opens, and a list filtered by one post (12,000 cases)
    with sent(hq.engine) as statements:
        everything = hq.cases.list_cases(query=CaseQuery(limit=500))
    # THEN the whole list's total is the planner's estimate, said to be one, and nothing was counted
    assert everything.estimated and abs(everything.total - 24_000) < 2_400
    assert not [s for s, _p in statements if "count(" in s.lower()], statements
    # AND the post's list, estimated under the threshold, is counted up to the limit: over it, an estimate
    with sent(hq.engine) as statements:
        post = hq.cases.list_cases(query=CaseQuery(limit=500, post_code="UZ-DUS"))
    assert [s for s, _p in statements if "count(" in s.lower()]
    assert post.estimated and post.total > EXACT_COUNT_LIMIT


def test_further_pages_follow_the_last_row_without_offset_or_count(hq):
    # GIVEN the first page of a search
    query = CaseQuery(text="Karimov", limit=500)
    page = hq.cases.list_cases(query=query)
    seen = [r.id for r in page.rows]
    # WHEN the analyst scrolls on, page after page
    with sent(hq.engine) as statements:
        while page.more and len(seen) < 3_000:
            page = hq.cases.list_cases(query=replace(query, after=page.after, offset=len(seen)))
            seen += [r.id for r in page.rows]
    # THEN each page starts after the last row held: no OFFSET, no count, no row twice, newest first
    assert not [s for s, _p in statements if "OFFSET" in s or "count(" in s.lower()]
    assert not page.counted and len(seen) == len(set(seen)) >= 3_000


def test_a_superseded_search_is_cancelled_on_the_server(hq, pg_server):
    import psycopg

    # GIVEN a search stuck behind another session's lock on the cases table
    blocker = psycopg.connect(host=str(pg_server.folder), port=pg_server.port, user="postgres", dbname="listing")
    blocker.execute("LOCK TABLE seizure_case IN ACCESS EXCLUSIVE MODE")
    cancel, outcome = Cancellation(), {}

    def search():
        try:
            hq.cases.list_cases(query=CaseQuery(text="Karimov", limit=500), cancel=cancel)
        except CancelledError as exc:
            outcome["error"] = exc

    worker = threading.Thread(target=search)
    try:
        worker.start()
        time.sleep(0.5)
        # WHEN newer typing supersedes it
        cancel.cancel()
        worker.join(timeout=10)
        # THEN the search ends as cancelled while the lock is still held: the server stopped it
        assert not worker.is_alive() and isinstance(outcome.get("error"), CancelledError)
        waiting = blocker.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = 'listing' "
                                  "AND wait_event_type = 'Lock'").fetchone()[0]
        assert waiting == 0
    finally:
        blocker.rollback()
        blocker.close()
        worker.join(timeout=10)
    # AND a cancelled token stops the next search before it starts
    with pytest.raises(CancelledError):
        hq.cases.list_cases(query=CaseQuery(text="Karimov"), cancel=cancel)


def test_an_import_in_progress_blocks_no_analyst(hq, pg_server):
    import psycopg

    # GIVEN an import holding its transaction open after writing 1,000 new cases (READ COMMITTED, as the app's)
    importer = psycopg.connect(host=str(pg_server.folder), port=pg_server.port, user="postgres", dbname="listing")
    before = hq.cases.list_cases(query=CaseQuery(text="Karimov", limit=500))
    try:
        columns = [c for (c,) in importer.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'seizure_case' "
            "AND column_name NOT IN ('id', 'case_number', 'search_rowid')")]
        listed = ", ".join(columns)
        importer.execute(f"INSERT INTO seizure_case (id, case_number, {listed}) "
                         f"SELECT md5(id || 'new')::uuid::text, case_number || '-new', {listed} "
                         f"FROM seizure_case ORDER BY occurred_at DESC LIMIT 1000")
        # WHEN an analyst searches and lists meanwhile
        started = time.perf_counter()
        during = hq.cases.list_cases(query=CaseQuery(text="Karimov", limit=500))
        listed_page = hq.cases.list_cases(query=CaseQuery(limit=500))
        # THEN both answer at once, from what was committed: nothing waited for the import's locks
        assert time.perf_counter() - started < 5
        assert [r.id for r in during.rows] == [r.id for r in before.rows]
        assert not [r for r in listed_page.rows if r.case_number.endswith("-new")]
    finally:
        importer.rollback()
        importer.close()
