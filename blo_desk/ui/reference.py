"""The reference lists and posts the UI shows, loaded once off the GUI thread and labelled in the active language."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from blo_desk.domain.entities import Post, ReferenceItem
from blo_desk.domain.substances import Substance, SubstanceIndex
from blo_desk.i18n import active_language

if TYPE_CHECKING:
    from blo_desk.ports import ServicesPort

POST_SETTING = "post_code"  # the store setting naming this office's crossing point
DEFAULT_POST = "UZ-DUS"


@dataclass
class ReferenceData:
    """Posts and labelled reference lists, keyed by code."""

    posts: list[Post] = field(default_factory=list)
    lists: dict[str, list[ReferenceItem]] = field(default_factory=dict)
    substances: dict[str, Substance] = field(default_factory=dict)  # by code: the usual category and unit
    _index: SubstanceIndex | None = field(default=None, repr=False, compare=False)

    def find_substances(self, typed: str) -> tuple[str, ...]:
        """The substances a few typed letters may mean, by any name or synonym (SubstanceIndex.find)."""
        if self._index is None:
            self._index = SubstanceIndex(self.substances.values())
        return self._index.find(typed)

    def items(self, kind: str) -> list[ReferenceItem]:
        return self.lists.get(kind, [])

    def put(self, item: ReferenceItem) -> None:
        """An entry an administrator just added or renamed: replaced in its list, or added at its end."""
        entries = self.lists.setdefault(item.kind, [])
        at = next((i for i, known in enumerate(entries) if known.code == item.code), None)
        if at is None:
            entries.append(item)
        else:
            entries[at] = item

    def label(self, kind: str, code: str) -> str:
        if not code:
            return ""
        for item in self.lists.get(kind, ()):
            if item.code == code:
                return item.label(active_language())
        return code

    def post_name(self, code: str) -> str:
        for post in self.posts:
            if post.code == code:
                return post.name(active_language())
        return code


def load_reference(services: ServicesPort) -> ReferenceData:
    """Worker-thread function: read posts and lists from the store."""
    return ReferenceData(posts=services.reference.posts(), lists=services.reference.all_lists(),
                         substances={s.code: s for s in services.reference.substances()})
