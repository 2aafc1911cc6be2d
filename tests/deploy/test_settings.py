"""Deployment settings: WEBHOOK_* and SHUTDOWN_GRACE_SECONDS by their documented names, safe error lines."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from bot.config import ConfigError, load_settings

TOKEN = "123456:" + "A" * 35
SECRET = "Sup3r-secret_webhook-token"
NAMES = ("WEBHOOK_URL", "WEBHOOK_LISTEN", "WEBHOOK_PORT", "WEBHOOK_SECRET", "SHUTDOWN_GRACE_SECONDS")


@pytest.fixture
def env(monkeypatch, tmp_path):
    """A clean environment (no .env in the working folder) with a minimal valid config."""
    monkeypatch.chdir(tmp_path)
    for name in (*NAMES, "PANELS", "DATABASE_PATH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("PANEL_URL", "https://panel.example/api/v2")
    monkeypatch.setenv("PANEL_KEY", "k-secret-123")
    return monkeypatch


def test_polling_by_default(env) -> None:
    tg = load_settings().telegram
    assert tg.webhook_url is None and tg.webhook_secret is None and tg.webhook_path == ""
    assert (tg.webhook_listen, tg.webhook_port, tg.shutdown_grace_seconds) == ("0.0.0.0", 8080, 30)


def test_webhook_variables_are_read(env) -> None:
    env.setenv("WEBHOOK_URL", "https://bot.example.com/tg/updates/")
    env.setenv("WEBHOOK_LISTEN", "127.0.0.1")
    env.setenv("WEBHOOK_PORT", "8443")
    env.setenv("WEBHOOK_SECRET", SECRET)
    env.setenv("SHUTDOWN_GRACE_SECONDS", "12.5")
    tg = load_settings().telegram
    assert tg.webhook_url == "https://bot.example.com/tg/updates/" and tg.webhook_path == "/tg/updates"
    assert (tg.webhook_listen, tg.webhook_port, tg.shutdown_grace_seconds) == ("127.0.0.1", 8443, 12.5)
    assert tg.webhook_secret.get_secret_value() == SECRET and SECRET not in repr(tg)


@pytest.mark.parametrize(("name", "value", "message"), [
    ("WEBHOOK_SECRET", "short-Secret", "WEBHOOK_SECRET: must be 16 to 256 characters"),
    ("WEBHOOK_SECRET", "has spaces and $ymbols in it!", "WEBHOOK_SECRET: must be 16 to 256 characters"),
    ("WEBHOOK_URL", "https://bot.example.com/hook?token=abcdef123456", "WEBHOOK_URL: must be an http(s) URL"),
    ("WEBHOOK_URL", "ftp://bot.example.com/hook", "WEBHOOK_URL: must be an http(s) URL"),
    ("WEBHOOK_PORT", "99999", "WEBHOOK_PORT:"),
    ("SHUTDOWN_GRACE_SECONDS", "-1", "SHUTDOWN_GRACE_SECONDS:"),
])
def test_bad_values_are_one_line_without_the_value(env, name, value, message) -> None:
    env.setenv("WEBHOOK_URL", "https://bot.example.com/hook")
    env.setenv("WEBHOOK_SECRET", SECRET)
    env.setenv(name, value)
    with pytest.raises(ConfigError) as info:
        load_settings()
    text = str(info.value)
    assert text.startswith(f"Configuration error: {message}") and "\n" not in text
    assert value not in text and SECRET not in text


def test_webhook_without_its_secret_refuses_to_start(tmp_path) -> None:
    env = {"PATH": os.environ.get("PATH", ""), "BOT_TOKEN": TOKEN, "PANEL_URL": "https://panel.example/api/v2",
           "PANEL_KEY": "k-secret-123", "WEBHOOK_URL": "https://bot.example.com/hook"}
    result = subprocess.run([sys.executable, "-m", "bot"], cwd=tmp_path, env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "Configuration error: WEBHOOK_SECRET: required when WEBHOOK_URL is set (Telegram sends it with every update)"]
