"""HQ counts the cases a pair of posts shared, not the cases each share carried.

Why (issue 16): the same case shared twice (a second share after an update, or a share sent again) counted as two
cases in HQ's traffic per pair. A post's bundle now names, for each share it reports, the case numbers it carried
(manifest `share_events[].references`, optional: older bundles have none); HQ keeps them in
`hq_share_event.refs` (JSON list, NULL for an event reported without them) and counts distinct cases per pair.

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("hq_share_event") as batch:
        batch.add_column(sa.Column("refs", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("hq_share_event") as batch:
        batch.drop_column("refs")
