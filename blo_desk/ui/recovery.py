"""The unsaved-editor recovery copy: a small file in the data folder, sealed with the store's key, restored on the next start."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from blo_desk.durable import write_atomically

if TYPE_CHECKING:
    from blo_desk.ports import SealerPort

FILENAME = "editor-recovery.json"


class RecoveryFile:
    """Writes the editor's raw form state atomically; nothing typed is lost if the app or the machine dies.

    On an encrypted store the copy is sealed (AES-GCM under the data key, via the services' sealer), so typed
    names and document numbers never sit on disk in clear; a plaintext store keeps plain JSON.
    """

    def __init__(self, folder: Path, *, user: str = "") -> None:
        # One copy per user: whoever logs in next on a shared laptop never gets someone else's typing.
        name = f"editor-recovery-{user}.json" if user else FILENAME
        self.path = Path(folder) / "recovery" / name
        self._purpose = f"editor-recovery:{user}"
        self._sealer: SealerPort | None = None

    def use_sealer(self, sealer: SealerPort | None) -> None:
        """Seal from now on with the store's sealer (None for a plaintext store)."""
        self._sealer = sealer

    def write(self, state: dict[str, Any]) -> None:
        data = json.dumps(state, ensure_ascii=False, indent=1).encode("utf-8")
        if self._sealer is not None:
            data = self._sealer.seal(data, purpose=self._purpose)
        write_atomically(self.path, data, mode=0o600)

    def read(self) -> dict[str, Any] | None:
        try:
            blob = self.path.read_bytes()
            if self._sealer is not None and self._sealer.is_sealed(blob):
                blob = self._sealer.unseal(blob, purpose=self._purpose)
            data = json.loads(blob.decode("utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) and data.get("version") == 1 else None

    def clear(self) -> None:
        try:
            self.path.unlink()
        except FileNotFoundError:
            pass
