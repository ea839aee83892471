"""Case use cases: create, save, get, list, search, finalize, amend, void, history."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from blo_desk.domain.cancel import Cancellation
from blo_desk.domain.canonical import content_hash
from blo_desk.domain.entities import DEFAULT_TIMEZONE, Case, CaseQuery, Page, Revision
from blo_desk.domain.enums import CaseStatus
from blo_desk.domain.errors import (
    CaseFinalizedError,
    CaseVoidedError,
    ConflictError,
    NotADraftError,
    NotFinalizedError,
    NotFoundError,
)
from blo_desk.domain.permissions import Action, Principal
from blo_desk.domain.rules import (
    case_number_year,
    incident_year,
    validate_amendment_reason,
    validate_case,
    validate_void_reason,
)
from blo_desk.services.audit import Guard
from blo_desk.services.clock import utc_now
from blo_desk.storage.sync_repository import RESTORE_SETTING
from blo_desk.storage.uow import UnitOfWork, UnitOfWorkFactory


def _target(case_id: str | None) -> str:
    return f"case:{case_id}" if case_id else "case:new"


class CaseService:
    """Case use cases for one principal: every call is checked against the role matrix, every write audited."""

    def __init__(self, *, uow: UnitOfWorkFactory, clock: Callable[[], datetime] = utc_now, actor: str = "",
                 principal: Principal | None = None, guard: Guard | None = None) -> None:
        if guard is None:
            if principal is None:
                raise ValueError("CaseService needs the principal it acts for (a logged-in user, or SYSTEM)")
            guard = Guard(uow=uow, principal=principal, clock=clock)
        self._uow = uow
        self._clock = clock
        self._guard = guard
        self.principal = guard.principal
        self.actor = actor or self.principal.username

    def _require_on(self, uow, action: Action, case_id: str, *, with_owner: bool = False) -> tuple[int, str, str]:
        """Check `action` on a stored case (its post, and its creator for own-case rules); returns stored_state."""
        stored = uow.cases.stored_state(case_id)
        if stored is None:
            raise NotFoundError(case_id=case_id)
        post = uow.accounts.case_post(case_id)
        owner = (uow.accounts.case_creator(case_id) or "") if with_owner else None
        self._guard.require(action, post_code=post, owner=owner, target=_target(case_id))
        return stored

    def new_case(self, *, post_code: str, timezone: str = DEFAULT_TIMEZONE, agency: str = "customs") -> Case:
        """An unsaved case with sensible defaults: now, this post, customs."""
        self._guard.require(Action.CASE_CREATE, post_code=post_code, target=_target(None))
        now = self._clock().astimezone(ZoneInfo(timezone)).replace(second=0, microsecond=0)
        return Case(post_code=post_code, timezone=timezone, occurred_at=now, agency=agency)

    @contextmanager
    def _refusals_audited(self, action: Action, case_id: str | None, case_number: str = "") -> Iterator[None]:
        """A refusal of the case's state (finalized, not finalized, changed meanwhile) leaves an audit event too."""
        try:
            yield
        except (CaseFinalizedError, NotFinalizedError, ConflictError) as exc:
            self._guard.record_alone(action=action, target=_target(case_id), outcome="refused",
                                     details={"reason": type(exc).__name__,
                                              "case_number": str(exc.params.get("case_number", case_number))})
            raise

    def save(self, *, case: Case) -> Case:
        """Create or update a draft. Unchanged content is a no-op; a finalized case needs amend()."""
        with self._refusals_audited(Action.CASE_EDIT_DRAFT, case.id, case.case_number):
            return self._save(case)

    def _save(self, case: Case) -> Case:
        now = self._clock()
        with self._uow() as uow:
            if case.id is None:
                self._guard.require(Action.CASE_CREATE, post_code=case.post_code, target=_target(None))
            else:
                self._require_on(uow, Action.CASE_EDIT_DRAFT, case.id, with_owner=True)
                self._guard.require(Action.CASE_EDIT_DRAFT, post_code=case.post_code, target=_target(case.id))
            validate_case(case, now=now, reference=uow.reference.codes())
            if case.id is None:
                year = incident_year(case)
                saved = replace(
                    case,
                    id=str(uuid.uuid4()),
                    case_number=uow.cases.next_case_number(case.post_code, year),
                    status=CaseStatus.DRAFT,
                    revision=1,
                    created_at=now,
                    updated_at=now,
                    finalized_at=None,
                )
                saved_hash = uow.cases.insert(saved, actor=self.actor)
                self._guard.record(uow, action=Action.CASE_CREATE, target=_target(saved.id), after_hash=saved_hash,
                                   details={"case_number": saved.case_number, "revision": saved.revision})
                uow.commit()
                return saved
            stored = uow.cases.stored_state(case.id)
            if stored is None:
                raise NotFoundError(case_id=case.id)
            revision, status, stored_hash = stored
            if status == CaseStatus.FINALIZED:
                raise CaseFinalizedError(case_number=case.case_number)
            if status == CaseStatus.VOIDED:
                raise CaseVoidedError(case_number=case.case_number)
            if revision != case.revision:
                raise ConflictError(stored=revision)
            current = uow.cases.get(case.id)
            number = current.case_number
            if case_number_year(number) != incident_year(case):  # the incident's date moved to another year
                number = uow.cases.next_case_number(case.post_code, incident_year(case))
            candidate = replace(
                case,
                case_number=number,
                status=CaseStatus.DRAFT,
                created_at=current.created_at,
                finalized_at=None,
            )
            if content_hash(candidate) == stored_hash:
                return current
            saved = replace(candidate, revision=_next_revision(uow, current), updated_at=now)
            saved_hash = uow.cases.replace(saved, parent_hash=stored_hash, actor=self.actor)
            self._guard.record(uow, action=Action.CASE_EDIT_DRAFT, target=_target(saved.id), before_hash=stored_hash,
                               after_hash=saved_hash,
                               details={"case_number": saved.case_number, "revision": saved.revision})
            uow.commit()
            return saved

    def get(self, *, case_id: str) -> Case:
        with self._uow() as uow:
            self._require_on(uow, Action.CASE_READ, case_id)
            return uow.cases.get(case_id)

    def find(self, *, reference: str) -> Case:
        """A case by its id or its case number (e.g. UZ-DUS-2024-00017)."""
        with self._uow() as uow:
            case_id = uow.cases.id_for(reference.strip())
            if case_id is None:
                raise NotFoundError(case_id=reference)
            self._require_on(uow, Action.CASE_READ, case_id)
            return uow.cases.get(case_id)

    def list_cases(self, *, query: CaseQuery, cancel: Cancellation | None = None) -> Page:
        """One page of cases; officers and supervisors see their own post only, analysts every post. A search
        superseded by newer typing is stopped on the server through `cancel` (CancelledError)."""
        principal = self.principal
        if principal.all_posts:
            self._guard.require(Action.CASE_READ, target="cases")
        else:
            self._guard.require(Action.CASE_READ, post_code=query.post_code or principal.post_code, target="cases")
            query = replace(query, post_code=principal.post_code)
        with self._uow() as uow:
            return uow.cases.page(query, cancel=cancel)

    def search(self, *, text: str, limit: int = 50) -> Page:
        return self.list_cases(query=CaseQuery(text=text, limit=limit))

    def finalize(self, *, case_id: str, expected_revision: int) -> Case:
        """Make the case read-only; it must be complete enough to print and send."""
        with self._refusals_audited(Action.CASE_FINALIZE, case_id):
            return self._finalize(case_id, expected_revision)

    def _finalize(self, case_id: str, expected_revision: int) -> Case:
        now = self._clock()
        with self._uow() as uow:
            self._require_on(uow, Action.CASE_FINALIZE, case_id, with_owner=True)
            current = uow.cases.get(case_id)
            if current.is_finalized:
                raise CaseFinalizedError(case_number=current.case_number)
            if current.is_voided:
                raise CaseVoidedError(case_number=current.case_number)
            if current.revision != expected_revision:
                raise ConflictError(stored=current.revision)
            validate_case(current, now=now, reference=uow.reference.codes(), finalizing=True)
            parent = content_hash(current)
            final = replace(
                current, status=CaseStatus.FINALIZED, revision=_next_revision(uow, current), updated_at=now,
                finalized_at=now,
            )
            uow.cases.replace(final, parent_hash=parent, actor=self.actor)
            self._guard.record(uow, action=Action.CASE_FINALIZE, target=_target(case_id), before_hash=parent,
                               after_hash=content_hash(final),
                               details={"case_number": final.case_number, "revision": final.revision})
            uow.commit()
            return final

    def amend(self, *, case: Case, reason: str) -> Case:
        """Change a finalized case: a new revision with a reason, linked to its parent by hash."""
        validate_amendment_reason(reason)
        with self._refusals_audited(Action.CASE_AMEND, case.id, case.case_number):
            return self._amend(case, reason)

    def _amend(self, case: Case, reason: str) -> Case:
        now = self._clock()
        with self._uow() as uow:
            if case.id is None:
                raise NotFoundError(case_id="")
            self._require_on(uow, Action.CASE_AMEND, case.id, with_owner=True)
            self._guard.require(Action.CASE_AMEND, post_code=case.post_code, target=_target(case.id))
            current = uow.cases.get(case.id)
            if not current.is_finalized:
                raise NotFinalizedError(case_number=current.case_number)
            if current.revision != case.revision:
                raise ConflictError(stored=current.revision)
            validate_case(case, now=now, reference=uow.reference.codes(), finalizing=True)
            amended = replace(
                case,
                case_number=current.case_number,
                status=CaseStatus.FINALIZED,
                revision=_next_revision(uow, current),
                created_at=current.created_at,
                finalized_at=current.finalized_at,
                updated_at=now,
            )
            if content_hash(amended) == content_hash(current):
                return current  # nothing changed: no revision, no audit event
            uow.cases.replace(amended, parent_hash=content_hash(current), reason=reason.strip(), actor=self.actor)
            self._guard.record(uow, action=Action.CASE_AMEND, target=_target(case.id), before_hash=content_hash(current),
                               after_hash=content_hash(amended),
                               details={"case_number": amended.case_number, "revision": amended.revision})
            uow.commit()
            return amended

    def void(self, *, case_id: str, expected_revision: int, reason: str) -> Case:
        """Withdraw a draft with a reason: a last revision with the status voided (nothing is deleted), kept with its
        history, audited, exported to HQ like every revision, and hidden from lists unless asked for."""
        now = self._clock()
        validate_void_reason(reason)
        with self._uow() as uow:
            self._require_on(uow, Action.CASE_VOID, case_id, with_owner=True)
            current = uow.cases.get(case_id)
            if current.is_voided:
                raise CaseVoidedError(case_number=current.case_number)
            if current.status != CaseStatus.DRAFT:
                raise NotADraftError(case_number=current.case_number)
            if current.revision != expected_revision:
                raise ConflictError(stored=current.revision)
            parent = content_hash(current)
            voided = replace(current, status=CaseStatus.VOIDED, revision=current.revision + 1, updated_at=now)
            uow.cases.replace(voided, parent_hash=parent, reason=reason.strip(), actor=self.actor)
            self._guard.record(uow, action=Action.CASE_VOID, target=_target(case_id), before_hash=parent,
                               after_hash=content_hash(voided),
                               details={"case_number": voided.case_number, "revision": voided.revision,
                                        "reason": reason.strip()})
            uow.commit()
            return voided

    def history(self, *, case_id: str) -> list[Revision]:
        with self._uow() as uow:
            self._require_on(uow, Action.CASE_READ, case_id)
            return uow.cases.history(case_id)


#: After a restore from a backup, the first new revision of a case saved before the restore skips this many
#: numbers: the revisions saved on the lost laptop after the backup (which HQ may hold) are never numbered again,
#: so HQ takes the re-entered case as newer instead of refusing it as a conflicting revision.
RESTORE_REVISION_SKIP = 1000


def _next_revision(uow: UnitOfWork, current: Case) -> int:
    restore = uow.settings.get(RESTORE_SETTING)
    if restore and current.updated_at is not None:
        import json

        restored_at = datetime.fromisoformat(json.loads(restore)["restored_at"].replace("Z", "+00:00"))
        if current.updated_at < restored_at:
            return current.revision + 1 + RESTORE_REVISION_SKIP
    return current.revision + 1
