"""Fixtures of the admin tests: BotEnv factories (stopped after the test) and admin constants."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.harness import BotEnv

ADMIN = 1  # in ADMIN_IDS
OTHER_ADMIN = 2  # in ADMIN_IDS too
STRANGER = 3  # a member of the admin group, not an admin
CUSTOMER = 42


@pytest.fixture
async def make_env(tmp_path: Path) -> AsyncIterator[Callable[..., Awaitable[BotEnv]]]:
    """make_env(**BotEnv options) -> a started BotEnv with ADMIN_IDS {1, 2} unless told otherwise."""
    started: list[BotEnv] = []

    async def factory(**options: Any) -> BotEnv:
        options.setdefault("admin_ids", {ADMIN, OTHER_ADMIN})
        env = BotEnv(tmp_path / f"env{len(started)}", **options)
        started.append(env)
        return await env.start()

    yield factory
    for env in reversed(started):
        await env.stop()


@pytest.fixture
async def shop(make_env):
    """The real bot (every feature) with the fake panel's catalogue cached."""
    env = await make_env()
    await env.load_catalogue()
    return env
