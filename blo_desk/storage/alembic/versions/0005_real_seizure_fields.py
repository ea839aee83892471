"""The fields of a real seizure (bundle format 2): substance, weights and packaging per item; several roles and the
document's issue per person; joint agencies, several detection methods, technical means, time precision, the
conveyance by type, the route's transit countries, declared cargo, transport documents and officers per case.

Why (issue 11): officers could not enter a truck with two drugs in shared packages, a freight wagon found by X-ray
in a joint operation of three agencies, or a driver who is also the suspect. Every new column has a server default
(or is NULL), so the upgrade keeps every existing case as it was: a case's one agency is its lead agency with no
joint agencies, its one detection method the first of its methods, a person's one role the main role; the
canonical content leaves empty new fields out, so no stored content hash changes. Lists of codes are kept as
comma-joined text, documents and officers as canonical JSON (both are read whole with their case). The guard
against changing a finalized case is re-created so that it covers the new columns too.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

MSG_CASE = "finalized case is immutable: amend it with a reason"
OLD_GUARDED = (
    "id", "case_number", "post_code", "occurred_at", "timezone", "direction", "agency", "procedure",
    "detection_method", "conveyance_type", "conveyance_registration", "origin_country", "destination_country",
    "concealment_method", "concealment_details", "narrative", "legal_basis", "status", "revision", "content_hash",
    "created_at", "updated_at", "finalized_at", "categories", "items_summary", "persons_summary", "total_value",
    "currency",
)
CASE_TEXT = ("joint_agencies", "other_detection_methods", "technical_means", "transit_countries", "vehicle_make",
             "trailer_plate", "vin", "container_number", "train_number", "wagon_number", "flight_number",
             "declared_cargo")
NEW_GUARDED = (*CASE_TEXT, "time_precision", "declared_weight", "documents", "officers")


def _text(name: str, length: int = 500) -> sa.Column:
    return sa.Column(name, sa.String(length), nullable=False, server_default="")


def _sqlite_case_trigger(columns: tuple[str, ...]) -> list[str]:
    return [
        "DROP TRIGGER IF EXISTS trg_case_final_update",
        f"""CREATE TRIGGER trg_case_final_update BEFORE UPDATE OF {", ".join(columns)} ON seizure_case
        FOR EACH ROW WHEN OLD.status = 'finalized' AND NOT (
            NEW.id = OLD.id AND NEW.status = 'finalized' AND NEW.revision > OLD.revision
            AND EXISTS (SELECT 1 FROM case_amendment_window w WHERE w.case_id = OLD.id AND w.revision = NEW.revision))
        BEGIN SELECT RAISE(ABORT, '{MSG_CASE}'); END""",
    ]


def _postgresql_case_guard(columns: tuple[str, ...]) -> str:
    changed = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in columns)
    return f"""CREATE OR REPLACE FUNCTION blo_case_final_guard() RETURNS trigger LANGUAGE plpgsql AS $$
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
        END $$"""


def _guard(columns: tuple[str, ...]) -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in _sqlite_case_trigger(columns):
            op.execute(statement)
    else:
        op.execute(_postgresql_case_guard(columns))


def upgrade() -> None:
    for name in CASE_TEXT:
        op.add_column("seizure_case", _text(name))
    op.add_column("seizure_case", sa.Column("time_precision", sa.String(16), nullable=False,
                                            server_default="exact"))
    op.add_column("seizure_case", sa.Column("declared_weight", sa.String(40), nullable=True))
    op.add_column("seizure_case", sa.Column("documents", sa.Text(), nullable=False, server_default=""))
    op.add_column("seizure_case", sa.Column("officers", sa.Text(), nullable=False, server_default=""))
    op.add_column("seized_item", _text("substance", 64))
    op.add_column("seized_item", sa.Column("net_weight", sa.String(40), nullable=True))
    op.add_column("seized_item", sa.Column("gross_weight", sa.String(40), nullable=True))
    op.add_column("seized_item", _text("packaging", 64))
    op.add_column("seized_item", _text("package_group", 64))
    op.add_column("person", _text("other_roles", 200))
    op.add_column("person", sa.Column("document_issued_on", sa.Date(), nullable=True))
    op.add_column("person", _text("document_issuer"))
    op.add_column("person", _text("birth_place"))
    _guard((*OLD_GUARDED, *NEW_GUARDED))


def downgrade() -> None:
    _guard(OLD_GUARDED)
    for table, names in (("person", ("birth_place", "document_issuer", "document_issued_on", "other_roles")),
                         ("seized_item", ("package_group", "packaging", "gross_weight", "net_weight", "substance")),
                         ("seizure_case", ("officers", "documents", "declared_weight", "time_precision",
                                           *reversed(CASE_TEXT)))):
        for name in names:
            # SQLite drops a column in place (3.35+): a batch rebuild of the table would lose its guard triggers
            if op.get_bind().dialect.name == "sqlite":
                op.execute(f'ALTER TABLE "{table}" DROP COLUMN "{name}"')
            else:
                op.drop_column(table, name)
