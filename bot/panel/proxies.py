"""What the web server in front of a panel says before the panel's application runs.

A request style the server refuses (405, 415), a proxy's challenge page (Cloudflare, DDoS-Guard)
and rate-limit headers are all answers that come before the panel's own code: nothing was
placed, so the order protocol may say "never reached the panel" instead of "outcome unknown".
"""

from __future__ import annotations

import email.utils
import re
import time
from collections.abc import Mapping
from enum import StrEnum


class RequestStyle(StrEnum):
    """How a panel takes its fields: form POST (the docs), GET query, or a JSON body."""

    POST = "post"
    GET = "get"
    JSON = "json"

    def next_on(self, status: int) -> RequestStyle | None:
        """The style to try after the server refused this one with `status` (405 or 415)."""
        if self is RequestStyle.POST:
            return RequestStyle.GET if status == 405 else RequestStyle.JSON
        return None


_CHALLENGE_MARKERS = re.compile(
    rb"<title>\s*(?:just a moment|attention required|ddos-guard|checking your browser|access denied \| )"
    rb"|cf-chl-|challenge-platform|cf_chl_opt|ddos-guard\.net|/cdn-cgi/challenge",
    re.IGNORECASE,
)
_CHALLENGE_STATUSES = frozenset({403, 429, 503})


def proxy_challenge(status: int, headers: Mapping[str, str], raw: bytes) -> str | None:
    """A short description when the answer is a proxy's challenge page, else None."""
    if headers.get("cf-mitigated", "").lower() == "challenge":
        return "a Cloudflare challenge"
    if status in _CHALLENGE_STATUSES and _CHALLENGE_MARKERS.search(raw[:20000]):
        server = headers.get("Server", "").lower()
        return "a DDoS-Guard challenge page" if "ddos-guard" in server else "a proxy challenge page"
    return None


_RESET_HEADERS = ("X-RateLimit-Reset", "RateLimit-Reset", "X-Rate-Limit-Reset", "X-RateLimit-Reset-After")
_EPOCH = 1_000_000_000  # a reset value this large is a Unix time, not seconds to wait


def wait_seconds(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """How long a 429 asks us to wait: Retry-After (seconds or HTTP date), else a reset header."""
    now = time.time() if now is None else now
    value = headers.get("Retry-After")
    if value:
        try:
            return max(0.0, float(value))
        except ValueError:
            parsed = email.utils.parsedate_to_datetime(value) if _looks_like_date(value) else None
            if parsed is not None:
                return max(0.0, parsed.timestamp() - now)
    for name in _RESET_HEADERS:
        try:
            reset = float(headers.get(name, ""))
        except ValueError:
            continue
        return max(0.0, reset - now) if reset > _EPOCH else max(0.0, reset)
    return None


def _looks_like_date(value: str) -> bool:
    try:
        return email.utils.parsedate_to_datetime(value) is not None
    except (TypeError, ValueError):
        return False
