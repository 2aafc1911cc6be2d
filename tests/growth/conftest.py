"""Fixtures of the growth tests: a fresh database file, and referral set-ups made through the domain."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.domain import referrals
from bot.storage import users
from bot.storage.db import Database

REFERRER = 100
FRIEND = 200


@pytest.fixture
async def db(tmp_path):
    database = await Database.open(tmp_path / "bot.db")
    yield database
    await database.close()


async def known_customer(db: Database, user_id: int) -> None:
    """A customer who has written to the bot before (has a users row)."""
    async with db.transaction() as conn:
        await users.touch(conn, user_id, None)


async def referred_pair(db: Database, percent: str = "10", referrer: int = REFERRER, friend: int = FRIEND) -> str:
    """`friend` arrives through `referrer`'s link with the program at `percent`; the referrer's code."""
    await referrals.set_percent(db, Decimal(percent))
    await known_customer(db, referrer)
    code = await referrals.code_for(db, referrer)
    assert await referrals.arrive(db, friend, "friend", f"ref_{code}")
    return code
