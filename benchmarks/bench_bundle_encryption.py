"""Encrypted bundles: write (zip piped into age) and HQ's check-then-decrypt of a ~1 GB photo bundle, time and
peak memory of each step in its own process, next to the plain signed bundle.
Run: .venv/bin/python benchmarks/bench_bundle_encryption.py [--mb 1024] [--smoke]"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MB = 1024**2
PHOTO_MB = 64  # the importer's limit per photo


def _manifest(key):
    from blo_desk.exchange.manifest import Manifest

    return Manifest(post="UZ-DUS", key_id=key.public_key.key_id_text, sequence=1, previous_sha256="",
                    created_at="2025-01-01T00:00:00.000000Z", app_version="bench", schema_version="bench",
                    full=False, records=0, cases=0, attachments=0)


def _photos(folder: Path):
    return sorted((p.name, p) for p in folder.iterdir())


def step(kind: str, base: Path) -> dict:
    """One measured step, run in a child process so ru_maxrss is that step's peak."""
    from blo_desk.exchange import age, minisign
    from blo_desk.exchange.envelope import OpenedEnvelope, write_envelope
    from blo_desk.exchange.pack import write_bundle
    from blo_desk.exchange.verify import OpenedBundle, TrustedKey

    key = minisign.parse_secret_key((base / "post.key").read_text())
    identity = age.parse_identity((base / "hq.agekey").read_text())
    records = [b'{"bench":true}']
    lookup = lambda kid: TrustedKey(post="UZ-DUS", public_key=key.public_key)  # noqa: E731
    start = time.perf_counter()
    if kind == "write_plain":
        written = write_bundle(folder=base / "plain", manifest=_manifest(key), key=key, records=records,
                               attachments=_photos(base / "photos"))
        size = written.size
    elif kind == "write_encrypted":
        written = write_envelope(folder=base / "sealed", manifest=_manifest(key), key=key, records=records,
                                 recipient=age.recipient_of(identity), attachments=_photos(base / "photos"))
        size = written.size
    elif kind == "check_envelope":
        opened = OpenedEnvelope(next((base / "sealed").iterdir()), key_lookup=lookup,
                                recipient=age.recipient_of(identity))
        size = opened.size
    elif kind == "decrypt":
        opened = OpenedEnvelope(next((base / "sealed").iterdir()), key_lookup=lookup,
                                recipient=age.recipient_of(identity))
        checked = time.perf_counter()
        inner = opened.decrypt_to(base / "staging", identity=identity)
        size = inner.stat().st_size
        start = checked  # the decryption alone
    elif kind == "verify_inner":
        inner = next((base / "staging").iterdir())
        with OpenedBundle(inner, key_lookup=lookup) as bundle:
            bundle.verify_members(staging=None)
        size = inner.stat().st_size
    else:
        raise SystemExit(kind)
    seconds = time.perf_counter() - start
    # VmHWM, not ru_maxrss: the latter keeps the forking parent's peak across exec.
    status = Path("/proc/self/status").read_text()
    peak = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))) / 1024
    return {"step": kind, "seconds": round(seconds, 2), "mb": round(size / MB), "mb_s": round(size / MB / seconds),
            "peak_rss_mb": round(peak)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=1024, help="photo bytes in the bundle, in MB")
    parser.add_argument("--smoke", action="store_true",
                        help="a 2 MB bundle, same steps: a check that the script still runs (seconds)")
    parser.add_argument("--step")
    parser.add_argument("--base")
    args = parser.parse_args()
    if args.step:
        print(json.dumps(step(args.step, Path(args.base))))
        return
    if args.smoke:
        args.mb = 2
    from blo_desk.exchange import age, minisign

    with tempfile.TemporaryDirectory(prefix="bench-enc-") as tmp:
        base = Path(tmp)
        (base / "photos").mkdir()
        left = args.mb * MB
        while left > 0:
            data = os.urandom(min(PHOTO_MB * MB, left))
            (base / "photos" / hashlib.sha256(data).hexdigest()).write_bytes(data)
            left -= len(data)
        (base / "post.key").write_text(minisign.SecretKey.generate().to_file_text())
        (base / "hq.agekey").write_text(age.identity_file_text(age.generate_identity()))
        print(f"bundle of {args.mb} MB of photos ({min(PHOTO_MB, args.mb)} MB each), one process per step:")
        for kind in ("write_plain", "write_encrypted", "check_envelope", "decrypt", "verify_inner"):
            out = subprocess.run([sys.executable, __file__, "--step", kind, "--base", str(base)], check=True,
                                 capture_output=True, text=True).stdout
            row = json.loads(out)
            print(f"  {row['step']:<16} {row['seconds']:>7.2f} s  {row['mb']:>6} MB  {row['mb_s']:>5} MB/s  "
                  f"peak RSS {row['peak_rss_mb']} MB")


if __name__ == "__main__":
    main()
