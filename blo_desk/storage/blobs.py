"""Content-addressed file store for photos and scans, beside the database: attachments/ab/abcdef…"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from blo_desk.durable import fsync_dir, write_atomically
from blo_desk.storage.crypto import Sealer

CHUNK = 1024 * 1024


class BlobStore:
    """Files named by the SHA-256 of their plain content; with a `cipher`, each file is sealed (AES-GCM).

    Read content with `read_bytes` (or `export_to`): with a cipher, `path_for` names a sealed file.
    """

    def __init__(self, root: Path, *, cipher: Sealer | None = None) -> None:
        self.root = Path(root)
        self.cipher = cipher

    @property
    def encrypted(self) -> bool:
        return self.cipher is not None

    def read_bytes(self, sha256: str) -> bytes:
        """The plain content (decrypted when sealed); raises ValueError when it does not match its name."""
        raw = self.path_for(sha256).read_bytes()
        if Sealer.is_sealed(raw):
            if self.cipher is None:
                raise ValueError("the photo is encrypted and the store is locked")
            raw = self.cipher.unseal(raw, purpose=f"blob:{sha256}")
        if hashlib.sha256(raw).hexdigest() != sha256:
            raise ValueError("stored file does not match its SHA-256")
        return raw

    def export_to(self, sha256: str, target: Path) -> Path:
        """Write the plain content to `target` (for a bundle, a print, a viewer)."""
        Path(target).write_bytes(self.read_bytes(sha256))
        return Path(target)

    def _put_sealed(self, data: bytes) -> str:
        sha = hashlib.sha256(data).hexdigest()
        target = self.path_for(sha)
        assert self.cipher is not None  # called for an encrypted store only
        if not target.exists():
            write_atomically(target, self.cipher.seal(data, purpose=f"blob:{sha}"))
        return sha

    def path_for(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError("not a SHA-256 hex digest")
        return self.root / sha256[:2] / sha256

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).exists()

    def put_file(self, source: Path) -> tuple[str, int]:
        """Copy a file in (hashing as it goes), durably; returns (sha256, size). Stored once per content."""
        self.root.mkdir(parents=True, exist_ok=True)
        if self.cipher is not None:
            data = Path(source).read_bytes()  # attachments are capped (domain.media), so this fits in memory
            return self._put_sealed(data), len(data)
        digest = hashlib.sha256()
        size = 0
        fd, tmp_name = tempfile.mkstemp(dir=self.root, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as out, Path(source).open("rb") as src:
                while chunk := src.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            sha = digest.hexdigest()
            target = self.path_for(sha)
            if target.exists():
                os.unlink(tmp_name)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(tmp_name, target)
                fsync_dir(target.parent)
            return sha, size
        except BaseException:
            if os.path.exists(tmp_name):
                os.unlink(tmp_name)
            raise

    def put_bytes(self, data: bytes) -> str:
        if self.cipher is not None:
            return self._put_sealed(data)
        sha = hashlib.sha256(data).hexdigest()
        target = self.path_for(sha)
        if not target.exists():
            write_atomically(target, data)
        return sha


class DerivedStore:
    """Files derived from a stored blob (a photo's thumbnail for the printed annex), named by the blob's SHA-256 and
    sealed like the blobs on an encrypted store. A derived file can always be made again: a missing, unreadable or
    altered one is simply made again."""

    def __init__(self, root: Path, *, cipher: Sealer | None = None, purpose: str = "derived") -> None:
        self.root = Path(root)
        self.cipher = cipher
        self.purpose = purpose

    def _path(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError("not a SHA-256 hex digest")
        return self.root / sha256

    def get(self, sha256: str) -> bytes | None:
        try:
            raw = self._path(sha256).read_bytes()
        except OSError:
            return None
        if self.cipher is None:
            return None if Sealer.is_sealed(raw) else raw
        try:
            return self.cipher.unseal(raw, purpose=f"{self.purpose}:{sha256}")
        except ValueError:
            return None

    def put(self, sha256: str, data: bytes) -> None:
        sealed = self.cipher.seal(data, purpose=f"{self.purpose}:{sha256}") if self.cipher is not None else data
        self.root.mkdir(parents=True, exist_ok=True)
        write_atomically(self._path(sha256), sealed)
