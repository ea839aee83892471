"""Unit of work: one session, one transaction, every repository over it; commit on request, roll back otherwise."""

from __future__ import annotations

from functools import cached_property

from sqlalchemy.orm import Session, sessionmaker

from blo_desk.storage.accounts import AccountRepository
from blo_desk.storage.audit import AuditTrail
from blo_desk.storage.content_check import ContentCheck
from blo_desk.storage.delivery_repository import DeliveryRepository
from blo_desk.storage.report_queries import ReportQueries
from blo_desk.storage.repositories import CaseRepository, ReferenceRepository, SettingsRepository
from blo_desk.storage.share_repository import ShareRepository
from blo_desk.storage.sync_repository import SyncRepository


class UnitOfWork:
    """`with uow_factory() as uow: ...; uow.commit()` — leaving without commit rolls everything back.

    Services reach the store only through the repositories below (each made on first use, inside this
    transaction); `session` stays for the transaction itself (rollback), not for building repositories."""

    session: Session

    def __init__(self, session_factory: sessionmaker[Session], *, snapshot: bool = False) -> None:
        self._session_factory = session_factory
        self._snapshot = snapshot

    def __enter__(self) -> UnitOfWork:
        self.session = self._session_factory()
        self.session.begin()
        if self._snapshot:
            self._read_one_snapshot()
        return self

    def _read_one_snapshot(self) -> None:
        """Every read of this transaction sees the store as its first read found it, whatever commits meanwhile.

        By default pysqlite runs each SELECT outside a transaction, and PostgreSQL's READ COMMITTED reads each
        statement afresh: a check reading the audit chain and then the cases would take a case saved between the
        two for one added outside the program. An explicit BEGIN holds one WAL read snapshot on SQLite; on
        PostgreSQL the transaction is REPEATABLE READ and read only."""
        if self.session.get_bind().dialect.name == "sqlite":
            self.session.connection().exec_driver_sql("BEGIN")
        else:
            self.session.connection(execution_options={"isolation_level": "REPEATABLE READ",
                                                       "postgresql_readonly": True})

    def __exit__(self, *exc) -> None:
        try:
            if self.session.in_transaction():
                self.session.rollback()
        finally:
            self.session.close()

    def commit(self) -> None:
        self.session.commit()

    @cached_property
    def cases(self) -> CaseRepository:
        return CaseRepository(self.session)

    @cached_property
    def reference(self) -> ReferenceRepository:
        return ReferenceRepository(self.session)

    @cached_property
    def settings(self) -> SettingsRepository:
        return SettingsRepository(self.session)

    @cached_property
    def reports(self) -> ReportQueries:
        return ReportQueries(self.session)

    @cached_property
    def sync(self) -> SyncRepository:
        """Bundles: identity, outbox, trust store, bundle log, alerts, and applying cases at HQ."""
        return SyncRepository(self.session)

    @cached_property
    def shares(self) -> ShareRepository:
        """The counterpart channel: paired posts, messages sent and received, records shared with us."""
        return ShareRepository(self.session)

    @cached_property
    def accounts(self) -> AccountRepository:
        return AccountRepository(self.session)

    @cached_property
    def delivery(self) -> DeliveryRepository:
        return DeliveryRepository(self.session)

    @cached_property
    def content(self) -> ContentCheck:
        """The case tables against what the audit chain recorded (read only)."""
        return ContentCheck(self.session)

    def audit(self, *, seal_key: bytes | None = None) -> AuditTrail:
        """The audit trail in this transaction; `seal_key` (the caller's, from the data key) seals its head."""
        return AuditTrail(self.session, seal_key=seal_key)


class UnitOfWorkFactory:
    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self.session_factory = session_factory

    def __call__(self) -> UnitOfWork:
        return UnitOfWork(self.session_factory)

    def snapshot(self) -> UnitOfWork:
        """A read-only unit of work whose reads all see one state of the store (checks that read several tables)."""
        return UnitOfWork(self.session_factory, snapshot=True)

    @property
    def dialect(self) -> str:
        """The store's engine: "sqlite" or "postgresql"."""
        return str(self.session_factory.kw["bind"].dialect.name)
