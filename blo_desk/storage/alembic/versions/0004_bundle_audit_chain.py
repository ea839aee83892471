"""The post's audit chain travels with each bundle; finalized-case triggers that stay cheap on bulk imports.

Why (issue 7 part 3): HQ must notice when a post's history was cut or rewritten. Each bundle's manifest carries
the post's audit chain (length, last hash, and the hash now found at the lengths earlier bundles reported);
the post remembers what it reported per bundle (`sync_outbox.audit_length/audit_head`) and HQ keeps it per
imported bundle (`hq_bundle.audit_*`) to compare later bundles with. New columns have server defaults, so the
upgrade is safe on stores with data.

Why the PostgreSQL triggers change: the row-level guards of 0003 on `seized_item`, `person` and
`case_attachment` ran a PL/pgSQL function and three lookups per inserted row, which doubled HQ's import of
24 posts x 5,000 cases. They become statement-level AFTER triggers with transition tables: one check per
statement over the set of case ids it touched, with the same rule (a child of a finalized case that has a
revision may only change while an amendment window for that case is open). An error in an AFTER trigger
aborts the statement, so a plain-SQL change is refused exactly as before. SQLite keeps its row triggers
(SQLite has no statement-level triggers; its per-row WHEN checks are cheap in-process lookups).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

CHILD_TABLES = ("seized_item", "person", "case_attachment")
MSG_CASE = "finalized case is immutable: amend it with a reason"

_LOCKED = """EXISTS (SELECT 1 FROM seizure_case c
                WHERE c.id IN (SELECT case_id FROM {rows}) AND c.status = 'finalized'
                AND EXISTS (SELECT 1 FROM case_revision r WHERE r.case_id = c.id)
                AND NOT EXISTS (SELECT 1 FROM case_amendment_window w WHERE w.case_id = c.id))"""


def _statement_triggers() -> list[str]:
    stmts = [
        f"""CREATE FUNCTION blo_case_children_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                IF {_LOCKED.format(rows='new_rows')} THEN
                    RAISE EXCEPTION '{MSG_CASE}' USING ERRCODE = 'integrity_constraint_violation';
                END IF;
            ELSIF TG_OP = 'DELETE' THEN
                IF {_LOCKED.format(rows='old_rows')} THEN
                    RAISE EXCEPTION '{MSG_CASE}' USING ERRCODE = 'integrity_constraint_violation';
                END IF;
            ELSE
                IF {_LOCKED.format(rows='old_rows')} OR {_LOCKED.format(rows='new_rows')} THEN
                    RAISE EXCEPTION '{MSG_CASE}' USING ERRCODE = 'integrity_constraint_violation';
                END IF;
            END IF;
            RETURN NULL;
        END $$""",
    ]
    for t in CHILD_TABLES:
        stmts += [
            f"DROP TRIGGER IF EXISTS trg_{t}_final_guard ON {t}",
            f"""CREATE TRIGGER trg_{t}_final_insert AFTER INSERT ON {t} REFERENCING NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION blo_case_children_guard()""",
            f"""CREATE TRIGGER trg_{t}_final_update AFTER UPDATE ON {t}
            REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION blo_case_children_guard()""",
            f"""CREATE TRIGGER trg_{t}_final_delete AFTER DELETE ON {t} REFERENCING OLD TABLE AS old_rows
            FOR EACH STATEMENT EXECUTE FUNCTION blo_case_children_guard()""",
        ]
    return stmts + ["DROP FUNCTION IF EXISTS blo_case_child_guard()"]


def _row_triggers_again() -> list[str]:
    """Downgrade: back to 0003's row-level guards (same function body as 0003)."""
    from importlib import import_module

    previous = import_module("blo_desk.storage.alembic.versions.0003_accounts_audit")
    stmts = [f"DROP TRIGGER IF EXISTS trg_{t}_final_{op_} ON {t}" for t in CHILD_TABLES
             for op_ in ("insert", "update", "delete")]
    stmts.append("DROP FUNCTION IF EXISTS blo_case_children_guard()")
    wanted = [s for s in previous._postgresql_triggers() if "blo_case_child_guard" in s]
    return stmts + wanted


def upgrade() -> None:
    with op.batch_alter_table('sync_outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('audit_length', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('audit_head', sa.String(length=64), server_default='', nullable=False))
    with op.batch_alter_table('hq_bundle', schema=None) as batch_op:
        batch_op.add_column(sa.Column('audit_length', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('audit_head', sa.String(length=64), server_default='', nullable=False))
        batch_op.add_column(sa.Column('audit_checkpoints', sa.Text(), server_default='[]', nullable=False))
    if op.get_bind().dialect.name == "postgresql":
        for stmt in _statement_triggers():
            op.execute(stmt)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for stmt in _row_triggers_again():
            op.execute(stmt)
    with op.batch_alter_table('hq_bundle', schema=None) as batch_op:
        batch_op.drop_column('audit_checkpoints')
        batch_op.drop_column('audit_head')
        batch_op.drop_column('audit_length')
    with op.batch_alter_table('sync_outbox', schema=None) as batch_op:
        batch_op.drop_column('audit_head')
        batch_op.drop_column('audit_length')
