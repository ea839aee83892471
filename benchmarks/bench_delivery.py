"""Delivery benchmarks on loopback: upload throughput of a bundle with photos, bytes sent again after drops, and
24 posts uploading at once to one intake service. Run: .venv/bin/python benchmarks/bench_delivery.py [--smoke]"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("BLO_DESK_PLAINTEXT_STORE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "delivery"))
sys.path.insert(0, str(ROOT / "tests" / "exchange"))
sys.path.insert(0, str(ROOT / "tests"))

from blo_desk.domain.delivery import Backoff  # noqa: E402
from blo_desk.services.delivery import DELIVERED  # noqa: E402

import bundle_kit  # noqa: E402
import kit  # noqa: E402
from kit import add_photos, delivery_for, hq_store  # noqa: E402

MB = 1024**2


def throughput(base: Path, *, photo_mb: int, photos: int, chunk_mb: int) -> list[tuple[str, str]]:
    post = bundle_kit.make_post(base / "post", "UZ-DUS", cases=20, photos=0)
    add_photos(post, count=photos, size=photo_mb * MB)
    hq_store(base / "hq", [post])
    server = kit.IntakeServer(base / "hq", extra=("--max-mb", "4096")).start()
    try:
        exported = post.sync.export()
        delivery = delivery_for(post, chunk_bytes=chunk_mb * MB)
        delivery.configure(url=server.url, public_key=server.public_key_file.read_text())
        started = time.perf_counter()
        outcomes = delivery.send_waiting()
        seconds = time.perf_counter() - started
        assert [o.outcome for o in outcomes] == [DELIVERED], outcomes
        # The same bytes once more over the wire only (HQ answers 'already held' at the end: no import).
        entry = post.sync.outbox(include_acknowledged=True)[0]
        return [
            ("bundle", f"{exported.size / MB:.0f} MB ({photos} photos of {photo_mb} MB), chunks of {chunk_mb} MB"),
            ("upload + verify + import + receipt", f"{seconds:.2f} s = {exported.size / MB / seconds:.0f} MB/s"),
            ("bytes sent again", f"{outcomes[0].bytes_resent}"),
        ] + _wire_only(post, server, entry, chunk_mb)
    finally:
        server.stop()
        post.close()


def _wire_only(post, server, entry, chunk_mb) -> list[tuple[str, str]]:
    """Upload the same bytes under another sequence number so HQ stores them but refuses the import at the end
    (the manifest names bundle 1): the transfer alone."""
    from blo_desk.services.delivery import Uploader

    path = Path(entry.folder) / entry.file_name
    with Uploader(server.url, chunk_bytes=chunk_mb * MB) as uploader:
        started = time.perf_counter()
        try:
            uploader.upload(path, post="UZ-DUS", sequence=99, sha256=entry.sha256, key_id=post.sync.identity().key_id)
        except Exception:  # noqa: BLE001 - refused after the transfer, as expected
            pass
        seconds = time.perf_counter() - started
    return [("transfer only (HQ already holds it: no import)", f"{seconds:.2f} s = {entry.size / MB / seconds:.0f} MB/s")]


def drops(base: Path, *, chunk_kb: int, cuts: int, photo_kb: int = 2048) -> list[tuple[str, str]]:
    post = bundle_kit.make_post(base / "post", "UZ-DUS", cases=10, photos=0)
    add_photos(post, count=4, size=photo_kb * 1024)
    hq_store(base / "hq", [post])
    server = kit.IntakeServer(base / "hq").start()
    try:
        exported = post.sync.export()
        step = exported.size // (cuts + 1)
        link = kit.DroppingLink(server.port, [step + n * 7919 for n in range(cuts)] + [None])
        delivery = delivery_for(post, chunk_bytes=chunk_kb * 1024, backoff=Backoff(first=0.01, maximum=0.05))
        delivery.configure(url=link.url, public_key=server.public_key_file.read_text())
        outcomes = delivery.send_waiting()
        link.close()
        outcome = outcomes[0]
        assert outcome.outcome == DELIVERED, outcomes
        per_drop = outcome.bytes_resent / max(1, link.cut_count)
        return [
            ("bundle / chunk", f"{exported.size / MB:.1f} MB / {chunk_kb} KB"),
            ("connections cut mid-chunk", str(link.cut_count)),
            ("bytes sent in all", str(outcome.bytes_sent)),
            ("bytes sent again", f"{outcome.bytes_resent} ({per_drop / (chunk_kb * 1024):.2f} chunk per drop; "
                                 f"limit 1)"),
        ]
    finally:
        server.stop()
        post.close()


def many_posts(base: Path, *, count: int, cases: int) -> list[tuple[str, str]]:
    codes = [p["code"] for p in __import__("blo_desk.services.reference", fromlist=["load_seed"]).load_seed()[0]][:count]
    posts = [bundle_kit.make_post(base / code, code, cases=cases, seed=n + 1, photos=2) for n, code in enumerate(codes)]
    hq_store(base / "hq", posts)
    server = kit.IntakeServer(base / "hq", extra=("--uploads-per-address", "64", "--requests-per-address", "64")).start()
    try:
        deliveries = []
        for post in posts:
            post.sync.export()
            delivery = delivery_for(post, chunk_bytes=1 * MB, backoff=Backoff(first=0.05, maximum=1.0, retries=20))
            delivery.configure(url=server.url, public_key=server.public_key_file.read_text())
            deliveries.append(delivery)
        results: dict[int, list] = {}
        barrier = threading.Barrier(len(deliveries))

        def send(i, d):
            barrier.wait()
            results[i] = d.send_waiting()

        threads = [threading.Thread(target=send, args=(i, d)) for i, d in enumerate(deliveries)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        seconds = time.perf_counter() - started
        delivered = sum(1 for r in results.values() for o in r if o.outcome == DELIVERED)
        failed = sum(1 for r in results.values() for o in r if o.outcome != DELIVERED)
        hq = bundle_kit.open_store(base / "hq")
        try:
            held = {row.post_code: row.sequences for row in hq.hq.status()}
        finally:
            hq.close()
        duplicates = sum(1 for seqs in held.values() if len(seqs) != len(set(seqs)))
        return [
            ("posts uploading at once", f"{len(posts)} x {cases} cases + 2 photos"),
            ("wall time", f"{seconds:.2f} s"),
            ("delivered / failed", f"{delivered} / {failed}"),
            ("HQ holds", f"{sum(len(s) for s in held.values())} bundles from {len(held)} posts, {duplicates} duplicated"),
        ]
    finally:
        server.stop()
        for post in posts:
            post.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--photo-mb", type=int, default=20)
    parser.add_argument("--photos", type=int, default=10)
    parser.add_argument("--chunk-mb", type=int, default=8)
    parser.add_argument("--posts", type=int, default=24)
    parser.add_argument("--smoke", action="store_true",
                        help="tiny sizes, same code paths: a check that the script still runs (seconds)")
    args = parser.parse_args()
    # Full: drops cut an 8 MB bundle in 512 KB chunks; 24 posts send 50 cases each. Smoke: a few hundred KB, 3 posts.
    chunk_kb, photo_kb, per_post = 512, 2048, 50
    if args.smoke:
        args.photo_mb, args.photos, args.chunk_mb, args.posts = 1, 2, 1, 3
        chunk_kb, photo_kb, per_post = 64, 128, 5
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory(prefix="bench-delivery-") as tmp:
        base = Path(tmp)
        for name, value in throughput(base / "t", photo_mb=args.photo_mb, photos=args.photos, chunk_mb=args.chunk_mb):
            rows.append(("throughput", name, value))
        for name, value in drops(base / "d", chunk_kb=chunk_kb, cuts=5, photo_kb=photo_kb):
            rows.append(("drops", name, value))
        for name, value in many_posts(base / "m", count=args.posts, cases=per_post):
            rows.append((f"{args.posts} posts", name, value))
    width = max(len(r[1]) for r in rows)
    print(f"{'part':<11} {'measure':<{width}}  value")
    for part, name, value in rows:
        print(f"{part:<11} {name:<{width}}  {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
