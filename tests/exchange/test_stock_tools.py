"""A bundle checked with the stock `minisign`, `unzip` and `sha256sum`, no BLO Desk code involved; and the reverse."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from blo_desk.exchange import minisign
from blo_desk.exchange.errors import BadSignatureError

import bundle_kit as kit

TOOLS = ("minisign", "sha256sum", "unzip")


@pytest.fixture(scope="module", autouse=True)
def tools_present():
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if missing:
        pytest.fail(f"system tools missing (install the Debian packages): {missing}", pytrace=False)


def test_a_bundle_verified_by_stock_minisign_and_sha256sum(tmp_path):
    # GIVEN a post's bundle with a photo, and its public key file as HQ receives it
    post = kit.make_post(tmp_path / "post", "UZ-DUS", cases=3, photos=1)
    try:
        result = post.sync.export(folder=tmp_path / "out")
        pub = post.sync.export_public_key(folder=tmp_path / "keys")
    finally:
        post.close()
    unpacked = tmp_path / "unpacked"
    # WHEN unzipped and checked with the stock tools only
    subprocess.run(["unzip", "-q", result.path, "-d", str(unpacked)], check=True)
    verified = subprocess.run(
        ["minisign", "-Vm", "manifest.json", "-p", str(pub), "-x", "manifest.json.minisig"],
        cwd=unpacked, capture_output=True, text=True,
    )
    # THEN minisign accepts the signature and shows the trusted comment naming post and sequence
    assert verified.returncode == 0, verified.stderr
    assert "Trusted comment: blo-desk bundle v3 post:UZ-DUS seq:1" in verified.stdout
    # AND every member listed in the manifest has the stated SHA-256 (sha256sum -c) and size
    manifest = json.loads((unpacked / "manifest.json").read_text("utf-8"))
    sums = "".join(f"{m['sha256']}  {m['name']}\n" for m in manifest["members"])
    checked = subprocess.run(["sha256sum", "--strict", "-c", "-"], input=sums, cwd=unpacked, capture_output=True,
                             text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.count(": OK") == len(manifest["members"]) == 2
    for member in manifest["members"]:
        assert (unpacked / member["name"]).stat().st_size == member["size"]
    # AND the whole file's SHA-256 is what the post recorded (the next bundle's previous_sha256)
    whole = subprocess.run(["sha256sum", result.path], capture_output=True, text=True, check=True)
    assert whole.stdout.split()[0] == result.sha256


def test_a_tampered_manifest_fails_stock_minisign(tmp_path):
    # GIVEN an unpacked bundle WHEN one byte of the manifest changes THEN minisign refuses it
    post = kit.make_post(tmp_path / "post", "UZ-DUS", cases=2, photos=0)
    try:
        result = post.sync.export(folder=tmp_path / "out")
        pub = post.sync.export_public_key(folder=tmp_path / "keys")
    finally:
        post.close()
    unpacked = tmp_path / "unpacked"
    subprocess.run(["unzip", "-q", result.path, "-d", str(unpacked)], check=True)
    manifest = unpacked / "manifest.json"
    manifest.write_bytes(manifest.read_bytes().replace(b'"sequence":1', b'"sequence":2'))
    verified = subprocess.run(["minisign", "-Vm", "manifest.json", "-p", str(pub), "-x", "manifest.json.minisig"],
                              cwd=unpacked, capture_output=True, text=True)
    assert verified.returncode != 0


def test_our_verifier_accepts_what_stock_minisign_signs(tmp_path):
    # GIVEN a key pair made by `minisign -G -W` and a file signed by `minisign -S`
    subprocess.run(["minisign", "-G", "-W", "-p", "k.pub", "-s", "k.key"], cwd=tmp_path, check=True,
                   capture_output=True)
    (tmp_path / "m.json").write_bytes(b'{"hello":"world"}\n')
    subprocess.run(["minisign", "-S", "-s", "k.key", "-m", "m.json", "-t", "post:UZ-DUS seq:7"], cwd=tmp_path,
                   check=True, capture_output=True)
    # WHEN read with our implementation THEN the signature, trusted comment and keys agree
    key = minisign.parse_public_key((tmp_path / "k.pub").read_text())
    signature = minisign.parse_signature((tmp_path / "m.json.minisig").read_bytes())
    assert signature.algorithm == b"ED" and signature.trusted_comment == "post:UZ-DUS seq:7"
    minisign.verify((tmp_path / "m.json").read_bytes(), signature, key)
    assert minisign.parse_secret_key((tmp_path / "k.key").read_text()).public_key == key
    # AND a changed message is refused
    with pytest.raises(BadSignatureError):
        minisign.verify(b'{"hello":"World"}\n', signature, key)


def test_stock_minisign_signs_with_our_secret_key_file(tmp_path):
    # GIVEN a secret key file written by BLO Desk WHEN stock minisign signs with it THEN our public key verifies it
    key = minisign.SecretKey.generate()
    (tmp_path / "post.key").write_text(key.to_file_text())
    (tmp_path / "post.pub").write_text(key.public_key.to_file_text())
    (tmp_path / "m.txt").write_bytes(b"x" * 1000)
    subprocess.run(["minisign", "-S", "-s", "post.key", "-m", "m.txt"], cwd=tmp_path, check=True, capture_output=True,
                   input=b"")
    done = subprocess.run(["minisign", "-Vm", "m.txt", "-p", "post.pub"], cwd=tmp_path, capture_output=True)
    assert done.returncode == 0, done.stderr
