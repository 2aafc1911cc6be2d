"""A fresh migrated database file per test."""

from __future__ import annotations

import pytest

from bot.storage.db import Database


@pytest.fixture
async def db(tmp_path):
    database = await Database.open(tmp_path / "bot.db")
    yield database
    await database.close()
