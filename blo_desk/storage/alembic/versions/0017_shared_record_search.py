"""The records counterparts shared are found by the post's search, by the same rules as its cases.

Why (issue 16): "the search at the post finds shared records too". Until now a shared record kept lower-cased words
(`shared_record.search_text`) found by LIKE, so `Toʻxtayev` missed `Тўхтаев`, `героина` missed heroin and a plate
typed without its spaces missed. The record's search text is now the same normalized body as a case's
(`case_rows.shared_search_body`: apostrophes dropped, the Latin key beside Cyrillic, substances by their names,
plates and numbers also compacted), and on SQLite it is indexed in its own FTS5 table `shared_fts(body, record_id
UNINDEXED)`, with the prefix indexes of one and two characters of `case_fts` (migration 0007) and the same
tokenizer, so `storage/search_query.fts_query` matches both tables alike. A table of its own keeps the case list's
search exactly as it was (its index, its plans, its figures). The bodies of the records already held are computed
here with the code's recipe. PostgreSQL (HQ never holds a share's content) keeps the column only.

Revision ID: 0017
Revises: 0014
Create Date: 2026-11-30
"""

import json

import sqlalchemy as sa
from alembic import op

revision = '0017'
down_revision = '0014'
branch_labels = None
depends_on = None

TOKENIZER = "tokenize='unicode61 remove_diacritics 0'"


def upgrade() -> None:
    from blo_desk.storage.case_rows import shared_search_body

    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    if sqlite:
        op.execute(f"CREATE VIRTUAL TABLE shared_fts USING fts5(body, record_id UNINDEXED, prefix='1 2', {TOKENIZER})")
    rows = bind.execute(sa.text("SELECT id, sender, reference, content FROM shared_record")).fetchall()
    for record_id, sender, reference, content in rows:
        body = shared_search_body(json.loads(content), sender=sender, reference=reference)
        bind.execute(sa.text("UPDATE shared_record SET search_text = :b WHERE id = :i"), {"b": body, "i": record_id})
        if sqlite:
            bind.execute(sa.text("INSERT INTO shared_fts(body, record_id) VALUES (:b, :i)"),
                         {"b": body, "i": record_id})


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE shared_fts")
