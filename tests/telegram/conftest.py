"""Fixtures: a FakeTelegram and a real PTB Bot pointed at it."""

from __future__ import annotations

import pytest
from telegram import Bot

from tests.e2e.harness import _no_proxy_for_loopback
from tests.fakes.telegram_server import FakeTelegram


@pytest.fixture
async def tg():
    _no_proxy_for_loopback()
    async with FakeTelegram() as fake:
        yield fake


@pytest.fixture
async def bot(tg):
    async with Bot(tg.token, base_url=f"{tg.url}/bot") as real_bot:
        yield real_bot
