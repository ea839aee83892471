"""The time zone of a post: its country (the first two letters of the post code) decides it."""

from __future__ import annotations

from blo_desk.domain.entities import DEFAULT_TIMEZONE

ZONES = {"UZ": "Asia/Tashkent", "TJ": "Asia/Dushanbe", "KZ": "Asia/Almaty", "KG": "Asia/Bishkek",
         "TM": "Asia/Ashgabat"}


def zone_for_post(post_code: str, fallback: str = DEFAULT_TIMEZONE) -> str:
    """The IANA zone of the post `post_code` (e.g. UZ-DUS -> Asia/Tashkent); `fallback` for a country not listed."""
    return ZONES.get(post_code[:2], fallback)
