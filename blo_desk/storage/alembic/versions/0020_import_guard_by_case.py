"""HQ's import on PostgreSQL: the finalized-case guard of the child tables looks up only the cases a statement
touched, and long texts are compressed with LZ4.

Why (issue 17, import of 24 posts x 5,000 cases): the statement-level guard of migration 0004 asked "is any case
whose children this statement wrote finalized, with a revision and no amendment window?" as one join of the
transition table with `seizure_case`. The planner, whose statistics lag far behind a store that an import fills,
answered it by walking every finalized case in the store and hashing them (auto_explain: 21,542 cases read for a
COPY of 1,632 items; 70 ms), once per COPY into `seized_item`, `person` and `case_attachment`, so an import's
server time grew with the size of the store: 41.9 s of PostgreSQL CPU for the 120,000 cases of the benchmark.
Now each distinct case id of the statement is looked up by primary key (a LATERAL subquery that the planner cannot
flatten into a join, so no statistics can turn it into a scan): the work is proportional to the rows written,
whatever the store holds. The rule is word for word the same, and so is the error.

LZ4 (where the server was built with it; PostgreSQL 14 on): the values that TOAST compresses on insert, the bundle
record of each revision, the case's search body, search vector and narrative, and the import's audit event (which
lists every revision the bundle brought), were compressed with pglz, 7 % of the server's import time. LZ4 compresses several times faster and decompresses faster too; it applies to new values (values
already stored keep pglz and read as before). SQLite: nothing to do.

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-30
"""

from alembic import op

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None

MSG_CASE = "finalized case is immutable: amend it with a reason"
#: The texts compressed with LZ4 (table, column): what TOAST compresses when an import writes a case.
LZ4_COLUMNS = (("case_revision", "record"), ("seizure_case", "search_text"), ("seizure_case", "search_vector"),
               ("seizure_case", "narrative"), ("audit_event", "details"))

# One primary-key probe per distinct case id of the statement. The probe is a LATERAL subquery with OFFSET 0:
# the planner may neither pull it up into a join over the whole table nor push the status test down into it (where
# stale statistics chose the status index and read every finalized case once per id), so its only condition is
# the primary key.
_LOCKED = """EXISTS (SELECT 1 FROM (SELECT DISTINCT case_id FROM {rows}) t,
                LATERAL (SELECT c.status FROM seizure_case c WHERE c.id = t.case_id
                         AND EXISTS (SELECT 1 FROM case_revision r WHERE r.case_id = c.id)
                         AND NOT EXISTS (SELECT 1 FROM case_amendment_window w WHERE w.case_id = c.id)
                         OFFSET 0) c
                WHERE c.status = 'finalized')"""

# Migration 0004's check, for the downgrade.
_LOCKED_0004 = """EXISTS (SELECT 1 FROM seizure_case c
                WHERE c.id IN (SELECT case_id FROM {rows}) AND c.status = 'finalized'
                AND EXISTS (SELECT 1 FROM case_revision r WHERE r.case_id = c.id)
                AND NOT EXISTS (SELECT 1 FROM case_amendment_window w WHERE w.case_id = c.id))"""


def _guard(locked: str) -> str:
    return f"""CREATE OR REPLACE FUNCTION blo_case_children_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                IF {locked.format(rows='new_rows')} THEN
                    RAISE EXCEPTION '{MSG_CASE}' USING ERRCODE = 'integrity_constraint_violation';
                END IF;
            ELSIF TG_OP = 'DELETE' THEN
                IF {locked.format(rows='old_rows')} THEN
                    RAISE EXCEPTION '{MSG_CASE}' USING ERRCODE = 'integrity_constraint_violation';
                END IF;
            ELSE
                IF {locked.format(rows='old_rows')} OR {locked.format(rows='new_rows')} THEN
                    RAISE EXCEPTION '{MSG_CASE}' USING ERRCODE = 'integrity_constraint_violation';
                END IF;
            END IF;
            RETURN NULL;
        END $$"""


def _has_lz4() -> bool:
    found = op.get_bind().exec_driver_sql(
        "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'").scalar()
    return bool(found)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(_guard(_LOCKED))
    if _has_lz4():
        for table, column in LZ4_COLUMNS:
            op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET COMPRESSION lz4")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(_guard(_LOCKED_0004))
    if _has_lz4():
        for table, column in LZ4_COLUMNS:
            op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET COMPRESSION pglz")
