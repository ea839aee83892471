"""The open store's services for a desk action; while the store is still opening, a notice above the page instead."""

from __future__ import annotations

from typing import Any

from blo_desk.i18n import _


def opened(controller: Any, name: str = "") -> Any:
    """The desk's services, or its service `name` ("sharing", "printing", "backup"), once the store is open; None
    while it is still opening (or it has no such service), and then the notice above the page says to try again."""
    services = getattr(controller, "services", None)
    found = getattr(services, name, None) if name and services is not None else services
    if not getattr(controller, "ready", False) or found is None:
        controller.window.notice(lambda: _("The case store is still opening; try again in a moment."))
        return None
    return found
