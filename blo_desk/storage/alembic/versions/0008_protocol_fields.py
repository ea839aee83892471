"""What a protocol states beyond the seizure: the offence articles, the interpreter's language, the number of
copies made and the time the drawing up ended.

Why (issue 13): a protocol a post can file names the article(s) of the code that applies (chosen from the
offence_article reference list), says in which language the interpreter worked, how many copies were made and
when the drawing up ended. Every new column has a server default (or is NULL), so existing cases keep what they
were; the canonical content leaves empty fields out, so no stored content hash changes. The articles are kept
comma-joined like the other code lists, the end time as its canonical UTC text. The guard against changing a
finalized case is re-created so that it covers the new columns too.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""

import importlib.util
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

def _load_0005():
    """Migration 0005, whose guard builders (SQLite trigger, PostgreSQL function) this one re-uses, read from its file
    beside this one (the versions folder is not a package)."""
    spec = importlib.util.spec_from_file_location("_blo_0005", Path(__file__).with_name("0005_real_seizure_fields.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_0005 = _load_0005()
GUARDED_0005 = (*_0005.OLD_GUARDED, *_0005.NEW_GUARDED)
NEW_GUARDED = ("offence_articles", "interpreter_language", "copies", "ended_at")


def upgrade() -> None:
    op.add_column("seizure_case", sa.Column("offence_articles", sa.String(500), nullable=False, server_default=""))
    op.add_column("seizure_case", sa.Column("interpreter_language", sa.String(500), nullable=False,
                                            server_default=""))
    op.add_column("seizure_case", sa.Column("copies", sa.Integer(), nullable=True))
    op.add_column("seizure_case", sa.Column("ended_at", sa.String(32), nullable=True))
    _0005._guard((*GUARDED_0005, *NEW_GUARDED))


def downgrade() -> None:
    _0005._guard(GUARDED_0005)
    for name in reversed(NEW_GUARDED):
        # SQLite drops a column in place (3.35+): a batch rebuild of the table would lose its guard triggers
        if op.get_bind().dialect.name == "sqlite":
            op.execute(f'ALTER TABLE "seizure_case" DROP COLUMN "{name}"')
        else:
            op.drop_column("seizure_case", name)
