"""Fixtures of the payments tests: a fresh database, and the bot against the fake Bot API with Stars on."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from bot.handlers import balance, order_flow, start, topup
from tests import dbs
from tests.conftest import StartedEnvs
from tests.e2e.harness import BotEnv
from tests.fakes.telegram_records import Call
from tests.payments.stars_fake import StarsTelegram

# the `db` fixture (and its target) over both databases: SQLite and PostgreSQL (tests/dbs.py)
db, db_target = dbs.db, dbs.db_target

CUSTOMER_FEATURES = [start, topup, order_flow, balance]



RATE = "50"  # STARS_PER_UNIT in these tests: 50 Stars buy 1.00 USD
ALICE, BOB = 42, 43


def stars_env(tmp_path, *, rate: str | None = RATE, features=None, **options) -> BotEnv:
    """A BotEnv (not started) on StarsTelegram, with top-ups at `rate` (None: off)."""
    settings = {area: dict(values) for area, values in options.pop("settings", {}).items()}
    settings.setdefault("shop", {})["stars_per_unit"] = rate
    env = BotEnv(tmp_path, features=features or CUSTOMER_FEATURES, settings=settings, **options)
    env.tg = StarsTelegram()
    return env


@pytest.fixture
def make_bot(started_envs: StartedEnvs) -> Callable[..., Awaitable[BotEnv]]:
    """make_bot(**stars_env options) -> a started bot; every one is stopped after the test."""

    async def factory(**options) -> BotEnv:
        return await started_envs.start(stars_env(started_envs.folder(), **options))

    return factory


@pytest.fixture
async def bot(make_bot) -> BotEnv:
    return await make_bot()


async def reply_after(tg: StarsTelegram, mark: int, chat_id: int, methods=("sendMessage", "editMessageText"),
                      timeout: float = 5.0) -> Call:  # noqa: ASYNC109
    """The bot's first successful call of `methods` to chat_id after call number `mark`."""
    return await tg.wait_for(methods, lambda c: c.ok, chat_id=chat_id, since=mark, timeout=timeout)
