"""The intake answers odd input with a 400 (or another 4xx), never a 500, and odd input changes nothing at HQ.

The ASGI app runs in this process (no socket): each request is one call of the app with a scope built here, so
header bytes that no HTTP client would send reach it too.
"""

from __future__ import annotations

import json

import anyio
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blo_desk.i18n import translator
from blo_desk.intake.app import create_app
from blo_desk.services.intake import IntakeService

import bundle_kit


@pytest.fixture(scope="module")
def intake(tmp_path_factory):
    """HQ on SQLite trusting post UZ-DUS, holding its bundle 1, with the intake app over it."""
    folder = tmp_path_factory.mktemp("intake-input")
    post = bundle_kit.make_post(folder / "post", "UZ-DUS", cases=2, photos=0)
    hq = bundle_kit.open_store(folder / "hq")
    try:
        hq.hq.trust_key(post_code="UZ-DUS", public_key=post.sync.public_key_text())
        bundle = post.sync.export()
        assert hq.hq.import_bundle(path=bundle.path).outcome == "imported"
        service = IntakeService(hq=hq.hq, uow=hq.uow, data_dir=hq.settings.data_dir)
        yield hq, create_app(service), post.sync.identity().key_id, bundle.sha256
    finally:
        hq.close()
        post.close()


def call(app, method: str, path: str, headers: list[tuple[bytes, bytes]], body: bytes = b"",
         query: bytes = b"") -> tuple[int, bytes]:
    """One request through the ASGI app; returns (status, body)."""
    sent: list[dict] = []
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
             "path": path, "raw_path": path.encode("utf-8", "surrogateescape"), "query_string": query,
             "root_path": "", "headers": headers, "client": ("10.1.2.3", 5555), "server": ("127.0.0.1", 8765)}
    chunks = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive():
        return chunks.pop(0) if chunks else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    anyio.run(app, scope, receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    return start["status"], b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


def _headers(**values: str) -> list[tuple[bytes, bytes]]:
    return [(k.replace("_", "-").lower().encode(), v.encode("utf-8")) for k, v in values.items()]


def _create_headers(key_id: str, **changes: str) -> list[tuple[bytes, bytes]]:
    values = {"Upload_Length": "1000", "Blo_Post": "UZ-DUS", "Blo_Sequence": "2", "Blo_Sha256": "ab" * 32,
              "Blo_Key_Id": key_id}
    values.update(changes)
    return _headers(**values)


@pytest.mark.parametrize("field, value", [
    ("Blo_Sequence", "²"),  # isdigit() says yes, int() says no
    ("Upload_Length", "¹²³"),
    ("Blo_Sequence", "1_0"),  # int() reads 10
    ("Blo_Sequence", " 7"),
    ("Blo_Sequence", "99999999999999999999999999"),
    ("Blo_Sequence", "4294967296"),
    ("Upload_Length", "-5"),
    ("Blo_Key_Id", "ABCDEF\n"),
    ("Blo_Post", "UZ-DUS\n"),
])
def test_an_odd_number_or_field_in_a_create_is_a_400_that_names_the_field(intake, field, value):
    hq, app, key_id, _sha = intake
    # GIVEN HQ's store as it is WHEN a create arrives with one odd field
    before = bundle_kit.dump(hq)
    status, body = call(app, "POST", "/v1/uploads", _create_headers(key_id, **{field: value}))
    # THEN it is refused with 400 and a reason, in HQ's language and as msgid + parameters; nothing changed
    assert status == 400, body
    answer = json.loads(body)
    assert answer["error"] == "bad_request"
    assert answer["message"] == "The upload request lacks the field {name} or its value is invalid."
    assert "{" not in answer["reason"]
    assert bundle_kit.dump(hq) == before


def test_an_odd_receipt_number_or_post_is_a_400(intake):
    hq, app, _key_id, sha = intake
    before = bundle_kit.dump(hq)
    for path in ("/v1/receipts/UZ-DUS/999999999999999999999999999999", "/v1/receipts/UZ-DUS/²",
                 "/v1/receipts/UZ-DUS/-1", "/v1/receipts/uz-dus/1", "/v1/receipts/UZ-DUS/2147483648"):
        status, body = call(app, "GET", path, [], query=f"sha256={sha}".encode())
        assert status == 400, (path, body)
        assert json.loads(body)["error"] == "bad_request"
    # AND the real bundle's receipt is still there, and an unknown number is a 404
    assert call(app, "GET", "/v1/receipts/UZ-DUS/1", [], query=f"sha256={sha}".encode())[0] == 200
    assert call(app, "GET", "/v1/receipts/UZ-DUS/5", [], query=f"sha256={sha}".encode())[0] == 404
    assert bundle_kit.dump(hq) == before


def test_the_refusal_reads_in_each_language(intake):
    from blo_desk.services.intake import UploadHeaderError

    error = UploadHeaderError(name="Blo-Sequence")
    for lang in ("en", "ru", "uz"):
        text = error.translated(translator(lang))
        assert "Blo-Sequence" in text and "{" not in text


_NAMES = ["Upload-Length", "Upload-Offset", "Content-Length", "Blo-Post", "Blo-Sequence", "Blo-Sha256",
          "Blo-Key-Id", "Blo-Reference-Digest", "X-Anything"]
_ODD = ["²", "¹²³", "٣", "999999999999999999999999999999", "-1", "0", "1_0", " 1", "1e3", "", "UZ-DUS", "\x00",
        "ab" * 32, "0x10", "١٢"]
_values = st.one_of(st.sampled_from(_ODD), st.text(max_size=40), st.integers(-10, 2**70).map(str))
_segments = st.one_of(st.sampled_from(_ODD + ["UZ-DUS", "1", "abc"]), st.text(max_size=30).filter(lambda s: "/" not in s))
_paths = st.one_of(
    st.sampled_from(["/health", "/v1/key", "/v1/uploads", "/v1/uploads/x", "/v1/receipts/UZ-DUS/1", "/"]),
    st.builds(lambda a, b: f"/v1/receipts/{a}/{b}", _segments, _segments),
    st.builds(lambda a: f"/v1/uploads/{a}", _segments),
    st.text(max_size=40).map(lambda s: "/" + s),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(method=st.sampled_from(["GET", "POST", "HEAD", "PATCH", "PUT", "DELETE", "OPTIONS"]), path=_paths,
       headers=st.dictionaries(st.sampled_from(_NAMES), _values, max_size=6),
       body=st.binary(max_size=64), query=st.text(max_size=30))
def test_arbitrary_requests_get_2xx_or_4xx_and_change_nothing(intake, method, path, headers, body, query):
    hq, app, _key_id, _sha = intake
    before = bundle_kit.dump(hq)
    encoded = [(k.lower().encode(), v.encode("utf-8", "surrogateescape")) for k, v in headers.items()]
    status, answer = call(app, method, path, encoded, body=body, query=query.encode("utf-8", "surrogateescape"))
    assert 200 <= status < 300 or 400 <= status < 500, (status, answer)
    assert bundle_kit.dump(hq) == before
