"""The intake service's HTTP protocol (tus-like: POST creates, HEAD tells the offset, PATCH appends) over IntakeService."""

from __future__ import annotations

import re
import threading
from collections import Counter
from contextlib import contextmanager

import anyio
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from blo_desk.domain.errors import DomainError
from blo_desk.exchange.errors import BundleRejected
from blo_desk.exchange.manifest import POST_RE
from blo_desk.services.intake import (
    IntakeRefused,
    IntakeService,
    SignedReceipt,
    TooManyUploadsError,
    UploadHeaderError,
)
from blo_desk.services.share_relay import RelayRefused, RelayTooLargeError

PROTOCOL = "blo-desk-upload/1"
OFFSET = "Upload-Offset"
LENGTH = "Upload-Length"


def _error(exc: DomainError, status: int, code: str) -> JSONResponse:
    """The reason as the server's language says it, and as msgid + parameters for the post to translate."""
    params = {k: v if isinstance(v, (str, int, float, bool)) or v is None else str(v) for k, v in exc.params.items()}
    return JSONResponse({"error": code, "reason": exc.translated(), "message": exc.message, "params": params},
                        status_code=status, headers={"Cache-Control": "no-store"})


def _receipt(receipt: SignedReceipt) -> JSONResponse:
    return JSONResponse(receipt.to_json(), status_code=200, headers={"Cache-Control": "no-store"})


_ASCII_DIGITS = re.compile(r"[0-9]{1,19}")
MAX_SEQUENCE = 2**31 - 1  # what a bundle's sequence number may be (manifest, envelope, HQ's bundle log)
MAX_BYTES = 2**63 - 1


def parse_number(value: str | None, name: str, *, maximum: int = MAX_BYTES) -> int:
    """A header or path number: ASCII digits only (no sign, space, underscore or other script's digits such as
    `²`, which `isdigit()` accepts and `int()` refuses), at most `maximum`; anything else is a 400."""
    if value is None or not _ASCII_DIGITS.fullmatch(value):
        raise UploadHeaderError(name=name)
    number = int(value)
    if number > maximum:
        raise UploadHeaderError(name=name)
    return number


def _int_header(request: Request, name: str, *, maximum: int = MAX_BYTES) -> int:
    return parse_number(request.headers.get(name), name, maximum=maximum)


class _InFlight:
    """Requests in flight per client address: one address cannot hold every worker."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._count: Counter[str] = Counter()
        self._lock = threading.Lock()

    @contextmanager
    def enter(self, address: str):
        with self._lock:
            if self._count[address] >= self._limit:
                raise TooManyUploadsError(count=self._count[address], who=address, limit=self._limit)
            self._count[address] += 1
        try:
            yield
        finally:
            with self._lock:
                self._count[address] -= 1
                if not self._count[address]:
                    del self._count[address]


def create_app(service: IntakeService) -> Starlette:
    in_flight = _InFlight(service.limits.requests_per_address)

    def address(request: Request) -> str:
        return request.client.host if request.client else "?"

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok", "protocol": PROTOCOL, "hq_key_id": service.public_key.key_id_text},
                            headers={"Cache-Control": "no-store"})

    async def public_key(request: Request) -> Response:
        return PlainTextResponse(service.public_key.to_file_text())

    async def create(request: Request) -> Response:
        try:
            with in_flight.enter(address(request)):
                upload, receipt = await anyio.to_thread.run_sync(lambda: service.create(
                    post=request.headers.get("Blo-Post", ""),
                    sequence=_int_header(request, "Blo-Sequence", maximum=MAX_SEQUENCE),
                    sha256=request.headers.get("Blo-Sha256", ""),
                    key_id=request.headers.get("Blo-Key-Id", ""),
                    length=_int_header(request, LENGTH),
                    address=address(request),
                    reference_digest_=request.headers.get("Blo-Reference-Digest", "")[:64],
                ))
        except IntakeRefused as exc:
            return _error(exc, exc.status, exc.code)
        if receipt is not None:
            return _receipt(receipt)
        assert upload is not None
        return JSONResponse({"upload": upload.id, "offset": upload.offset, "length": upload.length},
                            status_code=201,
                            headers={"Location": f"/v1/uploads/{upload.id}", OFFSET: str(upload.offset),
                                     LENGTH: str(upload.length), "Cache-Control": "no-store"})

    async def head(request: Request) -> Response:
        try:
            upload = service.status(request.path_params["upload_id"])
        except IntakeRefused as exc:
            return Response(status_code=exc.status, headers={"Cache-Control": "no-store"})
        return Response(status_code=200, headers={OFFSET: str(upload.offset), LENGTH: str(upload.length),
                                                  "Cache-Control": "no-store"})

    async def patch(request: Request) -> Response:
        upload_id = request.path_params["upload_id"]
        try:
            with in_flight.enter(address(request)):
                return await _patch(request, upload_id)
        except IntakeRefused as exc:
            return _error(exc, exc.status, exc.code)
        except BundleRejected as exc:
            return _error(exc, 422, "rejected")

    async def _patch(request: Request, upload_id: str) -> Response:
        offset = _int_header(request, OFFSET)
        declared = request.headers.get("Content-Length")
        writer = service.writer(upload_id, offset=offset,
                                content_length=None if declared is None else parse_number(declared, "Content-Length"))
        try:
            async for chunk in request.stream():
                if chunk:
                    writer.write(chunk)
        except ClientDisconnect:
            await anyio.to_thread.run_sync(writer.close)
            return Response(status_code=400)  # nobody reads it; what arrived is kept for the resume
        except BaseException:
            await anyio.to_thread.run_sync(writer.close)
            raise
        now = await anyio.to_thread.run_sync(writer.close)
        upload = service.status(upload_id)
        if now < upload.length:
            return Response(status_code=204, headers={OFFSET: str(now), "Cache-Control": "no-store"})
        receipt = await anyio.to_thread.run_sync(service.finish, upload_id)
        return _receipt(receipt)

    async def receipt(request: Request) -> Response:
        try:
            post = request.path_params["post"]
            if not POST_RE.fullmatch(post):
                raise UploadHeaderError(name="post")
            sequence = parse_number(request.path_params["sequence"], "sequence", maximum=MAX_SEQUENCE)
        except IntakeRefused as exc:
            return _error(exc, exc.status, exc.code)
        found = await anyio.to_thread.run_sync(lambda: service.receipt(
            post=post, sequence=sequence, sha256=request.query_params.get("sha256", ""),
            reference_digest_=request.query_params.get("reference_digest", "")[:64]))
        if found is None:
            return JSONResponse({"error": "not_found"}, status_code=404)
        return _receipt(found)

    # --- counterpart shares relayed between posts (issue 16): HQ checks the envelope, never reads the content ----
    relay = service.relay

    async def relay_send(request: Request) -> Response:
        try:
            with in_flight.enter(address(request)):
                declared = request.headers.get("Content-Length")
                if declared is not None and parse_number(declared, "Content-Length") > relay.max_bytes:
                    raise RelayTooLargeError(size_mb=round(int(declared) / 1024**2, 1),
                                             limit_mb=round(relay.max_bytes / 1024**2))
                body = bytearray()
                async for chunk in request.stream():
                    body += chunk
                    if len(body) > relay.max_bytes:
                        raise RelayTooLargeError(size_mb=round(len(body) / 1024**2, 1),
                                                 limit_mb=round(relay.max_bytes / 1024**2))
                kept = await anyio.to_thread.run_sync(relay.accept, bytes(body))
        except (IntakeRefused, RelayRefused) as exc:
            return _error(exc, exc.status, exc.code)
        except BundleRejected as exc:
            return _error(exc, 422, "rejected")
        except ClientDisconnect:
            return Response(status_code=400)
        return JSONResponse(kept.to_json(), status_code=201, headers={"Cache-Control": "no-store"})

    async def _relay_auth(request: Request) -> str:
        post = request.path_params["post"]
        await anyio.to_thread.run_sync(lambda: relay.authenticate(
            post=post, at=request.headers.get("Blo-Time", ""), token=request.headers.get("Blo-Auth", "")))
        return post

    async def relay_waiting(request: Request) -> Response:
        try:
            post = await _relay_auth(request)
        except RelayRefused as exc:
            return _error(exc, exc.status, exc.code)
        found = await anyio.to_thread.run_sync(relay.waiting, post)
        return JSONResponse({"waiting": [r.to_json() for r in found]}, headers={"Cache-Control": "no-store"})

    async def relay_collect(request: Request) -> Response:
        try:
            post = await _relay_auth(request)
            data = await anyio.to_thread.run_sync(relay.read, post, request.path_params["share_id"])
        except RelayRefused as exc:
            return _error(exc, exc.status, exc.code)
        return Response(data, media_type="application/octet-stream", headers={"Cache-Control": "no-store"})

    async def relay_clear(request: Request) -> Response:
        try:
            post = await _relay_auth(request)
            await anyio.to_thread.run_sync(relay.remove, post, request.path_params["share_id"])
        except RelayRefused as exc:
            return _error(exc, exc.status, exc.code)
        return Response(status_code=204, headers={"Cache-Control": "no-store"})

    routes = [
        Route("/health", health, methods=["GET"]),
        Route("/v1/shares", relay_send, methods=["POST"]),
        Route("/v1/shares/{post:str}", relay_waiting, methods=["GET"]),
        Route("/v1/shares/{post:str}/{share_id:str}", relay_collect, methods=["GET"]),
        Route("/v1/shares/{post:str}/{share_id:str}", relay_clear, methods=["DELETE"]),
        Route("/v1/key", public_key, methods=["GET"]),
        Route("/v1/uploads", create, methods=["POST"]),
        Route("/v1/uploads/{upload_id:str}", head, methods=["HEAD"]),
        Route("/v1/uploads/{upload_id:str}", patch, methods=["PATCH"]),
        Route("/v1/receipts/{post:str}/{sequence:str}", receipt, methods=["GET"]),
    ]
    app = Starlette(routes=routes)
    app.router.redirect_slashes = False  # a protocol, not a site: "/v1/uploads/" is a 404, not a redirect
    return app


def serve(service: IntakeService, *, host: str, port: int, ssl_keyfile: str | None = None,
          ssl_certfile: str | None = None, forwarded_allow_ips: str | None = None, log_level: str = "info") -> None:
    """Run the intake service until interrupted (uvicorn; TLS when a key and certificate are given)."""
    import uvicorn

    uvicorn.run(create_app(service), host=host, port=port, ssl_keyfile=ssl_keyfile, ssl_certfile=ssl_certfile,
                proxy_headers=forwarded_allow_ips is not None, forwarded_allow_ips=forwarded_allow_ips,
                log_level=log_level, timeout_keep_alive=30, server_header=False)
