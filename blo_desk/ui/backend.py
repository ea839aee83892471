"""The entry points of the service layer the desk needs, looked up by name so the ui never imports storage code.

The composition root (blo_desk.app) may hand these in; when it does not, they are resolved here, at run time,
so that PySide6 start-up does not pay for SQLAlchemy and Alembic and the import rule (ui never imports
sqlalchemy, not even through services.registry) holds for the import graph.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Backend:
    """How to open the store and load demo data; both run on a worker thread."""

    open_services: Callable  # (settings) -> Services (with .cases, .reference, .attachments, .close())
    load_demo: Callable  # (*, cases) -> list[Case]


def default_backend() -> Backend:
    registry = importlib.import_module("blo_desk.services.registry")
    demo = importlib.import_module("blo_desk.services.demo")
    return Backend(open_services=_with_principal(registry.open_services), load_demo=demo.load_demo)


def _with_principal(open_services: Callable) -> Callable:
    """Until the desk has its login screen, it opens the store as the SYSTEM principal when one is required.

    This is a stop-gap, not a policy: the login issue replaces it with the principal from AccountService.login.
    """
    if "principal" not in inspect.signature(open_services).parameters:
        return open_services
    system = importlib.import_module("blo_desk.domain.permissions").SYSTEM
    return lambda settings: open_services(settings, principal=system)


def lazy_backend() -> Backend:
    """A Backend whose modules are imported only when first called (on the worker thread)."""
    return Backend(
        open_services=lambda settings: default_backend().open_services(settings),
        load_demo=lambda **kwargs: default_backend().load_demo(**kwargs),
    )
