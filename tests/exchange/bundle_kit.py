"""Test helpers for bundles: posts with cases and photos, canonical dumps of a store, and bundle surgery."""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from sqlalchemy import select

from blo_desk.config import load_settings
from blo_desk.domain.audit import REVISIONS_KEY, revision_entries
from blo_desk.domain.canonical import canonical_json
from blo_desk.domain.permissions import Principal, Role
from blo_desk.exchange import minisign
from blo_desk.services.demo import synthetic_cases
from blo_desk.services.registry import Services, open_services
from blo_desk.storage.models import AttachmentRow, CaseRow, ItemRow, PersonRow, RevisionRow
from blo_desk.storage.models_sync import ImportedBundleRow, TrustedKeyRow

JPEG = b"\xff\xd8\xff\xe0" + b"JFIF-test-photo-"


def open_store(data_dir: Path, db_url: str | None = None) -> Services:
    return open_services(load_settings(data_dir=data_dir, db_url=db_url, language="en"))


@contextmanager
def sharing_as(services: Services, role: Role, username: str = "dilnoza") -> Iterator[None]:
    """The post's sharing service acts for a user of `role` at its post (an operational share needs a supervisor)
    while the block runs; the store's own principal afterwards."""
    identity = services.sync.identity()
    assert identity is not None, "the post is set up"
    real = services.sharing._guard
    services.sharing._guard = type(real)(uow=services.uow, principal=Principal(username=username, role=role,
                                                                               post_code=identity.post_code))
    try:
        yield
    finally:
        services.sharing._guard = real


def post_cases(code: str, count: int, *, seed: int):
    cases = synthetic_cases(count, seed=seed)
    result = []
    for n, case in enumerate(cases, start=1):
        year = case.case_number.rsplit("-", 2)[1]
        result.append(replace(case, post_code=code, case_number=f"{code}-{year}-{seed:02d}{n:04d}",
                              destination_country=code[:2]))
    return result


def pair_posts(one: Services, other: Services, folder: Path) -> None:
    """Each post's administrator writes its card into `folder`; the other adds it with the fingerprint read out."""
    for writer, reader in ((one, other), (other, one)):
        path, fingerprint = writer.sharing.write_card(path=folder / f"{writer.sync.identity().post_code}.card")
        reader.sharing.add_counterpart(path=path, fingerprint=fingerprint)

def make_post(folder: Path, code: str, *, cases: int = 6, seed: int = 1, photos: int = 1) -> Services:
    """A post store set up with a key, `cases` finalized or draft cases, and photos on the first cases."""
    services = open_store(folder)
    services.sync.set_up_post(post_code=code)
    batch = post_cases(code, cases, seed=seed)
    with services.uow() as uow:
        written = uow.cases.bulk_insert(batch)
        uow.cases.bump_counters(batch)
        # recorded in the audit chain as the app's own bulk writes are, so that `audit verify` finds every case
        services.guard.record(uow, action="demo.generate", target="cases",
                              details={"count": len(batch), REVISIONS_KEY: revision_entries(written)})
        uow.commit()
    for n in range(photos):
        photo = folder / f"photo-{n}.jpg"
        photo.write_bytes(JPEG + os.urandom(2048) + code.encode())
        attachment = services.attachments.add_file(path=photo, caption=f"photo {n}")
        change(services, batch[n].id, attachments=(attachment,))
    return services


def change(services: Services, case_id: str, **fields):
    """A new revision of the case: a draft is saved, a finalized case amended."""
    case = services.cases.get(case_id=case_id)
    edited = replace(case, **fields) if fields else replace(case, narrative=case.narrative + " (updated)")
    if case.is_finalized:
        return services.cases.amend(case=edited, reason="Corrected after review")
    return services.cases.save(case=edited)


def secret_key(services: Services) -> minisign.SecretKey:
    with services.uow() as uow:
        from blo_desk.storage.sync_repository import SyncRepository

        relative = SyncRepository(uow.session).secret_key_file()
    return minisign.parse_secret_key((services.settings.data_dir / relative).read_text("ascii"))


def dump(services: Services) -> list:
    """The HQ state that matters, in a canonical order, without row ids, FTS rowids or what each import counted."""
    out = []
    with services.uow() as uow:
        s = uow.session
        for table, order, skip in (
            (CaseRow, (CaseRow.id,), {"search_rowid"}),
            (ItemRow, (ItemRow.case_id, ItemRow.position), {"id"}),
            (PersonRow, (PersonRow.case_id, PersonRow.position), {"id"}),
            (AttachmentRow, (AttachmentRow.case_id, AttachmentRow.position), set()),
            (RevisionRow, (RevisionRow.case_id, RevisionRow.revision), set()),
            (ImportedBundleRow, (ImportedBundleRow.post_code, ImportedBundleRow.sequence), {"imported_at", "new_cases", "updated_cases", "unchanged"}),
            (TrustedKeyRow, (TrustedKeyRow.key_id,), {"added_at"}),
        ):
            columns = [c for c in table.__table__.columns if c.name not in skip]
            for row in s.execute(select(*columns).order_by(*order)):
                out.append((table.__tablename__, tuple(str(v) for v in row)))
    blobs = services.settings.attachments_dir
    out.append(("blobs", tuple(sorted(p.name for p in blobs.rglob("*") if p.is_file() and not p.name.startswith(".")))))
    return out


# --- bundle surgery ---------------------------------------------------------------------------
def read_members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def write_members(path: Path, members: dict[str, bytes], *, deflate: tuple[str, ...] = ()) -> Path:
    """Write members in the documented layout: the manifest's order (what it does not list after it), then the
    manifest and its signature, each with its documented compression (or deflated when named in `deflate`)."""
    from blo_desk.exchange.pack import MEMBER_COMPRESSION

    try:
        listed = [m["name"] for m in json.loads(members["manifest.json"])["members"]]
    except (KeyError, ValueError, TypeError):
        listed = []
    last = ["manifest.json", "manifest.json.minisig"]
    order = [n for n in listed if n in members and n not in last]
    order += [n for n in members if n not in order and n not in last] + [n for n in last if n in members]
    with zipfile.ZipFile(path, "w") as zf:
        for name in order:
            method = zipfile.ZIP_DEFLATED if name in deflate else MEMBER_COMPRESSION.get(name, zipfile.ZIP_STORED)
            zf.writestr(name, members[name], compress_type=method)
    return path


def resign(members: dict[str, bytes], key: minisign.SecretKey, *, edit=None, manifest_bytes: bytes | None = None,
           comment: str | None = None) -> dict[str, bytes]:
    """Recompute the manifest from the members (after edit(manifest_dict)) and sign it again with key."""
    manifest = json.loads(members["manifest.json"])
    others = [n for n in members if n not in ("manifest.json", "manifest.json.minisig")]
    manifest["members"] = [
        {"name": n, "sha256": hashlib.sha256(members[n]).hexdigest(), "size": len(members[n])} for n in sorted(others)
    ]
    manifest["counts"]["attachments"] = sum(1 for n in others if n.startswith("attachments/"))
    if "records.jsonl" in members:
        manifest["counts"]["records"] = members["records.jsonl"].count(b"\n")
    if edit:
        edit(manifest)
    body = manifest_bytes if manifest_bytes is not None else canonical_json(manifest) + b"\n"
    trusted = comment or f"blo-desk bundle v{manifest['format_version']} post:{manifest['post']} seq:{manifest['sequence']}"
    result = dict(members)
    result["manifest.json"] = body
    result["manifest.json.minisig"] = minisign.sign(body, key, trusted_comment=trusted).encode()
    return result


def patch_bytes(path: Path, old: bytes, new: bytes) -> None:
    assert len(old) == len(new)
    data = path.read_bytes()
    assert data.count(old) >= 1
    path.write_bytes(data.replace(old, new))
