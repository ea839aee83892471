"""The case store against its audit chain: each case's content recomputed from its rows, each revision record's hash."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import func, null, or_, select
from sqlalchemy.orm import Session

from blo_desk.domain.audit import (
    CASE_REVISION_ACTIONS,
    REVISIONS_KEY,
    AuditProblem,
    RecordedRevision,
    recorded_revisions,
)
from blo_desk.domain.canonical import canonical_json, content_hash
from blo_desk.i18n import N_
from blo_desk.storage.case_rows import case_from_row
from blo_desk.storage.models import AttachmentRow, CaseRow, ItemRow, PersonRow, RevisionRow
from blo_desk.storage.models_security import AuditEventRow

CASE_BATCH = 500
ROW_BATCH = 5000

CASE_CHANGED = N_("Case {case_number} differs from revision {revision} as the audit trail recorded it: "
                  "it was changed outside the program.")
CASE_MISSING = N_("Case {case_number} is missing: the audit trail records it up to revision {revision}.")
CASE_UNRECORDED = N_("Case {case_number} is not in the audit trail: it was added outside the program.")
CASE_WRONG_REVISION = N_("Case {case_number} is at revision {found}, but the audit trail records revision "
                         "{expected}.")
REVISION_CHANGED = N_("Revision {revision} of case {case_number} differs from what the audit trail recorded.")
REVISION_MISSING = N_("Revision {revision} of case {case_number} is missing.")
REVISION_UNRECORDED = N_("Revision {revision} of case {case_number} is not in the audit trail: it was added "
                         "outside the program.")

Progress = Callable[[int, int], None]


def record_hash(record_text: str) -> tuple[str, dict[str, Any] | None]:
    """The content hash recomputed from a revision record's canonical JSON (its "case"), and the parsed record
    (None, with an empty hash, when the text is no record at all)."""
    try:
        record = json.loads(record_text)
        return hashlib.sha256(canonical_json(record["case"])).hexdigest(), record
    except (ValueError, KeyError, TypeError):
        return "", None


class ContentCheck:
    """Reads, inside the caller's transaction, what the chain recorded and what the case tables hold now."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def recorded(self, *, after_seq: int = 0, case_ids: set[str] | None = None
                 ) -> dict[tuple[str, int], RecordedRevision]:
        """(case id, revision) -> what the audit events after `after_seq` recorded at save, finalize, amend and
        bulk writes (the latest event wins)."""
        stmt = (select(AuditEventRow.seq, AuditEventRow.action, AuditEventRow.outcome, AuditEventRow.target,
                       AuditEventRow.after_hash, AuditEventRow.details)
                .where(AuditEventRow.seq > after_seq, AuditEventRow.outcome == "ok",
                       or_(AuditEventRow.action.in_(sorted(CASE_REVISION_ACTIONS)),
                           AuditEventRow.details.contains(f'"{REVISIONS_KEY}"')))
                .order_by(AuditEventRow.seq))
        found: dict[tuple[str, int], RecordedRevision] = {}
        for seq, action, outcome, target, after_hash, details in self.session.execute(
                stmt.execution_options(yield_per=ROW_BATCH)):
            for entry in recorded_revisions(seq=seq, action=action, outcome=outcome, target=target,
                                            after_hash=after_hash, details=details):
                if case_ids is None or entry.case_id in case_ids:
                    found[(entry.case_id, entry.revision)] = entry
        return found

    def stored_revisions(self) -> dict[tuple[str, int], str]:
        """(case id, revision) -> the content hash column of every revision record held."""
        rows = self.session.execute(select(RevisionRow.case_id, RevisionRow.revision, RevisionRow.content_hash))
        return {(case_id, revision): digest for case_id, revision, digest in rows}

    def case_numbers(self, case_ids: Iterable[str] | None = None) -> dict[str, str]:
        stmt = select(CaseRow.id, CaseRow.case_number)
        if case_ids is not None:
            stmt = stmt.where(CaseRow.id.in_(list(case_ids)))
        return {case_id: number for case_id, number in self.session.execute(stmt)}

    def problems(self, *, recompute: set[str] | None = None, progress: Progress | None = None
                 ) -> list[AuditProblem]:
        """Everything in the case tables that differs from what the chain recorded: every case whose content,
        recomputed from its rows, is not the recorded hash of its revision; every revision record whose content
        or hash changed; every case or revision missing, or present without a record.

        The hash columns, revision numbers and the presence of every case and revision are always compared;
        contents are recomputed for the cases in `recompute` only (None: every case, the full check).

        Memory: besides what the chain recorded, only what a finding needs is kept (case numbers are read when a
        finding names one); the check at login runs while the desk lists its cases."""
        with _lean_cache(self.session):
            return self._problems(recompute, progress)

    def _problems(self, recompute: set[str] | None, progress: Progress | None) -> list[AuditProblem]:
        recorded = self.recorded()
        numbers = _Numbers(self, recorded)
        problems: list[AuditProblem] = []
        total = (self.case_count() if recompute is None else len(recompute)) + 1
        unseen = self._check_revisions(recorded, numbers, problems, recompute)
        if progress:
            progress(1, total)
        latest: dict[str, int] = {}
        for case_id, revision in recorded:
            latest[case_id] = max(revision, latest.get(case_id, 0))
        missing_cases = self._check_cases(recorded, latest, problems, recompute, progress, total)
        for case_id in sorted(missing_cases, key=lambda c: numbers.get(c, c)):
            problems.append(AuditProblem(CASE_MISSING, {"case_number": numbers.get(case_id, case_id),
                                                        "revision": latest[case_id]}))
        for (case_id, revision) in sorted(unseen, key=lambda k: (numbers.get(k[0], k[0]), k[1])):
            if case_id not in missing_cases:
                problems.append(AuditProblem(REVISION_MISSING, {"case_number": numbers.get(case_id, case_id),
                                                                "revision": revision}))
        if progress:
            progress(total, total)
        return problems

    def case_count(self) -> int:
        return int(self.session.execute(select(func.count()).select_from(CaseRow)).scalar_one())

    def _check_revisions(self, recorded: dict[tuple[str, int], RecordedRevision], numbers: _Numbers,
                         problems: list[AuditProblem], recompute: set[str] | None) -> set[tuple[str, int]]:
        """Compare every revision record with the chain; returns the recorded revisions that are not held."""
        # the record text is read here for the full check only (None in its place otherwise)
        record_column = RevisionRow.record if recompute is None else null().label("record")
        unseen = set(recorded)  # the chain's own keys: no new objects for the 100,000s of revisions held
        changed: set[tuple[str, int]] = set()
        for case_id, revision, column_hash, record_text in self.session.execute(
                select(RevisionRow.case_id, RevisionRow.revision, RevisionRow.content_hash, record_column)
                .order_by(RevisionRow.case_id, RevisionRow.revision).execution_options(yield_per=ROW_BATCH)):
            unseen.discard((case_id, revision))
            expected = recorded.get((case_id, revision))
            if expected is None:
                problems.append(AuditProblem(REVISION_UNRECORDED, {"case_number": numbers.get(case_id, case_id),
                                                                   "revision": revision}))
            elif column_hash != expected.content_hash or (
                    record_text is not None and not _record_matches(record_text, case_id, revision, expected.content_hash)):
                changed.add((case_id, revision))
        ids = sorted(recompute or ())
        for start in range(0, len(ids), CASE_BATCH):
            for case_id, revision, record_text in self.session.execute(
                    select(RevisionRow.case_id, RevisionRow.revision, RevisionRow.record)
                    .where(RevisionRow.case_id.in_(ids[start:start + CASE_BATCH]))):
                expected = recorded.get((case_id, revision))
                if expected is not None and not _record_matches(record_text, case_id, revision,
                                                                expected.content_hash):
                    changed.add((case_id, revision))
        for case_id, revision in sorted(changed, key=lambda k: (numbers.get(k[0], k[0]), k[1])):
            problems.append(AuditProblem(REVISION_CHANGED, {"case_number": numbers.get(case_id, case_id),
                                                            "revision": revision}))
        return unseen

    def _loaded(self, case_ids: list[str]) -> list[_LoadedCase]:
        """The cases with their items, persons and attachments in order, read with Core (the columns' own types
        convert the values exactly as the ORM would, without building ORM objects: several times faster)."""
        children: list[dict[str, list]] = []
        for table in (ItemRow.__table__, PersonRow.__table__, AttachmentRow.__table__):
            by_case: dict[str, list] = {}
            for child in self.session.execute(select(table).where(table.c.case_id.in_(case_ids))
                                              .order_by(table.c.case_id, table.c.position)):
                by_case.setdefault(child.case_id, []).append(child)
            children.append(by_case)
        items, persons, attachments = children
        table = CaseRow.__table__
        return [_LoadedCase(row, items.get(row.id, []), persons.get(row.id, []), attachments.get(row.id, []))
                for row in self.session.execute(select(table).where(table.c.id.in_(case_ids)))]

    def _check_cases(self, recorded: dict[tuple[str, int], RecordedRevision], latest: dict[str, int],
                     problems: list[AuditProblem], recompute: set[str] | None, progress: Progress | None,
                     total: int) -> set[str]:
        """Compare every case row with the chain; returns the recorded cases that are not held."""
        unseen = set(latest)
        changed: dict[str, tuple[str, int]] = {}  # case id -> (its number, its revision), for the findings
        ids: list[str] = []
        for case_id, number, revision, column_hash in self.session.execute(
                select(CaseRow.id, CaseRow.case_number, CaseRow.revision, CaseRow.content_hash)
                .order_by(CaseRow.case_number).execution_options(yield_per=ROW_BATCH)):
            unseen.discard(case_id)
            expected_revision = latest.get(case_id)
            if expected_revision is None:
                problems.append(AuditProblem(CASE_UNRECORDED, {"case_number": number}))
                continue
            if revision != expected_revision:
                problems.append(AuditProblem(CASE_WRONG_REVISION, {"case_number": number, "found": revision,
                                                                   "expected": expected_revision}))
            expected = recorded.get((case_id, revision))
            if expected is None or column_hash != expected.content_hash:
                changed[case_id] = (number, revision)
            if recompute is None or case_id in recompute:
                ids.append(case_id)
        ids.sort()
        done = 1
        for start in range(0, len(ids), CASE_BATCH):
            chunk = ids[start:start + CASE_BATCH]
            for row in self._loaded(chunk):
                expected = recorded.get((row.id, row.revision))
                try:
                    digest = content_hash(case_from_row(row))
                except (ValueError, TypeError, KeyError):
                    digest = ""
                if expected is None or digest != expected.content_hash:
                    changed[row.id] = (row.case_number, row.revision)
            done += len(chunk)
            if progress:
                progress(min(done, total - 1), total)
        for number, revision in sorted(changed.values()):
            problems.append(AuditProblem(CASE_CHANGED, {"case_number": number, "revision": revision}))
        return unseen


@contextmanager
def _lean_cache(session: Session) -> Iterator[None]:
    """A check reads every table once: on SQLite it runs with a small page cache, and gives back what it used, so
    that the connection does not keep 32 MB of pages the desk's list will not read again (storage/engine.py)."""
    if session.get_bind().dialect.name != "sqlite":
        yield
        return
    connection = session.connection()
    size = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql("PRAGMA cache_size=-2000")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size={int(size or -2000)}")
        connection.exec_driver_sql("PRAGMA shrink_memory")


class _Numbers:
    """Case id -> case number, read from the store (else as the chain recorded it) when a finding first needs one."""

    def __init__(self, check: ContentCheck, recorded: dict[tuple[str, int], RecordedRevision]) -> None:
        self._check = check
        self._recorded = recorded
        self._numbers: dict[str, str] | None = None

    def get(self, case_id: str, default: str) -> str:
        if self._numbers is None:
            numbers = self._check.case_numbers()
            for entry in self._recorded.values():  # a deleted case is named by the number the chain recorded
                if entry.case_number:
                    numbers.setdefault(entry.case_id, entry.case_number)
            self._numbers = numbers
        return self._numbers.get(case_id, default)


class _LoadedCase:
    """A seizure_case row read with Core, with its children, as case_from_row reads an ORM row (attributes)."""

    def __init__(self, row: Any, items: list, persons: list, attachments: list) -> None:
        self._row = row
        self.items, self.persons, self.attachments = items, persons, attachments

    def __getattr__(self, name: str) -> Any:
        return getattr(self._row, name)


def _record_matches(record_text: str, case_id: str, revision: int, expected_hash: str) -> bool:
    """The revision record still gives the content hash the chain recorded, and names its own case and revision."""
    digest, record = record_hash(record_text)
    return (record is not None and digest == expected_hash and record.get("content_hash") == expected_hash
            and record.get("revision") == revision and isinstance(record["case"], dict)
            and record["case"].get("id") == case_id)
