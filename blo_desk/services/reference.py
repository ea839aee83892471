"""Reference lists and posts: seeding a new store, reading labelled lists, admin edits."""

from __future__ import annotations

import json
from pathlib import Path

from blo_desk.config import resources_dir
from blo_desk.domain.entities import Post, ReferenceItem
from blo_desk.storage.uow import UnitOfWorkFactory


def load_seed(folder: Path | None = None) -> tuple[list[dict], dict[str, list[list[str]]]]:
    base = folder or resources_dir() / "reference"
    posts = json.loads((base / "posts.json").read_text("utf-8"))["posts"]
    lists = {k: v for k, v in json.loads((base / "lists.json").read_text("utf-8")).items() if not k.startswith("_")}
    return posts, lists


class ReferenceService:
    def __init__(self, *, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    def ensure_seeded(self) -> int:
        """Add the shipped posts and list entries that the store lacks; returns how many were added."""
        posts, lists = load_seed()
        with self._uow() as uow:
            added = uow.reference.seed(posts, lists)
            uow.commit()
            return added

    def posts(self, *, include_inactive: bool = False) -> list[Post]:
        with self._uow() as uow:
            return uow.reference.posts(include_inactive=include_inactive)

    def items(self, *, kind: str) -> list[ReferenceItem]:
        with self._uow() as uow:
            return uow.reference.items(kind)

    def all_lists(self) -> dict[str, list[ReferenceItem]]:
        _, lists = load_seed()
        with self._uow() as uow:
            return {kind: uow.reference.items(kind) for kind in lists}

    def save_post(self, *, post: Post) -> None:
        with self._uow() as uow:
            uow.reference.upsert_post(post)
            uow.commit()

    def get_setting(self, *, key: str, default: str | None = None) -> str | None:
        with self._uow() as uow:
            return uow.settings.get(key, default)

    def set_setting(self, *, key: str, value: str) -> None:
        with self._uow() as uow:
            uow.settings.set(key, value)
            uow.commit()
