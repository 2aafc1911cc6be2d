"""Fixtures every test folder shares: a fresh database, a fake panel and a hub on it, the fake Bot API,
started bots.

Folders override a fixture by defining one of the same name (tests/panel runs `panel` once per
dialect, tests/sync adds a second panel to `hub`, tests/admin gives `make_env` its admins).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from pydantic import SecretStr

from bot.config import PanelConfig
from bot.panel.hub import PanelHub
from bot.storage.db import Database
from tests.e2e.harness import BotEnv
from tests.fakes.panel_server import FakePanel
from tests.fakes.telegram_server import FakeTelegram

# Hypothesis's default 200 ms per-example deadline measures the machine, not the property: on a loaded
# 2-core CI box, examples that touch the database or HTTP or build large inputs overrun it at random.
# Every example still runs and is checked. Loaded here, before any test module makes its @settings.
settings.register_profile("smm-bot", deadline=None)
settings.load_profile("smm-bot")


def hub_for(*panels: Any, timeout: float = 2.0, names: tuple[str, ...] = ("main", "second")) -> PanelHub:
    """A PanelHub over fake panels, with tiny retry delays so outages and failures stay fast.

    hub_for(panel, other) names them "main", "second" (or `names`); hub_for({"main": p, ...}) names them itself.
    """
    if len(panels) == 1 and isinstance(panels[0], dict):
        names, panels = tuple(panels[0]), tuple(panels[0].values())
    configs = [PanelConfig(name=name, url=p.url, key=SecretStr(p.key), timeout_seconds=timeout)
               for name, p in zip(names, panels, strict=False)]
    return PanelHub(configs, retry_delays=(0.01,))


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    """A fresh, migrated database file."""
    database = await Database.open(tmp_path / "bot.db")
    yield database
    await database.close()


@pytest.fixture
async def panel() -> AsyncIterator[FakePanel]:
    """A fake panel speaking the "folgen" dialect over real HTTP."""
    async with FakePanel(dialect="folgen", key="main-key-0123456789") as fake:
        yield fake


@pytest.fixture
async def hub(panel: FakePanel) -> AsyncIterator[PanelHub]:
    """A started PanelHub with `panel` as "main"."""
    async with hub_for(panel) as panels:
        yield panels


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    """The fake Bot API over real HTTP, for tests that run the bot themselves (a process, a served bot)."""
    async with FakeTelegram() as fake:
        yield fake


class StartedEnvs:
    """The bots one test starts, each in a folder of its own; the fixture stops every one afterwards."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.envs: list[BotEnv] = []

    def folder(self) -> Path:
        """The next bot's folder (env0, env1, ...)."""
        return self.root / f"env{len(self.envs)}"

    async def start(self, env: BotEnv) -> BotEnv:
        """Start a BotEnv built for `folder()` (and set up as the test needs); it is stopped after the test."""
        self.envs.append(env)
        return await env.start()


@pytest.fixture
async def started_envs(tmp_path: Path) -> AsyncIterator[StartedEnvs]:
    """For factories that set a BotEnv up before it starts (another fake Bot API, a forum): stopped, last first."""
    envs = StartedEnvs(tmp_path)
    yield envs
    for env in reversed(envs.envs):
        await env.stop()


@pytest.fixture
def make_env(started_envs: StartedEnvs) -> Callable[..., Awaitable[BotEnv]]:
    """make_env(**BotEnv options) -> a started BotEnv (every one stopped after the test)."""

    async def factory(**options: Any) -> BotEnv:
        return await started_envs.start(BotEnv(started_envs.folder(), **options))

    return factory
