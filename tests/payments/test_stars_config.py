"""STARS_PER_UNIT: read by its documented name, exact, unset or blank = top-ups off, bad values one safe line."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.config import ConfigError, load_settings

TOKEN = "123456:" + "A" * 35


@pytest.fixture
def env(monkeypatch, tmp_path):
    """A minimal valid environment without a .env file."""
    monkeypatch.chdir(tmp_path)
    for name in ("PANELS", "STARS_PER_UNIT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("PANEL_URL", "https://panel.example/api/v2")
    monkeypatch.setenv("PANEL_KEY", "k-secret-123")
    return monkeypatch


def test_unset_or_blank_means_off(env) -> None:
    assert load_settings().shop.stars_per_unit is None
    env.setenv("STARS_PER_UNIT", " ")
    assert load_settings().shop.stars_per_unit is None


def test_the_rate_is_exact(env) -> None:
    env.setenv("STARS_PER_UNIT", "76.9")
    assert load_settings().shop.stars_per_unit == Decimal("76.9")


@pytest.mark.parametrize("value", ["0", "-5.4321", "fifty-stars", "nan", "2000000.987"])
def test_bad_values_are_one_line_naming_the_variable_not_its_value(env, value) -> None:
    env.setenv("STARS_PER_UNIT", value)
    with pytest.raises(ConfigError) as raised:
        load_settings()
    message = str(raised.value)
    assert "STARS_PER_UNIT" in message and "\n" not in message
    assert len(value) < 3 or value not in message
