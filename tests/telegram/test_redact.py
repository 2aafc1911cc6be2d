"""Secrets never reach a log line: message, arguments, tracebacks and stacks are all redacted."""

from __future__ import annotations

import io
import logging

import pytest
from pydantic import SecretStr

from bot.config import load_settings, secrets_of
from bot.telegram.logs import configure_logging
from bot.telegram.redact import RedactingFilter, redact, register_secret, register_settings_secrets

TOKEN = "123456789:AAFakeTokenForRedactionTests_abcdefgh"
PANEL_KEY = "pk_live_9f8e7d6c5b4a39281706"


@pytest.fixture(autouse=True)
def _secrets() -> None:
    settings = load_settings(
        telegram={"bot_token": TOKEN},
        panels={"panels": [{"name": "main", "url": "https://panel.example/api/v2", "key": PANEL_KEY}],
                "panel_url": None, "panel_key": None},
    )
    register_settings_secrets(settings)


@pytest.fixture
def captured():
    """A logger whose handler has the filter, as configure_logging sets up the root handler."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter())
    logger = logging.getLogger("tests.redact")
    logger.addHandler(handler)
    logger.propagate = False
    yield logger, stream
    logger.removeHandler(handler)


def test_redact_replaces_registered_secrets_and_token_shapes() -> None:
    other = "5550001:ZZZyyyXXXwwwVVVuuuTTTsssRRRqqqPPP"
    text = f"key={PANEL_KEY}&url=https://api.telegram.org/bot{TOKEN}/getMe other={other}"
    assert redact(text) == "key=***&url=https://api.telegram.org/bot***/getMe other=***"


def test_url_encoded_secret_is_redacted() -> None:
    register_secret(SecretStr("k3y/with+special=chars"))
    assert redact("key=k3y%2Fwith%2Bspecial%3Dchars and k3y%2Fwith%2Bspecial%3Dchars") == "key=*** and ***"


def test_short_values_cannot_be_registered() -> None:
    with pytest.raises(ValueError):
        register_secret("abcde")  # load_settings refuses such secrets before anything registers them


def test_every_secret_setting_is_registered_whatever_its_name(monkeypatch, tmp_path) -> None:
    """The redactor walks the settings for SecretStr: a secret a new feature adds is covered without a list."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BOT_TOKEN", "123456:" + "A" * 35)
    monkeypatch.setenv("PANELS", '[{"name":"a","url":"https://a.example/api/v2","key":"key-number-one"},'
                                 '{"name":"b","url":"https://b.example/api/v2","key":"k6-two"}]')
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example/hook")
    monkeypatch.setenv("WEBHOOK_SECRET", "hook-secret-0123456789")
    settings = load_settings()
    assert {name for name, _ in secrets_of(settings)} >= {"BOT_TOKEN", "PANELS", "WEBHOOK_SECRET"}
    register_settings_secrets(settings)
    assert redact("k6-two key-number-one hook-secret-0123456789") == "*** *** ***"


def test_secret_in_message_and_args(captured) -> None:
    logger, stream = captured
    logger.warning(f"inline {PANEL_KEY}")
    logger.warning("as argument %s and %r", TOKEN, {"key": PANEL_KEY})
    out = stream.getvalue()
    assert PANEL_KEY not in out and TOKEN not in out
    assert "inline ***" in out and "as argument *** and {'key': '***'}" in out


def test_secret_in_exception_traceback(captured) -> None:
    logger, stream = captured

    def call_panel(key: str) -> None:
        raise ConnectionError(f"POST https://panel.example/api/v2 key={key} token={TOKEN}")

    try:
        call_panel(PANEL_KEY)
    except ConnectionError:
        logger.exception("panel call failed")
    out = stream.getvalue()
    assert "Traceback (most recent call last)" in out and "ConnectionError: POST" in out
    assert PANEL_KEY not in out and TOKEN not in out


def test_secret_in_stack_info(captured) -> None:
    logger, stream = captured
    logger.error("with stack %s", PANEL_KEY, stack_info=True)
    assert PANEL_KEY not in stream.getvalue() and "Stack (most recent call last)" in stream.getvalue()


def test_broken_format_args_are_still_redacted_not_raised(captured) -> None:
    logger, stream = captured
    logger.error("two placeholders %s %s", PANEL_KEY)
    out = stream.getvalue()
    assert PANEL_KEY not in out and "two placeholders" in out


def test_configure_logging_one_redacted_line_per_event() -> None:
    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    stream = io.StringIO()
    try:
        configure_logging("info", stream=stream)
        log = logging.getLogger("bot.some.module")
        try:
            raise ValueError(f"bad key {PANEL_KEY}\nsecond line")
        except ValueError:
            log.exception("failed for %s", TOKEN)
        log.debug("hidden at INFO")
        logging.getLogger("httpx").info("HTTP Request: POST https://x/bot%s/getUpdates", TOKEN)
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in saved_handlers:
            root.addHandler(handler)
        root.setLevel(saved_level)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1, lines
    assert " ERROR bot.some.module: failed for ***\\nTraceback" in lines[0]
    assert "bad key ***\\nsecond line" in lines[0]
    assert PANEL_KEY not in lines[0] and TOKEN not in lines[0]
