"""The set of services one run of the app or a command works with, built by the composition root."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from blo_desk.config import Settings
from blo_desk.services.attachments import AttachmentService
from blo_desk.services.cases import CaseService
from blo_desk.services.hq import HqService
from blo_desk.services.printing import PrintingService
from blo_desk.services.reference import ReferenceService
from blo_desk.services.sync import SyncService
from blo_desk.storage.blobs import BlobStore
from blo_desk.storage.engine import make_engine, make_session_factory
from blo_desk.storage.migrate import upgrade
from blo_desk.storage.uow import UnitOfWorkFactory


@dataclass
class Services:
    settings: Settings
    engine: Engine
    uow: UnitOfWorkFactory
    cases: CaseService
    reference: ReferenceService
    attachments: AttachmentService
    printing: PrintingService
    sync: SyncService
    hq: HqService
    backup_taken: Path | None = None

    def close(self) -> None:
        self.engine.dispose()


def open_services(settings: Settings, *, actor: str = "") -> Services:
    """Open (and migrate, and seed) the store named by the settings; raises StoreTooNewError untouched."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.db_url)
    try:
        backup = upgrade(engine, url=settings.db_url, backups_dir=settings.backups_dir)
    except BaseException:
        engine.dispose()
        raise
    uow = UnitOfWorkFactory(make_session_factory(engine))
    blobs = BlobStore(settings.attachments_dir)
    services = Services(
        settings=settings,
        engine=engine,
        uow=uow,
        cases=CaseService(uow=uow, actor=actor),
        reference=ReferenceService(uow=uow),
        attachments=AttachmentService(blobs=blobs),
        sync=SyncService(uow=uow, data_dir=settings.data_dir, blobs=blobs),
        hq=HqService(uow=uow, blobs=blobs),
        printing=PrintingService(uow=uow),
        backup_taken=backup,
    )
    services.reference.ensure_seeded()
    return services
