"""Scratch files sealed under a key that lives only in memory: what an import must put on disk (a decrypted bundle,
photos on their way to an encrypted store) is unreadable once its process is gone, killed or not.

AES-256-CTR with a random 16-byte nonce at the head of each file; reading seeks freely (zipfile needs that). No
authentication: every byte read back is checked anyway (signatures, SHA-256 of every member and photo).
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

NONCE = 16


class ScratchKey:
    """One random key per importing service; never written anywhere."""

    def __init__(self) -> None:
        self._key = os.urandom(32)

    def _stream(self, nonce: bytes, offset: int):
        block, skip = divmod(offset, 16)
        counter = (int.from_bytes(nonce, "big") + block) % 2**128
        ctx = Cipher(algorithms.AES(self._key), modes.CTR(counter.to_bytes(16, "big"))).encryptor()
        if skip:
            ctx.update(bytes(skip))
        return ctx

    def writer(self, raw: BinaryIO) -> SealedWriter:
        """Seal what is written into `raw` (a new, empty file opened for writing)."""
        return SealedWriter(raw, self)

    def seekable_writer(self, raw: BinaryIO) -> SealedFile:
        """Seal what is written into `raw` (a new, empty file opened "w+b"), seeking like a plain file: zipfile
        goes back to a member's header once its sizes are known, and the bytes come out as on a plain file."""
        return SealedFile(raw, self)

    def open(self, path: Path) -> SealedReader:
        """Read a file written through `writer`, seekable, as its plain bytes."""
        return SealedReader(Path(path), self)

    def plain_size(self, path: Path) -> int:
        return max(0, Path(path).stat().st_size - NONCE)


class SealedWriter:
    def __init__(self, raw: BinaryIO, key: ScratchKey) -> None:
        nonce = os.urandom(NONCE)
        raw.write(nonce)
        self.raw = raw
        self._ctx = key._stream(nonce, 0)

    def write(self, data) -> int:
        self.raw.write(self._ctx.update(bytes(data)))
        return len(data)

    def flush(self) -> None:
        self.raw.flush()

    def fileno(self) -> int:
        return self.raw.fileno()

    def __enter__(self) -> SealedWriter:
        return self

    def __exit__(self, *exc) -> None:
        self.raw.close()


class SealedFile:
    """A sealed file written at any position, in plain offsets. A rewritten range reuses its key stream: only
    zip headers are rewritten (sizes, CRC), and only the final bytes are ever on disk for a reader to see."""

    def __init__(self, raw: BinaryIO, key: ScratchKey) -> None:
        self._nonce = os.urandom(NONCE)
        raw.write(self._nonce)
        self.raw = raw
        self._key = key
        self._pos = 0  # where the next write goes, plain offset
        self._size = 0
        self._raw_pos = 0  # where raw stands, plain offset
        self._ctx: Any = key._stream(self._nonce, 0)
        self._ctx_pos = 0

    def write(self, data) -> int:
        data = bytes(data)
        if self._ctx_pos != self._pos:
            self._ctx = self._key._stream(self._nonce, self._pos)
        if self._raw_pos != self._pos:
            self.raw.seek(NONCE + self._pos)
        self.raw.write(self._ctx.update(data))
        self._pos += len(data)
        self._ctx_pos = self._raw_pos = self._pos
        self._size = max(self._size, self._pos)
        return len(data)

    def tell(self) -> int:
        return self._pos

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def flush(self) -> None:
        self.raw.flush()

    def fileno(self) -> int:
        return self.raw.fileno()


class SealedReader(io.RawIOBase):
    """The plain bytes of a sealed scratch file, as a seekable binary file."""

    def __init__(self, path: Path, key: ScratchKey) -> None:
        super().__init__()
        self._fh = open(path, "rb")  # noqa: SIM115 - closed in close()
        self._key = key
        self._nonce = self._fh.read(NONCE)
        self._size = max(0, os.fstat(self._fh.fileno()).st_size - NONCE)
        self._pos = 0
        self._ctx: Any = None
        self._ctx_pos = -1

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = max(0, self._size - self._pos)
        self._fh.seek(NONCE + self._pos)
        sealed = self._fh.read(size)
        if self._ctx is None or self._ctx_pos != self._pos:
            self._ctx = self._key._stream(self._nonce, self._pos)
        plain = self._ctx.update(sealed)
        self._pos += len(plain)
        self._ctx_pos = self._pos
        return plain

    def close(self) -> None:
        if not self.closed:
            self._fh.close()
        super().close()
