"""Printing use cases: a case's protocol, a period report, and checking a printed copy's code against the store."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

from blo_desk.domain.canonical import content_hash
from blo_desk.domain.check_code import CheckOutcome, CheckResult, make_check_code, parse_check_code
from blo_desk.domain.entities import DEFAULT_TIMEZONE, Revision
from blo_desk.domain.enums import CaseStatus
from blo_desk.domain.errors import DomainError, NotFoundError
from blo_desk.domain.permissions import Action
from blo_desk.domain.statistics import PeriodFilter
from blo_desk.durable import write_atomically
from blo_desk.i18n import N_
from blo_desk.reports import raster
from blo_desk.reports.data import Amendment, PeriodReportData, Photo, ProtocolData, ReferenceLabels
from blo_desk.reports.pdf_process import PdfProcess
from blo_desk.reports.wording import PRINT_LANGUAGES
from blo_desk.services.audit import Guard
from blo_desk.services.clock import utc_now
from blo_desk.storage.blobs import BlobStore, DerivedStore
from blo_desk.storage.report_queries import DEFAULT_LISTED_CASES
from blo_desk.storage.uow import UnitOfWork, UnitOfWorkFactory


class PrintLanguageError(DomainError):
    message = N_("Printing is possible in {languages}, not in {language}.")


class PeriodError(DomainError):
    message = N_("The report period must end on or after its first day ({start} – {end}).")


def _labels(uow: UnitOfWork) -> ReferenceLabels:
    return uow.reference.by_kind()


def _write(pdf: bytes, out: Path | str | None) -> bytes:
    if out is not None:
        write_atomically(Path(out), pdf)
    return pdf


def _amendment(history: list[Revision]) -> Amendment | None:
    """The last amendment of a finalized case (a revision saved with a reason after one was finalized), if any."""
    finalized = False
    found: Amendment | None = None
    for previous, revision in zip(history, history[1:], strict=False):
        finalized = finalized or previous.status == CaseStatus.FINALIZED
        if finalized and revision.reason:
            found = Amendment(revision=revision.revision, replaces=previous.revision, reason=revision.reason)
    return found


def _check_language(lang: str) -> None:
    if lang not in PRINT_LANGUAGES:
        raise PrintLanguageError(languages=", ".join(PRINT_LANGUAGES), language=lang)


class PrintingService:
    """Builds PDFs from data read through the unit of work; the UI previews, prints or saves the bytes."""

    languages = PRINT_LANGUAGES

    def __init__(
        self,
        *,
        uow: UnitOfWorkFactory,
        guard: Guard,
        clock: Callable[[], datetime] = utc_now,
        blobs: BlobStore | None = None,
        thumbnails: DerivedStore | None = None,
    ) -> None:
        self._uow = uow
        self._guard = guard
        self._clock = clock
        self._blobs = blobs  # the photos of the annex; without a store the annex lists them without thumbnails
        self._thumbnails = thumbnails  # their thumbnails, made once (decoding a 12 MP photo takes tens of ms)
        self._process: PdfProcess | None = None  # isolate(): the PDFs are built in a child process

    def isolate(self) -> None:
        """Build the PDFs in a child process from now on (the desk: reportlab's pure-Python work then never holds
        the interpreter lock its GUI thread needs). The child starts with the first PDF; close() stops it."""
        if self._process is None:
            self._process = PdfProcess()

    def warm_up(self) -> None:
        """Start the child process of isolate() now (it imports reportlab and PDFium on its own core), so that the
        first preview does not wait for it; returns at once."""
        if self._process is not None:
            self._process.start()

    def close(self) -> None:
        """Stop the child process of isolate(), if any (later PDFs are built in this process)."""
        if self._process is not None:
            self._process.close()

    def _run(self, module: str, name: str, /, *args, **kwargs):
        """blo_desk.reports.<module>.<name>(*args, **kwargs): in the child process once isolated (reportlab and
        Pillow are then never imported by the desk), else here."""
        if self._process is not None:
            return self._process.call(f"blo_desk.reports.{module}", name, *args, **kwargs)
        return getattr(importlib.import_module(f"blo_desk.reports.{module}"), name)(*args, **kwargs)

    # --- a PDF's pages as pictures (the desk's preview and printing; PDFium, in the child once isolated) ----------
    def page_sizes(self, *, pdf: bytes) -> list[tuple[float, float]]:
        """Each page's (width, height) in points."""
        return self._run("raster", "page_sizes", pdf)

    def render_page(self, *, pdf: bytes, index: int, dpi: float) -> raster.PageImage:
        """The 0-based page `index` at `dpi` (RGBX pixels)."""
        return self._run("raster", "render_page", pdf, index, dpi=dpi)

    # --- protocol ----------------------------------------------------------------------------------
    def protocol_data(self, *, case_id: str) -> ProtocolData:
        """Everything the protocol of a case (id or case number) shows, as plain data."""
        with self._uow() as uow:
            found = uow.cases.id_for(case_id.strip())
            if found is None:
                raise NotFoundError(case_id=case_id)
            case = uow.cases.get(found)
            self._guard.require(Action.PRINT_PROTOCOL, post_code=case.post_code, target=f"case:{case.id}")
            post = next((p for p in uow.reference.posts(include_inactive=True) if p.code == case.post_code), None)
            labels = _labels(uow)
            history = uow.cases.history(found)
        assert case.id is not None  # a stored case has its id
        code = make_check_code(case_id=case.id, revision=case.revision, content_hash=content_hash(case),
                               case_number=case.case_number)
        return ProtocolData(case=case, post=post, labels=labels, check_code=code, amendment=_amendment(history),
                            photos=tuple(Photo(a, thumbnail=self._thumbnail(a.sha256)) for a in case.attachments))

    def _thumbnail(self, sha256: str) -> bytes | None:
        """A photo's thumbnail for the annex: the one made before, else made now from the photo and kept; None when
        the photo is not held here (or altered, or locked) or is not an image (a scanned PDF)."""
        kept = self._thumbnails.get(sha256) if self._thumbnails is not None else None
        if kept is not None or self._blobs is None:
            return kept
        try:
            made = self._run("thumbnails", "thumbnail_jpeg", self._blobs.read_bytes(sha256))
        except (OSError, ValueError):
            return None
        if made is not None and self._thumbnails is not None:
            try:
                self._thumbnails.put(sha256, made)
            except OSError:
                pass  # a read-only data folder: the thumbnail is made again next time
        return made

    def protocol(self, *, case_id: str, lang: str, out: Path | str | None = None) -> bytes:
        """The protocol PDF of one case in "uz", "ru", "en" or "uz+ru"; also written to `out` when given."""
        _check_language(lang)
        return _write(self._run("protocol", "build_protocol", self.protocol_data(case_id=case_id), lang=lang), out)

    def protocols_pdf(self, *, case_ids: Sequence[str], lang: str) -> bytes:
        """The protocols of several cases (ids or case numbers) as one PDF, in the order given: the cases chosen in
        the desk's list, printed at once. Each protocol starts on a page of its own, with its own check code."""
        _check_language(lang)
        if not case_ids:
            raise ValueError("no case to print")
        parts = [self._run("protocol", "build_protocol", self.protocol_data(case_id=case_id), lang=lang)
                 for case_id in case_ids]
        return self._run("pdf_join", "join_pdfs", parts)

    def protocols(self, *, case_ids: Iterable[str], lang: str) -> Iterable[tuple[str, bytes]]:
        """Protocols of many cases, one at a time (a batch never holds more than one PDF)."""
        _check_language(lang)
        for case_id in case_ids:
            yield case_id, self._run("protocol", "build_protocol", self.protocol_data(case_id=case_id), lang=lang)

    # --- period report -----------------------------------------------------------------------------
    def period_report(
        self,
        *,
        date_from: date,
        date_to: date,
        lang: str,
        post_codes: Iterable[str] = (),
        finalized_only: bool = False,
        listed_cases: int = DEFAULT_LISTED_CASES,
        out: Path | str | None = None,
        timezone: str = DEFAULT_TIMEZONE,
    ) -> bytes:
        """The supervisor's report over the local dates date_from..date_to (inclusive) and the chosen posts.

        Scope follows the role: a supervisor reports on their own post (no post chosen means that post; another
        post is refused), HQ roles on the chosen posts or on every post.
        """
        _check_language(lang)
        self._guard.require(Action.REPORTS, target="report:period")
        if date_to < date_from:
            raise PeriodError(start=date_from.isoformat(), end=date_to.isoformat())
        period = PeriodFilter(
            date_from=date_from,
            date_to=date_to,
            post_codes=self.report_posts(post_codes),
            finalized_only=finalized_only,
        )
        with self._uow() as uow:
            statistics = uow.reports.period_statistics(period, listed_cases=listed_cases)
            posts = {p.code: p for p in uow.reference.posts(include_inactive=True)}
            labels = _labels(uow)
        data = PeriodReportData(
            statistics=statistics,
            posts=posts,
            labels=labels,
            generated_at=self._clock(),
            timezone=timezone,
            selected_posts=period.post_codes,
        )
        return _write(self._run("period", "build_period_report", data, lang=lang), out)

    def report_posts(self, post_codes: Iterable[str] = ()) -> tuple[str, ...]:
        """The posts a report of this user covers: the chosen ones (none = every post) for HQ roles; a supervisor's
        own post, whatever was chosen, unless another post was asked for, which is refused (and audited)."""
        chosen = tuple(dict.fromkeys(code.strip().upper() for code in post_codes if code.strip()))
        principal = self._guard.principal
        if principal.all_posts:
            return chosen
        for code in chosen or (principal.post_code,):
            self._guard.require(Action.REPORTS, post_code=code, target="report:period")
        return (principal.post_code,)

    # --- checking a paper copy ---------------------------------------------------------------------
    def verify_code(self, *, code: str) -> CheckResult:
        """Whether the revision named by a printed check code is held here, matches, and is still the current one.

        A copy of an older revision that matches it is SUPERSEDED: the answer names the revision that replaced it,
        when it was saved and the reason given for the amendment.
        """
        parsed = parse_check_code(code)
        if parsed is None:
            return CheckResult(outcome=CheckOutcome.MALFORMED)
        with self._uow() as uow:
            if not parsed.case_id:  # the spoken code names the case by its number
                parsed = replace(parsed, case_id=uow.cases.id_for(parsed.case_number) or parsed.case_number)
            state = uow.cases.stored_state(parsed.case_id)
            if state is None:
                return CheckResult(outcome=CheckOutcome.UNKNOWN, code=parsed)
            case = uow.cases.get(parsed.case_id)
            self._guard.require(Action.CASE_READ, post_code=case.post_code, target=f"case:{case.id}")
            case_number = case.case_number
            history = uow.cases.history(parsed.case_id)
        latest = state[0]
        printed = next((r for r in history if r.revision == parsed.revision), None)
        if printed is None:
            return CheckResult(outcome=CheckOutcome.UNKNOWN, code=parsed, case_number=case_number, latest_revision=latest)
        if not parsed.matches(printed.content_hash):
            return CheckResult(outcome=CheckOutcome.MISMATCH, code=parsed, case_number=case_number, latest_revision=latest)
        successor = next((r for r in history if r.revision > parsed.revision), None)
        if successor is None:
            return CheckResult(outcome=CheckOutcome.MATCH, code=parsed, case_number=case_number, latest_revision=latest)
        return CheckResult(outcome=CheckOutcome.SUPERSEDED, code=parsed, case_number=case_number, latest_revision=latest,
                           replaced_by=successor.revision, replaced_at=successor.saved_at, reason=successor.reason,
                           timezone=case.timezone)
