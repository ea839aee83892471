"""Accounts, a hash-chained audit trail, and finalized cases that the database itself refuses to change.

Why (issue 7): every change to a case must be answerable (who, when, what) and a finalized case must stay
as it was signed, even against a plain SQL client. New tables: `user_account` (argon2id hashes, roles,
lock-out), `audit_event` (append-only hash chain; its head is also kept, sealed, in `setting`) and
`case_amendment_window`.

Triggers (SQLite and PostgreSQL alike):
- a finalized `seizure_case` row cannot be deleted, and its content columns cannot be updated, except to a
  higher revision that is still finalized while an amendment window for exactly that (case, revision) is
  open; `search_text`/`search_rowid` (the derived index) stay writable;
- items, persons and attachments of a finalized case cannot be inserted, updated or deleted unless such a
  window is open (or the case has no revision yet: it is being created, as an import does);
- `case_revision` rows are never updated, and never deleted while their case is finalized;
- `audit_event` rows are never updated or deleted.
An amendment (or an import of one at HQ) opens the window, writes, and closes it in the same transaction;
`audit verify` reports a window left open and a case row that is not its latest revision. Someone with
SQL access can still drop a trigger: the triggers stop accidents and casual edits, the audit chain (whose
head travels to HQ in every bundle) reveals deliberate ones.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

GUARDED_CASE_COLUMNS = (
    "id", "case_number", "post_code", "occurred_at", "timezone", "direction", "agency", "procedure",
    "detection_method", "conveyance_type", "conveyance_registration", "origin_country", "destination_country",
    "concealment_method", "concealment_details", "narrative", "legal_basis", "status", "revision", "content_hash",
    "created_at", "updated_at", "finalized_at", "categories", "items_summary", "persons_summary", "total_value",
    "currency",
)
CHILD_TABLES = ("seized_item", "person", "case_attachment")
MSG_CASE = "finalized case is immutable: amend it with a reason"
MSG_REVISION = "case history is append-only"
MSG_AUDIT = "audit trail is append-only"


def _sqlite_triggers() -> list[str]:
    cols = ", ".join(GUARDED_CASE_COLUMNS)
    stmts = [
        f"""CREATE TRIGGER trg_case_final_update BEFORE UPDATE OF {cols} ON seizure_case
        FOR EACH ROW WHEN OLD.status = 'finalized' AND NOT (
            NEW.id = OLD.id AND NEW.status = 'finalized' AND NEW.revision > OLD.revision
            AND EXISTS (SELECT 1 FROM case_amendment_window w WHERE w.case_id = OLD.id AND w.revision = NEW.revision))
        BEGIN SELECT RAISE(ABORT, '{MSG_CASE}'); END""",
        f"""CREATE TRIGGER trg_case_final_delete BEFORE DELETE ON seizure_case
        FOR EACH ROW WHEN OLD.status = 'finalized'
        BEGIN SELECT RAISE(ABORT, '{MSG_CASE}'); END""",
        f"""CREATE TRIGGER trg_revision_no_update BEFORE UPDATE ON case_revision
        BEGIN SELECT RAISE(ABORT, '{MSG_REVISION}'); END""",
        f"""CREATE TRIGGER trg_revision_final_delete BEFORE DELETE ON case_revision
        FOR EACH ROW WHEN EXISTS (SELECT 1 FROM seizure_case c WHERE c.id = OLD.case_id AND c.status = 'finalized')
        BEGIN SELECT RAISE(ABORT, '{MSG_REVISION}'); END""",
        f"""CREATE TRIGGER trg_audit_no_update BEFORE UPDATE ON audit_event
        BEGIN SELECT RAISE(ABORT, '{MSG_AUDIT}'); END""",
        f"""CREATE TRIGGER trg_audit_no_delete BEFORE DELETE ON audit_event
        BEGIN SELECT RAISE(ABORT, '{MSG_AUDIT}'); END""",
    ]
    locked = (
        "EXISTS (SELECT 1 FROM seizure_case c WHERE c.id = {ref}.case_id AND c.status = 'finalized' "
        "AND EXISTS (SELECT 1 FROM case_revision r WHERE r.case_id = c.id) "
        "AND NOT EXISTS (SELECT 1 FROM case_amendment_window w WHERE w.case_id = c.id))"
    )
    for table in CHILD_TABLES:
        stmts += [
            f"""CREATE TRIGGER trg_{table}_final_insert BEFORE INSERT ON {table}
            FOR EACH ROW WHEN {locked.format(ref='NEW')}
            BEGIN SELECT RAISE(ABORT, '{MSG_CASE}'); END""",
            f"""CREATE TRIGGER trg_{table}_final_update BEFORE UPDATE ON {table}
            FOR EACH ROW WHEN {locked.format(ref='OLD')} OR {locked.format(ref='NEW')}
            BEGIN SELECT RAISE(ABORT, '{MSG_CASE}'); END""",
            f"""CREATE TRIGGER trg_{table}_final_delete BEFORE DELETE ON {table}
            FOR EACH ROW WHEN {locked.format(ref='OLD')}
            BEGIN SELECT RAISE(ABORT, '{MSG_CASE}'); END""",
        ]
    return stmts


def _sqlite_drop() -> list[str]:
    names = ["trg_case_final_update", "trg_case_final_delete", "trg_revision_no_update", "trg_revision_final_delete",
             "trg_audit_no_update", "trg_audit_no_delete"]
    names += [f"trg_{t}_final_{op_}" for t in CHILD_TABLES for op_ in ("insert", "update", "delete")]
    return [f"DROP TRIGGER IF EXISTS {n}" for n in names]


def _postgresql_triggers() -> list[str]:
    changed = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in GUARDED_CASE_COLUMNS)
    return [
        f"""CREATE FUNCTION blo_case_final_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF OLD.status <> 'finalized' THEN
                RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
            END IF;
            IF TG_OP = 'DELETE' THEN
                RAISE EXCEPTION '{MSG_CASE}' USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            IF NOT ({changed}) THEN
                RETURN NEW;
            END IF;
            IF NEW.id = OLD.id AND NEW.status = 'finalized' AND NEW.revision > OLD.revision AND EXISTS (
                SELECT 1 FROM case_amendment_window w WHERE w.case_id = OLD.id AND w.revision = NEW.revision) THEN
                RETURN NEW;
            END IF;
            RAISE EXCEPTION '{MSG_CASE}' USING ERRCODE = 'integrity_constraint_violation';
        END $$""",
        """CREATE TRIGGER trg_case_final_guard BEFORE UPDATE OR DELETE ON seizure_case
        FOR EACH ROW EXECUTE FUNCTION blo_case_final_guard()""",
        f"""CREATE FUNCTION blo_case_child_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE ids text[];
        BEGIN
            IF TG_OP = 'INSERT' THEN ids := ARRAY[NEW.case_id];
            ELSIF TG_OP = 'DELETE' THEN ids := ARRAY[OLD.case_id];
            ELSE ids := ARRAY[OLD.case_id, NEW.case_id];
            END IF;
            IF EXISTS (SELECT 1 FROM seizure_case c WHERE c.id = ANY(ids) AND c.status = 'finalized'
                       AND EXISTS (SELECT 1 FROM case_revision r WHERE r.case_id = c.id)
                       AND NOT EXISTS (SELECT 1 FROM case_amendment_window w WHERE w.case_id = c.id)) THEN
                RAISE EXCEPTION '{MSG_CASE}' USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
        END $$""",
        *[
            f"""CREATE TRIGGER trg_{t}_final_guard BEFORE INSERT OR UPDATE OR DELETE ON {t}
            FOR EACH ROW EXECUTE FUNCTION blo_case_child_guard()"""
            for t in CHILD_TABLES
        ],
        f"""CREATE FUNCTION blo_revision_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'UPDATE' OR EXISTS (
                SELECT 1 FROM seizure_case c WHERE c.id = OLD.case_id AND c.status = 'finalized') THEN
                RAISE EXCEPTION '{MSG_REVISION}' USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            RETURN OLD;
        END $$""",
        """CREATE TRIGGER trg_revision_guard BEFORE UPDATE OR DELETE ON case_revision
        FOR EACH ROW EXECUTE FUNCTION blo_revision_guard()""",
        f"""CREATE FUNCTION blo_audit_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '{MSG_AUDIT}' USING ERRCODE = 'integrity_constraint_violation';
        END $$""",
        """CREATE TRIGGER trg_audit_guard BEFORE UPDATE OR DELETE ON audit_event
        FOR EACH ROW EXECUTE FUNCTION blo_audit_guard()""",
    ]


def _postgresql_drop() -> list[str]:
    stmts = ["DROP TRIGGER IF EXISTS trg_case_final_guard ON seizure_case",
             "DROP TRIGGER IF EXISTS trg_revision_guard ON case_revision",
             "DROP TRIGGER IF EXISTS trg_audit_guard ON audit_event"]
    stmts += [f"DROP TRIGGER IF EXISTS trg_{t}_final_guard ON {t}" for t in CHILD_TABLES]
    stmts += [f"DROP FUNCTION IF EXISTS {f}()" for f in
              ("blo_case_final_guard", "blo_case_child_guard", "blo_revision_guard", "blo_audit_guard")]
    return stmts


def upgrade() -> None:
    op.create_table('user_account',
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('post_code', sa.String(length=16), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('password_changed_at', sa.DateTime(), nullable=False),
    sa.Column('last_login_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('username', name=op.f('pk_user_account'))
    )
    op.create_table('audit_event',
    sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('at', sa.String(length=32), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('target', sa.String(length=200), nullable=False),
    sa.Column('before_hash', sa.String(length=64), nullable=False),
    sa.Column('after_hash', sa.String(length=64), nullable=False),
    sa.Column('details', sa.Text(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_audit_event')),
    sa.UniqueConstraint('hash', name=op.f('uq_audit_event_hash'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_target'), ['target'], unique=False)
    op.create_table('case_amendment_window',
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('case_id', name=op.f('pk_case_amendment_window'))
    )
    dialect = op.get_bind().dialect.name
    for stmt in _sqlite_triggers() if dialect == "sqlite" else _postgresql_triggers() if dialect == "postgresql" else []:
        op.execute(stmt)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for stmt in _sqlite_drop() if dialect == "sqlite" else _postgresql_drop() if dialect == "postgresql" else []:
        op.execute(stmt)
    op.drop_table('case_amendment_window')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_target'))
        batch_op.drop_index(batch_op.f('ix_audit_event_action'))
    op.drop_table('audit_event')
    op.drop_table('user_account')
