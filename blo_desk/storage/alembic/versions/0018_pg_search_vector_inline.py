"""HQ's PostgreSQL store keeps each case's search vector in the case's row, not in the TOAST table.

Why (issue 17): a search of tens of thousands of matches fills its first page by walking the date index and testing
each case's `search_vector` (migration 0011) until 500 match. A vector is ~2.5 KB before compression, so with the
default storage (EXTENDED) most of them were moved out of line, and every case tested cost a TOAST index lookup
and a TOAST page besides its own row: on the 1,000,000-case benchmark store `Rahimova Madina` (22,000 matches)
walked 22,000 cases in ~190 ms, ~115 ms of it in fetching vectors from TOAST (81,000 buffers for 22,000 rows).
STORAGE MAIN keeps the vector compressed in the row and pushes the other wide columns out first (narrative,
search_text, documents: the list never reads them); measured on 100,000 of the same cases, the walk took 77 ms
instead of 160 ms and a whole common-name page 22 ms instead of 37 ms. A vector too large for a row still goes out
of line, as before: nothing is refused.

SET STORAGE changes only rows written from now on, so the vectors already held are written again with a table
rewrite (ALTER COLUMN ... TYPE with a USING expression that copies each vector): the table is locked while it runs
(minutes on a million cases; the indexes are rebuilt) and no row trigger fires (the finalized-case guard has no
reason to: no case changes). On the 1,000,000-case benchmark store: 177 s at load average 3.5. Run
`VACUUM ANALYZE seizure_case` after it (outside a transaction, so not here): a rewritten table has no visibility
map, and autovacuum, which counts no insert in a rewrite, would not set it soon. SQLite: nothing to do (its search
index is the FTS5 table).

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-30
"""

from alembic import op

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("SET LOCAL maintenance_work_mem = '256MB'")  # the rebuild of the GIN index, for this migration only
    op.execute("ALTER TABLE seizure_case ALTER COLUMN search_vector SET STORAGE MAIN, "
               "ALTER COLUMN search_vector TYPE tsvector USING search_vector || ''::tsvector")
    op.execute("ANALYZE seizure_case")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE seizure_case ALTER COLUMN search_vector SET STORAGE EXTENDED")
