"""Redaction profiles for sharing a case with a counterpart post: which fields of the canonical content may leave."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from blo_desk.domain.errors import DomainError
from blo_desk.domain.masking import MaskedSpots, mask_free_text
from blo_desk.i18n import N_

DEFAULT_PROFILE = "non-nominal"


class UnknownProfileError(DomainError):
    message = N_("There is no redaction profile {profile}; the profiles are: {known}.")


class ProfileFileError(DomainError):
    message = N_("The redaction profiles file is not valid: {detail}.")


@dataclass(frozen=True, slots=True)
class RedactionProfile:
    """What leaves the post under one profile: allow-lists of content keys (everything else is removed)."""

    code: str
    names: Mapping[str, str]  # language -> name
    case: frozenset[str]
    items: frozenset[str]
    persons: frozenset[str]
    documents: frozenset[str]
    photos: bool
    default: bool = False
    needs_supervisor: bool = False
    needs_legal_basis: bool = False
    #: mask, in the free texts sent, the withheld values and plate- or passport-shaped tokens (domain.masking)
    mask_free_text: bool = True

    def name(self, language: str) -> str:
        return self.names.get(language) or self.names.get("en") or self.code


def parse_profiles(data: Mapping[str, Any]) -> dict[str, RedactionProfile]:
    """The profiles of resources/redaction/profiles.json, by code; raises ProfileFileError on anything odd."""
    profiles: dict[str, RedactionProfile] = {}
    try:
        for entry in data["profiles"]:
            code = str(entry["code"])
            lists = {key: entry.get(key, []) for key in ("case", "items", "persons", "documents")}
            if not all(isinstance(v, list) and all(isinstance(x, str) for x in v) for v in lists.values()):
                raise ProfileFileError(detail=code)
            if code in profiles:
                raise ProfileFileError(detail=f"{code} twice")
            profiles[code] = RedactionProfile(
                code=code,
                names={lang: str(entry[f"name_{lang}"]) for lang in ("uz", "ru", "en") if entry.get(f"name_{lang}")},
                case=frozenset(lists["case"]) - {"persons", "items", "documents", "attachments", "officers"},
                items=frozenset(lists["items"]),
                persons=frozenset(lists["persons"]),
                documents=frozenset(lists["documents"]),
                photos=bool(entry.get("photos", False)),
                default=bool(entry.get("default", False)),
                needs_supervisor=bool(entry.get("needs_supervisor", False)),
                needs_legal_basis=bool(entry.get("needs_legal_basis", False)),
                mask_free_text=bool(entry.get("mask_free_text", True)),
            )
    except (KeyError, TypeError) as exc:
        raise ProfileFileError(detail=str(exc)) from exc
    if not profiles:
        raise ProfileFileError(detail="no profile")
    return profiles


def _pick(data: Mapping[str, Any], keys: frozenset[str]) -> dict[str, Any]:
    return {key: data[key] for key in sorted(keys) if key in data}


def redact(content: Mapping[str, Any], profile: RedactionProfile) -> dict[str, Any]:
    """The part of a case's content the profile lets out, its free texts masked (redact_masked without the spots)."""
    return redact_masked(content, profile)[0]


def redact_masked(content: Mapping[str, Any], profile: RedactionProfile) -> tuple[dict[str, Any], list[MaskedSpots]]:
    """What the profile lets out (allowed), its free texts masked unless the profile sends persons and plates by
    design, and where spots were masked."""
    shared = allowed(content, profile)
    if not profile.mask_free_text:
        return shared, []
    return mask_free_text(content, shared)


def allowed(content: Mapping[str, Any], profile: RedactionProfile) -> dict[str, Any]:
    """The part of a case's canonical content (domain.canonical.content_dict) the profile lets out.

    Allow-lists only: a field the profile does not name never leaves, so a field added to cases later stays home
    until a profile names it. Photos go as their hashes, type and size: never a file name or a caption."""
    shared = _pick(content, profile.case)
    shared["items"] = [_pick(item, profile.items) for item in content.get("items", [])]
    if profile.persons:
        shared["persons"] = [_pick(person, profile.persons) for person in content.get("persons", [])]
    if profile.documents:
        shared["documents"] = [_pick(doc, profile.documents) for doc in content.get("documents", [])]
    shared["photos"] = [
        {"sha256": a["sha256"], "media_type": a["media_type"], "size": a["size"]}
        for a in content.get("attachments", [])
        if profile.photos and str(a.get("media_type", "")).startswith("image/")
    ]
    return shared
