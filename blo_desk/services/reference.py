"""Reference lists and posts: seeding a new store, reading labelled lists, admin edits."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from blo_desk.domain.audit import value_hash
from blo_desk.domain.entities import Post, ReferenceItem
from blo_desk.domain.enums import ReferenceKind
from blo_desk.domain.errors import ReferenceEntryError
from blo_desk.domain.offences import article_country, clean_entry, offence_row
from blo_desk.domain.permissions import SYSTEM, Action
from blo_desk.domain.substances import Substance
from blo_desk.i18n import N_
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
    lists[str(ReferenceKind.OFFENCE_LAW)] = load_laws(base)
    return posts, lists


def _offences_file(folder: Path | None = None) -> dict:
    return json.loads((reference_folder(folder) / "offences.json").read_text("utf-8"))


def load_offences(folder: Path | None = None) -> list[list[str]]:
    """The shipped offence articles of every country as [code, uz, ru, en] rows (domain.offences.offence_row: code
    COUNTRY-LAW-ARTICLE[-PART] such as UZ-CC-246, each label the citation and its short title)."""
    data = _offences_file(folder)
    return [offence_row(law=entry["law"], law_names=data["laws"][entry["law"]], article=entry["article"],
                        part=entry["part"], titles=entry["title"])
            for articles in data["articles"].values() for entry in articles]


def load_laws(folder: Path | None = None) -> list[list[str]]:
    """The shipped laws that articles cite, as [key, uz, ru, en] rows (key COUNTRY-LAW, e.g. UZ-CC)."""
    return [[key, *names] for key, names in _offences_file(folder)["laws"].items()]


LABEL_CHARS = 200  # a reference entry's label in the store (storage.models.ReferenceRow)


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

    def offence_articles(self, *, country: str = "") -> list[ReferenceItem]:
        """The offence articles in the list's order, inactive ones too; only `country`'s when given."""
        with self._uow() as uow:
            items = uow.reference.items(str(ReferenceKind.OFFENCE_ARTICLE), include_inactive=True)
        return [i for i in items if not country or article_country(i.code) == country.strip().upper()]

    def offence_laws(self, *, country: str = "") -> list[ReferenceItem]:
        """The laws articles cite (key COUNTRY-LAW, labels the law's name); only `country`'s when given."""
        with self._uow() as uow:
            items = uow.reference.items(str(ReferenceKind.OFFENCE_LAW), include_inactive=True)
        return [i for i in items if not country or article_country(i.code) == country.strip().upper()]

    def save_offence_article(self, *, country: str, law: str, article: str, part: str = "", title_uz: str,
                             title_ru: str, title_en: str, law_uz: str = "", law_ru: str = "",
                             law_en: str = "") -> ReferenceItem:
        """Add an offence article, or give one its new short titles (an administrator's task, audited).

        The country must be one of a known post; the law one the country has, or a new one with its name in uz, ru
        and en (then added to the country's laws). The code and the three labels are built as the shipped list's
        are (domain.offences.offence_row), so the editor offers it and the protocol cites it like any other.
        A later re-seed never overwrites it (ReferenceRepository.seed adds missing codes only)."""
        entry = clean_entry(country=country, law=law, article=article, part=part,
                            titles=(title_uz, title_ru, title_en), law_names=(law_uz, law_ru, law_en))
        target = f"{ReferenceKind.OFFENCE_ARTICLE}:{entry.code}"
        guard = self._require(Action.REFERENCE_MANAGE, target)
        with self._uow() as uow:
            if entry.country not in {p.country for p in uow.reference.posts(include_inactive=True)}:
                raise ReferenceEntryError(N_("No post is in the country “{country}”: articles are added for the "
                                             "country of a known post."), country=entry.country)
            laws = {i.code: i for i in uow.reference.items(str(ReferenceKind.OFFENCE_LAW), include_inactive=True)}
            known_law = laws.get(entry.law_key)
            if known_law is None:
                if not all(entry.law_names):
                    raise ReferenceEntryError(N_("{country} has no law “{law}” yet: give its name in each language "
                                                 "(Uzbek, Russian and English) to add it."),
                                              country=entry.country, law=entry.law)
                law_names = entry.law_names
                uow.reference.upsert_item(ReferenceItem(kind=str(ReferenceKind.OFFENCE_LAW), code=entry.law_key,
                                                        label_uz=law_names[0], label_ru=law_names[1],
                                                        label_en=law_names[2]))
            else:
                law_names = (known_law.label_uz, known_law.label_ru, known_law.label_en)
            code, uz, ru, en = offence_row(law=entry.law_key, law_names=law_names, article=entry.article,
                                           part=entry.part, titles=entry.titles)
            if max(len(uz), len(ru), len(en)) > LABEL_CHARS:
                raise ReferenceEntryError(N_("The citation with its short title is longer than {limit} characters: "
                                             "shorten the title."), limit=LABEL_CHARS)
            kind = str(ReferenceKind.OFFENCE_ARTICLE)
            before = next((i for i in uow.reference.items(kind, include_inactive=True) if i.code == code), None)
            item = uow.reference.upsert_item(ReferenceItem(kind=kind, code=code, label_uz=uz, label_ru=ru,
                                                           label_en=en))
            guard.record(uow, action=Action.REFERENCE_MANAGE, target=target,
                         before_hash=value_hash(asdict(before)) if before else "",
                         after_hash=value_hash(asdict(item)),
                         details={"new_law": entry.law_key if known_law is None else ""})
            uow.commit()
            return item

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
