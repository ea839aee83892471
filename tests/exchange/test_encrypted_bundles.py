"""Encrypted bundles (age to HQ's key, signed envelope): nothing readable on the stick, the stock `age` and
`minisign` tools open and check them, HQ refuses a bad envelope before decrypting anything and changes nothing."""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from blo_desk.exchange import age, minisign
from blo_desk.exchange.envelope import (
    CIPHERTEXT,
    ENVELOPE,
    ENVELOPE_SIGNATURE,
    CiphertextMismatchError,
    EnvelopeKeyRevokedError,
    EnvelopeUnknownKeyError,
    WrongRecipientError,
    signing_post,
)
from blo_desk.exchange.verify import TrustedKey
from blo_desk.services.bundle_encryption import EncryptionRequiredError

import bundle_kit


def _run(*args, stdin: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(list(args), input=stdin, capture_output=True, cwd=cwd, timeout=120)


def _hq_with_key(services) -> str:
    return services.hq.age_recipient(create=True)


def _pair(post, hq, *, recipient: str | None = None, trust: bool = True):
    """The post pins HQ's age recipient (or another); HQ trusts the post's key."""
    post.sync.pin_hq_recipient(recipient=recipient or _hq_with_key(hq))
    if trust:
        hq.hq.trust_key(post_code=post.sync.identity().post_code, public_key=post.sync.public_key_text())


def _secrets_of(post) -> list[str]:
    """What must not be readable on the stick: names, document numbers, plates and narratives of the cases."""
    found = []
    with post.uow() as uow:
        from blo_desk.storage.sync_repository import SyncRepository

        identity = SyncRepository(uow.session).identity()
        rows = SyncRepository(uow.session).revisions_to_export(post_code=identity.post_code, full=True)
    for _case, _rev, record, _exported in rows:
        case = json.loads(record)["case"]
        found += [case["narrative"][:24], case["conveyance_registration"], case["case_number"]]
        for person in case["persons"]:
            found += [person["full_name"], person["document_number"]]
    return [s for s in found if s and len(s) >= 5]


def _staging_leftovers(hq) -> list[str]:
    staging = hq.settings.attachments_dir / ".staging"
    return sorted(p.name for p in staging.iterdir()) if staging.exists() else []


def _ciphertext_range(path: Path) -> tuple[int, int]:
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(CIPHERTEXT)
    with open(path, "rb") as fh:
        fh.seek(info.header_offset + 26)
        name_len, extra_len = int.from_bytes(fh.read(2), "little"), int.from_bytes(fh.read(2), "little")
    start = info.header_offset + 30 + name_len + extra_len
    return start, info.compress_size


# --- confidentiality and the stock tools --------------------------------------------------------------------
def test_an_encrypted_bundle_reveals_nothing_and_the_stock_tools_open_and_check_it(tmp_path):
    # GIVEN a post with cases and a photo that pinned HQ's age recipient, and HQ trusting the post's key
    post = bundle_kit.make_post(tmp_path / "post", "UZ-DUS", cases=6, photos=1)
    hq = bundle_kit.open_store(tmp_path / "hq")
    try:
        _pair(post, hq)
        secrets = _secrets_of(post)
        assert len(secrets) >= 10
        # WHEN the post exports to a stick
        result = post.sync.export(folder=tmp_path / "stick")
        bundle = Path(result.path)
        assert result.encrypted and bundle.name == "UZ-DUS-000001.enc.blo"
        assert sorted(p.name for p in (tmp_path / "stick").iterdir()) == [bundle.name]  # one file, no leftovers
        raw = bundle.read_bytes()
        # THEN no case text is in the file, in UTF-8 or UTF-16, nor the photo, nor the plain zip's deflate output
        for text in secrets:
            for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
                assert text.encode(encoding) not in raw, (text, encoding)
        photo = (tmp_path / "post" / "photo-0.jpg").read_bytes()
        assert photo[100:164] not in raw
        identity_file = tmp_path / "hq" / "keys" / "hq-age.key"
        assert identity_file.stat().st_mode & 0o777 == 0o600
        plain = _run("age", "-d", "-i", str(identity_file), stdin=raw[slice(*_span(bundle))])
        assert plain.returncode == 0, plain.stderr
        with zipfile.ZipFile(io.BytesIO(plain.stdout)) as inner:
            info = inner.getinfo("records.jsonl")
        with open_raw_member(plain.stdout, info) as deflated:
            for offset in range(0, max(1, len(deflated) - 32), 997):
                assert deflated[offset:offset + 32] not in raw
        # AND by hand: unzip, minisign checks the envelope and names post, sequence and the ciphertext's SHA-256
        out = tmp_path / "by-hand"
        out.mkdir()
        assert _run("unzip", "-q", str(bundle), "-d", str(out)).returncode == 0
        assert sorted(p.name for p in out.iterdir()) == sorted([CIPHERTEXT, ENVELOPE, ENVELOPE_SIGNATURE])
        pub = post.sync.export_public_key(folder=tmp_path / "keys")
        checked = _run("minisign", "-Vm", str(out / ENVELOPE), "-p", str(pub), "-x", str(out / ENVELOPE_SIGNATURE))
        assert checked.returncode == 0, checked.stderr
        digest = _run("sha256sum", str(out / CIPHERTEXT)).stdout.split()[0].decode()
        envelope = json.loads((out / ENVELOPE).read_bytes())
        assert envelope["ciphertext_sha256"] == digest
        assert f"post:UZ-DUS seq:1 sha256:{digest}".encode() in checked.stdout
        assert envelope["recipient"] == hq.hq.age_recipient()
        # AND `age -d` gives the plain bundle the envelope names, which checks with minisign and sha256sum as ever
        decrypted = _run("age", "-d", "-i", str(identity_file), "-o", str(out / "inner.blo"), str(out / CIPHERTEXT))
        assert decrypted.returncode == 0, decrypted.stderr
        assert hashlib.sha256((out / "inner.blo").read_bytes()).hexdigest() == envelope["bundle_sha256"]
        unpacked = out / "inner"
        assert _run("unzip", "-q", str(out / "inner.blo"), "-d", str(unpacked)).returncode == 0
        inner_check = _run("minisign", "-Vm", str(unpacked / "manifest.json"), "-p", str(pub),
                           "-x", str(unpacked / "manifest.json.minisig"))
        assert inner_check.returncode == 0 and b"blo-desk bundle v3 post:UZ-DUS seq:1" in inner_check.stdout
        manifest = json.loads((unpacked / "manifest.json").read_bytes())
        listing = "".join(f"{m['sha256']}  {m['name']}\n" for m in manifest["members"]).encode()
        assert _run("sha256sum", "--strict", "-c", "-", stdin=listing, cwd=unpacked).returncode == 0
    finally:
        post.close()
        hq.close()


def _span(path: Path) -> tuple[int, int]:
    start, length = _ciphertext_range(path)
    return start, start + length


class open_raw_member:
    """The compressed bytes of a zip member as stored (the deflate output), from a zip held in memory."""

    def __init__(self, data: bytes, info: zipfile.ZipInfo) -> None:
        offset = info.header_offset
        name_len = int.from_bytes(data[offset + 26:offset + 28], "little")
        extra_len = int.from_bytes(data[offset + 28:offset + 30], "little")
        start = offset + 30 + name_len + extra_len
        self.data = data[start:start + info.compress_size]

    def __enter__(self) -> bytes:
        return self.data

    def __exit__(self, *exc) -> None:
        return None


def test_blo_desk_and_the_stock_age_tool_read_each_others_files(tmp_path):
    # GIVEN an identity written the way HQ keeps it, and 300 kB spanning several 64 KiB age chunks
    identity = age.generate_identity()
    key_file = tmp_path / "hq.agekey"
    key_file.write_text(age.identity_file_text(identity))
    recipient = age.recipient_of(identity)
    data = os.urandom(300_000)
    # WHEN BLO Desk encrypts THEN the stock tool decrypts
    ours = io.BytesIO()
    age.encrypt_stream(io.BytesIO(data), ours, recipient=recipient)
    done = _run("age", "-d", "-i", str(key_file), stdin=ours.getvalue())
    assert done.returncode == 0 and done.stdout == data
    # WHEN the stock tool encrypts to the recipient THEN BLO Desk decrypts
    theirs = _run("age", "-r", recipient, stdin=data)
    assert theirs.returncode == 0
    back = io.BytesIO()
    age.decrypt_stream(io.BytesIO(theirs.stdout), back, identity=identity)
    assert back.getvalue() == data


# --- import on SQLite and PostgreSQL -----------------------------------------------------------------------
def test_an_encrypted_bundle_imports_like_a_plain_one(tmp_path, hq_factory):
    # GIVEN two posts on the same cases: one exports plain (nothing pinned), one encrypted
    hq_plain, hq_enc = hq_factory("hq-plain"), hq_factory("hq-enc")
    post = bundle_kit.make_post(tmp_path / "post", "UZ-DUS", cases=5, photos=2)
    try:
        hq_plain.hq.trust_key(post_code="UZ-DUS", public_key=post.sync.public_key_text())
        plain = post.sync.export(folder=tmp_path / "plain", full=True)
        assert not plain.encrypted and plain.path.endswith("UZ-DUS-000001.blo")
        _pair(post, hq_enc)
        sealed = post.sync.export(folder=tmp_path / "sealed", full=True)
        assert sealed.encrypted
        # WHEN HQ imports each
        report_plain = hq_plain.hq.import_bundle(path=Path(plain.path))
        report = hq_enc.hq.import_bundle(path=Path(sealed.path))
        # THEN the encrypted one imports the same cases and photos; HQ records the hash of the file the post wrote
        assert report.outcome == "imported" and report.encrypted, report.reason()
        assert (report.new, report.attachments_stored) == (report_plain.new, report_plain.attachments_stored) == (5, 2)
        held = {row.post_code: row.sequences for row in hq_enc.hq.status()}
        assert held == {"UZ-DUS": (2,)}
        with hq_enc.uow() as uow:
            from blo_desk.storage.sync_repository import SyncRepository

            assert SyncRepository(uow.session).imported_bundle("UZ-DUS", 2).sha256 == sealed.sha256
        from blo_desk.storage.models_sync import ImportedBundleRow, TrustedKeyRow

        logs = (ImportedBundleRow.__tablename__, TrustedKeyRow.__tablename__)  # numbers and keys differ, not cases
        dump_plain = [row for row in bundle_kit.dump(hq_plain) if row[0] not in logs]
        dump_enc = [row for row in bundle_kit.dump(hq_enc) if row[0] not in logs]
        assert dump_plain == dump_enc
        # AND the same file again changes nothing; no decrypted file is left beside the photo store
        assert hq_enc.hq.import_bundle(path=Path(sealed.path)).outcome == "already_imported"
        assert _staging_leftovers(hq_enc) == []
        # AND HQ's full verify reads the inner bundle; at the post (no HQ key) only the envelope is checked
        assert hq_enc.hq.verify(path=Path(sealed.path)).records == sealed.records
        at_post = post.hq.verify(path=Path(sealed.path))
        assert at_post.outcome == "verified" and not at_post.contents_checked
    finally:
        post.close()


# --- refused before anything is decrypted ---------------------------------------------------------------
def _tamper(path: Path) -> None:
    start, length = _ciphertext_range(path)
    data = bytearray(path.read_bytes())
    data[start + length // 2] ^= 0x01
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("case", ["tampered_byte", "unknown_key", "revoked_key", "wrong_recipient"])
def test_a_bad_envelope_is_refused_before_decryption_and_changes_nothing(tmp_path, hq, case):
    # GIVEN HQ with its age key and a post; each case breaks one thing
    post = bundle_kit.make_post(tmp_path / "post", "UZ-DUS", cases=3, photos=1)
    try:
        other = age.recipient_of(age.generate_identity())
        _hq_with_key(hq)
        _pair(post, hq, recipient=other if case == "wrong_recipient" else None, trust=case != "unknown_key")
        if case == "revoked_key":
            hq.hq.revoke_key(key_id=post.sync.identity().key_id, from_sequence=1)
        bundle = Path(post.sync.export(folder=tmp_path / "stick").path)
        if case == "tampered_byte":
            _tamper(bundle)
        before = bundle_kit.dump(hq)
        # WHEN HQ imports it
        report = hq.hq.import_bundle(path=bundle)
        # THEN it is rejected for the envelope's reason, no decrypted file exists, and HQ holds what it held
        expected = {"tampered_byte": CiphertextMismatchError, "unknown_key": EnvelopeUnknownKeyError,
                    "revoked_key": EnvelopeKeyRevokedError, "wrong_recipient": WrongRecipientError}[case]
        assert report.rejected and isinstance(report.error, expected), report.reason()
        reason = report.reason()
        assert "nothing was decrypted" in reason
        if case != "wrong_recipient":
            assert "envelope signature" in reason
        else:
            assert other in reason
        assert _staging_leftovers(hq) == []
        assert bundle_kit.dump(hq) == before
    finally:
        post.close()


def test_a_post_requiring_encryption_refuses_a_plain_export_without_using_a_number(tmp_path):
    # GIVEN a post that requires encryption but has no HQ age key pinned
    post = bundle_kit.make_post(tmp_path / "post", "UZ-DUS", cases=2, photos=0)
    try:
        post.sync.pin_hq_recipient(require_encryption=True)
        # WHEN it exports THEN it is refused, nothing is written and bundle 1 is still free
        with pytest.raises(EncryptionRequiredError):
            post.sync.export(folder=tmp_path / "stick")
        assert not (tmp_path / "stick").exists()
        assert post.sync.outbox() == []
        # AND once allowed again (or per call) the plain bundle is number 1
        with pytest.raises(EncryptionRequiredError):
            post.sync.export(folder=tmp_path / "stick", require_encryption=True)
        post.sync.pin_hq_recipient(require_encryption=False)
        result = post.sync.export(folder=tmp_path / "stick")
        assert result.sequence == 1 and not result.encrypted
    finally:
        post.close()


def test_the_command_line_pins_hq_age_key_and_warns_about_plain_bundles(tmp_path):
    env = {**os.environ, "BLO_DESK_PLAINTEXT_STORE": "1"}

    def cli(data_dir, *args):
        return subprocess.run([sys.executable, "-m", "blo_desk", "--lang", "en", "--data-dir", str(data_dir), *args],
                              capture_output=True, text=True, env=env, timeout=120)

    post, hq, stick = tmp_path / "post", tmp_path / "hq", tmp_path / "stick"
    assert cli(post, "post", "init", "--code", "UZ-DUS").returncode == 0
    assert cli(post, "demo").returncode == 0
    # GIVEN nothing pinned: the export is plain and says so; --require-encryption refuses
    refused = cli(post, "bundle", "export", "--out", str(stick), "--require-encryption")
    assert refused.returncode != 0 and "no HQ age key is pinned" in refused.stderr
    plain = cli(post, "bundle", "export", "--out", str(stick))
    assert plain.returncode == 0 and "NOT encrypted" in plain.stderr
    # WHEN HQ prints its recipient and the post pins it
    recipient = cli(hq, "hq", "age-key", "--out", str(tmp_path / "hq.age.pub")).stdout.strip()
    assert recipient.startswith("age1") and (tmp_path / "hq.age.pub").read_text().strip() == recipient
    pinned = cli(post, "post", "hq", "--age-recipient", recipient, "--require-encryption")
    assert pinned.returncode == 0 and recipient in pinned.stdout, pinned.stderr
    assert cli(post, "demo").returncode == 0
    # THEN the next export is encrypted, and HQ imports both (plain 1, encrypted 2)
    sealed = cli(post, "bundle", "export", "--out", str(stick))
    assert sealed.returncode == 0 and "encrypted" in sealed.stdout and "NOT" not in sealed.stderr
    key = cli(post, "post", "key", "--out", str(stick)).stdout.strip()
    assert cli(hq, "hq", "trust", "add", "--post", "UZ-DUS", "--key", key).returncode == 0
    imported = cli(hq, "bundle", "import", str(stick))
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert "UZ-DUS-000001.blo (UZ-DUS #1): imported" in imported.stdout
    assert "UZ-DUS-000002.enc.blo (UZ-DUS #2): imported" in imported.stdout


def test_a_files_post_is_read_from_the_key_named_in_its_signature(tmp_path, hq):
    # GIVEN a post's plain and encrypted bundles, and HQ trusting the post's key
    post = bundle_kit.make_post(tmp_path / "post", "UZ-DUS", cases=2, photos=0)
    try:
        plain = Path(post.sync.export(folder=tmp_path / "plain", full=True).path)
        _pair(post, hq)
        sealed = Path(post.sync.export(folder=tmp_path / "sealed", full=True).path)
        public = minisign.parse_public_key(post.sync.public_key_text())
    finally:
        post.close()
    trusted = {public.key_id_text: TrustedKey(post="UZ-DUS", public_key=public)}
    # WHEN HQ groups files by the post whose trusted key signed them THEN both name UZ-DUS
    assert signing_post(plain, trusted.get) == signing_post(sealed, trusted.get) == "UZ-DUS"
    # AND a file signed by a key HQ does not trust, or no bundle at all, names no post
    assert signing_post(plain, {}.get) is None
    garbage = tmp_path / "garbage.blo"
    garbage.write_bytes(b"PK\x03\x04 not a zip")
    assert signing_post(garbage, trusted.get) is None
