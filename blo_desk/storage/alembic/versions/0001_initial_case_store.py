"""Initial case store: posts, reference lists, cases with items, persons, attachments and revisions.

Why: the first schema of BLO Desk. On SQLite it also creates the FTS5 index `case_fts` (unicode61
tokenizer, diacritics kept) over the normalized search text of each case (its rowid kept in
`seizure_case.search_rowid`, stable across VACUUM); PostgreSQL searches the
`search_text` column instead.

Revision ID: 0001
Revises: 
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('case_counter',
    sa.Column('post_code', sa.String(length=16), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('post_code', 'year', name=op.f('pk_case_counter'))
    )
    op.create_table('post',
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('name_uz', sa.String(length=200), nullable=False),
    sa.Column('name_ru', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('region', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('counterpart', sa.String(length=16), nullable=False),
    sa.Column('publicly_named_blo', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_post'))
    )
    op.create_table('reference_item',
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('label_uz', sa.String(length=200), nullable=False),
    sa.Column('label_ru', sa.String(length=200), nullable=False),
    sa.Column('label_en', sa.String(length=200), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('kind', 'code', name=op.f('pk_reference_item'))
    )
    op.create_table('setting',
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_setting'))
    )
    op.create_table('seizure_case',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('case_number', sa.String(length=40), nullable=False),
    sa.Column('post_code', sa.String(length=16), nullable=False),
    sa.Column('occurred_at', sa.DateTime(), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('direction', sa.String(length=16), nullable=False),
    sa.Column('agency', sa.String(length=64), nullable=False),
    sa.Column('procedure', sa.String(length=500), nullable=False),
    sa.Column('detection_method', sa.String(length=64), nullable=False),
    sa.Column('conveyance_type', sa.String(length=64), nullable=False),
    sa.Column('conveyance_registration', sa.String(length=500), nullable=False),
    sa.Column('origin_country', sa.String(length=2), nullable=False),
    sa.Column('destination_country', sa.String(length=2), nullable=False),
    sa.Column('concealment_method', sa.String(length=64), nullable=False),
    sa.Column('concealment_details', sa.String(length=500), nullable=False),
    sa.Column('narrative', sa.Text(), nullable=False),
    sa.Column('legal_basis', sa.String(length=500), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('finalized_at', sa.DateTime(), nullable=True),
    sa.Column('categories', sa.String(length=500), nullable=False),
    sa.Column('items_summary', sa.String(length=500), nullable=False),
    sa.Column('persons_summary', sa.String(length=500), nullable=False),
    sa.Column('total_value', sa.String(length=40), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('search_rowid', sa.Integer(), nullable=True),
    sa.UniqueConstraint('search_rowid', name=op.f('uq_seizure_case_search_rowid')),
    sa.ForeignKeyConstraint(['post_code'], ['post.code'], name=op.f('fk_seizure_case_post_code_post')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_seizure_case')),
    sa.UniqueConstraint('case_number', name=op.f('uq_seizure_case_case_number'))
    )
    with op.batch_alter_table('seizure_case', schema=None) as batch_op:
        batch_op.create_index('ix_case_occurred', ['occurred_at'], unique=False)
        batch_op.create_index('ix_case_post_occurred', ['post_code', 'occurred_at'], unique=False)
        batch_op.create_index('ix_case_status_occurred', ['status', 'occurred_at'], unique=False)

    op.create_table('case_attachment',
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('filename', sa.String(length=500), nullable=False),
    sa.Column('media_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('caption', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['seizure_case.id'], name=op.f('fk_case_attachment_case_id_seizure_case'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('case_id', 'position', name=op.f('pk_case_attachment'))
    )
    with op.batch_alter_table('case_attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_attachment_sha256'), ['sha256'], unique=False)

    op.create_table('case_revision',
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('parent_hash', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('saved_at', sa.DateTime(), nullable=False),
    sa.Column('record', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['seizure_case.id'], name=op.f('fk_case_revision_case_id_seizure_case'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('case_id', 'revision', name=op.f('pk_case_revision'))
    )
    with op.batch_alter_table('case_revision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_revision_content_hash'), ['content_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_revision_saved_at'), ['saved_at'], unique=False)

    op.create_table('person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('full_name', sa.String(length=500), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('sex', sa.String(length=1), nullable=True),
    sa.Column('nationality', sa.String(length=2), nullable=False),
    sa.Column('document_type', sa.String(length=64), nullable=False),
    sa.Column('document_number', sa.String(length=500), nullable=False),
    sa.Column('address', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['seizure_case.id'], name=op.f('fk_person_case_id_seizure_case'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person'))
    )
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_document_number'), ['document_number'], unique=False)

    op.create_table('seized_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=64), nullable=False),
    sa.Column('description', sa.String(length=500), nullable=False),
    sa.Column('brand', sa.String(length=500), nullable=False),
    sa.Column('quantity', sa.String(length=40), nullable=True),
    sa.Column('unit', sa.String(length=32), nullable=False),
    sa.Column('packages', sa.Integer(), nullable=True),
    sa.Column('value', sa.String(length=40), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('seals', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['seizure_case.id'], name=op.f('fk_seized_item_case_id_seizure_case'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_seized_item'))
    )
    with op.batch_alter_table('seized_item', schema=None) as batch_op:
        batch_op.create_index('ix_item_category_case', ['category', 'case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_seized_item_case_id'), ['case_id'], unique=False)




    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE case_fts USING fts5(body, tokenize='unicode61 remove_diacritics 0')"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE case_fts")

    with op.batch_alter_table('seized_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_seized_item_case_id'))
        batch_op.drop_index('ix_item_category_case')

    op.drop_table('seized_item')
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_document_number'))
        batch_op.drop_index(batch_op.f('ix_person_case_id'))

    op.drop_table('person')
    with op.batch_alter_table('case_revision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_revision_saved_at'))
        batch_op.drop_index(batch_op.f('ix_case_revision_content_hash'))

    op.drop_table('case_revision')
    with op.batch_alter_table('case_attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_attachment_sha256'))

    op.drop_table('case_attachment')
    with op.batch_alter_table('seizure_case', schema=None) as batch_op:
        batch_op.drop_index('ix_case_status_occurred')
        batch_op.drop_index('ix_case_post_occurred')
        batch_op.drop_index('ix_case_occurred')

    op.drop_table('seizure_case')
    op.drop_table('setting')
    op.drop_table('reference_item')
    op.drop_table('post')
    op.drop_table('case_counter')

