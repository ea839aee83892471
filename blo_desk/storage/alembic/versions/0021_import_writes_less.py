"""HQ's import writes less on PostgreSQL: the children's finalized-case guard probes a case only once it has a
revision, and two indexes nobody reads are gone.

Why (issue 17, import of 24 posts x 5,000 cases): the guard of migration 0020 looked up each case of a COPY into
`seized_item`, `person` and `case_attachment` by primary key, then asked whether it had a revision. An import
writes a new case's children before its revision (services/hq.py), so for every new case the first lookup was
wasted: now the revision is asked first (a LATERAL with LIMIT 1, so that no statistics can turn it into a join over
the table), and the case itself only where one exists. The rule is word for word the same, and so is the error.
It halves the guard's time in an import (pg_stat_statements: 629 -> 321 ms per 48,000 cases).

`ix_case_revision_content_hash` (since migration 0001) serves no query on either engine: every lookup of a
revision goes by case and number. `uq_seizure_case_search_rowid` holds SQLite's full-text rowid; on PostgreSQL the
column is always NULL and the constraint only cost an index entry per case.

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-30
"""

from alembic import op

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None

MSG_CASE = "finalized case is immutable: amend it with a reason"

# For each distinct case id of the statement: a revision first (LIMIT 1: a probe of the primary key's first
# column), then, only for a case that has one, the case itself by primary key (OFFSET 0: the status test stays out
# of the probe, where stale statistics chose the status index).
_LOCKED = """EXISTS (SELECT 1 FROM (SELECT DISTINCT case_id FROM {rows}) t,
                LATERAL (SELECT 1 FROM case_revision r WHERE r.case_id = t.case_id LIMIT 1) r,
                LATERAL (SELECT c.status FROM seizure_case c WHERE c.id = t.case_id
                         AND NOT EXISTS (SELECT 1 FROM case_amendment_window w WHERE w.case_id = c.id)
                         OFFSET 0) c
                WHERE c.status = 'finalized')"""

# Migration 0020's check, for the downgrade.
_LOCKED_0020 = """EXISTS (SELECT 1 FROM (SELECT DISTINCT case_id FROM {rows}) t,
                LATERAL (SELECT c.status FROM seizure_case c WHERE c.id = t.case_id
                         AND EXISTS (SELECT 1 FROM case_revision r WHERE r.case_id = c.id)
                         AND NOT EXISTS (SELECT 1 FROM case_amendment_window w WHERE w.case_id = c.id)
                         OFFSET 0) c
                WHERE c.status = 'finalized')"""


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


def upgrade() -> None:
    op.drop_index("ix_case_revision_content_hash", table_name="case_revision")
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_constraint("uq_seizure_case_search_rowid", "seizure_case", type_="unique")
    op.execute(_guard(_LOCKED))


def downgrade() -> None:
    op.create_index("ix_case_revision_content_hash", "case_revision", ["content_hash"], unique=False)
    if op.get_bind().dialect.name != "postgresql":
        return
    op.create_unique_constraint("uq_seizure_case_search_rowid", "seizure_case", ["search_rowid"])
    op.execute(_guard(_LOCKED_0020))
