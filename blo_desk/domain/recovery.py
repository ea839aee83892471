"""The recovery code of a store: 30 characters of Crockford's base32 (150 bits) in six groups, as typed from paper."""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32: no I, L, O, U
GROUPS = 6
GROUP = 5
_READ_AS = {"O": "0", "I": "1", "L": "1"}


def generate_code() -> str:
    """A new random code, grouped for paper: `7K2QF-...` (six groups of five)."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP))
    return format_code(raw)


def format_code(raw: str) -> str:
    return "-".join(raw[n:n + GROUP] for n in range(0, len(raw), GROUP))


def normalize_code(typed: str) -> str:
    """What an officer typed, as the canonical code: case, spaces and dashes ignored, O/I/L read as 0/1.

    Returns '' when it cannot be a code (wrong length or other characters)."""
    letters = [_READ_AS.get(c, c) for c in typed.upper() if not c.isspace() and c not in "-_."]
    raw = "".join(letters)
    if len(raw) != GROUPS * GROUP or any(c not in ALPHABET for c in raw):
        return ""
    return format_code(raw)
