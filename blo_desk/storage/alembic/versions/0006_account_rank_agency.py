"""The rank and the agency of each account, so that a user of the post can be named among a case's seizing officers.

Why (issue 11): the case's seizing officers are the post's users with name and rank, plus anyone typed in; a rank
("Major", "майор") and an agency (a reference code of kind "agency", e.g. customs) belong to the person, not to each
case, so they are kept on the account and copied into the case when an officer is picked. Both columns have a
server default of "" (unknown): every existing account upgrades unchanged, and the editor falls back to the case's
lead agency for an account whose agency is not known yet; new accounts get "customs" unless the admin says otherwise.
SQLite takes the new columns through batch operations.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("user_account") as batch:
        batch.add_column(sa.Column("rank", sa.String(100), nullable=False, server_default=""))
        batch.add_column(sa.Column("agency", sa.String(64), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("user_account") as batch:
        batch.drop_column("agency")
        batch.drop_column("rank")
