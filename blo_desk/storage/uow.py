"""Unit of work: one session, one transaction; commit on request, roll back otherwise."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from blo_desk.storage.report_queries import ReportQueries
from blo_desk.storage.repositories import CaseRepository, ReferenceRepository, SettingsRepository


class UnitOfWork:
    """`with uow_factory() as uow: ...; uow.commit()` — leaving without commit rolls everything back."""

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory

    def __enter__(self) -> UnitOfWork:
        self.session = self._session_factory()
        self.session.begin()
        self.cases = CaseRepository(self.session)
        self.reference = ReferenceRepository(self.session)
        self.settings = SettingsRepository(self.session)
        self.reports = ReportQueries(self.session)
        return self

    def __exit__(self, *exc) -> None:
        try:
            if self.session.in_transaction():
                self.session.rollback()
        finally:
            self.session.close()

    def commit(self) -> None:
        self.session.commit()


class UnitOfWorkFactory:
    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self.session_factory = session_factory

    def __call__(self) -> UnitOfWork:
        return UnitOfWork(self.session_factory)
