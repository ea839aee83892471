"""The set of services one run of the app or a command works with, built by the composition root."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine

from blo_desk.config import Settings, resources_dir
from blo_desk.domain.errors import LoginRequiredError, StoreLockedError
from blo_desk.domain.permissions import SYSTEM, Principal
from blo_desk.services.attachments import AttachmentService
from blo_desk.services.audit import AuditService, Guard
from blo_desk.services.backup import RESTORE_MARKER, BackupService
from blo_desk.services.bundle_encryption import HqAgeKey
from blo_desk.services.cases import CaseService
from blo_desk.services.data_export import DataExportService
from blo_desk.services.delivery import DeliveryService
from blo_desk.services.hq import HqService
from blo_desk.services.printing import PrintingService
from blo_desk.services.reference import SEED_FILES, ReferenceService
from blo_desk.services.sharing import POST_AGE_KEY_FILE, POST_AGE_KEY_PURPOSE, SharingService
from blo_desk.services.sync import SyncService
from blo_desk.services.users import UserService
from blo_desk.storage.blobs import BlobStore, DerivedStore
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
    guard: Guard  # permission checks and audit events of `principal` (other services use it too)
    users: UserService
    audit: AuditService
    backup_taken: Path | None = None
    principal: Principal = SYSTEM
    sealer: Sealer | None = None  # seal/unseal bytes with the data key (e.g. the post's signing key); None if plain
    delivery: DeliveryService | None = None  # the outbox delivered by upload to HQ's intake service (issue 6)
    exports: DataExportService | None = None  # cases out as spreadsheets and international tables (issue 17)
    backup: BackupService | None = None  # backups of this store, and the restore a new laptop finishes (issue 18)
    sharing: SharingService | None = None  # the counterpart channel: pairing, shares, requests (issue 16)

    def close(self) -> None:
        self.engine.dispose()


SEED_HASH_SETTING = "reference.seed_hash"  # SHA-256 of the shipped reference lists last seeded into the store


@lru_cache(maxsize=None)
def _seed_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for name in SEED_FILES:
        digest.update((folder / name).read_bytes())
    return digest.hexdigest()


def shipped_seed_digest() -> str:
    """What the shipped reference lists hash to (read once per process)."""
    return _seed_digest(resources_dir() / "reference")


def _seed_if_changed(services: Services) -> None:
    """Seed the shipped reference lists only when they differ from the ones last seeded (a stored hash)."""
    digest = shipped_seed_digest()
    with services.uow() as uow:
        if uow.settings.get(SEED_HASH_SETTING) == digest:
            return
    services.reference.ensure_seeded()
    with services.uow() as uow:
        uow.settings.set(SEED_HASH_SETTING, digest)
        uow.commit()


def open_services(settings: Settings, *, actor: str = "", principal: Principal | None = None,
                  key: DataKey | None = None, engine: Engine | None = None) -> Services:
    """Open (and migrate, and seed) the store for `principal`; raises StoreTooNewError untouched.

    `principal`: a user from AccountService.login, or SYSTEM for commands, demo data and tests; it may be left
    out only in the explicit unencrypted test/benchmark mode (settings.plaintext_store), which then means SYSTEM.
    An encrypted (SQLCipher) store also needs its data `key`, which only a login unwraps (StoreLockedError).
    `engine`: an engine that an earlier open_services of this process made for the same store and `key` (so the
    schema is at head and the lists seeded): it is reused as it is, and the returned services own it (close()).
    The reference lists are seeded only when the shipped ones changed since the last seeding (SEED_HASH_SETTING).
    """
    if principal is None:
        # Only the explicit test/benchmark mode (plaintext_store) may omit the principal: it then runs as SYSTEM.
        if not settings.plaintext_store:
            raise StoreLockedError() if settings.encrypted_store else LoginRequiredError()
        principal = SYSTEM
    if settings.encrypted_store and key is None:
        raise StoreLockedError()
    key = key if settings.encrypted_store else None
    fresh = engine is None
    backup = None
    if fresh:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = make_engine(settings.db_url, key=key)
        try:
            backup = upgrade(engine, url=settings.db_url, backups_dir=settings.backups_dir, key=key)
        except BaseException:
            engine.dispose()
            raise
    assert engine is not None  # given, or made above
    uow = UnitOfWorkFactory(make_session_factory(engine))
    guard = Guard(uow=uow, principal=principal, seal_key=key.subkey("audit-head") if key else None)
    blobs = BlobStore(settings.attachments_dir, cipher=Sealer(key, purpose_prefix="blob") if key else None)
    thumbnails = DerivedStore(settings.data_dir / "thumbnails", cipher=Sealer(key, purpose_prefix="blob") if key else None,
                              purpose="thumbnail")
    services = Services(
        settings=settings,
        engine=engine,
        uow=uow,
        cases=CaseService(uow=uow, actor=actor, guard=guard),
        reference=ReferenceService(uow=uow, guard=guard),
        attachments=AttachmentService(blobs=blobs, guard=guard, thumbnails=thumbnails),
        sync=SyncService(uow=uow, data_dir=settings.data_dir, blobs=blobs, guard=guard,
                         sealer=Sealer(key, purpose_prefix="post-key") if key else None),
        hq=HqService(uow=uow, blobs=blobs, guard=guard,
                     age_key=HqAgeKey(settings.data_dir,
                                      sealer=Sealer(key, purpose_prefix="hq-age-key") if key else None)),
        printing=PrintingService(uow=uow, guard=guard, blobs=blobs, thumbnails=thumbnails),
        backup_taken=backup,
        principal=principal,
        guard=guard,
        users=UserService(uow=uow, guard=guard, settings=settings, key=key),
        audit=AuditService(uow=uow, guard=guard),
        sealer=Sealer(key) if key else None,
    )
    services.delivery = DeliveryService(uow=uow, sync=services.sync, data_dir=settings.data_dir, guard=guard)
    services.exports = DataExportService(uow=uow, guard=guard, tables_folder=settings.data_dir / "tables")
    services.backup = BackupService(uow=uow, guard=guard, settings=settings, key=key)
    services.sharing = SharingService(
        uow=uow, guard=guard, sync=services.sync, blobs=blobs,
        age_key=HqAgeKey(settings.data_dir, file=POST_AGE_KEY_FILE, purpose=POST_AGE_KEY_PURPOSE,
                         sealer=Sealer(key, purpose_prefix="post-age-key") if key else None))
    if fresh:
        try:
            _seed_if_changed(services)
            if (settings.data_dir / RESTORE_MARKER).exists():
                services.backup.finish_restore()  # a restored store: the restore is recorded on its first opening
        except BaseException:
            engine.dispose()
            raise
    return services
