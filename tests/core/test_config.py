"""Settings: every variable is read by its documented name; bad input is one safe line."""

import subprocess
import sys
from typing import get_args

import pytest

from bot.config import ConfigError, OrderTypeName, load_settings
from bot.panel.models import OrderType

TOKEN = "123456:" + "A" * 35


@pytest.fixture
def env(monkeypatch, tmp_path):
    """A clean environment (no .env in the working folder) with a minimal valid config."""
    monkeypatch.chdir(tmp_path)
    for name in ("BOT_TOKEN", "PANELS", "PANEL_URL", "PANEL_KEY", "ADMIN_IDS", "ADMIN_CHAT_ID",
                 "MARKUP_PERCENT", "DATABASE_PATH", "TELEGRAM_API_URL", "DEFAULT_LOCALE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("PANEL_URL", "https://panel.example/api/v2")
    monkeypatch.setenv("PANEL_KEY", "k-secret-123")
    return monkeypatch


def test_documented_names_are_read(env):
    env.setenv("ADMIN_IDS", "1, 2,3")
    env.setenv("ADMIN_CHAT_ID", "-100123")
    env.setenv("MARKUP_PERCENT", "12.5")
    env.setenv("DATABASE_PATH", "x/y.db")
    env.setenv("TELEGRAM_API_URL", "http://127.0.0.1:8081/")
    s = load_settings()
    assert s.telegram.bot_token.get_secret_value() == TOKEN
    assert s.telegram.base_url == "http://127.0.0.1:8081/bot"
    assert [p.name for p in s.panels.panels] == ["main"]
    assert s.admin.admin_ids == {1, 2, 3} and s.admin.admin_chat_id == -100123
    assert str(s.shop.markup_percent) == "12.5"
    assert str(s.storage.database_path) == "x/y.db"
    assert s.sync.status_poll_seconds == 60 and s.shop.default_locale == "en"


def test_panels_json_list(env):
    env.delenv("PANEL_URL")
    env.delenv("PANEL_KEY")
    env.setenv("PANELS", '[{"name":"a","url":"https://a.example/api/v2","key":"key-a1"},'
                         '{"name":"b","url":"https://b.example/api/v2","key":"key-b1","timeout_seconds":5}]')
    s = load_settings()
    assert [(p.name, p.timeout_seconds) for p in s.panels.panels] == [("a", 30), ("b", 5)]
    assert "key-a1" not in repr(s.panels)


def test_a_panels_own_type_words_name_known_types(env):
    assert set(get_args(OrderTypeName)) == {t.value for t in OrderType}  # config may not import the panel
    env.delenv("PANEL_URL")
    env.delenv("PANEL_KEY")
    env.setenv("PANELS", '[{"name":"a","url":"https://a.example/api/v2","key":"key-a1",'
                         '"types":{"Views Special":"default","Ads":"unsupported"}}]')
    assert load_settings().panels.panels[0].types == {"Views Special": "default", "Ads": "unsupported"}
    env.setenv("PANELS", '[{"name":"a","url":"https://a.example/api/v2","key":"key-a1",'
                         '"types":{"Views Special":"views"}}]')
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert "PANELS" in str(caught.value) and "key-a1" not in str(caught.value)


@pytest.mark.parametrize(
    ("name", "value", "secret"),
    [
        ("BOT_TOKEN", "not-a-token-but-secret", "not-a-token-but-secret"),
        ("PANELS", '[{"name":"a","url":"ftp://x","key":"SEKRET-KEY"}]', "SEKRET-KEY"),
        ("PANELS", '[{broken json SEKRET-KEY', "SEKRET-KEY"),
        ("PANELS", '[{"name":"a","url":"https://a.example/api/v2","key":"k3y"}]', "k3y"),
        ("PANEL_KEY", "k3y", "k3y"),
        ("PANEL_KEY", "k3y4k", "k3y4k"),  # 5 characters: shorter than the redactor can hide
        ("PANELS", '[{"name":"a","url":"https://a.example/api/v2","key":"k3y4k"}]', "k3y4k"),
        ("WEBHOOK_SECRET", "short", "short"),
        ("ADMIN_IDS", "1,abc", "abc"),
        ("MARKUP_PERCENT", "lots", "lots"),
    ],
)
def test_bad_value_is_one_line_naming_the_variable(env, name, value, secret):
    if name == "PANELS":
        env.delenv("PANEL_URL")
        env.delenv("PANEL_KEY")
    env.setenv(name, value)
    with pytest.raises(ConfigError) as info:
        load_settings()
    text = str(info.value)
    assert name in text and secret not in text and "\n" not in text


def test_missing_token_and_panel(env):
    env.delenv("BOT_TOKEN")
    with pytest.raises(ConfigError, match="BOT_TOKEN"):
        load_settings()
    env.setenv("BOT_TOKEN", TOKEN)
    env.delenv("PANEL_KEY")
    with pytest.raises(ConfigError, match="PANEL"):
        load_settings()


def test_start_up_with_bad_config_prints_one_line_and_no_traceback(env, tmp_path):
    env.setenv("BOT_TOKEN", "123:short-secret-value")
    proc = subprocess.run([sys.executable, "-m", "bot"], capture_output=True, text=True, timeout=60,
                          cwd=tmp_path)
    assert proc.returncode == 2
    assert "BOT_TOKEN" in proc.stderr and "Traceback" not in proc.stderr
    assert "short-secret-value" not in proc.stderr + proc.stdout
