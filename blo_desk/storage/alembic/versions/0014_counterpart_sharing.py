"""Counterpart posts and what passes between them (issue 16).

Border Liaison Offices work in pairs across a border. `share_counterpart` keeps each paired post's card (its
minisign and age public keys, confirmed by telephone) and when the pairing was revoked; `share_message` every
share, request and answer sent or received (its id is what the sender signed: a second import of it is a
replay); `shared_record` the redacted cases received, read-only, with the words search finds them by;
`shared_link` the local cases an officer linked to a shared record ("same vehicle", "same consignment");
`share_message.reported_in` the bundle that told HQ of a message, and at HQ `hq_share_event` what each post's
bundles reported (ids, counts and hashes, never the content), for the traffic and open requests per pair.

Revision ID: 0014
Revises: 0011
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "share_counterpart",
        sa.Column("post_code", sa.String(16), primary_key=True),
        sa.Column("card_json", sa.Text, nullable=False),
        sa.Column("fingerprint", sa.String(32), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.Column("added_by", sa.String(64), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_by", sa.String(64), nullable=False, server_default=""),
    )
    op.create_table(
        "share_message",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("outgoing", sa.Boolean, nullable=False),
        sa.Column("peer", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=True),
        sa.Column("actor", sa.String(64), nullable=False, server_default=""),
        sa.Column("profile", sa.String(32), nullable=False, server_default=""),
        sa.Column("reason", sa.Text, nullable=False, server_default=""),
        sa.Column("legal_basis", sa.Text, nullable=False, server_default=""),
        sa.Column("about", sa.String(64), nullable=False, server_default=""),
        sa.Column("text", sa.Text, nullable=False, server_default=""),
        sa.Column("due", sa.Date, nullable=True),
        sa.Column("sha256", sa.String(64), nullable=False, server_default=""),
        sa.Column("refs", sa.Text, nullable=False, server_default="[]"),
        sa.Column("photos", sa.Integer, nullable=False, server_default="0"),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.Column("answer_id", sa.String(32), nullable=False, server_default=""),
        sa.Column("reported_in", sa.Integer, nullable=True),
    )
    op.create_table(
        "shared_record",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("message_id", sa.String(32), sa.ForeignKey("share_message.id"), nullable=False),
        sa.Column("sender", sa.String(16), nullable=False),
        sa.Column("profile", sa.String(32), nullable=False),
        sa.Column("reference", sa.String(64), nullable=False),
        sa.Column("shared_at", sa.DateTime(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("search_text", sa.Text, nullable=False, server_default=""),
    )
    op.create_table(
        "shared_link",
        sa.Column("record_id", sa.String(40), sa.ForeignKey("shared_record.id"), primary_key=True),
        sa.Column("case_id", sa.String(36), primary_key=True),
        sa.Column("relation", sa.String(32), nullable=False),
        sa.Column("linked_at", sa.DateTime(), nullable=False),
        sa.Column("linked_by", sa.String(64), nullable=False),
    )
    op.create_table(
        "hq_share_event",
        sa.Column("reporter", sa.String(16), primary_key=True),
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("direction", sa.String(16), nullable=False),
        sa.Column("peer", sa.String(16), nullable=False),
        sa.Column("profile", sa.String(32), nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("cases", sa.Integer, nullable=False),
        sa.Column("photos", sa.Integer, nullable=False),
        sa.Column("about", sa.String(32), nullable=False),
        sa.Column("due", sa.String(10), nullable=False),
        sa.Column("sequence", sa.Integer, nullable=False),
    )
    op.create_index("ix_share_message_peer", "share_message", ["peer"])
    op.create_index("ix_shared_record_message_id", "shared_record", ["message_id"])
    op.create_index("ix_shared_record_sender_ref", "shared_record", ["sender", "reference"])


def downgrade() -> None:
    op.drop_table("hq_share_event")
    op.drop_table("shared_link")
    op.drop_table("shared_record")
    op.drop_table("share_message")
    op.drop_table("share_counterpart")
