"""Telegram Mini App `initData`: validated as Telegram specifies, turned into the customer it names.

data-check-string = every field but `hash`, sorted by key, `key=value` (values URL-decoded) joined
by "\\n"; secret = HMAC-SHA256(key=b"WebAppData", msg=bot token); valid when
hex(HMAC-SHA256(key=secret, msg=data-check-string)) equals `hash` (compared in constant time)
and `auth_date` is not older than the allowed age (nor more than a minute in the future).
`sign_init_data` is the same computation in the other direction (tests, local tools).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

MAX_INIT_DATA_CHARS = 8192
CLOCK_SKEW_SECONDS = 60


class AuthError(Exception):
    """initData is missing, malformed, forged or too old; the message is safe to log."""


@dataclass(frozen=True)
class WebAppUser:
    """The Telegram user an initData was signed for."""

    id: int
    username: str | None
    language_code: str | None
    first_name: str | None
    auth_date: int


def _secret(bot_token: str) -> bytes:
    return hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()


def _check_string(fields: dict[str, str]) -> bytes:
    return "\n".join(f"{key}={fields[key]}" for key in sorted(fields)).encode()


def sign_init_data(fields: dict[str, str], bot_token: str) -> str:
    """The initData query string for `fields` (values as text), signed with the bot's token."""
    digest = hmac.new(_secret(bot_token), _check_string(fields), hashlib.sha256).hexdigest()
    return urlencode({**fields, "hash": digest})


def validate_init_data(init_data: str | None, bot_token: str, *, max_age_seconds: float,
                       now: float | None = None) -> WebAppUser:
    """The user of a genuine, fresh initData; AuthError otherwise."""
    if not init_data:
        raise AuthError("no initData")
    if len(init_data) > MAX_INIT_DATA_CHARS:
        raise AuthError("initData too long")
    try:
        pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        raise AuthError("initData is not a query string") from None
    fields = dict(pairs)
    if len(fields) != len(pairs):
        raise AuthError("a field appears twice")
    received = fields.pop("hash", "")
    expected = hmac.new(_secret(bot_token), _check_string(fields), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected.encode(), received.encode()):
        raise AuthError("bad signature")
    try:
        auth_date = int(fields["auth_date"])
        user = json.loads(fields["user"])
        user_id = int(user["id"])
    except (KeyError, ValueError, TypeError):
        raise AuthError("no auth_date or user") from None
    now = time.time() if now is None else now
    if auth_date < now - max_age_seconds:
        raise AuthError("initData too old")
    if auth_date > now + CLOCK_SKEW_SECONDS:
        raise AuthError("initData from the future")

    def text(key: str) -> str | None:
        value = user.get(key)
        return value if isinstance(value, str) and value else None

    return WebAppUser(id=user_id, username=text("username"), language_code=text("language_code"),
                      first_name=text("first_name"), auth_date=auth_date)
