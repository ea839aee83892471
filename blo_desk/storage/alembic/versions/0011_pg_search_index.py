"""HQ's PostgreSQL store searches through a GIN index, with the same matching rules as FTS5 at the post.

Why (issue 17): on PostgreSQL the search was `search_text LIKE '%word%'` for every word, with no index: 1.3 s
median, 2 s at p95 on 1,000,000 cases, and not the post's rules either (a substring anywhere, where FTS5 matches
the start of a word: `01 A` found 62 cases on PostgreSQL and 4 on SQLite after importing the same bundle).

`search_vector` holds the search body as a tsvector whose lexemes are exactly the tokens FTS5 makes of it, with
their positions (storage/search_query.py builds it in Python, so no text search parser or locale of the server
can split a token differently); a query is a tsquery cast from text (`'karimov':* | 'каримов':*`), prefixes and
phrases as FTS5 has them. The column is derived, like search_text: it is outside the finalized-case guard (the
guard's column list is by name) and rebuilt here from each case's search_text. SQLite: nothing to do (case_fts).

Revision ID: 0011
Revises: 0013
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0013'
branch_labels = None
depends_on = None

BATCH = 5_000


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    from blo_desk.storage.search_query import search_vector

    op.execute("ALTER TABLE seizure_case ADD COLUMN search_vector tsvector NOT NULL DEFAULT ''")
    last = ""
    while True:
        rows = bind.execute(sa.text("SELECT id, search_text FROM seizure_case WHERE id > :last ORDER BY id LIMIT :n"),
                            {"last": last, "n": BATCH}).all()
        if not rows:
            break
        bind.execute(sa.text("UPDATE seizure_case SET search_vector = CAST(:v AS tsvector) WHERE id = :id"),
                     [{"id": case_id, "v": search_vector(body)} for case_id, body in rows])
        last = rows[-1][0]
    op.execute("CREATE INDEX ix_case_search_vector ON seizure_case USING gin (search_vector)")
    op.execute("ANALYZE seizure_case")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_case_search_vector")
    op.execute("ALTER TABLE seizure_case DROP COLUMN search_vector")
