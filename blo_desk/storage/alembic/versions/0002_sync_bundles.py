"""Sync bundles: the post's signing identity and outbox, and HQ's trust store, bundle log and alerts.

Why: posts send their cases to HQ as signed bundles (issue 5). A post must remember which sequence numbers
it has used (never reuse one) and which case revisions already went out; HQ must know which key belongs to
which post and from which bundle a key is revoked, which bundles it applied (to report gaps and refuse a
second, different bundle with a number already seen) and the alerts an analyst must look at. Only new
tables: nothing existing changes, so the upgrade is safe on a store with data, on SQLite and PostgreSQL.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('hq_alert',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('post_code', sa.String(length=16), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('manifest_sha256', sa.String(length=64), nullable=False),
    sa.Column('file_name', sa.String(length=500), nullable=False),
    sa.Column('details', sa.Text(), nullable=False),
    sa.Column('raised_at', sa.DateTime(), nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hq_alert'))
    )
    with op.batch_alter_table('hq_alert', schema=None) as batch_op:
        batch_op.create_index('ix_hq_alert_post_seq', ['post_code', 'sequence'], unique=False)

    op.create_table('hq_bundle',
    sa.Column('post_code', sa.String(length=16), nullable=False),
    sa.Column('sequence', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('manifest_sha256', sa.String(length=64), nullable=False),
    sa.Column('previous_sha256', sa.String(length=64), nullable=False),
    sa.Column('key_id', sa.String(length=16), nullable=False),
    sa.Column('full', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.String(length=40), nullable=False),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.Column('file_name', sa.String(length=500), nullable=False),
    sa.Column('records', sa.Integer(), nullable=False),
    sa.Column('new_cases', sa.Integer(), nullable=False),
    sa.Column('updated_cases', sa.Integer(), nullable=False),
    sa.Column('unchanged', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('post_code', 'sequence', name=op.f('pk_hq_bundle'))
    )
    op.create_table('sync_exported',
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('revision', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('case_id', 'revision', name=op.f('pk_sync_exported'))
    )
    with op.batch_alter_table('sync_exported', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_exported_sequence'), ['sequence'], unique=False)

    op.create_table('sync_identity',
    sa.Column('post_code', sa.String(length=16), nullable=False),
    sa.Column('key_id', sa.String(length=16), nullable=False),
    sa.Column('public_key', sa.String(length=100), nullable=False),
    sa.Column('secret_key_file', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('post_code', name=op.f('pk_sync_identity'))
    )
    op.create_table('sync_outbox',
    sa.Column('sequence', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('post_code', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=False),
    sa.Column('folder', sa.String(length=1000), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('previous_sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('full', sa.Boolean(), nullable=False),
    sa.Column('records', sa.Integer(), nullable=False),
    sa.Column('cases', sa.Integer(), nullable=False),
    sa.Column('attachments', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('acknowledged_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('sequence', name=op.f('pk_sync_outbox'))
    )
    op.create_table('hq_trusted_key',
    sa.Column('key_id', sa.String(length=16), nullable=False),
    sa.Column('post_code', sa.String(length=16), nullable=False),
    sa.Column('public_key', sa.String(length=100), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_from', sa.Integer(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['post_code'], ['post.code'], name=op.f('fk_hq_trusted_key_post_code_post')),
    sa.PrimaryKeyConstraint('key_id', name=op.f('pk_hq_trusted_key'))
    )
    with op.batch_alter_table('hq_trusted_key', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hq_trusted_key_post_code'), ['post_code'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('hq_trusted_key', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hq_trusted_key_post_code'))
    op.drop_table('hq_trusted_key')
    op.drop_table('sync_outbox')
    op.drop_table('sync_identity')
    with op.batch_alter_table('sync_exported', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sync_exported_sequence'))
    op.drop_table('sync_exported')
    op.drop_table('hq_bundle')
    with op.batch_alter_table('hq_alert', schema=None) as batch_op:
        batch_op.drop_index('ix_hq_alert_post_seq')
    op.drop_table('hq_alert')
