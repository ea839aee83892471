"""Durable file writes: a temporary file beside the target, fsync, rename, fsync of the folder (a leaf module)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO


def fsync_dir(folder: Path) -> None:
    """Make a rename in `folder` survive a power cut (no-op on Windows, where folders cannot be opened)."""
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def atomic_file(target: Path, *, mode: int | None = None) -> Iterator[BinaryIO]:
    """Write `target` whole or not at all: readers see the old file or the new one, never half of it."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".{target.name}.{secrets.token_hex(6)}.part"
    # Created like any new file (0666 less the umask) unless a mode is asked for, e.g. 0600 for keys.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666 if mode is None else mode)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    fsync_dir(target.parent)


def write_atomically(target: Path, data: bytes, *, mode: int | None = None) -> None:
    with atomic_file(target, mode=mode) as fh:
        fh.write(data)


def write_private(path: Path, data: str | bytes, *, folder_is_ours: bool = True) -> None:
    """Write a secret (a key file) readable by its owner only (0600), whole or not at all.

    `folder_is_ours`: the folder is the program's own (`keys/` in the data folder), kept 0700. A folder the user
    chose (`--secret-out`, `post secret-key --out`) is left exactly as it is; only a folder created here is 0700.
    An existing file is never replaced (FileExistsError): a key once written is not overwritten by accident."""
    path = Path(path)
    created = not path.parent.exists()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if os.name != "nt" and (created or folder_is_ours):
        os.chmod(path.parent, 0o700)
    if path.exists():
        raise FileExistsError(17, os.strerror(17), str(path))
    write_atomically(path, data.encode("ascii") if isinstance(data, str) else data, mode=0o600)


def shred_unlink(path: Path) -> None:
    """Overwrite a file with zeros, then remove it (best effort: SSDs and journaling file systems may keep copies)."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return
    with suppress(OSError), open(path, "r+b") as fh:
        fh.write(bytes(size))
        fh.flush()
        os.fsync(fh.fileno())
    path.unlink(missing_ok=True)
