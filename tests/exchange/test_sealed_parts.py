"""A plain export killed with kill -9 at any moment leaves nothing readable on the stick nor beside the store (the zip
is written sealed under a key held only in memory, beside the store), the next export removes what it left, and a finished bundle is byte for byte what the zip
writer makes, verified by the stock minisign."""

from __future__ import annotations

import io
import json
import os
import signal
import struct
import subprocess
import sys
import zipfile
import zlib
from dataclasses import replace
from pathlib import Path

import pytest

from blo_desk.domain.entities import CaseQuery
from blo_desk.exchange.manifest import manifest_from_dict
from blo_desk.exchange.pack import write_bundle, write_zip
from blo_desk.exchange.scratch import ScratchKey
from blo_desk.services.sync import EXPORT_SCRATCH

import bundle_kit as kit

ROOT = Path(__file__).resolve().parents[2]
MARKER = "Kontrabanda yashirilgan joy: marker-7f3a91"

# The export in a child process, paused (so the parent can kill it) at the moment named in argv[3].
CHILD = """
import sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[4])
import bundle_kit as kit
from blo_desk.exchange import pack, scratch

moment = sys.argv[3]

def pause(what):
    print(what, flush=True)
    time.sleep(60)

def progress(done, total):
    if moment == f"photo-{done}":
        pause(moment)

if moment == "sealed":
    publish = pack._publish
    def paused_publish(*args, **kwargs):
        pause(moment)
        return publish(*args, **kwargs)
    pack._publish = paused_publish
if moment.startswith("copying"):
    if moment == "copying-named":  # as on FAT, exFAT, NTFS or Windows: no unnamed files
        pack.USE_UNNAMED_FILES = False
    read = scratch.SealedReader.read
    def paused_read(self, size=-1):
        if self.tell() > 0:  # the first chunk (the whole small bundle) is written: the copy is under way
            pause(moment)
        return read(self, size)
    scratch.SealedReader.read = paused_read
services = kit.open_store(Path(sys.argv[1]))
services.sync.export(folder=Path(sys.argv[2]), progress=progress)
print("finished", flush=True)
"""


def _readable(data: bytes) -> list[bytes]:
    """The file's raw bytes, and what every zip member in it inflates to (a cut-off zip included)."""
    texts = [data]
    start = data.find(b"PK\x03\x04")
    while start >= 0:
        method, = struct.unpack_from("<H", data, start + 8)
        name_len, extra_len = struct.unpack_from("<HH", data, start + 26)
        body = start + 30 + name_len + extra_len
        if method == zipfile.ZIP_DEFLATED:
            try:
                texts.append(zlib.decompressobj(-15).decompress(data[body:]))
            except zlib.error:
                pass
        start = data.find(b"PK\x03\x04", start + 4)
    return texts


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []


def _holding(folder: Path, secrets: list[bytes]) -> list[str]:
    """Files under folder from which one of `secrets` can be read."""
    found = []
    for path in _files(folder):
        texts = _readable(path.read_bytes())
        if any(secret in text for text in texts for secret in secrets):
            found.append(path.name)
    return found


@pytest.fixture
def post(tmp_path):
    services = kit.make_post(tmp_path / "post", "UZ-DUS", cases=4, photos=3)
    first = services.cases.list_cases(query=CaseQuery()).rows[0].id
    kit.change(services, first, narrative=MARKER)
    yield services
    services.close()


def _photos(post) -> list[bytes]:
    return [p.read_bytes()[-200:] for p in (post.settings.data_dir).glob("photo-*.jpg")]


def _killed_export(post, stick: Path, moment: str) -> None:
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(post.settings.data_dir), str(stick), moment,
                              str(Path(__file__).parent)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                             env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert child.stdout is not None
        line = child.stdout.readline().strip()
        assert line == moment, (line, child.stderr.read() if child.poll() is not None else "")
        os.kill(child.pid, signal.SIGKILL)
        child.wait(10)
    finally:
        if child.poll() is None:
            child.kill()


def _minisign_verifies(post, bundle: Path, tmp_path: Path) -> None:
    pub = post.sync.export_public_key(folder=tmp_path / "keys")
    unpacked = tmp_path / "unpacked"
    with zipfile.ZipFile(bundle) as zf:
        zf.extractall(unpacked)
    verified = subprocess.run(["minisign", "-Vm", "manifest.json", "-p", str(pub), "-x", "manifest.json.minisig"],
                              cwd=unpacked, capture_output=True, text=True)
    assert verified.returncode == 0, verified.stderr


@pytest.mark.parametrize("moment", ["photo-1", "photo-3", "sealed", "copying"])
def test_a_plain_export_killed_leaves_nothing_readable_and_the_next_removes_its_part(post, tmp_path, moment):
    # GIVEN a post whose case narrative is known, with photos, exporting without encryption to a stick
    stick = tmp_path / "stick"
    secrets = [MARKER.encode(), *_photos(post)]
    # WHEN the export is killed with kill -9 (while photos go in, once the zip is complete, while it is copied out)
    _killed_export(post, stick, moment)
    # THEN what it left is parts (its sealed zip beside the store, not on the stick; the copy-out unnamed), and no
    # file on the stick or beside the store holds the narrative or a photo, raw or inflated
    spool = post.settings.data_dir / EXPORT_SCRATCH
    left = _files(stick) + _files(spool)
    assert left and all(p.name.startswith(".UZ-DUS-000001.blo.") and p.name.endswith(".part") for p in left)
    assert _files(stick) == []
    assert _holding(stick, secrets) == [] and _holding(spool, secrets) == []
    # AND the next export removes the parts and writes a bundle that the stock minisign verifies
    result = post.sync.export(folder=stick)
    assert _files(stick) == [Path(result.path)] and _files(spool) == []
    assert MARKER.encode() in zipfile.ZipFile(result.path).read("records.jsonl")
    _minisign_verifies(post, Path(result.path), tmp_path)


def test_on_a_file_system_without_unnamed_files_only_the_copy_out_leaves_a_readable_part(post, tmp_path):
    # GIVEN a stick that cannot hold unnamed files (FAT, exFAT, NTFS, Windows): the copy-out has a temporary name
    stick = tmp_path / "stick"
    # WHEN the export is killed while the finished bundle is being copied out of its sealed part
    _killed_export(post, stick, "copying-named")
    # THEN that copy is readable (the one moment left; seconds for a stick of photos) but only under a part's name
    assert _holding(stick, [MARKER.encode()]) != []
    assert all(p.name.endswith(".part") for p in stick.iterdir())
    # AND the next export removes it, and the sealed zip beside the store
    result = post.sync.export(folder=stick)
    assert _files(stick) == [Path(result.path)] and _files(post.settings.data_dir / EXPORT_SCRATCH) == []


def test_a_killed_copy_out_is_removed_at_the_desks_next_start_even_from_a_stick_that_was_out(post, tmp_path):
    from blo_desk.app import backend

    # GIVEN an export killed during its copy-out to a FAT stick, which is then pulled out
    stick = tmp_path / "stick"
    _killed_export(post, stick, "copying-named")
    assert _holding(stick, [MARKER.encode()]) != []
    pulled = stick.rename(tmp_path / "stick-in-a-drawer")
    # WHEN the desk starts without the stick THEN nothing is removed, and the note of the part is kept
    tidy = backend().tidy
    assert tidy is not None
    assert tidy(post.settings) == 0
    assert [p.name for p in (post.settings.data_dir / EXPORT_SCRATCH).glob(".copy-out-*.json")] != []
    # WHEN the stick is back at the desk's next start
    pulled.rename(stick)
    assert tidy(post.settings) == 1
    # THEN the readable part is gone from it, and so is the note; nothing on the stick reads in the clear
    assert _holding(stick, [MARKER.encode(), *_photos(post)]) == [] and _files(stick) == []
    assert list((post.settings.data_dir / EXPORT_SCRATCH).glob(".copy-out-*.json")) == []


def test_a_killed_copy_out_is_removed_by_the_next_export_even_to_another_folder(post, tmp_path):
    # GIVEN an export killed during its copy-out to a FAT stick
    stick = tmp_path / "stick"
    _killed_export(post, stick, "copying-named")
    # WHEN the next export goes to another stick
    result = post.sync.export(folder=tmp_path / "other-stick")
    # THEN the first stick holds nothing any more, and the bundle went to the other one
    assert _files(stick) == [] and Path(result.path).parent == tmp_path / "other-stick"


def test_a_finished_copy_out_without_unnamed_files_leaves_no_note(post, tmp_path, monkeypatch):
    from blo_desk.exchange import pack

    # GIVEN no unnamed files WHEN an export finishes THEN the bundle is there, and neither part nor note is left
    monkeypatch.setattr(pack, "USE_UNNAMED_FILES", False)
    result = post.sync.export(folder=tmp_path / "stick")
    assert _files(tmp_path / "stick") == [Path(result.path)]
    assert _files(post.settings.data_dir / EXPORT_SCRATCH) == []


def test_the_finished_bundle_is_the_bytes_of_the_zip_written_straight_to_a_file(post, tmp_path):
    # GIVEN what an export writes (records, photos, a manifest) and the post's key
    result = post.sync.export(folder=tmp_path / "stick")
    with zipfile.ZipFile(result.path) as zf:
        records = zf.read("records.jsonl").splitlines()
        photos = [(n.rsplit("/", 1)[1], zf.read(n)) for n in zf.namelist() if n.startswith("attachments/")]
        manifest = manifest_from_dict(json.loads(zf.read("manifest.json")))
    key = kit.secret_key(post)
    sources = [(sha, (lambda data=data: io.BytesIO(data))) for sha, data in photos]
    # WHEN the same bundle is written through the sealed part, and straight into a plain file as before
    again = write_bundle(folder=tmp_path / "again", manifest=replace(manifest, members=()), key=key,
                         records=records, attachments=sources)
    straight = io.BytesIO()
    write_zip(straight, manifest=replace(manifest, members=()), key=key, records=records, attachments=sources)
    # THEN the bytes are the same, and the same as the export's own file
    assert again.path.read_bytes() == straight.getvalue() == Path(result.path).read_bytes()
    assert list((tmp_path / "again").iterdir()) == [again.path]


def test_a_sealed_file_written_with_seeks_reads_back_as_the_plain_bytes(tmp_path):
    # GIVEN a sealed file written in order, then partly overwritten (as zipfile rewrites a member's header)
    key = ScratchKey()
    with open(tmp_path / "s.part", "w+b") as raw:
        sealed = key.seekable_writer(raw)
        sealed.write(b"header--" + b"A" * 5000)
        sealed.seek(0)
        sealed.write(b"HEADER")
        sealed.seek(0, io.SEEK_END)
        sealed.write(b"tail")
    # THEN it reads back as the plain bytes, and the file holds none of them
    with key.open(tmp_path / "s.part") as fh:
        assert fh.read() == b"HEADER--" + b"A" * 5000 + b"tail"
    assert b"AAAA" not in (tmp_path / "s.part").read_bytes()
