"""The post's full-text index keeps prefix indexes of one and two characters (FTS5 `prefix='1 2'`).

Why (issue 11, benchmarks/bench_store.py): with the format-2 fields in the search body (trailer plates, VINs,
container, wagon and document numbers, seals, officers), a typed plate such as "01 A 457" asks for every token
starting with "a" or "01", and FTS5 without a prefix index merges thousands of token lists: 51 ms on 100,000
cases, above the 50 ms target for the whole search. With prefix indexes of length 1 and 2 the same query takes
3 ms ("KN 00" 21 -> 5 ms), the index is built in under 4 s for 100,000 cases, and other queries are unchanged.
The table is rebuilt from the bodies it holds (its rowids are kept, so seizure_case.search_rowid stays right).
SQLite only: HQ on PostgreSQL has no case_fts.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""

from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

TOKENIZER = "tokenize='unicode61 remove_diacritics 0'"


def _rebuild(options: str) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(f"CREATE VIRTUAL TABLE case_fts_rebuilt USING fts5(body, {options})")
    op.execute("INSERT INTO case_fts_rebuilt(rowid, body) SELECT rowid, body FROM case_fts")
    op.execute("DROP TABLE case_fts")
    op.execute("ALTER TABLE case_fts_rebuilt RENAME TO case_fts")


def upgrade() -> None:
    _rebuild(f"prefix='1 2', {TOKENIZER}")


def downgrade() -> None:
    _rebuild(TOKENIZER)
