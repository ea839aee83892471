"""Sync bundles in the desk: the actions' entry points (export at the post, import and overview at HQ)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from blo_desk.domain.permissions import Action, Principal, allowed
from blo_desk.ui.store_open import opened

if TYPE_CHECKING:
    from blo_desk.ui.controller import DeskController
    from blo_desk.ui.pages.hq_page import HqWindow


# --- the actions (registered in ui/actions.py as "blo_desk.ui.bundles:<function>") -------------------------
def may_export(principal: Principal) -> bool:
    return allowed(principal, Action.BUNDLE_EXPORT)


def may_see_hq(principal: Principal) -> bool:
    return allowed(principal, Action.BUNDLE_IMPORT) or allowed(principal, Action.AUDIT_VIEW)


def _keep(controller, name: str, make: Callable):
    """One window of each kind per desk: reuse it while it exists."""
    held = getattr(controller, "_bundle_windows", None)
    if held is None:
        held = controller._bundle_windows = {}
    window = held.get(name)
    if window is None:
        window = held[name] = make()
        window.destroyed.connect(lambda *_a: held.pop(name, None))
    return window


def export_bundle(controller: DeskController) -> None:
    """At the post: export to a folder or a stick, with progress; the outbox below."""
    if not may_export(controller.principal) or opened(controller) is None:
        return
    from blo_desk.ui.dialogs.export import ExportDialog

    services = controller.services
    assert services is not None  # opened
    dialog = _keep(controller, "export", lambda: ExportDialog(controller.window, runner=controller.runner,
                                                               sync=services.sync,
                                                               principal=controller.principal))
    dialog.show()
    dialog.raise_()
    dialog.refresh()


def show_hq(controller: DeskController) -> HqWindow | None:
    """At HQ: each post's bundles, gaps and alerts, the last import report, and what was seen at several posts."""
    if not may_see_hq(controller.principal) or opened(controller) is None:
        return None
    from blo_desk.ui.pages.hq_page import HqWindow

    services = controller.services
    assert services is not None  # opened
    window = _keep(controller, "hq", lambda: HqWindow(controller.window, runner=controller.runner,
                                                      services=services, principal=controller.principal))
    window.show()
    window.raise_()
    window.page.refresh()
    return window


def import_bundles(controller: DeskController) -> None:
    """At HQ: choose several bundle files (or a folder) and import them, then show the report."""
    if not allowed(controller.principal, Action.BUNDLE_IMPORT):
        return
    window = show_hq(controller)
    if window is not None:
        window.page.choose_files()
