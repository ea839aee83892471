"""Encrypted bundles: HQ's age key (kept in the data folder, sealed on an encrypted store), the recipient a post
pins, and HQ's import of an encrypted bundle (envelope checked, then decrypted streaming, then imported as ever).

The two mixins are the encryption half of SyncService (post) and HqService (HQ); they use those services' guard,
store and key lookup, and keep the import path of the plain format untouched.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from blo_desk.domain.audit import value_hash
from blo_desk.domain.errors import DomainError
from blo_desk.domain.permissions import Action
from blo_desk.domain.sync import ALREADY_IMPORTED, REJECTED, VERIFIED, ImportReport
from blo_desk.durable import shred_unlink, write_private
from blo_desk.exchange import age
from blo_desk.exchange.envelope import (
    EnvelopeMismatchError,
    NoHqAgeKeyError,
    OpenedEnvelope,
)
from blo_desk.exchange.errors import BundleRejected, KeyFileError
from blo_desk.exchange.scratch import ScratchKey
from blo_desk.exchange.verify import OpenedBundle
from blo_desk.i18n import N_
from blo_desk.services.staging import staging_dir, workspace
from blo_desk.storage.crypto import SEALED_SUFFIX, Sealer

if TYPE_CHECKING:
    from blo_desk.exchange.manifest import Limits
    from blo_desk.exchange.verify import TrustedKey as VerifyKey
    from blo_desk.services.audit import Guard
    from blo_desk.storage.blobs import BlobStore
    from blo_desk.storage.uow import UnitOfWorkFactory

AGE_KEY_FILE = "keys/hq-age.key"
AGE_KEY_PURPOSE = "hq-age-identity"
RECIPIENT_SETTING = "bundle.hq_age_recipient"  # at a post: HQ's age recipient every bundle is encrypted to
REQUIRE_SETTING = "bundle.require_encryption"  # at a post: "1" refuses to export a plain bundle


class EncryptionRequiredError(DomainError):
    message = N_("This post requires encrypted bundles but no HQ age key is pinned; pin it with `blo-desk post hq "
                 "--age-recipient age1...`. Nothing was exported.")


class AgeKeyLockedError(DomainError):
    message = N_("HQ's age key {path} is sealed with the store's key; log in to use it.")


class AgeKeyBrokenError(DomainError):
    message = N_("HQ's age key {path} cannot be unsealed: it was altered or belongs to another store.")


class AgeKeyExposedError(DomainError):
    message = N_("HQ's age key {path} is readable by other users; allow only its owner (permissions 0600).")


class AgeKeyExistsError(DomainError):
    message = N_("This installation already holds HQ's age key {recipient}; it is not replaced.")


class HqAgeKey:
    """HQ's X25519 age identity in `<data>/keys/hq-age.key` (age-keygen's format, 0600), or `hq-age.key.sealed`
    (AES-GCM under a sub-key of the store's data key) when the store is encrypted."""

    def __init__(self, data_dir: Path, *, sealer: Sealer | None = None, file: str = AGE_KEY_FILE,
                 purpose: str = AGE_KEY_PURPOSE) -> None:
        """`file` and `purpose`: another age identity kept the same way (a post's own, for counterpart shares)."""
        self.plain_path = Path(data_dir) / file
        self._purpose = purpose
        self.sealed_path = self.plain_path.with_name(self.plain_path.name + SEALED_SUFFIX)
        self._sealer = sealer

    def exists(self) -> bool:
        return self.plain_path.exists() or self.sealed_path.exists()

    def _read(self, path: Path) -> bytes:
        try:
            if os.name != "nt" and path.stat().st_mode & 0o077:
                raise AgeKeyExposedError(path=str(path))
            return path.read_bytes()
        except OSError as exc:
            raise KeyFileError(N_("The key file {path} cannot be read: {reason}"), path=str(path),
                               reason=exc.strerror or str(exc)) from exc

    def identity_text(self) -> str | None:
        """The identity file's text, unsealed; a plain file beside an encrypted store is sealed on first use."""
        if self.sealed_path.exists():
            if self._sealer is None:
                raise AgeKeyLockedError(path=str(self.sealed_path))
            try:
                return self._sealer.unseal(self._read(self.sealed_path), purpose=self._purpose).decode("ascii")
            except ValueError as exc:
                raise AgeKeyBrokenError(path=str(self.sealed_path)) from exc
        if not self.plain_path.exists():
            return None
        text = self._read(self.plain_path).decode("ascii", errors="replace")
        age.parse_identity(text)
        if self._sealer is not None:
            write_private(self.sealed_path, self._sealer.seal(text.encode("ascii"), purpose=self._purpose))
            shred_unlink(self.plain_path)
        return text

    def identity(self):
        text = self.identity_text()
        return None if text is None else age.parse_identity(text)

    def recipient(self) -> str | None:
        identity = self.identity()
        return None if identity is None else age.recipient_of(identity)

    def install(self, text: str) -> str:
        """Keep this identity (a new one, or HQ's existing key for a second HQ machine); returns its recipient."""
        if self.exists():
            raise AgeKeyExistsError(recipient=self.recipient() or "?")
        identity = age.parse_identity(text)
        text = age.identity_file_text(identity)
        if self._sealer is not None:
            write_private(self.sealed_path, self._sealer.seal(text.encode("ascii"), purpose=self._purpose))
        else:
            write_private(self.plain_path, text.encode("ascii"))
        return age.recipient_of(identity)

    def create(self) -> str:
        return self.install(str(age.generate_identity()))


class PostBundleEncryption:
    """SyncService's half: HQ's recipient pinned at the post, and whether a plain export is refused."""

    # set by SyncService.__init__
    _guard: Guard
    _uow: UnitOfWorkFactory

    def pin_hq_recipient(self, *, recipient: str | None = None, require_encryption: bool | None = None) -> str:
        """Pin HQ's age recipient (administrators; audited) and/or the rule that refuses plain bundles."""
        self._guard.require(Action.KEYS_MANAGE, target="hq-age-recipient")
        value = age.parse_recipient(recipient) if recipient is not None else None
        with self._uow() as uow:
            settings = uow.settings
            before = settings.get(RECIPIENT_SETTING) or ""
            if value is not None:
                settings.set(RECIPIENT_SETTING, value)
            if require_encryption is not None:
                settings.set(REQUIRE_SETTING, "1" if require_encryption else "0")
            after = settings.get(RECIPIENT_SETTING) or ""
            self._guard.record(uow, action=Action.KEYS_MANAGE, target="hq-age-recipient",
                               before_hash=value_hash(before) if before else "", after_hash=value_hash(after),
                               details={"op": "pin_hq_recipient", "recipient": after,
                                        "require_encryption": settings.get(REQUIRE_SETTING) == "1"})
            uow.commit()
        return after

    def hq_recipient(self) -> str | None:
        with self._uow() as uow:
            return uow.settings.get(RECIPIENT_SETTING) or None

    def encryption_required(self) -> bool:
        with self._uow() as uow:
            return uow.settings.get(REQUIRE_SETTING) == "1"


class HqBundleEncryption:
    """HqService's half: HQ's age key, and verify/import of encrypted bundles (envelope first, then decryption)."""

    # set by HqService.__init__
    _guard: Guard
    _blobs: BlobStore
    _uow: UnitOfWorkFactory
    _scratch: ScratchKey
    limits: Limits

    if TYPE_CHECKING:  # HqService's own methods, which this half calls
        def _key_lookup(self, key_id: str) -> VerifyKey | None: ...

        def _verify_plain(self, path: Path, scratch: ScratchKey | None = None) -> ImportReport: ...

        def verify(self, *, path: Path) -> ImportReport: ...

        def _rejected(self, report: ImportReport) -> ImportReport: ...

        def _import_opened(self, bundle: OpenedBundle, path: Path, identity: str = "") -> ImportReport: ...

        @staticmethod
        def _remember_container(uow, *, post: str, sequence: int, sha256: str, identity: str) -> None: ...

    # --- HQ's age key --------------------------------------------------------------------------------------
    def _age(self) -> HqAgeKey:
        key = getattr(self, "_age_key", None)
        if key is None:
            raise NoHqAgeKeyError()
        return key

    def age_recipient(self, *, create: bool = False) -> str | None:
        """HQ's `age1...` recipient for posts to pin; created on first use when `create` (administrators)."""
        key = self._age()
        if create and not key.exists():
            self._guard.require(Action.KEYS_MANAGE, target="hq-age-key")
            recipient = key.create()
            self._guard.record_alone(action=Action.KEYS_MANAGE, target="hq-age-key", after_hash=value_hash(recipient),
                                     details={"op": "create_age_key", "recipient": recipient})
            return recipient
        return key.recipient()

    def export_age_identity(self, *, path: Path) -> Path:
        """Administrators: write HQ's age identity (age-keygen format, 0600), for `age -d -i` or a second HQ
        machine. Audited; whoever holds the file reads every bundle."""
        self._guard.require(Action.KEYS_MANAGE, target="hq-age-key")
        text = self._age().identity_text()
        if text is None:
            raise NoHqAgeKeyError()
        path = Path(path)
        self._guard.record_alone(action=Action.KEYS_MANAGE, target="hq-age-key",
                                 details={"op": "export_age_key", "to": str(path)})
        write_private(path, text.encode("ascii"), folder_is_ours=False)  # the file 0600; the folder as it was
        return path

    def import_age_identity(self, *, path: Path) -> str:
        """Administrators: keep HQ's existing age identity on this machine (a second analyst desk, a new server)."""
        self._guard.require(Action.KEYS_MANAGE, target="hq-age-key")
        try:
            text = Path(path).read_text("ascii")
        except (OSError, UnicodeDecodeError) as exc:
            raise KeyFileError(N_("The key file {path} cannot be read: {reason}"), path=str(path),
                               reason=getattr(exc, "strerror", None) or str(exc)) from exc
        recipient = self._age().install(text)
        self._guard.record_alone(action=Action.KEYS_MANAGE, target="hq-age-key", after_hash=value_hash(recipient),
                                 details={"op": "import_age_key", "recipient": recipient})
        return recipient

    def _hq_identity(self):
        key = getattr(self, "_age_key", None)
        return None if key is None else key.identity()

    # --- verify and import -----------------------------------------------------------------------------------
    def _open_envelope(self, path: Path, identity) -> OpenedEnvelope:
        recipient = age.recipient_of(identity) if identity is not None else None
        return OpenedEnvelope(path, key_lookup=self._key_lookup, limits=self.limits, recipient=recipient)

    def _staging(self) -> Path:
        """The folder of the imports' private workspaces (services.staging): decrypted bundles, staged photos,
        records beyond 16 MB, each import in its own locked folder, removed when it ends; what a killed import
        left is removed when the store is opened and after every import."""
        return staging_dir(self._blobs.root)

    def _verify_envelope(self, path: Path) -> ImportReport:
        """Envelope signature and ciphertext hash; then, where HQ's age key is present, the whole inner bundle.
        Without the key (at the post, checking its own stick) only the envelope can be checked."""
        try:
            identity = self._hq_identity()
            opened = self._open_envelope(path, identity)
        except (BundleRejected, DomainError) as exc:
            return ImportReport(file_name=path.name, outcome=REJECTED, error=exc, encrypted=True)
        envelope = opened.envelope
        base: dict[str, Any] = dict(file_name=path.name, post_code=envelope.post, sequence=envelope.sequence,
                                    encrypted=True)
        if identity is None:
            return ImportReport(outcome=VERIFIED, contents_checked=False, **base)
        with workspace(self._staging()) as work:
            try:
                inner = opened.decrypt_to(work, identity=identity, seal=self._scratch)
            except BundleRejected as exc:
                return ImportReport(outcome=REJECTED, error=exc, **base)
            try:
                report = self._verify_plain(inner, self._scratch)
            finally:
                inner.unlink(missing_ok=True)
            if not report.rejected and (report.post_code, report.sequence) != (envelope.post, envelope.sequence):
                return ImportReport(outcome=REJECTED, error=self._mismatch(envelope, report.post_code, report.sequence,
                                                                           "?"), **base)
            return replace(report, file_name=path.name, encrypted=True)

    def _held_envelope(self, opened: OpenedEnvelope, path: Path) -> ImportReport | None:
        """An envelope HQ already applied (by the SHA-256 of the signed envelope, whatever its container) is
        "already imported" without decrypting; its container is remembered for the receipt."""
        envelope = opened.envelope
        with self._uow() as uow:
            repo = uow.sync
            held = repo.imported_bundle(envelope.post, envelope.sequence)
            if held is None or not repo.holds_identity(envelope.post, envelope.sequence, opened.envelope_sha256):
                return None
            report = ImportReport(file_name=path.name, outcome=ALREADY_IMPORTED, post_code=envelope.post,
                                  sequence=envelope.sequence, records=held.records,
                                  unchanged=held.new_cases + held.updated_cases + held.unchanged, encrypted=True)
            self._remember_container(uow, post=envelope.post, sequence=envelope.sequence, sha256=opened.sha256,
                               identity=opened.envelope_sha256)
        return report

    @staticmethod
    def _mismatch(envelope, post: str, sequence, key_id: str) -> EnvelopeMismatchError:
        return EnvelopeMismatchError(post=envelope.post, seq=envelope.sequence, key_id=envelope.key_id,
                                     inner_post=post, inner_seq=sequence, inner_key_id=key_id)

    def _import_envelope(self, path: Path) -> ImportReport:
        """Check the envelope (trusted key, not revoked, signature, HQ's recipient, ciphertext hash) BEFORE
        decrypting; decrypt streaming to a private file beside the photo store; import it as a plain bundle
        (recorded under the hash of the file the post wrote); delete the decrypted file whatever happens."""
        try:
            identity = self._hq_identity()
            opened = self._open_envelope(path, identity)
        except (BundleRejected, DomainError) as exc:
            return self._rejected(ImportReport(file_name=path.name, outcome=REJECTED, error=exc, encrypted=True))
        envelope = opened.envelope

        def rejected(exc: DomainError, records: int = 0) -> ImportReport:
            return self._rejected(ImportReport(file_name=path.name, outcome=REJECTED, post_code=envelope.post,
                                               sequence=envelope.sequence, records=records, error=exc,
                                               encrypted=True))

        held = self._held_envelope(opened, path)
        if held is not None:  # the same signed envelope again, in any container: nothing to decrypt
            return held
        if identity is None:
            return rejected(NoHqAgeKeyError())
        with workspace(self._staging()) as work:
            try:
                inner = opened.decrypt_to(work, identity=identity, seal=self._scratch)
            except BundleRejected as exc:
                return rejected(exc)
            try:
                try:
                    bundle = OpenedBundle(inner, key_lookup=self._key_lookup, limits=self.limits,
                                          scratch=self._scratch)
                except BundleRejected as exc:
                    return rejected(exc)
                with bundle:
                    manifest = bundle.manifest
                    if (manifest.post, manifest.sequence, manifest.key_id) != (
                            envelope.post, envelope.sequence, envelope.key_id):
                        return rejected(self._mismatch(envelope, manifest.post, manifest.sequence, manifest.key_id))
                    # HQ keeps the hash of the file the post wrote (and uploaded): receipts and previous_sha256 name it.
                    bundle.sha256 = opened.sha256
                    bundle.size = opened.size
                    try:
                        report = self._import_opened(bundle, path, identity=opened.envelope_sha256)
                    except BundleRejected as exc:
                        return rejected(exc, records=manifest.records)
                    return replace(report, encrypted=True)
            finally:
                inner.unlink(missing_ok=True)
