"""Reference lists and posts: seeding a new store, reading labelled lists, admin edits."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from blo_desk.domain.audit import value_hash
from blo_desk.domain.entities import Post, ReferenceItem
from blo_desk.domain.enums import ReferenceKind
from blo_desk.domain.permissions import SYSTEM, Action
from blo_desk.domain.substances import Substance
from blo_desk.storage.substances import load_substances, reference_folder
from blo_desk.storage.uow import UnitOfWorkFactory

if TYPE_CHECKING:
    from blo_desk.services.audit import Guard


SEED_FILES = ("posts.json", "lists.json", "substances.json", "offences.json")  # what the store is seeded from (and its hash covers)


def load_seed(folder: Path | None = None) -> tuple[list[dict], dict[str, list[list[str]]]]:
    """Posts and labelled lists in the seed layout (kind -> [[code, uz, ru, en], ...]); substances are one kind."""
    base = reference_folder(folder)
    posts = json.loads((base / "posts.json").read_text("utf-8"))["posts"]
    lists = {k: v for k, v in json.loads((base / "lists.json").read_text("utf-8")).items() if not k.startswith("_")}
    lists[str(ReferenceKind.SUBSTANCE)] = [[s.code, s.name_uz, s.name_ru, s.name_en] for s in load_substances(base)]
    lists[str(ReferenceKind.OFFENCE_ARTICLE)] = load_offences(base)
    return posts, lists


_CITATION = {  # how each language cites an article and its part
    "uz": ("{law}, {article}-modda", ", {part}-qism"),
    "ru": ("{law}, ст. {article}", ", ч. {part}"),
    "en": ("{law}, art. {article}", ", part {part}"),
}


def load_offences(folder: Path | None = None) -> list[list[str]]:
    """The shipped offence articles of every country as [code, uz, ru, en] rows: code COUNTRY-LAW-ARTICLE[-PART]
    (e.g. UZ-CC-246), each label the citation and its short title ("Jinoyat kodeksi, 246-modda — Kontrabanda")."""
    data = json.loads((reference_folder(folder) / "offences.json").read_text("utf-8"))
    rows = []
    for articles in data["articles"].values():
        for entry in articles:
            article, part = entry["article"], entry["part"]
            labels = []
            for n, (cite, cite_part) in enumerate(_CITATION.values()):
                law = data["laws"][entry["law"]][n]
                citation = cite.format(law=law, article=article) + (cite_part.format(part=part) if part else "")
                labels.append(f"{citation} — {entry['title'][n]}")
            rows.append(["-".join(p for p in (entry["law"], article, part) if p), *labels])
    return rows


class ReferenceService:
    def __init__(self, *, uow: UnitOfWorkFactory, guard: Guard | None = None) -> None:
        self._uow = uow
        self._guard = guard  # None only for the seed-only use at store creation; every edit then needs SYSTEM

    def ensure_seeded(self) -> int:
        """Add the shipped posts and list entries that the store lacks; returns how many were added."""
        posts, lists = load_seed()
        with self._uow() as uow:
            added = uow.reference.seed(posts, lists)
            if added and self._guard is not None:
                self._guard.record(uow, action="reference.seed", target="reference", details={"added": added},
                                   actor=SYSTEM)
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

    def substances(self) -> list[Substance]:
        """The shipped substances with their usual category and unit (the item editor pre-fills them)."""
        return load_substances()

    def _require(self, action: Action, target: str) -> Guard:
        """The guard, once it allowed `action` (a ReferenceService without one changes nothing)."""
        if self._guard is None:
            raise ValueError("ReferenceService needs a guard to change anything")
        self._guard.require(action, target=target)
        return self._guard

    def save_post(self, *, post: Post) -> None:
        guard = self._require(Action.POSTS_MANAGE, f"post:{post.code}")
        with self._uow() as uow:
            before = next((p for p in uow.reference.posts(include_inactive=True) if p.code == post.code), None)
            uow.reference.upsert_post(post)
            guard.record(uow, action=Action.POSTS_MANAGE, target=f"post:{post.code}",
                         before_hash=value_hash(asdict(before)) if before else "",
                         after_hash=value_hash(asdict(post)))
            uow.commit()

    def get_setting(self, *, key: str, default: str | None = None) -> str | None:
        with self._uow() as uow:
            return uow.settings.get(key, default)

    def set_setting(self, *, key: str, value: str) -> None:
        """Change a setting of this install (an admin's task); `audit.*` keys belong to the audit trail."""
        if key.startswith("audit."):
            raise ValueError("audit settings are written by the audit trail only")
        guard = self._require(Action.SETTINGS_MANAGE, f"setting:{key}")
        with self._uow() as uow:
            before = uow.settings.get(key)
            uow.settings.set(key, value)
            guard.record(uow, action=Action.SETTINGS_MANAGE, target=f"setting:{key}",
                         before_hash=value_hash(before), after_hash=value_hash(value))
            uow.commit()
