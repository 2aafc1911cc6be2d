"""Fixtures for the lifecycle tests: BotEnv factories that always stop what they started."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.harness import BotEnv


@pytest.fixture
async def make_env(tmp_path: Path) -> AsyncIterator[Callable[..., Awaitable[BotEnv]]]:
    """make_env(**BotEnv options) -> a started BotEnv (stopped after the test)."""
    started: list[BotEnv] = []

    async def factory(**options: Any) -> BotEnv:
        env = BotEnv(tmp_path / f"env{len(started)}", **options)
        started.append(env)
        return await env.start()

    yield factory
    for env in reversed(started):
        await env.stop()
