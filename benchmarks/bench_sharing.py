"""Counterpart shares (issue 16): share and receive one case with 10 photos (20 MB) between two posts' stores.
Target: <= 1 s each. Run: .venv/bin/python benchmarks/bench_sharing.py [--smoke] [--runs 5]"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

MB = 1024**2


def _post(folder: Path, code: str):
    from blo_desk.config import load_settings
    from blo_desk.domain.permissions import SYSTEM
    from blo_desk.services.registry import open_services

    services = open_services(load_settings(data_dir=folder, language="en", plaintext_store=True), principal=SYSTEM)
    services.sync.set_up_post(post_code=code)
    return services


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--smoke", action="store_true", help="small photos, one run (checks the script runs)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    photos, photo_mb, runs = (10, 0.05, 1) if args.smoke else (10, 2, args.runs)
    from blo_desk.services.demo import synthetic_cases

    with tempfile.TemporaryDirectory(prefix="blo-bench-share-") as tmp:
        base = Path(tmp)
        oybek, fotehobod = _post(base / "oyb", "UZ-OYB"), _post(base / "fot", "TJ-FOT")
        for one, other in ((oybek, fotehobod), (fotehobod, oybek)):
            path, _fingerprint = one.sharing.write_card(path=base / f"{one.sync.identity().post_code}.card")
            other.sharing.add_counterpart(path=path, fingerprint=_fingerprint)
        attachments = []
        for n in range(photos):
            photo = base / f"p{n}.jpg"
            photo.write_bytes(b"\xff\xd8\xff\xe0" + os.urandom(int(photo_mb * MB)))
            attachments.append(oybek.attachments.add_file(path=photo, caption=f"goods {n}"))
        shares, receives, size = [], [], 0
        for run in range(runs):
            case = replace(synthetic_cases(1, seed=run + 1)[0], post_code="UZ-OYB", id=f"{run + 1:032x}",
                           case_number=f"UZ-OYB-2024-{run + 1:06d}", attachments=tuple(attachments))
            with oybek.uow() as uow:
                uow.cases.bulk_insert([case])
                uow.commit()
            start = time.perf_counter()
            sent = oybek.sharing.share(references=[case.case_number], to="TJ-FOT", out=base / "stick")
            shares.append(time.perf_counter() - start)
            start = time.perf_counter()
            fotehobod.sharing.import_share(path=Path(sent.path))
            receives.append(time.perf_counter() - start)
            size = sent.size
        oybek.close()
        fotehobod.close()
    print(f"{'measure':<52} {'value':>12}")
    print(f"{'share and receive a case with %d photos (%.1f MB)' % (photos, photos * photo_mb):<52} "
          f"{size / MB:>9.1f} MB")
    print(f"{'share: redact, sign, encrypt, write (median s)':<52} {statistics.median(shares):>12.3f}")
    print(f"{'receive: check, decrypt, verify, store (median s)':<52} {statistics.median(receives):>12.3f}")
    print(f"{'target (each)':<52} {'<= 1 s':>12}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
