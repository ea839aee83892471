"""Strict JSON: what the bundle parser refuses, and that it names the member and line."""

from __future__ import annotations

import pytest

from blo_desk.exchange import errors as E
from blo_desk.exchange.strict_json import loads


@pytest.mark.parametrize(
    "text, error",
    [
        (b'{"a":1,"a":2}', E.DuplicateKeyError),
        (b'{"a":{"b":1,"b":1}}', E.DuplicateKeyError),
        (b"[NaN]", E.NonFiniteNumberError),
        (b"[Infinity]", E.NonFiniteNumberError),
        (b"[-Infinity]", E.NonFiniteNumberError),
        (b"[1e999]", E.NonFiniteNumberError),
        (b"[" + b"7" * 5000 + b"]", E.NumberTooLongError),
        (b"[0." + b"1" * 5000 + b"]", E.NumberTooLongError),
        (b"[" * 17 + b"]" * 17, E.NestingTooDeepError),
        (b"[" * 100_000 + b"]" * 100_000, E.NestingTooDeepError),
        (b"\xff\xfe", E.InvalidJsonError),
        (b'\xef\xbb\xbf{"a":1}', E.InvalidJsonError),
        (b'{"a":1} x', E.InvalidJsonError),
    ],
    ids=["dup", "dup-nested", "nan", "inf", "-inf", "overflow", "5000-digits", "long-float", "depth-17",
         "depth-100k", "bad-utf8", "bom", "trailing"],
)
def test_refused(text, error):
    # GIVEN a hostile JSON text WHEN parsed strictly THEN the specific error, naming member and line
    with pytest.raises(error) as caught:
        loads(text, name="records.jsonl", line=7)
    assert "records.jsonl, line 7" in str(caught.value)


def test_accepted():
    assert loads(b'{"a":[1,2.5,"x",null,true],"b":{"c":-3}}', name="m") == {
        "a": [1, 2.5, "x", None, True], "b": {"c": -3}}
    assert loads(b"[" * 16 + b"]" * 16, name="m") is not None
