"""HTTPS between a post and HQ: the intake service serves TLS, the post trusts only the CA it was given."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
import time
from pathlib import Path

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from blo_desk.services.delivery import DELIVERED, UNREACHABLE

from kit import LOOPBACK, IntakeServer, delivery_for, hq_store


def _certificate(folder: Path, name: str) -> tuple[Path, Path, Path]:
    """A CA and a server certificate for 127.0.0.1 signed by it: (ca.pem, server.pem, server.key)."""
    now = dt.datetime.now(dt.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"{name} test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
          .not_valid_after(now + dt.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, LOOPBACK)])).issuer_name(ca_name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(LOOPBACK))]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    folder.mkdir(parents=True, exist_ok=True)
    paths = folder / "ca.pem", folder / "server.pem", folder / "server.key"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return paths


class TlsIntakeServer(IntakeServer):
    def __init__(self, data_dir: Path, *, ca: Path, cert: Path, key: Path) -> None:
        super().__init__(data_dir, extra=("--ssl-certfile", str(cert), "--ssl-keyfile", str(key)))
        self.ca = ca

    @property
    def url(self) -> str:
        return f"https://{LOOPBACK}:{self.port}"

    def start(self, timeout: float = 30.0) -> TlsIntakeServer:
        import os
        import subprocess
        import sys

        args = [sys.executable, "-m", "blo_desk", "--lang", "en", "--data-dir", str(self.data_dir), "hq", "serve",
                "--host", LOOPBACK, "--port", str(self.port), "--log-level", "warning", *self.extra]
        env = {**os.environ, "BLO_DESK_PLAINTEXT_STORE": "1"}
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(self.log.read_text(errors="replace")[-3000:])
            try:
                if httpx.get(self.url + "/health", timeout=1.0, verify=ssl.create_default_context(cafile=str(self.ca))).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("TLS intake service did not start in time")


def test_a_bundle_travels_over_https_to_an_hq_the_post_trusts(tmp_path, posts):
    # GIVEN HQ serving HTTPS with a certificate from its own CA, and a post with a waiting bundle
    ca, cert, key = _certificate(tmp_path / "tls", "HQ")
    other_ca, _, _ = _certificate(tmp_path / "other", "Somebody else")
    post = posts("UZ-DUS", cases=3, photos=0)
    hq_store(tmp_path / "hq", [post])
    server = TlsIntakeServer(tmp_path / "hq", ca=ca, cert=cert, key=key).start()
    try:
        post.sync.export()
        delivery = delivery_for(post)
        receipt_key = server.public_key_file.read_text()
        # WHEN the post trusts another CA THEN it does not talk to this HQ at all, and the bundle keeps waiting
        delivery.configure(url=server.url, public_key=receipt_key, ca_file=str(other_ca))
        refused = delivery.send_waiting()
        assert [o.outcome for o in refused] == [UNREACHABLE]
        assert len(post.sync.outbox()) == 1
        # WHEN it is given HQ's CA THEN the bundle is delivered over TLS and confirmed by a signed receipt
        delivery.configure(url=server.url, public_key=receipt_key, ca_file=str(ca))
        sent = delivery.send_waiting()
        assert [o.outcome for o in sent] == [DELIVERED]
        assert post.sync.outbox() == []
    finally:
        server.stop()
