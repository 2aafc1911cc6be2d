"""Keeping secrets out of logs and admin messages.

Every secret the process knows (the bot token, each panel key) is registered at start-up from
Settings; `redact()` replaces them, their URL-encoded forms, and anything shaped like a bot
token with `***`. `RedactingFilter` applies it to a log record's message, arguments, traceback
and stack; bot/telegram/logs.py installs it on the root handler so every logger is covered.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from urllib.parse import quote, quote_plus, urlsplit

from pydantic import SecretStr

from bot.config import MIN_SECRET_LENGTH, Settings, secrets_of

MASK = "***"
TOKEN_SHAPE = re.compile(r"\d+:[A-Za-z0-9_-]{30,}")

_secrets: set[str] = set()
_pattern: re.Pattern[str] | None = None


def register_secret(value: str | SecretStr | None) -> None:
    """Remember one secret (and its URL-encoded spellings) so redact() masks it."""
    global _pattern
    if isinstance(value, SecretStr):
        value = value.get_secret_value()
    if not value:
        return
    if len(value) < MIN_SECRET_LENGTH:  # load_settings refuses these; anything else registering one is a bug
        raise ValueError(f"secrets shorter than {MIN_SECRET_LENGTH} characters cannot be redacted")
    _secrets.update({value, quote(value, safe=""), quote_plus(value)})
    # longest first so a secret containing another is masked whole
    _pattern = re.compile("|".join(re.escape(s) for s in sorted(_secrets, key=len, reverse=True)))


def register_secrets(values: Iterable[str | SecretStr | None]) -> None:
    for value in values:
        register_secret(value)


def register_settings_secrets(settings: Settings) -> None:
    """Register every secret of these settings (the bot token, panel keys, the webhook secret, …)."""
    register_secrets(value for _, value in secrets_of(settings))
    if settings.storage.database_url is not None:  # DATABASE_URL's password on its own too
        register_secret(urlsplit(settings.storage.database_url.get_secret_value()).password)


def redact(text: str) -> str:
    """text with every registered secret and every token-shaped string replaced by ***."""
    if _pattern is not None:
        text = _pattern.sub(MASK, text)
    return TOKEN_SHAPE.sub(MASK, text)


class RedactingFilter(logging.Filter):
    """Redacts a record in place (message with its args, traceback text, stack); never drops it."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format/args pair: keep what we can see, redacted
            message = f"{record.msg!r} % {record.args!r}"
        record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
