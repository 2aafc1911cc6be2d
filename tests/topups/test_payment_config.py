"""The payment methods' settings: read by their documented names, off while unset, bad values one safe line."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from bot.config import ConfigError, load_settings
from bot.payments.methods import Kind, enabled_methods, problems

TOKEN = "123456:" + "A" * 35
NAMES = ("PANELS", "STARS_PER_UNIT", "CRYPTO_PAY_TOKEN", "PAYMENT_PROVIDER_TOKEN", "PAYMENT_CURRENCY", "PAYMENT_RATE",
         "MANUAL_PAYMENTS", "TOPUP_BONUS", "SHOP_CURRENCY", "CRYPTO_PAY_ASSETS")


@pytest.fixture
def env(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    for name in NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("PANEL_URL", "https://panel.example/api/v2")
    monkeypatch.setenv("PANEL_KEY", "k-secret-123")
    return monkeypatch


def _fails(name: str, secret: str | None = None) -> str:
    with pytest.raises(ConfigError) as raised:
        load_settings()
    message = str(raised.value)
    assert name in message and "\n" not in message
    assert secret is None or secret not in message
    return message


def test_everything_off_by_default(env) -> None:
    settings = load_settings()
    assert enabled_methods(settings) == [] and settings.payments.topup_bonus is None


def test_each_method_turns_on_with_its_settings(env) -> None:
    env.setenv("STARS_PER_UNIT", "50")
    env.setenv("CRYPTO_PAY_TOKEN", "1234:AAcryptoTokenValue")
    env.setenv("CRYPTO_PAY_ASSETS", "usdt, ton")
    env.setenv("PAYMENT_PROVIDER_TOKEN", "284685063:TEST:abc")
    env.setenv("PAYMENT_CURRENCY", "EUR")
    env.setenv("PAYMENT_RATE", "1.08")
    env.setenv("MANUAL_PAYMENTS", json.dumps([{"name": "UPI", "instructions": "pay to shop@upi", "currency": "INR",
                                                "rate": "0.012", "min": "2", "max": "300"}]))
    env.setenv("TOPUP_BONUS", "+5% from 50")
    settings = load_settings()
    kinds = [m.kind for m in enabled_methods(settings)]
    assert kinds == [Kind.STARS, Kind.CRYPTO, Kind.CARD, Kind.MANUAL]
    assert settings.payments.crypto_pay_assets == ("USDT", "TON")
    assert settings.payments.topup_bonus.percent == Decimal(5) and settings.payments.topup_bonus.threshold == 50
    card = enabled_methods(settings)[2]
    assert card.rate == Decimal("1.08") and card.limits.low == 1_080_000


def test_card_without_a_rate_stays_off_and_says_why(env) -> None:
    env.setenv("PAYMENT_PROVIDER_TOKEN", "284685063:TEST:abc")
    env.setenv("PAYMENT_CURRENCY", "EUR")
    settings = load_settings()
    assert enabled_methods(settings) == [] and "PAYMENT_RATE" in problems(settings)[0]
    env.setenv("PAYMENT_CURRENCY", "USD")  # the shop's own currency needs no rate
    assert [m.kind for m in enabled_methods(load_settings())] == [Kind.CARD]


def test_crypto_pay_in_an_unsupported_shop_currency_stays_off(env) -> None:
    env.setenv("CRYPTO_PAY_TOKEN", "1234:AAcryptoTokenValue")
    env.setenv("SHOP_CURRENCY", "PTS")
    settings = load_settings()
    assert enabled_methods(settings) == [] and "CRYPTO_PAY_TOKEN" in problems(settings)[0]
    env.setenv("SHOP_CURRENCY", "USDT")  # an accepted asset: invoices in the asset itself
    [method] = enabled_methods(load_settings())
    assert method.fiat is False and method.currency == "USDT"


@pytest.mark.parametrize(("name", "value"), [
    ("TOPUP_BONUS", "five percent"),
    ("MANUAL_PAYMENTS", "[{\"name\": \"Bank\"}]"),
    ("MANUAL_PAYMENTS", "not json"),
    ("CRYPTO_PAY_ASSETS", "US DT"),
    ("PAYMENT_CURRENCY", "dollars"),
    ("CRYPTO_PAY_API_URL", "ftp://x"),
])
def test_bad_values_are_one_line_naming_the_variable(env, name, value) -> None:
    env.setenv(name, value)
    _fails(name)


def test_a_provider_token_needs_its_currency_and_is_never_echoed(env) -> None:
    env.setenv("PAYMENT_PROVIDER_TOKEN", "284685063:TEST:very-secret-value")
    _fails("PAYMENT_CURRENCY", secret="very-secret-value")
