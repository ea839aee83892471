"""At the post: set up the signing identity, export signed bundles, keep the outbox of unacknowledged ones."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from blo_desk import __version__
from blo_desk.domain.sync import ExportResult, OutboxEntry, PostIdentity
from blo_desk.exchange import minisign
from blo_desk.exchange.errors import (
    ExportWriteError,
    NothingToExportError,
    PostAlreadySetUpError,
    PostNotSetUpError,
    SecretKeyError,
    SecretKeyExposedError,
    SecretKeyMismatchError,
    StoredPhotoCorruptError,
    UnknownPostError,
)
from blo_desk.exchange.manifest import POST_RE, Manifest, bundle_file_name
from blo_desk.exchange.pack import write_bundle
from blo_desk.services.clock import utc_now
from blo_desk.storage.blobs import BlobStore
from blo_desk.storage.migrate import head_revision
from blo_desk.storage.sync_repository import SyncRepository
from blo_desk.storage.uow import UnitOfWorkFactory

KEYS_FOLDER = "keys"
SECRET_KEY_FILE = "post.key"
_NO_ATTACHMENTS = b'"attachments":[]'


def _ts(value: datetime) -> str:
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _write_private(path: Path, text: str) -> None:
    """Create the file readable by its owner only (0600), durably; never overwrite an existing key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if os.name != "nt":
        os.chmod(path.parent, 0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())


class SyncService:
    """The post side of sync bundles."""

    def __init__(self, *, uow: UnitOfWorkFactory, data_dir: Path, blobs: BlobStore,
                 clock: Callable[[], datetime] = utc_now) -> None:
        self._uow = uow
        self._data_dir = Path(data_dir)
        self._blobs = blobs
        self._clock = clock

    # --- identity -----------------------------------------------------------------------------
    def identity(self) -> PostIdentity | None:
        with self._uow() as uow:
            return SyncRepository(uow.session).identity()

    def set_up_post(self, *, post_code: str) -> PostIdentity:
        """Give this installation a post code and a fresh Ed25519 key; the secret key stays in the data folder."""
        code = post_code.strip().upper()
        with self._uow() as uow:
            repo = SyncRepository(uow.session)
            existing = repo.identity()
            if existing is not None:
                raise PostAlreadySetUpError(post=existing.post_code, key_id=existing.key_id)
            if not POST_RE.match(code) or code not in uow.reference.codes().posts:
                raise UnknownPostError(post=code)
            key = minisign.SecretKey.generate()
            relative = f"{KEYS_FOLDER}/{code}-{key.public_key.key_id_text}.key"
            _write_private(self._data_dir / relative, key.to_file_text())
            public_line = key.public_key.to_file_text().splitlines()[1]
            identity = PostIdentity(post_code=code, key_id=key.public_key.key_id_text, public_key=public_line,
                                    created_at=self._clock())
            repo.set_identity(identity, secret_key_file=relative)
            uow.commit()
        self.export_public_key(folder=self._data_dir / KEYS_FOLDER)
        return identity

    def public_key_text(self) -> str:
        """The minisign public key file to hand to HQ (and to anyone checking bundles with `minisign -V`)."""
        identity = self._require_identity()
        key = minisign.parse_public_key(identity.public_key)
        return key.to_file_text()

    def export_public_key(self, *, folder: Path) -> Path:
        identity = self._require_identity()
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{identity.post_code}-{identity.key_id}.pub"
        path.write_text(self.public_key_text(), encoding="ascii")
        return path

    def _require_identity(self) -> PostIdentity:
        identity = self.identity()
        if identity is None:
            raise PostNotSetUpError()
        return identity

    def _secret_key(self) -> minisign.SecretKey:
        with self._uow() as uow:
            relative = SyncRepository(uow.session).secret_key_file()
        if relative is None:
            raise PostNotSetUpError()
        path = self._data_dir / relative
        try:
            if os.name != "nt" and path.stat().st_mode & 0o077:
                raise SecretKeyExposedError(path=str(path))
            return minisign.parse_secret_key(path.read_text("ascii"))
        except OSError as exc:
            raise SecretKeyError(path=str(path), reason=exc.strerror or str(exc)) from exc

    # --- export -------------------------------------------------------------------------------
    def default_folder(self) -> Path:
        return self._data_dir / "outbox"

    def export(self, *, folder: Path | None = None, full: bool = False,
               progress: Callable[[int, int], None] | None = None) -> ExportResult:
        """Write the next bundle: every revision not yet exported (all of them when `full`).

        The sequence number is reserved and committed before the file is written, so it is never reused even if
        writing fails; a failed number shows as a gap at HQ, explained by the chain of previous-bundle hashes."""
        identity = self._require_identity()
        key = self._secret_key()
        if key.public_key.key_id_text != identity.key_id:
            raise SecretKeyMismatchError(path=SECRET_KEY_FILE, key_id=identity.key_id)
        out = Path(folder) if folder is not None else self.default_folder()
        now = self._clock()
        with self._uow() as uow:
            repo = SyncRepository(uow.session)
            rows = repo.revisions_to_export(post_code=identity.post_code, full=full)
            last = repo.last_sequence()
            if not rows:
                raise NothingToExportError(seq=last)
            sequence = last + 1
            previous = repo.last_written()
            repo.reserve(sequence=sequence, post_code=identity.post_code,
                         file_name=bundle_file_name(identity.post_code, sequence), folder=str(out), full=full,
                         created_at=now)
            uow.commit()
        records = [record.encode("utf-8") for _c, _r, record, _e in rows]
        photos: dict[str, object] = {}
        for line in records:
            if _NO_ATTACHMENTS in line:
                continue
            for attachment in json.loads(line)["case"]["attachments"]:
                photos.setdefault(attachment["sha256"], self._photo_source(attachment["sha256"]))
        manifest = Manifest(
            post=identity.post_code,
            key_id=identity.key_id,
            sequence=sequence,
            previous_sha256=previous.sha256 if previous else "",
            created_at=_ts(now),
            app_version=__version__,
            schema_version=head_revision(),
            full=full,
            records=len(records),
            cases=len({c for c, _r, _rec, _e in rows}),
            attachments=len(photos),
        )
        try:
            written = write_bundle(folder=out, manifest=manifest, key=key, records=records,
                                   attachments=sorted(photos.items()), progress=progress)
        except OSError as exc:
            with self._uow() as uow:
                SyncRepository(uow.session).mark_failed(sequence=sequence)
                uow.commit()
            raise ExportWriteError(folder=str(out), reason=exc.strerror or str(exc)) from exc
        except BaseException:
            with self._uow() as uow:
                SyncRepository(uow.session).mark_failed(sequence=sequence)
                uow.commit()
            raise
        with self._uow() as uow:
            repo = SyncRepository(uow.session)
            repo.mark_written(sequence=sequence, sha256=written.sha256, previous_sha256=manifest.previous_sha256,
                              size=written.size, records=manifest.records, cases=manifest.cases,
                              attachments=manifest.attachments)
            repo.mark_exported(((c, r) for c, r, _rec, done in rows if not done), sequence=sequence)
            uow.commit()
        return ExportResult(sequence=sequence, path=str(written.path), sha256=written.sha256, size=written.size,
                            records=manifest.records, cases=manifest.cases, attachments=manifest.attachments,
                            full=full)

    def _photo_source(self, sha256: str):
        """The plain photo for the bundle: the file itself, or (in an encrypted store) its unsealed bytes, read
        only when the packer reaches it (photos are capped at 50 MB, one is held at a time)."""
        if not self._blobs.encrypted:
            return self._blobs.path_for(sha256)

        def opener():
            try:
                return io.BytesIO(self._blobs.read_bytes(sha256))
            except ValueError as exc:
                raise StoredPhotoCorruptError(sha256=sha256) from exc

        return opener

    # --- outbox -------------------------------------------------------------------------------
    def outbox(self, *, include_acknowledged: bool = False) -> list[OutboxEntry]:
        """Bundles written and not yet acknowledged by HQ (all of them, when asked)."""
        with self._uow() as uow:
            return SyncRepository(uow.session).outbox(include_acknowledged=include_acknowledged)

    def acknowledge(self, *, up_to: int) -> int:
        """HQ confirmed every bundle up to this number: they leave the outbox. Returns how many did."""
        with self._uow() as uow:
            count = SyncRepository(uow.session).acknowledge(up_to=up_to, at=self._clock())
            uow.commit()
            return count

