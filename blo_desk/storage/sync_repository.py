"""Queries and writes of sync bundles: identity, outbox, trust store, bundle log, alerts, and applying cases."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timezone
from operator import itemgetter
from pathlib import Path
from typing import Any, cast

from sqlalchemy import CursorResult, bindparam, delete, func, literal, select, text, union, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from blo_desk.domain.backup import LostCase
from blo_desk.domain.canonical import canonical_json
from blo_desk.domain.entities import Case
from blo_desk.domain.enums import CaseStatus
from blo_desk.domain.sync import (
    ALERT_MESSAGES,
    ALERT_RESTORED,
    Alert,
    OutboxEntry,
    PostIdentity,
    SeenAtPosts,
    TrustedKey,
)
from blo_desk.storage.base import UtcDateTime
from blo_desk.storage.blobs import BlobStore
from blo_desk.storage.case_rows import (
    ATTACHMENT_COLUMNS,
    CASE_COLUMNS,
    ITEM_COLUMNS,
    PERSON_COLUMNS,
    REVISION_COLUMNS,
    attachment_rows,
    item_rows,
    person_rows,
    search_body,
)
from blo_desk.storage.models import AttachmentRow, CaseRow, ItemRow, PersonRow, RevisionRow, SettingRow
from blo_desk.storage.models_security import AuditEventRow
from blo_desk.storage.models_sync import (
    BundleCopyRow,
    ImportedBundleRow,
    SyncAlertRow,
    SyncExportedRow,
    SyncIdentityRow,
    SyncOutboxRow,
    TrustedKeyRow,
)
from blo_desk.storage.search_query import write_vectors

try:  # the finalized-case triggers of migration 0003 (issue 7); before it, nothing needs opening
    from blo_desk.storage.immutability import amendment_window
except ImportError:  # pragma: no cover
    from contextlib import nullcontext as _nullcontext

    def amendment_window(session, revisions):
        return _nullcontext()

#: seizure_case's columns on PostgreSQL, where the search_vector of migration 0011 follows those of case_rows.
PG_CASE_COLUMNS = (*CASE_COLUMNS, "search_vector")
IN_CHUNK = 900  # bound parameters per IN (...) list, well under SQLite's limit
_ROWID = CASE_COLUMNS.index("search_rowid")


def _chunks(values: list, size: int = IN_CHUNK):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _outbox(row: SyncOutboxRow) -> OutboxEntry:
    return OutboxEntry(
        sequence=row.sequence,
        file_name=row.file_name,
        folder=row.folder,
        status=row.status,
        sha256=row.sha256,
        size=row.size,
        full=row.full,
        records=row.records,
        cases=row.cases,
        attachments=row.attachments,
        created_at=row.created_at,
        acknowledged_at=row.acknowledged_at,
    )


def _trusted(row: TrustedKeyRow) -> TrustedKey:
    return TrustedKey(
        key_id=row.key_id,
        post_code=row.post_code,
        public_key=row.public_key,
        added_at=row.added_at,
        revoked_from=row.revoked_from,
        revoked_at=row.revoked_at,
        note=row.note,
    )


#: Settings of a restored post: the bundle number it continues above, and the restore it tells HQ about.
SEQUENCE_FLOOR_SETTING = "sync.sequence_floor"
RESTORE_SETTING = "sync.restore"


class SyncRepository:
    """Everything bundles read and write, inside the caller's transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.dialect = session.get_bind().dialect.name
        self.is_sqlite = self.dialect == "sqlite"

    # --- the post's identity ------------------------------------------------------------------
    def identity(self) -> PostIdentity | None:
        row = self.session.scalars(select(SyncIdentityRow)).first()
        if row is None:
            return None
        return PostIdentity(post_code=row.post_code, key_id=row.key_id, public_key=row.public_key,
                            created_at=row.created_at)

    def secret_key_file(self) -> str | None:
        return self.session.scalar(select(SyncIdentityRow.secret_key_file))

    def set_identity(self, identity: PostIdentity, *, secret_key_file: str) -> None:
        self.session.execute(delete(SyncIdentityRow))
        self.session.add(SyncIdentityRow(post_code=identity.post_code, key_id=identity.key_id,
                                         public_key=identity.public_key, secret_key_file=secret_key_file,
                                         created_at=identity.created_at))
        self.session.flush()

    # --- the post's outbox ----------------------------------------------------------------------
    def last_sequence(self) -> int:
        """The highest bundle number this post used, or (after a restore) the number it continues above."""
        used = int(self.session.scalar(select(func.coalesce(func.max(SyncOutboxRow.sequence), 0))) or 0)
        floor = self.session.get(SettingRow, SEQUENCE_FLOOR_SETTING)
        return max(used, int(floor.value) if floor is not None else 0)

    def restore_notice(self) -> dict | None:
        """What this post tells HQ about its last restore (in every bundle after it), or None."""
        row = self.session.get(SettingRow, RESTORE_SETTING)
        return None if row is None else json.loads(row.value)

    def security_events(self, *, actions: tuple[str, ...], limit: int = 100) -> list[dict]:
        """The audit events of these kinds since the chain the last written bundle reported (as the manifest
        carries them to HQ)."""
        after = int(self.session.scalar(select(func.coalesce(func.max(SyncOutboxRow.audit_length), 0))
                                        .where(SyncOutboxRow.status == "written")) or 0)
        rows = self.session.execute(
            select(AuditEventRow.seq, AuditEventRow.at, AuditEventRow.action, AuditEventRow.outcome)
            .where(AuditEventRow.seq > after, AuditEventRow.action.in_(actions))
            .order_by(AuditEventRow.seq.desc()).limit(limit))
        return [{"action": action, "outcome": outcome, "at": at, "audit_seq": int(seq)}
                for seq, at, action, outcome in reversed(list(rows))]

    def last_written(self) -> OutboxEntry | None:
        row = self.session.scalars(
            select(SyncOutboxRow).where(SyncOutboxRow.status == "written").order_by(SyncOutboxRow.sequence.desc())
        ).first()
        return None if row is None else _outbox(row)

    def reserve(self, *, sequence: int, post_code: str, file_name: str, folder: str, full: bool,
                created_at: datetime) -> None:
        self.session.add(SyncOutboxRow(sequence=sequence, post_code=post_code, status="reserved", file_name=file_name,
                                       folder=folder, full=full, created_at=created_at))
        self.session.flush()

    def mark_written(self, *, sequence: int, sha256: str, previous_sha256: str, size: int, records: int, cases: int,
                     attachments: int) -> None:
        self.session.execute(
            update(SyncOutboxRow).where(SyncOutboxRow.sequence == sequence).values(
                status="written", sha256=sha256, previous_sha256=previous_sha256, size=size, records=records,
                cases=cases, attachments=attachments)
        )

    def set_reported_audit(self, *, sequence: int, length: int, head: str) -> None:
        """The audit chain (length, head) the bundle with this number reports in its manifest."""
        self.session.execute(update(SyncOutboxRow).where(SyncOutboxRow.sequence == sequence).values(
            audit_length=length, audit_head=head))

    def audit_checkpoints(self, length: int, *, limit: int = 1000) -> tuple[tuple[int, str], ...]:
        """For each chain length an earlier written bundle reported (up to `length`), the hash this store's
        chain has now at that length: HQ compares it with what that bundle said."""
        lengths = sorted({n for (n,) in self.session.execute(
            select(SyncOutboxRow.audit_length).where(SyncOutboxRow.status == "written",
                                                     SyncOutboxRow.audit_length > 0,
                                                     SyncOutboxRow.audit_length <= length))})[-limit:]
        found: dict[int, str] = {}
        for chunk in _chunks(lengths):
            for seq, digest in self.session.execute(
                    select(AuditEventRow.seq, AuditEventRow.hash).where(AuditEventRow.seq.in_(chunk))):
                found[seq] = digest
        return tuple((n, found[n]) for n in lengths if n in found)

    def mark_failed(self, *, sequence: int) -> None:
        self.session.execute(update(SyncOutboxRow).where(SyncOutboxRow.sequence == sequence).values(status="failed"))

    def outbox(self, *, include_acknowledged: bool = False) -> list[OutboxEntry]:
        stmt = select(SyncOutboxRow).order_by(SyncOutboxRow.sequence)
        if not include_acknowledged:
            stmt = stmt.where(SyncOutboxRow.acknowledged_at.is_(None), SyncOutboxRow.status == "written")
        return [_outbox(r) for r in self.session.scalars(stmt)]

    def cases_waiting(self, *, post_code: str) -> int:
        """How many of the post's cases HQ has not confirmed yet: a revision not yet in a bundle, or in a bundle
        written and not yet acknowledged (each case counted once, however many revisions and bundles)."""
        exported = (
            select(SyncExportedRow.case_id)
            .where(SyncExportedRow.case_id == RevisionRow.case_id, SyncExportedRow.revision == RevisionRow.revision)
            .exists()
        )
        unsent = (select(RevisionRow.case_id).join(CaseRow, CaseRow.id == RevisionRow.case_id)
                  .where(CaseRow.post_code == post_code, ~exported))
        unconfirmed = (select(SyncExportedRow.case_id)
                       .join(SyncOutboxRow, SyncOutboxRow.sequence == SyncExportedRow.sequence)
                       .where(SyncOutboxRow.status == "written", SyncOutboxRow.acknowledged_at.is_(None)))
        waiting = union(unsent, unconfirmed).subquery()
        return int(self.session.scalar(select(func.count()).select_from(waiting)) or 0)

    def acknowledge(self, *, up_to: int, at: datetime) -> int:
        result = cast(CursorResult[Any], self.session.execute(  # an UPDATE: Session.execute gives a CursorResult
            update(SyncOutboxRow)
            .where(SyncOutboxRow.sequence <= up_to, SyncOutboxRow.acknowledged_at.is_(None),
                   SyncOutboxRow.status == "written")
            .values(acknowledged_at=at)
        ))
        return int(result.rowcount or 0)

    def revisions_to_export(self, *, post_code: str, full: bool) -> list[tuple[str, int, str, bool]]:
        """(case_id, revision, record, already exported) of the post's cases in a stable order; all when full."""
        exported = (
            select(SyncExportedRow.case_id)
            .where(SyncExportedRow.case_id == RevisionRow.case_id, SyncExportedRow.revision == RevisionRow.revision)
            .exists()
        )
        # On SQLite, `post_code || ''` keeps the planner off the post index: it then walks the revisions in the
        # saved_at index (the order wanted) instead of sorting every record text in a temporary b-tree.
        post = CaseRow.post_code.concat("") if self.is_sqlite else CaseRow.post_code
        flag = exported if full else literal(False)  # without `full` only revisions not yet exported are read
        stmt = (
            select(RevisionRow.case_id, RevisionRow.revision, RevisionRow.record, flag)
            .join(CaseRow, CaseRow.id == RevisionRow.case_id)
            .where(post == post_code)
            .order_by(RevisionRow.saved_at, RevisionRow.case_id, RevisionRow.revision)
        )
        if not full:
            stmt = stmt.where(~exported)
        if self.is_sqlite:  # a plain cursor: SQLAlchemy's Row handling cost as much as SQLite's query itself
            compiled = stmt.compile(dialect=self.session.get_bind().dialect)
            params = compiled.construct_params()
            positions = compiled.positiontup
            assert positions is not None  # sqlite3's parameters are positional
            cursor = self._raw().cursor()
            try:
                cursor.execute(str(compiled), [params[name] for name in positions])
                return [(c, r, rec, bool(e)) for c, r, rec, e in cursor.fetchall()]
            finally:
                cursor.close()
        return [(c, r, rec, bool(e)) for c, r, rec, e in self.session.execute(stmt)]

    def mark_exported(self, pairs: Iterable[tuple[str, int]], *, sequence: int) -> None:
        rows = [(c, r, sequence) for c, r in pairs]
        if rows:
            self._write_tuples(SyncExportedRow.__tablename__, ("case_id", "revision", "sequence"), rows)

    # --- HQ's trust store ----------------------------------------------------------------------
    def trusted_key(self, key_id: str) -> TrustedKey | None:
        row = self.session.get(TrustedKeyRow, key_id)
        return None if row is None else _trusted(row)

    def trusted_keys(self) -> list[TrustedKey]:
        return [_trusted(r) for r in self.session.scalars(
            select(TrustedKeyRow).order_by(TrustedKeyRow.post_code, TrustedKeyRow.added_at))]

    def add_trusted_key(self, key: TrustedKey) -> None:
        self.session.add(TrustedKeyRow(key_id=key.key_id, post_code=key.post_code, public_key=key.public_key,
                                       added_at=key.added_at, note=key.note))
        self.session.flush()

    def remove_trusted_key(self, key_id: str) -> None:
        self.session.execute(delete(TrustedKeyRow).where(TrustedKeyRow.key_id == key_id))

    def bundles_signed_by(self, key_id: str) -> int:
        return self.session.scalar(select(func.count()).select_from(ImportedBundleRow)
                                   .where(ImportedBundleRow.key_id == key_id)) or 0

    def revoke_key(self, *, key_id: str, from_sequence: int, at: datetime) -> None:
        self.session.execute(update(TrustedKeyRow).where(TrustedKeyRow.key_id == key_id).values(
            revoked_from=from_sequence, revoked_at=at))

    # --- HQ's bundle log and alerts ------------------------------------------------------------
    def lock_post(self, post_code: str) -> None:
        """Serialize imports of one post's bundles between analysts sharing a PostgreSQL database."""
        if self.dialect == "postgresql":
            self.session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:p))"), {"p": "blo-bundle:" + post_code})

    def imported_bundle(self, post_code: str, sequence: int) -> ImportedBundleRow | None:
        return self.session.get(ImportedBundleRow, (post_code, sequence))

    def record_bundle(self, **values) -> None:
        self.session.add(ImportedBundleRow(**values))
        self.session.flush()

    def holds_container(self, post_code: str, sequence: int, sha256: str) -> bool:
        """Whether HQ verified this container (by its file's SHA-256) as bundle (post, sequence) it holds."""
        return self.session.get(BundleCopyRow, (post_code, sequence, sha256)) is not None

    def holds_identity(self, post_code: str, sequence: int, identity_sha256: str) -> bool:
        """Whether some container already verified carried this identity (signed manifest or envelope)."""
        return self.session.scalar(select(BundleCopyRow.sha256).where(
            BundleCopyRow.post_code == post_code, BundleCopyRow.sequence == sequence,
            BundleCopyRow.identity_sha256 == identity_sha256).limit(1)) is not None

    def add_container(self, *, post_code: str, sequence: int, sha256: str, identity_sha256: str) -> None:
        """Remember a container of a bundle HQ holds (no-op when it is known already)."""
        if not self.holds_container(post_code, sequence, sha256):
            self.session.add(BundleCopyRow(post_code=post_code, sequence=sequence, sha256=sha256,
                                           identity_sha256=identity_sha256))
            self.session.flush()

    def audit_reports(self, post_code: str) -> list[tuple[int, int, str, str]]:
        """(sequence, audit length, audit head, checkpoints JSON) of every bundle held from the post."""
        return [(seq, length, head, checkpoints) for seq, length, head, checkpoints in self.session.execute(
            select(ImportedBundleRow.sequence, ImportedBundleRow.audit_length, ImportedBundleRow.audit_head,
                   ImportedBundleRow.audit_checkpoints)
            .where(ImportedBundleRow.post_code == post_code).order_by(ImportedBundleRow.sequence))]

    def sequences_by_post(self) -> dict[str, list[tuple[int, datetime]]]:
        found: dict[str, list[tuple[int, datetime]]] = {}
        for post, seq, at in self.session.execute(
            select(ImportedBundleRow.post_code, ImportedBundleRow.sequence, ImportedBundleRow.imported_at)
            .order_by(ImportedBundleRow.post_code, ImportedBundleRow.sequence)
        ):
            found.setdefault(post, []).append((seq, at))
        return found

    def add_alert(self, *, kind: str, post_code: str, sequence: int, manifest_sha256: str, file_name: str,
                  params: dict, at: datetime) -> None:
        exists = self.session.scalar(select(SyncAlertRow.id).where(
            SyncAlertRow.kind == kind, SyncAlertRow.post_code == post_code, SyncAlertRow.sequence == sequence,
            SyncAlertRow.manifest_sha256 == manifest_sha256))
        if exists is None:
            self.session.add(SyncAlertRow(kind=kind, post_code=post_code, sequence=sequence,
                                          manifest_sha256=manifest_sha256, file_name=file_name,
                                          details=canonical_json(params).decode("utf-8"), raised_at=at))
            self.session.flush()

    def revisions_saved_between(self, post_code: str, *, start: str, end: str) -> list[LostCase]:
        """The post's case revisions HQ holds that were saved in [start, end) (ISO 8601 UTC texts)."""
        begin = datetime.fromisoformat(start.replace("Z", "+00:00"))
        until = datetime.fromisoformat(end.replace("Z", "+00:00"))
        rows = self.session.execute(
            select(RevisionRow.case_id, CaseRow.case_number, RevisionRow.revision, RevisionRow.status,
                   RevisionRow.saved_at, CaseRow.occurred_at, CaseRow.timezone, CaseRow.items_summary,
                   CaseRow.persons_summary)
            .join(CaseRow, CaseRow.id == RevisionRow.case_id)
            .where(CaseRow.post_code == post_code, RevisionRow.saved_at >= begin, RevisionRow.saved_at < until)
            .order_by(RevisionRow.saved_at))
        return [LostCase(case_id=c, case_number=n, revision=r, status=s, saved_at=at, occurred_at=occurred,
                         timezone=zone or "", items=items or "", persons=persons or "")
                for c, n, r, s, at, occurred, zone, items, persons in rows]

    def restores(self, post_code: str) -> list[tuple[int, int]]:
        """(lost above, resumed at) of every restore the post announced (its post_restored alerts)."""
        found = []
        for details in self.session.scalars(select(SyncAlertRow.details).where(
                SyncAlertRow.kind == ALERT_RESTORED, SyncAlertRow.post_code == post_code)):
            params = json.loads(details)
            found.append((int(params["lost_above"]), int(params["seq"])))
        return found

    def alerts(self, *, include_resolved: bool = False) -> list[Alert]:

        stmt = select(SyncAlertRow).order_by(SyncAlertRow.raised_at, SyncAlertRow.id)
        if not include_resolved:
            stmt = stmt.where(SyncAlertRow.resolved_at.is_(None))
        return [
            Alert(id=r.id, kind=r.kind, post_code=r.post_code, sequence=r.sequence, file_name=r.file_name,
                  raised_at=r.raised_at, message=ALERT_MESSAGES.get(r.kind, r.kind), params=json.loads(r.details))
            for r in self.session.scalars(stmt)
        ]

    def seen_at_several_posts(self, *, limit: int = 200) -> list[SeenAtPosts]:
        found: list[SeenAtPosts] = []
        for kind, column, join in (("document", PersonRow.document_number, True),
                                   ("plate", CaseRow.conveyance_registration, False)):
            key = func.upper(func.replace(func.replace(func.replace(column, " ", ""), "-", ""), "/", ""))
            base = select(key.label("k"), CaseRow.post_code, CaseRow.case_number, column)
            if join:
                base = base.join(CaseRow, CaseRow.id == PersonRow.case_id)
            live = CaseRow.status != str(CaseStatus.VOIDED)  # a voided draft is no sighting
            base = base.where(column != "", live)
            keys = select(key).select_from(PersonRow if join else CaseRow)
            if join:
                keys = keys.join(CaseRow, CaseRow.id == PersonRow.case_id)
            keys = (keys.where(column != "", live).group_by(key)
                    .having(func.count(func.distinct(CaseRow.post_code)) > 1)
                    .order_by(func.count(func.distinct(CaseRow.post_code)).desc(), key).limit(limit))
            wanted = [k for (k,) in self.session.execute(keys)]
            groups: dict[str, tuple[str, set, set]] = {}
            for chunk in _chunks(wanted):
                for k, post, number, value in self.session.execute(base.where(key.in_(chunk))):
                    entry = groups.setdefault(k, (value, set(), set()))
                    entry[1].add(post)
                    entry[2].add(number)
            for k in wanted:
                if k in groups:
                    value, posts, numbers = groups[k]
                    found.append(SeenAtPosts(kind=kind, value=value, posts=tuple(sorted(posts)),
                                             cases=tuple(sorted(numbers))))
        found.sort(key=lambda s: (-len(s.posts), s.kind, s.value))
        return found[:limit]

    def keys_by_post(self) -> dict[str, int]:
        rows = self.session.execute(select(TrustedKeyRow.post_code, func.count()).group_by(TrustedKeyRow.post_code))
        return {post: int(count) for post, count in rows}

    # --- applying cases at HQ ------------------------------------------------------------------
    def _probe(self, table: str, key: str, columns: str, values: list[str]) -> list[tuple]:
        """PostgreSQL: the rows of `table` whose `key` is one of `values`, one index probe per value. A LATERAL
        subquery with OFFSET 0 is never turned into a join or scan over the whole table, which the planner chose
        with the statistics of a store that the running import is filling (an IN list of 900 ids read the whole
        of case_revision once per chunk): the cost follows the ids asked for, not the size of the store."""
        raw = self._raw()
        with raw.cursor() as cursor:
            cursor.execute(f"SELECT {columns} FROM unnest(%s::text[]) AS t(v) CROSS JOIN LATERAL "
                           f"(SELECT {columns} FROM {table} WHERE {key} = t.v OFFSET 0) AS found", (values,))
            return cursor.fetchall()

    def held_revisions(self, case_ids: list[str]) -> dict[tuple[str, int], str]:
        if self.dialect == "postgresql":
            return {(case_id, revision): digest for case_id, revision, digest in self._probe(
                "case_revision", "case_id", "case_id, revision, content_hash", case_ids)}
        held: dict[tuple[str, int], str] = {}
        for chunk in _chunks(case_ids):
            for case_id, revision, digest in self.session.execute(
                select(RevisionRow.case_id, RevisionRow.revision, RevisionRow.content_hash).where(
                    RevisionRow.case_id.in_(chunk))
            ):
                held[(case_id, revision)] = digest
        return held

    def held_cases(self, case_ids: list[str]) -> dict[str, tuple[int, str, int | None]]:
        """case id -> (current revision, post code, FTS rowid)."""
        if self.dialect == "postgresql":
            return {case_id: (revision, post, rowid) for case_id, revision, post, rowid in self._probe(
                "seizure_case", "id", "id, revision, post_code, search_rowid", case_ids)}
        held: dict[str, tuple[int, str, int | None]] = {}
        for chunk in _chunks(case_ids):
            for case_id, revision, post, rowid in self.session.execute(
                select(CaseRow.id, CaseRow.revision, CaseRow.post_code, CaseRow.search_rowid).where(
                    CaseRow.id.in_(chunk))
            ):
                held[case_id] = (revision, post, rowid)
        return held

    def case_ids_by_number(self, numbers: list[str]) -> dict[str, str]:
        if self.dialect == "postgresql":
            return dict(self._probe("seizure_case", "case_number", "case_number, id", numbers))
        found: dict[str, str] = {}
        for chunk in _chunks(numbers):
            rows = self.session.execute(select(CaseRow.case_number, CaseRow.id).where(CaseRow.case_number.in_(chunk)))
            found.update({number: case_id for number, case_id in rows})
        return found

    def _insert(self, model, rows: list[dict]) -> None:
        """Bulk insert through the driver in the session's transaction: sqlite3 `executemany` (SQLAlchemy's
        per-row parameter handling cost more than SQLite itself) or, on PostgreSQL, one COPY per table and chunk
        (so the statement-level finalized-case guards of migration 0004 run once, not per row)."""
        if not rows:
            return
        if len(rows) > 1 and self.dialect in ("sqlite", "postgresql"):
            prepared = self._driver_rows(model.__table__, rows)
            if prepared is not None:
                self._write_tuples(model.__table__.name, *prepared)
                return
        self.session.connection().execute(model.__table__.insert(), rows)

    def _raw(self) -> Any:
        """The driver's own connection (sqlite3 or psycopg) under the session's transaction."""
        raw = self.session.connection().connection.driver_connection
        assert raw is not None  # the session's connection is open
        return raw

    def _write_tuples(self, table: str, names, values: Sequence[Sequence[Any]]) -> None:
        """Rows already in the driver's terms (plain tuples in the order of `names`) written in the session's
        transaction: sqlite3 `executemany`, one COPY on PostgreSQL, SQLAlchemy Core elsewhere."""
        if not values:
            return
        raw = self._raw()
        quoted = ", ".join(f'"{name}"' for name in names)
        try:
            if self.dialect == "postgresql":
                with raw.cursor() as cursor, cursor.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy:
                    for row in values:
                        copy.write_row(row)
            elif self.is_sqlite:
                cursor = raw.cursor()
                try:
                    cursor.executemany(f'INSERT INTO "{table}" ({quoted}) VALUES ({", ".join("?" * len(names))})',
                                       values)
                finally:
                    cursor.close()
            else:  # pragma: no cover - only SQLite and PostgreSQL are supported stores
                self.session.execute(text(f'INSERT INTO "{table}" ({quoted}) VALUES '
                                          f'({", ".join(":" + n for n in names)})'),
                                     [dict(zip(names, row, strict=True)) for row in values])
        except Exception as exc:
            # The driver's own error (a value that does not fit, a trigger): wrapped as SQLAlchemy wraps it on
            # every other path, so the importer rejects the bundle with a reason instead of failing outright.
            if isinstance(exc, sqlite3.Error) or type(exc).__module__.startswith("psycopg"):
                raise DBAPIError(f'INSERT INTO "{table}"', None, exc) from exc
            raise

    def _driver_rows(self, table, rows: list[dict]) -> tuple[list[str], Sequence[Sequence[Any]]] | None:
        """Column names and value tuples as the driver takes them (the columns' own bind processing applied);
        None when a column needs a Python default the driver cannot apply (the caller then uses SQLAlchemy)."""
        dialect = self.session.get_bind().dialect
        given = rows[0].keys()
        names: list[str] = []
        constants: dict[str, object] = {}
        processors = []
        for column in table.columns:
            if column.name in given:
                pass
            elif column.default is not None:
                if not column.default.is_scalar:
                    return None
                constants[column.name] = column.default.arg
            else:
                continue
            names.append(column.name)
            if self.is_sqlite and isinstance(column.type, UtcDateTime):
                processors.append(_sqlite_utc_text)  # what UtcDateTime + SQLite's DATETIME store, in one call
            else:
                processors.append(column.type._cached_bind_processor(dialect))
        if constants:
            rows = [{**constants, **row} for row in rows]
        getter = itemgetter(*names)
        if len(names) == 1:
            return names, [(getter(row),) for row in rows]
        todo = [(n, process) for n, process in enumerate(processors) if process is not None]
        if not todo:
            return names, [getter(row) for row in rows]
        values = []
        for row in rows:
            out = list(getter(row))
            for n, process in todo:
                if out[n] is not None:
                    out[n] = process(out[n])
            values.append(out)
        return names, values

    def insert_revision_rows(self, rows: Sequence[tuple | bytes]) -> None:
        """case_revision rows built from checked bundle records (case_rows.RecordRows.revision): tuples, or on
        PostgreSQL their COPY text (pg_copy.copy_text)."""
        self._write_rows(RevisionRow.__tablename__, REVISION_COLUMNS, rows)

    def insert_case_rows(self, cases: Sequence[tuple[Any, Any, Any, Any, str]]) -> None:
        """New cases from rows built by case_rows.RecordRows out of bundle records whose fields, canonical form and
        content hash the caller checked: (case row, items, persons, attachments, search body) per case. On
        SQLite the rows are tuples, the case's full-text entry is written here and its rowid set in the row; on
        PostgreSQL they are COPY text (pg_copy.copy_text), the case row ending with its search_vector (migration
        0011), written in the same COPY. No Case object, no SQLAlchemy parameter handling per row."""
        if not cases:
            return
        if not self.is_sqlite:
            self._write_rows(CaseRow.__tablename__, PG_CASE_COLUMNS, [c[0] for c in cases])
            for n, (table, columns) in enumerate(((ItemRow, ITEM_COLUMNS), (PersonRow, PERSON_COLUMNS),
                                                  (AttachmentRow, ATTACHMENT_COLUMNS)), start=1):
                self._write_rows(table.__tablename__, columns, [c[n] for c in cases if c[n]])
            return
        base = self._fts_base()
        assert base is not None
        case_rows: list[tuple] = []
        items: list[tuple] = []
        persons: list[tuple] = []
        attachments: list[tuple] = []
        bodies: list[tuple[int, str]] = []
        for n, (case, case_items, case_persons, case_attachments, body) in enumerate(cases, start=1):
            rowid = base + n
            case_rows.append((*case[:_ROWID], rowid, *case[_ROWID + 1:]))
            bodies.append((rowid, body))
            items += case_items
            persons += case_persons
            attachments += case_attachments
        self._write_tuples(CaseRow.__tablename__, CASE_COLUMNS, case_rows)
        self._write_fts(bodies)
        self._write_tuples(ItemRow.__tablename__, ITEM_COLUMNS, items)
        self._write_tuples(PersonRow.__tablename__, PERSON_COLUMNS, persons)
        self._write_tuples(AttachmentRow.__tablename__, ATTACHMENT_COLUMNS, attachments)

    def _write_rows(self, table: str, names: Sequence[str], rows: Sequence[Any]) -> None:
        """Rows as tuples (_write_tuples), or, on PostgreSQL, blocks of COPY text sent as they are in one COPY."""
        if not rows:
            return
        if not isinstance(rows[0], bytes):
            self._write_tuples(table, names, rows)
            return
        assert self.dialect == "postgresql"
        quoted = ", ".join(f'"{name}"' for name in names)
        try:
            with self._raw().cursor() as cursor, cursor.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy:
                copy.write(b"".join(rows))
        except Exception as exc:
            if type(exc).__module__.startswith("psycopg"):  # as _write_tuples: the importer rejects with a reason
                raise DBAPIError(f'COPY "{table}"', None, exc) from exc
            raise

    def _write_fts(self, rows: list[tuple[int, str]]) -> None:
        """New entries of SQLite's full-text index, (rowid, body), in one executemany."""
        raw = self._raw()
        cursor = raw.cursor()
        try:
            cursor.executemany("INSERT INTO case_fts(rowid, body) VALUES (?, ?)", rows)
        finally:
            cursor.close()

    def write_cases(self, updated: list[tuple[Case, dict, int | None]]) -> None:
        """Overwrite cases HQ holds (with their items, persons, photos and search entry) by a newer revision.

        Each case comes with its columns from case_rows.case_columns (computed once by the caller, who checks the
        hash). New cases go in through insert_case_rows.
        """
        if not updated:
            return
        # A finalized case may only move to a higher revision, through an amendment window (issue 7).
        window: dict[str, int] = {}
        for c, _cols, _rowid in updated:
            assert c.id is not None  # cases HQ already holds
            window[c.id] = c.revision
        with amendment_window(self.session, window):
            self._overwrite(updated)
            self._insert_children([c for c, _cols, _rowid in updated])

    def _overwrite(self, updated: list[tuple[Case, dict, int | None]]) -> None:
        ids = [c.id for c, _cols, _rowid in updated]
        for chunk in _chunks(ids):
            for table in (ItemRow, PersonRow, AttachmentRow):
                self.session.execute(delete(table).where(table.case_id.in_(chunk)))
        bodies = [search_body(c) for c, _cols, _rowid in updated]
        stmt = update(CaseRow).where(CaseRow.id == bindparam("b_id")).values(
            {name: bindparam(name) for name in [*updated[0][1], "search_text"]})
        self.session.connection().execute(
            stmt, [{"b_id": c.id, **cols, "search_text": body} for (c, cols, _r), body in zip(updated, bodies, strict=True)])
        if not self.is_sqlite:
            write_vectors(self.session, [(c.id, body) for (c, _cols, _r), body in zip(updated, bodies, strict=True)])
            return
        with_rowid = [(r, b) for (_c, _cols, r), b in zip(updated, bodies, strict=True) if r is not None]
        if with_rowid:
            self.session.execute(text("DELETE FROM case_fts WHERE rowid = :r"), [{"r": r} for r, _b in with_rowid])
            self.session.execute(text("INSERT INTO case_fts(rowid, body) VALUES (:r, :b)"),
                                 [{"r": r, "b": b} for r, b in with_rowid])
        missing = [(c, b) for (c, _cols, r), b in zip(updated, bodies, strict=True) if r is None]
        if missing:
            self._index_new(missing)

    def _insert_children(self, cases: list[Case]) -> None:
        items, persons, attachments = [], [], []
        for case in cases:
            items += item_rows(case)
            persons += person_rows(case)
            attachments += attachment_rows(case)
        for table, rows in ((ItemRow, items), (PersonRow, persons), (AttachmentRow, attachments)):
            self._insert(table, rows)

    def _fts_base(self) -> int | None:
        if not self.is_sqlite:
            return None
        return int(self.session.scalar(text("SELECT coalesce(max(rowid), 0) FROM case_fts")) or 0)

    def _index_new(self, cases: list[tuple[Case, str]]) -> None:
        base = self._fts_base()
        assert base is not None
        for n, (case, body) in enumerate(cases, start=1):
            self.session.execute(text("INSERT INTO case_fts(rowid, body) VALUES (:r, :b)"), {"r": base + n, "b": body})
            self.session.execute(update(CaseRow).where(CaseRow.id == case.id).values(search_rowid=base + n))


def _sqlite_utc_text(value: datetime) -> str:
    """An aware datetime as SQLite's DATETIME text of its UTC time ('YYYY-MM-DD HH:MM:SS.ffffff')."""
    if value.tzinfo is None:
        raise ValueError("naive datetime given to a UTC column")
    return value.astimezone(timezone.utc).isoformat(" ", "microseconds")[:26]


def adopt_staged(blobs: BlobStore, staged: dict[str, Path], *,
                 read: Callable[[Path], bytes] | None = None) -> int:
    """Move verified photos from the staging folder into the blob store; returns how many were new.

    An encrypted store seals each photo (its files never hold plain content); a plain one renames the file.
    `read`: how to read a staged photo's plain bytes (sealed scratch files: through their key)."""
    added = 0
    for sha, path in staged.items():
        target = blobs.path_for(sha)
        if target.exists():
            os.unlink(path)
            continue
        if blobs.encrypted:
            data = read(Path(path)) if read is not None else Path(path).read_bytes()
            blobs.put_bytes(data)  # at most the bundle limit per photo (64 MB)
            os.unlink(path)
            added += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)
        added += 1
    return added
