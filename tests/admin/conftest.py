"""Fixtures of the admin tests: BotEnv factories (stopped after the test) and admin constants."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from tests.e2e.harness import BotEnv

ADMIN = 1  # in ADMIN_IDS
OTHER_ADMIN = 2  # in ADMIN_IDS too
STRANGER = 3  # a member of the admin group, not an admin
CUSTOMER = 42


@pytest.fixture
def make_env(make_env: Callable[..., Awaitable[BotEnv]]) -> Callable[..., Awaitable[BotEnv]]:
    """The shared make_env with ADMIN_IDS {1, 2} unless told otherwise."""

    async def factory(**options: Any) -> BotEnv:
        options.setdefault("admin_ids", {ADMIN, OTHER_ADMIN})
        return await make_env(**options)

    return factory


@pytest.fixture
async def shop(make_env):
    """The real bot (every feature) with the fake panel's catalogue cached."""
    env = await make_env()
    await env.load_catalogue()
    return env
