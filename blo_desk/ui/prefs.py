"""Preferences of this desk kept outside the encrypted store (read before login): the language of the last run, and
whether the demo cases were offered already."""

from __future__ import annotations

from pathlib import Path

from blo_desk.config import LANGUAGES
from blo_desk.durable import write_atomically

FILENAME = "desk-preferences.json"
DEMO_ANSWERED = "demo_answered"  # the demo question was answered (in the wizard or on the desk): never asked again


class Preferences:
    """A tiny JSON file in the data folder; nothing secret goes in it (the store is still locked when it is read)."""

    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / FILENAME

    def _read(self) -> dict:
        import json  # only when read (not before the first paint when --lang is given)

        try:
            data = json.loads(self.path.read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def get(self, key: str) -> object:
        return self._read().get(key)

    def put(self, key: str, value: object) -> None:
        """Remember one value; a read-only data folder only costs the remembered choice."""
        import json

        data = self._read()
        if data.get(key) == value:
            return
        data[key] = value
        try:
            write_atomically(self.path, json.dumps(data, ensure_ascii=False).encode("utf-8"))
        except OSError:
            pass

    @property
    def language(self) -> str | None:
        value = self.get("language")
        return value if value in LANGUAGES else None

    @property
    def demo_answered(self) -> bool:
        return self.get(DEMO_ANSWERED) is True

    def answer_demo(self) -> None:
        self.put(DEMO_ANSWERED, True)

    def set_language(self, language: str) -> None:
        if language in LANGUAGES:
            self.put("language", language)
