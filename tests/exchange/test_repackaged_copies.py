"""A bundle is known by what its post signed, not by its container: a re-packaged copy cannot block delivery, and
a container outside the documented layout (bytes around it, a comment, members moved) is refused whole."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from blo_desk.exchange import errors as E
from blo_desk.services.intake import IntakeService

import bundle_kit as kit


@pytest.fixture(scope="module")
def dus(tmp_path_factory):
    """Post UZ-DUS with cases and a photo, its bundle 1 written to a folder, and its public key."""
    folder = tmp_path_factory.mktemp("post-dus")
    post = kit.make_post(folder / "data", "UZ-DUS", cases=4, seed=5, photos=1)
    try:
        bundle = Path(post.sync.export(folder=folder / "out").path)
        return bundle, post.sync.public_key_text(), post.sync.identity().key_id
    finally:
        post.close()


@pytest.fixture
def trusting_hq(hq, dus):
    hq.hq.trust_key(post_code="UZ-DUS", public_key=dus[1])
    return hq


def _rezipped(source: Path, target: Path, *, level: int = 1, date=(2024, 5, 5, 12, 0, 0)) -> Path:
    """The same members, names, order and compression methods, written again by another zip writer: another
    container (other bytes, other SHA-256) for the very same signed bundle."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w") as out:
        for info in src.infolist():
            copy = zipfile.ZipInfo(info.filename, date_time=date)
            copy.compress_type = info.compress_type
            out.writestr(copy, src.read(info), compresslevel=level)
    assert target.read_bytes() != source.read_bytes()
    return target


def _upload(intake: IntakeService, path: Path, *, key_id: str):
    """Create and send a whole file through the intake service in one piece; returns the signed receipt."""
    import hashlib

    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    upload, receipt = intake.create(post="UZ-DUS", sequence=1, sha256=sha, key_id=key_id, length=len(data),
                                    address="10.0.0.9")
    if receipt is not None:
        return sha, receipt
    assert upload is not None
    writer = intake.writer(upload.id, offset=0, content_length=len(data))
    writer.write(data)
    writer.close()
    return sha, intake.finish(upload.id)


def test_a_repackaged_copy_imported_first_does_not_cost_the_post_its_receipt(trusting_hq, dus, tmp_path):
    # GIVEN an attacker who re-zipped the post's bundle 1 and uploaded it to HQ before the post could
    hq = trusting_hq
    genuine, _pub, key_id = dus
    intake = IntakeService(hq=hq.hq, uow=hq.uow, data_dir=hq.settings.data_dir)
    copy = _rezipped(genuine, tmp_path / "UZ-DUS-000001.blo")
    copy_sha, copy_receipt = _upload(intake, copy, key_id=key_id)
    assert copy_receipt.outcome == "imported"
    after_copy = kit.dump(hq)
    # WHEN the post's genuine upload arrives
    sha, receipt = _upload(intake, genuine, key_id=key_id)
    # THEN it is "already imported" and gets a receipt naming its own file, and HQ's data did not change
    assert sha != copy_sha
    assert receipt.outcome == "already_imported"
    assert f'"bundle_sha256":"{sha}"' in receipt.body.decode()
    assert kit.dump(hq) == after_copy
    # AND asking again (a lost answer) gets the receipt at once, without a byte sent
    upload, again = intake.create(post="UZ-DUS", sequence=1, sha256=sha, key_id=key_id,
                                  length=genuine.stat().st_size, address="10.0.0.9")
    assert upload is None and again is not None and again.outcome == "already_imported"
    assert intake.receipt(post="UZ-DUS", sequence=1, sha256=sha) is not None


def test_a_file_import_of_a_copy_after_the_original_is_already_imported(trusting_hq, dus, tmp_path):
    # GIVEN HQ holds bundle 1 from the post's own file
    hq = trusting_hq
    assert hq.hq.import_bundle(path=dus[0]).outcome == "imported"
    before = kit.dump(hq)
    # WHEN a re-zipped copy of it is imported from a stick
    report = hq.hq.import_bundle(path=_rezipped(dus[0], tmp_path / "UZ-DUS-000001.blo", level=9))
    # THEN it is the same bundle: already imported, nothing changed, no alert
    assert report.outcome == "already_imported", report.reason()
    assert kit.dump(hq) == before
    assert hq.hq.alerts() == []


def _junk_before(path: Path, target: Path) -> Path:
    target.write_bytes(b"MZ" + bytes(510) + path.read_bytes())
    return target


def _junk_after(path: Path, target: Path) -> Path:
    target.write_bytes(path.read_bytes() + b"\x00" * 64)
    return target


def _commented(path: Path, target: Path) -> Path:
    target.write_bytes(path.read_bytes())
    with zipfile.ZipFile(target, "a") as zf:
        zf.comment = b"re-packed"
    return target


def _reordered(path: Path, target: Path) -> Path:
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(target, "w") as out:
        infos = src.infolist()
        for info in [*infos[-2:], *infos[:-2]]:  # manifest and signature first
            out.writestr(info, src.read(info))
    return target


def _recompressed(path: Path, target: Path) -> Path:
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(target, "w") as out:
        for info in src.infolist():
            data = src.read(info)
            info.compress_type = zipfile.ZIP_DEFLATED  # photos and signature are stored in the format
            out.writestr(info, data)
    return target


def _gap_between(path: Path, target: Path) -> Path:
    """Eight bytes between the first and the second member, every offset after them moved to match."""
    import struct

    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
    cut = infos[1].header_offset
    data[cut:cut] = b"\x00" * 8
    eocd = len(data) - 22
    cd_size, cd_offset = struct.unpack_from("<LL", data, eocd + 12)
    struct.pack_into("<L", data, eocd + 16, cd_offset + 8)
    at = cd_offset + 8
    for _info in infos:
        name_len, extra_len, comment_len = struct.unpack_from("<3H", data, at + 28)
        offset = struct.unpack_from("<L", data, at + 42)[0]
        if offset >= cut:
            struct.pack_into("<L", data, at + 42, offset + 8)
        at += 46 + name_len + extra_len + comment_len
    target.write_bytes(bytes(data))
    return target


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
@pytest.mark.parametrize("damage, error", [
    (_junk_before, E.BytesOutsideZipError),
    (_junk_after, E.BytesOutsideZipError),
    (_commented, E.ZipCommentError),
    (_reordered, E.MemberLayoutError),
    (_recompressed, E.MemberLayoutError),
    (_gap_between, E.MemberLayoutError),
], ids=["bytes-before", "bytes-after", "zip-comment", "members-reordered", "photo-deflated", "gap-between"])
def test_a_container_outside_the_documented_layout_is_refused(trusting_hq, dus, tmp_path, damage, error):
    # GIVEN a copy of the post's bundle in a container the format does not allow (the signed content intact)
    hq = trusting_hq
    bad = damage(dus[0], tmp_path / "UZ-DUS-000001.blo")
    with zipfile.ZipFile(bad) as zf:  # a lenient zip reader still reads every member
        assert zf.testzip() is None
    before = kit.dump(hq)
    # WHEN HQ imports it
    report = hq.hq.import_bundle(path=bad)
    # THEN it is refused whole with its reason, and nothing changed
    assert report.outcome == "rejected"
    assert isinstance(report.error, error), (type(report.error), report.reason())
    assert report.reason() and "{" not in report.reason()
    assert kit.dump(hq) == before
    # AND the post's own file still imports afterwards
    assert hq.hq.import_bundle(path=dus[0]).outcome == "imported"


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_the_refusal_is_said_in_the_analysts_language(trusting_hq, dus, tmp_path):
    from blo_desk.i18n import translator

    report = trusting_hq.hq.import_bundle(path=_commented(dus[0], tmp_path / "UZ-DUS-000001.blo"))
    assert "UZ-DUS-000001.blo" in report.reason(translator("en"))
    for lang in ("ru", "uz"):
        assert "UZ-DUS-000001.blo" in report.reason(translator(lang))


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_an_encrypted_bundle_is_known_by_its_signed_envelope(hq, tmp_path):
    from blo_desk.exchange.envelope import EnvelopeFormatError

    # GIVEN a post that encrypts to HQ's age key, and HQ holding its encrypted bundle 1
    post = kit.make_post(tmp_path / "post", "UZ-DUS", cases=2, seed=8, photos=1)
    try:
        post.sync.pin_hq_recipient(recipient=hq.hq.age_recipient(create=True))
        hq.hq.trust_key(post_code="UZ-DUS", public_key=post.sync.public_key_text())
        genuine = Path(post.sync.export(folder=tmp_path / "out").path)
    finally:
        post.close()
    assert hq.hq.import_bundle(path=genuine).outcome == "imported"
    before = kit.dump(hq)
    # WHEN a re-zipped copy of the envelope arrives
    report = hq.hq.import_bundle(path=_rezipped(genuine, tmp_path / "copy.enc.blo"))
    # THEN it is already imported (the signed envelope is the same; nothing was decrypted), nothing changed
    assert report.outcome == "already_imported" and report.encrypted, report.reason()
    assert kit.dump(hq) == before
    # AND a copy with bytes appended is refused before anything is decrypted
    refused = hq.hq.import_bundle(path=_junk_after(genuine, tmp_path / "junk.enc.blo"))
    assert isinstance(refused.error, EnvelopeFormatError), refused.reason()
    assert "nothing was decrypted" in refused.reason()
    assert kit.dump(hq) == before
