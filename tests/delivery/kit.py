"""Test helpers for delivery: the intake service as a real subprocess on loopback, a link that drops, posts, HQ stores."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

import bundle_kit

LOOPBACK = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


class IntakeServer:
    """`blo-desk hq serve` in a subprocess on 127.0.0.1; stop() and start() again keep its data folder and port."""

    def __init__(self, data_dir: Path, *, db_url: str | None = None, extra: tuple[str, ...] = ()) -> None:
        self.data_dir = Path(data_dir)
        self.db_url = db_url
        self.extra = extra
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.log = self.data_dir.parent / f"{self.data_dir.name}-intake.log"

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def public_key_file(self) -> Path:
        return self.data_dir / "keys" / "hq-receipts.pub"

    def start(self, timeout: float = 30.0) -> IntakeServer:
        args = [sys.executable, "-m", "blo_desk", "--lang", "en", "--data-dir", str(self.data_dir), "hq", "serve",
                "--host", LOOPBACK, "--port", str(self.port), "--log-level", "warning", *self.extra]
        if self.db_url:
            args += ["--db", self.db_url]
        env = {**os.environ, "BLO_DESK_PLAINTEXT_STORE": "1"}
        env.pop("BLO_DESK_USER", None)
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"intake service exited: {self.log.read_text(errors='replace')[-3000:]}")
            try:
                if httpx.get(self.url + "/health", timeout=1.0).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError("intake service did not start in time")

    def stop(self, *, kill: bool = False) -> None:
        if self.process is None:
            return
        if kill:
            self.process.kill()
        else:
            self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
        self.process = None

    def uploads_on_disk(self) -> list[Path]:
        folder = self.data_dir / "intake" / "uploads"
        return sorted(folder.iterdir()) if folder.exists() else []


class DroppingLink:
    """A TCP proxy on 127.0.0.1 in front of the intake service that cuts connections: the n-th connection carrying
    request bytes is cut after `cuts[n]` bytes from the client (None: never). Counts what it forwarded."""

    def __init__(self, target_port: int, cuts: list[int | None]) -> None:
        self.target_port = target_port
        self.cuts = list(cuts)
        self.port = free_port()
        self.cut_count = 0
        self.bytes_up = 0
        self._lock = threading.Lock()
        self._sock = socket.socket()
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((LOOPBACK, self.port))
        self._sock.listen(64)
        self._closed = False
        self._connections = 0
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def close(self) -> None:
        self._closed = True
        try:
            self._sock.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept(); close() alone may not
        except OSError:
            pass
        self._sock.close()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._sock.accept()
            except OSError:
                return
            with self._lock:
                index = self._connections
                self._connections += 1
            threading.Thread(target=self._serve, args=(client, index), daemon=True).start()

    def _next_cut(self) -> int | None:
        with self._lock:
            return self.cuts.pop(0) if self.cuts else None

    def _serve(self, client: socket.socket, index: int) -> None:
        try:
            upstream = socket.create_connection((LOOPBACK, self.target_port))
        except OSError:
            client.close()
            return
        cut = [None, False]  # the budget of this connection, decided on its first big request

        def down() -> None:
            try:
                while data := upstream.recv(65536):
                    client.sendall(data)
            except OSError:
                pass
            finally:
                for s in (client, upstream):
                    try:
                        s.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass

        threading.Thread(target=down, daemon=True).start()
        passed = 0
        try:
            while data := client.recv(65536):
                if not cut[1] and data.startswith(b"PATCH "):
                    cut[0], cut[1], passed = self._next_cut(), True, 0
                if cut[0] is not None and passed + len(data) >= cut[0]:
                    keep = max(0, cut[0] - passed)
                    upstream.sendall(data[:keep])
                    with self._lock:
                        self.bytes_up += keep
                        self.cut_count += 1
                    break
                upstream.sendall(data)
                passed += len(data)
                with self._lock:
                    self.bytes_up += len(data)
        except OSError:
            pass
        finally:
            for s in (client, upstream):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()


from blo_desk.domain.delivery import Backoff
from blo_desk.services.delivery import DeliveryService

FAST = Backoff(first=0.02, maximum=0.2, retries=12)


def delivery_for(post, *, chunk_bytes: int = 256 * 1024, backoff: Backoff = FAST) -> DeliveryService:
    return DeliveryService(uow=post.uow, sync=post.sync, data_dir=post.settings.data_dir, chunk_bytes=chunk_bytes,
                           backoff=backoff, guard=post.guard)


def hq_store(folder: Path, posts, db_url: str | None = None):
    """A migrated HQ store trusting each post's key; closed again (the intake process opens it)."""
    hq = bundle_kit.open_store(folder, db_url)
    try:
        for post in posts:
            identity = post.sync.identity()
            hq.hq.trust_key(post_code=identity.post_code, public_key=post.sync.public_key_text())
    finally:
        hq.close()


def add_photos(post, *, count: int, size: int, tag: str = "big") -> None:
    """Attach `count` photos of `size` random bytes to the post's first cases (new revisions)."""
    folder = post.settings.data_dir.parent / f"{post.settings.data_dir.name}-photos"
    folder.mkdir(exist_ok=True)
    ids = _case_ids(post)
    for n in range(count):
        photo = folder / f"{tag}-{n}.jpg"
        photo.write_bytes(bundle_kit.JPEG + os.urandom(size))
        attachment = post.attachments.add_file(path=photo, caption=f"{tag} {n}")
        case = post.cases.get(case_id=ids[n % len(ids)])
        bundle_kit.change(post, case.id, attachments=(*case.attachments, attachment))


def _case_ids(post) -> list[str]:
    from sqlalchemy import select

    from blo_desk.storage.models import CaseRow

    with post.uow() as uow:
        return list(uow.session.scalars(select(CaseRow.id).order_by(CaseRow.case_number)))
