"""Composition root: settings -> language -> store (migrated, seeded) -> services -> Qt window."""

from __future__ import annotations

from blo_desk.config import Settings
from blo_desk.i18n import set_language


def run_gui(settings: Settings, *, selftest: bool = False) -> int:
    set_language(settings.language)
    from blo_desk.ui.main import run  # the only place that pulls in PySide6

    return run(settings, selftest=selftest)
