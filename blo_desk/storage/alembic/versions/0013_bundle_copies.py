"""HQ knows a bundle by what its post signed, not by its container: every container verified as a bundle is kept.

Why (issue 15): HQ keyed a bundle by the SHA-256 of its container file. Anyone who could reach the intake
uploaded a re-zipped copy of a real bundle first; HQ imported it, and the post's genuine upload was then
"already imported" without a receipt and waited forever. A bundle's identity is now (post, sequence, SHA-256 of
the signed manifest, or of the signed envelope of an encrypted bundle). `hq_bundle_copy` lists every container
(by its SHA-256) that HQ verified as carrying a bundle it holds, with the identity it carried, so a repeat of the
same identity in any container gets its receipt at once. The containers HQ already holds are copied in.

Revision ID: 0013
Revises: 0008
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hq_bundle_copy",
        sa.Column("post_code", sa.String(16), primary_key=True),
        sa.Column("sequence", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("identity_sha256", sa.String(64), nullable=False),
    )
    op.execute("INSERT INTO hq_bundle_copy (post_code, sequence, sha256, identity_sha256) "
               "SELECT post_code, sequence, sha256, manifest_sha256 FROM hq_bundle")


def downgrade() -> None:
    op.drop_table("hq_bundle_copy")
