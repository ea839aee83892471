"""The unsaved-editor recovery copy: a small JSON file in the data folder, restored on the next start."""

from __future__ import annotations

import json
import os
from pathlib import Path

FILENAME = "editor-recovery.json"


class RecoveryFile:
    """Writes the editor's raw form state atomically; nothing typed is lost if the app or the machine dies."""

    def __init__(self, folder: Path, *, user: str = "") -> None:
        # One copy per user: whoever logs in next on a shared laptop never gets someone else's typing.
        name = f"editor-recovery-{user}.json" if user else FILENAME
        self.path = Path(folder) / "recovery" / name

    def write(self, state: dict) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        with tmp.open("w", encoding="utf-8") as fh:
            json.dump(state, fh, ensure_ascii=False, indent=1)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)

    def read(self) -> dict | None:
        try:
            data = json.loads(self.path.read_text("utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) and data.get("version") == 1 else None

    def clear(self) -> None:
        try:
            self.path.unlink()
        except FileNotFoundError:
            pass
