"""Finalize from the case list: the selected drafts, checked (rights, completeness) before one confirmation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from blo_desk.domain.entities import Case, CaseSummary
from blo_desk.domain.enums import CaseStatus
from blo_desk.domain.errors import DomainError, FieldError
from blo_desk.domain.permissions import Action, Principal, denial_reason
from blo_desk.domain.rules import case_errors, finalize_errors
from blo_desk.i18n import _, ngettext

if TYPE_CHECKING:
    from blo_desk.ports import CasesPort
    from blo_desk.ui.controller import DeskController


def chosen_in_list(controller: DeskController) -> list[CaseSummary]:
    """The cases selected in the list while the list is on screen (none while the editor is)."""
    if controller.window.on_editor:
        return []
    return controller.list_page.selected_summaries()


def may_finalize_some(principal: Principal, summaries: list[CaseSummary]) -> bool:
    """Whether Finalize is offered for these list rows: a draft among them at a post this role finalizes (who
    created it is checked once the cases are read, before the question)."""
    return any(s.status == CaseStatus.DRAFT
               and denial_reason(principal, Action.CASE_FINALIZE, post_code=s.post_code) is None for s in summaries)


@dataclass(frozen=True)
class Checked:
    """The selected drafts as read from the store: ready to finalize, or why not (a translated line each)."""

    ready: list[Case]
    not_ready: list[tuple[Case, str]]
    incomplete: list[tuple[Case, list[FieldError]]]


def check_drafts(cases: CasesPort, principal: Principal, case_ids: list[str], now: datetime) -> Checked:
    """Worker-thread function: read each case and its creator, and check what Finalize in the editor checks."""
    ready: list[Case] = []
    not_ready: list[tuple[Case, str]] = []
    incomplete: list[tuple[Case, list[FieldError]]] = []
    for case_id in case_ids:
        case = cases.get(case_id=case_id)
        if case.status != CaseStatus.DRAFT:
            continue  # finalized or voided meanwhile: nothing to do
        history = cases.history(case_id=case_id)
        owner = next((r.actor for r in history if r.revision == 1), None)
        reason = denial_reason(principal, Action.CASE_FINALIZE, post_code=case.post_code, owner=owner)
        if reason is not None:
            not_ready.append((case, _(reason).format(post=case.post_code, own_post=principal.post_code or "-",
                                                     role=principal.role.label, action=Action.CASE_FINALIZE.value)))
            continue
        errors = case_errors(case, now=now) + finalize_errors(case)
        if errors:
            incomplete.append((case, errors))
            not_ready.append((case, "; ".join(e.translated() for e in errors)))
        else:
            ready.append(case)
    return Checked(ready, not_ready, incomplete)


def finalize_selected(controller: DeskController) -> None:
    """Finalize the drafts selected in the list: unsaved changes to one of them in the editor are asked about
    first; then rights and completeness, then one confirmation; the store finalizes each on a worker."""
    drafts = [s for s in chosen_in_list(controller) if s.status == CaseStatus.DRAFT]
    if not controller.ready or controller.services is None or not drafts:
        return
    ids = [s.id for s in drafts]
    cases, principal, runner = controller.services.cases, controller.principal, controller.runner

    def read() -> None:
        controller.show_list()
        now = datetime.now(timezone.utc)
        runner.run(lambda: check_drafts(cases, principal, ids, now), on_done=lambda checked: _ask(controller, checked),
                   on_error=controller._unhandled)

    controller.unsaved_first(ids, read)


def _ask(controller: DeskController, checked: Checked) -> None:
    if not checked.ready:
        if len(checked.incomplete) == 1 and len(checked.not_ready) == 1:
            # One case that is not complete: opened in the editor with every missing field marked, as there.
            case = checked.incomplete[0][0]
            controller.show_case(case, then=controller.editor.ask_finalize)
            return
        if checked.not_ready:
            controller.finalize_dialog = _inform(controller, checked)
        return
    ready = checked.ready
    if len(ready) == 1:
        text = _("Finalize case {case_number}?").format(case_number=ready[0].case_number)
    else:
        text = ngettext("Finalize {count} case?", "Finalize {count} cases?", len(ready)).format(count=len(ready))
    informative = _("A finalized case cannot be edited; later changes are amendments with a reason.")
    if len(ready) > 1:
        informative = "\n".join(c.case_number for c in ready) + "\n\n" + informative
    if checked.not_ready:
        count = len(checked.not_ready)
        informative += "\n\n" + ngettext(
            "{count} selected case is left as it is (see the details).",
            "{count} selected cases are left as they are (see the details).", count).format(count=count)
    from blo_desk.ui.dialogs.common import confirm

    box = confirm(controller.window, title=_("Finalize case"), text=text, informative=informative,
                  accept_text=_("Finalize"), on_accept=lambda: _finalize(controller, ready))
    if checked.not_ready:
        box.setDetailedText(_details(checked))
    controller.finalize_dialog = box


def _details(checked: Checked) -> str:
    return "\n".join(_("{case_number}: {reason}").format(case_number=case.case_number, reason=reason)
                     for case, reason in checked.not_ready)


def _inform(controller: DeskController, checked: Checked):
    from blo_desk.ui.dialogs.common import inform

    count = len(checked.not_ready)
    return inform(controller.window, error=True, title=_("Finalize case"),
                  text=ngettext("The selected case cannot be finalized:", "The selected cases cannot be finalized:",
                                count) + "\n" + _details(checked))


def _finalize(controller: DeskController, ready: list[Case]) -> None:
    if controller.services is None:
        return
    cases = controller.services.cases

    def work() -> tuple[list[Case], list[tuple[Case, str]]]:
        done: list[Case] = []
        failed: list[tuple[Case, str]] = []
        for case in ready:
            try:
                done.append(cases.finalize(case_id=case.id or "", expected_revision=case.revision))
            except DomainError as exc:
                failed.append((case, exc.translated()))
        return done, failed

    controller.runner.run(work, on_done=lambda result: _finalized(controller, *result), on_error=controller._unhandled)


def _finalized(controller: DeskController, done: list[Case], failed: list[tuple[Case, str]]) -> None:
    controller.cases_finalized(done)
    if len(done) == 1:
        number = done[0].case_number
        controller.window.message(lambda: _("Case {case_number} is finalized.").format(case_number=number))
    elif done:
        count = len(done)
        controller.window.message(lambda: ngettext("{count} case finalized.", "{count} cases finalized.",
                                                   count).format(count=count))
    if failed:
        controller.finalize_dialog = _inform(controller, Checked([], failed, []))
