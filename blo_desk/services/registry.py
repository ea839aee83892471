"""The set of services one run of the app or a command works with, built by the composition root."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from blo_desk.config import Settings
from blo_desk.domain.errors import LoginRequiredError, StoreLockedError
from blo_desk.domain.permissions import SYSTEM, Principal
from blo_desk.services.accounts import UserService
from blo_desk.services.audit import AuditService, Guard
from blo_desk.services.attachments import AttachmentService
from blo_desk.services.bundle_encryption import HqAgeKey
from blo_desk.services.cases import CaseService
from blo_desk.services.delivery import DeliveryService
from blo_desk.services.hq import HqService
from blo_desk.services.printing import PrintingService
from blo_desk.services.reference import ReferenceService
from blo_desk.services.sync import SyncService
from blo_desk.storage.blobs import BlobStore
from blo_desk.storage.crypto import DataKey, Sealer
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
    principal: Principal = SYSTEM
    guard: Guard | None = None  # permission checks and audit events of `principal` (other services use it too)
    users: UserService | None = None
    audit: AuditService | None = None
    sealer: Sealer | None = None  # seal/unseal bytes with the data key (e.g. the post's signing key); None if plain
    delivery: DeliveryService | None = None  # the outbox delivered by upload to HQ's intake service (issue 6)

    def close(self) -> None:
        self.engine.dispose()


def open_services(settings: Settings, *, actor: str = "", principal: Principal | None = None,
                  key: DataKey | None = None) -> Services:
    """Open (and migrate, and seed) the store for `principal`; raises StoreTooNewError untouched.

    `principal`: a user from AccountService.login, or SYSTEM for commands, demo data and tests; it may be left
    out only in the explicit unencrypted test/benchmark mode (settings.plaintext_store), which then means SYSTEM.
    An encrypted (SQLCipher) store also needs its data `key`, which only a login unwraps (StoreLockedError).
    """
    if principal is None:
        # Only the explicit test/benchmark mode (plaintext_store) may omit the principal: it then runs as SYSTEM.
        if not settings.plaintext_store:
            raise StoreLockedError() if settings.encrypted_store else LoginRequiredError()
        principal = SYSTEM
    if settings.encrypted_store and key is None:
        raise StoreLockedError()
    key = key if settings.encrypted_store else None
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.db_url, key=key)
    try:
        backup = upgrade(engine, url=settings.db_url, backups_dir=settings.backups_dir, key=key)
    except BaseException:
        engine.dispose()
        raise
    uow = UnitOfWorkFactory(make_session_factory(engine))
    guard = Guard(uow=uow, principal=principal, seal_key=key.subkey("audit-head") if key else None)
    blobs = BlobStore(settings.attachments_dir, cipher=Sealer(key, purpose_prefix="blob") if key else None)
    services = Services(
        settings=settings,
        engine=engine,
        uow=uow,
        cases=CaseService(uow=uow, actor=actor, guard=guard),
        reference=ReferenceService(uow=uow, guard=guard),
        attachments=AttachmentService(blobs=blobs),
        sync=SyncService(uow=uow, data_dir=settings.data_dir, blobs=blobs, guard=guard,
                         sealer=Sealer(key, purpose_prefix="post-key") if key else None),
        hq=HqService(uow=uow, blobs=blobs, guard=guard,
                     age_key=HqAgeKey(settings.data_dir,
                                      sealer=Sealer(key, purpose_prefix="hq-age-key") if key else None)),
        printing=PrintingService(uow=uow, guard=guard),
        backup_taken=backup,
        principal=principal,
        guard=guard,
        users=UserService(uow=uow, guard=guard, settings=settings, key=key),
        audit=AuditService(uow=uow, guard=guard),
        sealer=Sealer(key) if key else None,
    )
    services.delivery = DeliveryService(uow=uow, sync=services.sync, data_dir=settings.data_dir, guard=guard)
    services.reference.ensure_seeded()
    return services
