"""Strict JSON for bundles: UTF-8 only, no duplicate keys, no NaN or infinity, bounded numbers and depth."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from blo_desk.exchange.errors import (
    DuplicateKeyError,
    InvalidJsonError,
    NestingTooDeepError,
    NonFiniteNumberError,
    NumberTooLongError,
)

MAX_DEPTH = 16
MAX_NUMBER_CHARS = 32


class _Reject(Exception):
    def __init__(self, error_class, **params) -> None:
        self.error_class = error_class
        self.params = params


def _pairs(pairs: list[tuple[str, object]]) -> dict:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _value in pairs:
            if key in seen:
                raise _Reject(DuplicateKeyError, key=key)
            seen.add(key)
    return result


def _constant(name: str):
    raise _Reject(NonFiniteNumberError)


def _make_int(limit: int):
    def parse_int(text: str) -> int:
        if len(text) > limit:
            raise _Reject(NumberTooLongError, digits=len(text), limit=limit)
        return int(text)

    return parse_int


def _make_float(limit: int):
    def parse_float(text: str) -> float:
        if len(text) > limit:
            raise _Reject(NumberTooLongError, digits=len(text), limit=limit)
        value = float(text)
        if not math.isfinite(value):
            raise _Reject(NonFiniteNumberError)
        return value

    return parse_float


@lru_cache(maxsize=8)
def _decoder(max_number_chars: int) -> json.JSONDecoder:
    """One strict decoder per number limit, made once: json.loads with hooks builds a decoder and its scanner
    on every call, which cost a tenth of parsing a bundle's record line."""
    return json.JSONDecoder(
        object_pairs_hook=_pairs,
        parse_constant=_constant,
        parse_int=_make_int(max_number_chars),
        parse_float=_make_float(max_number_chars),
    )


def depth_of(value: object, limit: int) -> int:
    """How deeply containers nest in value, stopping as soon as the limit is passed."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        node, level = stack.pop()
        children: Iterable[Any]
        if isinstance(node, dict):
            children = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        if level > deepest:
            deepest = level
            if deepest > limit:
                return deepest
        stack.extend((child, level + 1) for child in children if isinstance(child, (dict, list)))
    return deepest


def loads(
    data: bytes,
    *,
    name: str,
    line: int = 1,
    max_depth: int = MAX_DEPTH,
    max_number_chars: int = MAX_NUMBER_CHARS,
) -> object:
    """Parse one JSON text strictly; any refusal is a StrictJsonError naming the member and line."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidJsonError(name=name, line=line, detail="UTF-8") from None
    if text.startswith("\ufeff"):
        raise InvalidJsonError(name=name, line=line, detail="BOM")
    # A hostile nesting of thousands of levels makes the C scanner raise RecursionError; we count after parsing.
    try:
        value = _decoder(max_number_chars).decode(text)
    except _Reject as reject:
        raise reject.error_class(name=name, line=line, **reject.params) from None
    except RecursionError:
        raise NestingTooDeepError(name=name, line=line, limit=max_depth) from None
    except ValueError as exc:
        raise InvalidJsonError(name=name, line=line, detail=str(exc)[:120]) from None
    # Nesting deeper than the limit needs more brackets than the limit: count them in C before walking in Python.
    if text.count("[") + text.count("{") > max_depth and depth_of(value, max_depth) > max_depth:
        raise NestingTooDeepError(name=name, line=line, limit=max_depth)
    return value
