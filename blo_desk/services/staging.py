"""Private per-import workspaces beside HQ's photo store, and removal of what crashed imports left in them.

An import's plain case data (a decrypted bundle, photos on their way to the store, records beyond 16 MB) lives in
`<photos>/.staging/<token>/` (0700), next to `<token>.lock`, which the import holds locked until it ends. The
operating system drops the lock when the import's process dies, kill -9 included: whoever opens the store, and
every import when it ends, removes each workspace whose lock nobody holds, whatever its age.
"""

from __future__ import annotations

import os
import secrets
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from blo_desk.services.file_locks import try_lock


def staging_dir(attachments: Path) -> Path:
    """Where the imports' private workspaces live: beside the photos, in the folder an encrypted store seals."""
    return attachments / ".staging"

LOCK_SUFFIX = ".lock"
LOOSE_LEFTOVER_S = 3600  # loose files (the layout before workspaces) untouched this long are crash leftovers
_NEW_WORKSPACE_S = 60  # a workspace folder without its lock file is being created (or its lock was removed)


@contextmanager
def workspace(staging: Path) -> Iterator[Path]:
    """A new private folder in `staging` for one import, locked while the import runs and removed after it."""
    staging = Path(staging)
    staging.mkdir(parents=True, exist_ok=True, mode=0o700)
    token = secrets.token_hex(8)
    lock_path = staging / f"{token}{LOCK_SUFFIX}"
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        try_lock(fd)  # a file this process just created: nobody else holds it
        folder = staging / token
        folder.mkdir(mode=0o700)
        try:
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)
            with suppress(OSError):
                lock_path.unlink()
    finally:
        os.close(fd)


def _remove(path: Path) -> int:
    """Remove a file or a folder; returns how many files went."""
    if path.is_dir():
        count = sum(1 for p in path.rglob("*") if p.is_file())
        shutil.rmtree(path, ignore_errors=True)
        return count
    with suppress(FileNotFoundError):
        path.unlink()
        return 1
    return 0


def empty_staging(folder: Path, *, older_than_s: float = LOOSE_LEFTOVER_S) -> int:
    """Remove what crashed imports left in the staging folder (plain case data); returns how many files went.

    A workspace goes when no live import holds its lock, whatever its age; one of an import running now (in this
    process or another) stays. Loose files of the layout before workspaces go once `older_than_s` old."""
    folder = Path(folder)
    try:
        entries = list(folder.iterdir())
    except OSError:
        return 0
    names = {entry.name for entry in entries}
    now = time.time()
    removed = 0
    for entry in entries:
        try:
            if entry.name.endswith(LOCK_SUFFIX) and entry.is_file():
                fd = os.open(entry, os.O_RDWR)
                try:
                    if try_lock(fd):  # its import is gone
                        removed += _remove(folder / entry.name[: -len(LOCK_SUFFIX)])
                        with suppress(OSError):
                            entry.unlink()
                finally:
                    os.close(fd)
            elif entry.is_dir():
                if entry.name + LOCK_SUFFIX not in names and entry.stat().st_mtime < now - _NEW_WORKSPACE_S:
                    removed += _remove(entry)
            elif entry.is_file() and entry.stat().st_mtime < now - older_than_s:
                removed += _remove(entry)
        except OSError:
            continue
    return removed
