"""HQ's import of a bundle's records: every check of a record and the rows it becomes, chunk by chunk, in a worker
process ahead of the writes of the chunk before (the pipeline), or in the importing process for a small bundle."""

from __future__ import annotations

import multiprocessing
import threading
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import NamedTuple

from blo_desk.exchange import strict_json
from blo_desk.exchange.errors import BundleRejected
from blo_desk.exchange.manifest import RECORDS
from blo_desk.exchange.records import check_attachments, check_content, check_record, record_format
from blo_desk.exchange.verify import OpenedBundle
from blo_desk.services.bulk import collector_paused
from blo_desk.storage.case_rows import RecordRows, content_search_body
from blo_desk.storage.pg_copy import copy_text
from blo_desk.storage.search_query import search_vector

#: Records per chunk through the worker: a small first one, so that the writes start soon, then chunks of the same
#: size, so that the worker, checking chunk k+1 while chunk k is written, keeps ahead (with growing chunks it fell
#: one doubling behind and the importing process waited for it, 10 s of 39 s at 24 bundles of 5,000). With two import
#: lanes (import_lanes) the other lane's writes fill the gaps too: chunks of 1,000 rather than 500 halve the
#: statements (and the guard's runs) per bundle, 27.4 -> 26.7 s for 24 x 5,000.
FIRST_CHUNKS = (250,)
PIPELINE_CHUNK = 1000
#: Chunks a worker prepares ahead of the one being written.
AHEAD = 3
#: A bundle with more records than this is prepared in the worker process (a smaller one: not worth the hand-over).
PIPELINE_FROM = 1000


class ChunkJob(NamedTuple):
    """What a worker needs to check one chunk of a bundle's records: the bundle's post, record format, photos and
    JSON limits, and the lines (number, exact bytes)."""

    post: str
    format_version: int
    photos: frozenset[str]
    sqlite: bool
    max_depth: int
    max_number_chars: int
    lines: list[tuple[int, bytes]]


class CheckedRecord(NamedTuple):
    """One record that passed every check that needs nothing but the bundle (strict JSON, fields and types, post,
    canonical form, content hash, photos), with what the import writes if its revision is new to HQ."""

    line: int
    case_id: str
    case_number: str
    revision: int
    content_hash: str
    attachments: tuple[str, ...]  # the photos it names (SHA-256)
    text: str  # the canonical JSON line: the revision's record
    #: What check_content found (the stored rows would not give back the hashed content): raised by the import if,
    #: and only if, this revision is the one it writes, exactly where check_content was called before.
    content_error: BundleRejected | None
    # The rows, as case_rows.RecordRows gives them: tuples for SQLite; on PostgreSQL their COPY text (pg_copy),
    # which a worker hands over as one block of bytes instead of thousands of small objects.
    revision_row: tuple | bytes  # case_revision (REVISION_COLUMNS)
    # A new case's rows, None after a content_error: seizure_case (CASE_COLUMNS; on PostgreSQL followed by its
    # search_vector), its children, and the search body (SQLite's full-text entry; "" on PostgreSQL).
    case_row: tuple | bytes | None
    items: list[tuple] | bytes
    persons: list[tuple] | bytes
    attachment_rows: list[tuple] | bytes
    body: str


def check_chunk(job: ChunkJob) -> list[CheckedRecord]:
    """Every record of the chunk checked, in line order; the first that fails raises its BundleRejected."""
    fmt = record_format(job.format_version)
    rows = RecordRows(sqlite=job.sqlite)
    out: list[CheckedRecord] = []
    with collector_paused():
        for line, raw in job.lines:
            value = strict_json.loads(raw, name=RECORDS, line=line, max_depth=job.max_depth,
                                      max_number_chars=job.max_number_chars)
            record = check_record(line, raw, value, post=job.post, fmt=fmt)
            check_attachments(line, record, job.photos)
            case = record["case"]
            text = raw.decode("utf-8")
            error: BundleRejected | None = None
            case_row: tuple | bytes | None = None
            items: list[tuple] | bytes = []
            persons: list[tuple] | bytes = []
            attachments: list[tuple] | bytes = []
            body = ""
            revision: tuple | bytes = rows.revision(record, text)
            try:
                check_content(line, record, fmt)
            except BundleRejected as exc:
                error = exc
            else:
                body = content_search_body(case)
                case_row = rows.case(record, search_text=body, search_rowid=None)
                items, persons, attachments = rows.items(case), rows.persons(case), rows.attachments(case)
                if not job.sqlite:  # the indexed search_vector (migration 0011) goes in with the row
                    case_row = copy_text([(*case_row, search_vector(body))])
                    items, persons, attachments = copy_text(items), copy_text(persons), copy_text(attachments)
                    body = ""
            if not job.sqlite:
                revision = copy_text([revision])
            out.append(CheckedRecord(
                line, case["id"], case["case_number"], record["revision"], record["content_hash"],
                tuple(a["sha256"] for a in case["attachments"]), text, error, revision,
                case_row, items, persons, attachments, body))
    return out


class _Batches:
    """The lines in batches of the given sizes. A line that cannot be read (too long, no newline, a count that is
    not the manifest's) ends the batches: the lines before it form the last batch (`cut` True), and `failure`
    holds the error, which the import raises once those lines were checked, before writing them (as it raised it
    when it read the lines one by one)."""

    def __init__(self, lines: Iterator[tuple[int, bytes]], sizes: tuple[int, ...], size: int) -> None:
        self._lines = lines
        self._sizes = iter(sizes)
        self._size = size
        self.failure: BundleRejected | None = None

    def __iter__(self) -> Iterator[tuple[list[tuple[int, bytes]], bool]]:
        batch: list[tuple[int, bytes]] = []
        limit = next(self._sizes, self._size)
        try:
            for entry in self._lines:
                batch.append(entry)
                if len(batch) >= limit:
                    yield batch, False
                    batch = []
                    limit = next(self._sizes, self._size)
        except BundleRejected as exc:
            self.failure = exc
            yield batch, True
            return
        if batch:
            yield batch, False


class RecordChecks:
    """Checks a bundle's records chunk by chunk, in a worker process when the bundle is big enough.

    `chunks` yields the checked chunks in line order. With a worker, up to AHEAD chunks are checked while the
    caller writes the one before, so the caller's writes (and the database server's work on them) overlap the
    checks of what follows. Whatever fails is raised where it would have been without the worker: a record's
    error after every chunk before it was handed over, an error of the file itself (a line too long, a count that
    is not the manifest's) after every record before it."""

    def __init__(self, *, chunk: int, workers: int = 1) -> None:
        self.chunk = chunk
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()  # the intake service imports on several threads at once

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                # spawn: a fresh interpreter, never a fork of a process that runs Qt or database threads
                self._pool = ProcessPoolExecutor(max_workers=self.workers,
                                                 mp_context=multiprocessing.get_context("spawn"))
            return self._pool

    def _drop(self, pool: ProcessPoolExecutor) -> None:
        """A worker died (killed, out of memory): the next big bundle starts a new one."""
        with self._lock:
            if self._pool is pool:
                self._pool = None
        pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    def chunks(self, bundle: OpenedBundle, *, photos: set[str], sqlite: bool) -> Iterator[list[CheckedRecord]]:
        manifest, limits = bundle.manifest, bundle.limits
        record_format(manifest.format_version)  # an unknown version is refused before any line is read

        def job(lines: list[tuple[int, bytes]]) -> ChunkJob:
            return ChunkJob(manifest.post, manifest.format_version, frozenset(photos), sqlite, limits.max_depth,
                            limits.max_number_chars, lines)

        if manifest.records <= PIPELINE_FROM:
            batches = _Batches(bundle.record_lines(), (), self.chunk)
            for lines, cut in batches:
                checked = check_chunk(job(lines))
                if cut:
                    assert batches.failure is not None
                    raise batches.failure
                yield checked
            return
        yield from self._pipelined(_Batches(bundle.record_lines(), FIRST_CHUNKS, PIPELINE_CHUNK), job)

    def _pipelined(self, batches: _Batches, job) -> Iterator[list[CheckedRecord]]:
        pool: ProcessPoolExecutor | None = self._executor()
        source = iter(batches)
        # (the worker's answer, or None where this process checks the chunk itself; the job; whether it is cut)
        pending: deque[tuple[Future[list[CheckedRecord]] | None, ChunkJob, bool]] = deque()
        try:
            while True:
                while len(pending) < AHEAD:
                    lines, cut = next(source, ([], False))
                    if not lines and not cut:
                        break
                    work = job(lines)
                    future = None
                    if pool is not None:
                        try:
                            future = pool.submit(check_chunk, work)
                        except BrokenProcessPool:  # the worker died while idle
                            self._drop(pool)
                            pool = None
                    pending.append((future, work, cut))
                    if cut:
                        break
                if not pending:
                    break
                future, work, cut = pending.popleft()
                if future is None:
                    checked = check_chunk(work)
                else:
                    try:
                        checked = future.result()  # a record's error is raised here, in line order
                    except BrokenProcessPool:  # the worker died: this process checks what is left itself
                        assert pool is not None
                        self._drop(pool)
                        pool = None
                        pending = deque((None, w, c) for _f, w, c in pending)
                        checked = check_chunk(work)
                if cut:
                    assert batches.failure is not None
                    raise batches.failure
                yield checked
        finally:
            for future, _work, _cut in pending:  # the import stopped (a record rejected, the store refused)
                if future is not None:
                    future.cancel()
