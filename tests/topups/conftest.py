"""Fixtures of the payment-method tests: the bot with Crypto Pay (a FakeCryptoPay), cards and manual transfers on."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest

from bot.handlers import admin, balance, order_flow, start, topup, topup_methods
from bot.handlers.admin import stars as admin_stars
from tests import dbs
from tests.conftest import StartedEnvs
from tests.e2e.harness import BotEnv
from tests.fakes.cryptopay_server import FakeCryptoPay
from tests.topups.pay_fake import PayTelegram

# the `db` fixture (and its target) over both databases: SQLite and PostgreSQL (tests/dbs.py)
db, db_target = dbs.db, dbs.db_target

FEATURES = [start, topup, topup_methods, order_flow, balance, admin, admin_stars]
ALICE, BOB = 42, 43
ADMIN1, ADMIN2 = 901, 902
PROVIDER_TOKEN = "284685063:TEST:FakeProviderToken123"
MANUAL = [{"name": "Bank", "instructions": "IBAN DE00 1234 5678 (Shop Ltd)", "currency": "EUR", "rate": "1.25",
           "min": "5", "max": "500"}]


@pytest.fixture
async def cryptopay() -> AsyncIterator[FakeCryptoPay]:
    async with FakeCryptoPay() as server:
        yield server


def pay_settings(cryptopay: FakeCryptoPay | None, **extra) -> dict:
    values = {"payment_provider_token": PROVIDER_TOKEN, "payment_currency": "RUB", "payment_rate": "0.0105",
              "payment_min": "100", "payment_max": "100000", "manual_payments": json.loads(json.dumps(MANUAL)),
              "topup_bonus": None}
    if cryptopay is not None:
        values.update(crypto_pay_token=cryptopay.token, crypto_pay_api_url=cryptopay.url, crypto_pay_poll_seconds=1,
                      crypto_pay_webhook_port=0)
    values.update(extra)
    return values


@pytest.fixture
def make_bot(started_envs: StartedEnvs, cryptopay) -> Callable[..., Awaitable[BotEnv]]:
    """make_bot(stars=None, **payment settings) -> a started bot on PayTelegram with admins ADMIN1, ADMIN2."""

    async def factory(*, stars: str | None = None, crypto: bool = True, shop: dict | None = None, **extra) -> BotEnv:
        settings = {"shop": {"stars_per_unit": stars, **(shop or {})},
                    "payments": pay_settings(cryptopay if crypto else None, **extra)}
        env = BotEnv(started_envs.folder(), features=FEATURES, settings=settings, admin_ids={ADMIN1, ADMIN2})
        env.tg = PayTelegram()
        return await started_envs.start(env)

    return factory


@pytest.fixture
async def bot(make_bot) -> BotEnv:
    return await make_bot()


def webhook_url(env: BotEnv) -> str:
    from bot.handlers.topup_methods.crypto import SERVER_KEY

    server = env.app.bot_data[SERVER_KEY]
    return f"http://127.0.0.1:{server.port}{env.settings.payments.crypto_pay_webhook_path}"
