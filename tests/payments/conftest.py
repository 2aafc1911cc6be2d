"""Fixtures of the payments tests: a fresh database, and the bot against the fake Bot API with Stars on."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.storage.db import Database


@pytest.fixture
async def db(tmp_path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "bot.db")
    yield database
    await database.close()
