"""Fixtures of the deployment tests: the fakes, and bots served in-process that always get stopped."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from tests.deploy.served import ServedBot
from tests.fakes.panel_server import FakePanel
from tests.fakes.telegram_server import FakeTelegram


@pytest.fixture
async def panel() -> AsyncIterator[FakePanel]:
    async with FakePanel(dialect="sofia", key="deploy-panel-key-0123456789") as fake:
        yield fake


@pytest.fixture
async def served(tmp_path: Path, tg: FakeTelegram, panel: FakePanel
                 ) -> AsyncIterator[Callable[..., Awaitable[ServedBot]]]:
    """served(setup=..., telegram={...}) -> a started ServedBot (stopped after the test)."""
    bots: list[ServedBot] = []

    async def factory(**options: Any) -> ServedBot:
        bot = ServedBot(tmp_path / f"bot{len(bots)}", tg, panel, **options)
        bots.append(bot)
        return await bot.start()

    yield factory
    for bot in reversed(bots):
        await bot.close()
