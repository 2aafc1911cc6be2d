"""Fixtures of the growth tests: a fresh database file, and referral set-ups made through the domain."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.domain import referrals
from bot.handlers import admin, balance, language, my_orders, order_flow, promo, start
from bot.handlers import referrals as referrals_feature
from bot.handlers.admin import promo as admin_promo
from bot.storage import users
from bot.storage.db import Database
from tests import dbs
from tests.chat_menu.conftest import start_menu_bot

# the `db` fixture (and its target) over both databases: SQLite and PostgreSQL (tests/dbs.py)
db, db_target = dbs.db, dbs.db_target

REFERRER = 100
FRIEND = 200



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


# --- end to end: the real bot against the fake Bot API and a fake panel ----------------------------

GROWTH_PERCENT = "10"


def growth_features() -> list:
    """The customer menu, the order flow, the admin group, and this feature's modules."""
    return [start, promo, referrals_feature, order_flow, my_orders, balance, language, admin, admin_promo]


@pytest.fixture
async def bot(tmp_path):
    """The real bot with REFERRAL_PERCENT=10, the catalogue loaded from the fake panel; admin 1 in the group."""
    env = await start_menu_bot(tmp_path / "bot", features=growth_features(), admin_ids={1},
                               settings={"shop": {"referral_percent": GROWTH_PERCENT}})
    yield env
    await env.stop()
