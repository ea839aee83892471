"""The amendment window: the one sanctioned way to change a finalized case past the database triggers."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from blo_desk.storage.models_security import CaseAmendmentWindowRow


@contextmanager
def amendment_window(session: Session, revisions: Mapping[str, int]) -> Iterator[None]:
    """Open a window per case id -> new revision for the writes inside the block, then close it.

    Use inside the transaction that writes the amendment (or imports one at HQ). The triggers then accept an
    UPDATE of each finalized case row to exactly that (higher, finalized) revision and changes to its items,
    persons and attachments. If the block raises, the transaction is rolled back by its owner anyway.
    """
    if not revisions:
        yield
        return
    ids = list(revisions)
    session.execute(delete(CaseAmendmentWindowRow).where(CaseAmendmentWindowRow.case_id.in_(ids)))
    session.execute(insert(CaseAmendmentWindowRow), [{"case_id": k, "revision": v} for k, v in revisions.items()])
    yield
    session.execute(delete(CaseAmendmentWindowRow).where(CaseAmendmentWindowRow.case_id.in_(ids)))
