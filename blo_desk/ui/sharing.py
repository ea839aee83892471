"""The desk's sharing actions (Share with counterpart…, Shared with us…) and how a counterpart post is named."""

from __future__ import annotations

from collections.abc import Mapping

from blo_desk.i18n import _
from blo_desk.ui.store_open import opened


def post_label(names: Mapping[str, str], code: str, language: str) -> str:
    """A counterpart post by the name its card gives, in the user's language (else English), with its code."""
    name = names.get(language) or names.get("en", "")
    return f"{name} ({code})" if name else code


def _references(controller) -> list[str]:
    """The cases the officer means: the list's selection when the list is shown, else the open case."""
    window = controller.window
    list_page = getattr(controller, "list_page", None)
    stack = getattr(window, "stack", None)
    if list_page is not None and (stack is None or stack.currentWidget() is list_page):
        rows = list_page.table.selectionModel().selectedRows()
        summaries = [list_page.model.summary(index.row()) for index in rows]
        ids = [s.id for s in summaries if s is not None]
        if ids:
            return ids
    case = getattr(controller.editor, "case", None)
    return [case.id] if case is not None and case.id else []


def share_case(controller):
    """Open the share dialog for the chosen cases (nothing to share: a notice above the page)."""
    sharing = opened(controller, "sharing")
    if sharing is None:
        return None
    references = _references(controller)
    if not references:
        controller.window.notice(lambda: _("Open a case, or select cases in the list, to share them."))
        return None
    from blo_desk.ui.dialogs.share import ShareDialog

    dialog = ShareDialog(controller.window, runner=controller.runner, sharing=sharing, references=references)
    controller._share_dialog = dialog  # held while open
    dialog.show()
    return dialog


def shared_with_us(controller, record_id: str | None = None):
    """The records counterpart posts shared with this post, and the import of a share file; `record_id` is shown
    at once (a record the case search found)."""
    sharing = opened(controller, "sharing")
    if sharing is None:
        return None
    from blo_desk.ui.dialogs.shared_with_us import SharedWithUsDialog

    services = controller.services
    dialog = SharedWithUsDialog(controller.window, runner=controller.runner, sharing=sharing, record_id=record_id,
                                cases=getattr(services, "cases", None),
                                principal=getattr(services, "principal", None))
    editor = getattr(controller, "editor", None)
    if editor is not None and hasattr(editor, "reload_shared_links"):
        dialog.links_changed.connect(editor.reload_shared_links)  # the open case's page shows the new link
    controller._shared_dialog = dialog  # held while open
    dialog.show()
    return dialog


def counterparts(controller):
    """Administrators: the paired posts; write this post's card, add another's after comparing its fingerprint."""
    sharing = opened(controller, "sharing")
    if sharing is None:
        return None
    from blo_desk.ui.dialogs.counterparts import CounterpartsDialog

    dialog = CounterpartsDialog(controller.window, runner=controller.runner, sharing=sharing,
                                post_code=getattr(controller, "post_code", ""))
    controller._counterparts_dialog = dialog  # held while open
    dialog.show()
    return dialog
