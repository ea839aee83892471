"""For mypy only: each concrete service fits the port the desk knows it by (blo_desk.ports); nothing calls this.

The desk cannot import the services (they pull in SQLAlchemy), so nothing else would notice at type-check time
that a service method the desk calls was renamed or changed its arguments. Each function below returns a concrete
service as its port: mypy fails here, naming the member, when a service no longer fits. One function per class,
so that a change to any one service module makes mypy re-check this module (also with its incremental cache).
"""

from __future__ import annotations

from blo_desk.config import Settings
from blo_desk.ports import (
    AccountsPort,
    AttachmentsPort,
    AuditPort,
    BackupPort,
    CasesPort,
    DataExportPort,
    DeliveryPort,
    HqPort,
    LoadDemo,
    PasswordRules,
    PrintingPort,
    ReferencePort,
    SealerPort,
    ServicesPort,
    SharingPort,
    StoreSettings,
    SyncPort,
    TickReport,
    UsersPort,
)
from blo_desk.services import demo
from blo_desk.services.accounts import AccountService
from blo_desk.services.attachments import AttachmentService
from blo_desk.services.audit import AuditService
from blo_desk.services.backup import BackupService
from blo_desk.services.cases import CaseService
from blo_desk.services.data_export import DataExportService
from blo_desk.services.delivery import DeliveryService, TickResult
from blo_desk.services.hq import HqService
from blo_desk.services.printing import PrintingService
from blo_desk.services.reference import ReferenceService
from blo_desk.services.registry import Services
from blo_desk.services.sharing import SharingService
from blo_desk.services.sync import SyncService
from blo_desk.services.users import PasswordPolicy, UserService
from blo_desk.storage.crypto import Sealer


def _services(services: Services) -> ServicesPort:
    return services


def _backup(service: BackupService) -> BackupPort:
    return service


def _sharing(service: SharingService) -> SharingPort:
    return service


def _accounts(accounts: AccountService) -> AccountsPort:
    return accounts


def _password_policy(policy: PasswordPolicy) -> PasswordRules:
    return policy


def _cases(service: CaseService) -> CasesPort:
    return service


def _reference(service: ReferenceService) -> ReferencePort:
    return service


def _attachments(service: AttachmentService) -> AttachmentsPort:
    return service


def _printing(service: PrintingService) -> PrintingPort:
    return service


def _exports(service: DataExportService) -> DataExportPort:
    return service


def _sync(service: SyncService) -> SyncPort:
    return service


def _hq(service: HqService) -> HqPort:
    return service


def _users(service: UserService) -> UsersPort:
    return service


def _audit(service: AuditService) -> AuditPort:
    return service


def _delivery(service: DeliveryService) -> DeliveryPort:
    return service


def _tick(result: TickResult) -> TickReport:
    return result


def _sealer(sealer: Sealer) -> SealerPort:
    return sealer


def _settings(settings: Settings) -> StoreSettings:
    return settings


def _load_demo() -> LoadDemo:
    return demo.load_demo
