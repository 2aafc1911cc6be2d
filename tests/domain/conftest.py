"""Fixtures of the domain tests: orders set up through real storage, the shared db with a catalogue loaded."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest

from bot.domain import wallet
from bot.domain.catalogue import refresh_catalogue
from bot.panel.models import OrderType
from bot.storage import ledger, order_writes
from bot.storage.db import Database
from bot.storage.ledger import LedgerKind, order_reference
from bot.storage.order_writes import NewOrder
from tests import dbs

# the `db` fixture (and its target) over both databases: SQLite and PostgreSQL (tests/dbs.py)
db, db_target = dbs.db, dbs.db_target

_panel_ids = itertools.count(1000)


async def placed_order(
    db: Database, user_id: int = 1, *, price: int = 1_000_000, quantity: int = 1000,
    type: OrderType = OrderType.DEFAULT, extras: dict | None = None, can_refill: bool = True,
    can_cancel: bool = True, panel: str = "main", status: str = "pending",
) -> int:
    """A charged order the panel accepted (credited first so the wallet never goes negative)."""
    if price:
        await wallet.credit(db, user_id, price, note="test funds")
    async with db.transaction() as conn:
        order_id = await order_writes.insert_submitting(conn, NewOrder(
            user_id=user_id, panel=panel, service_id="1", service_name="Followers", type=type,
            quantity=quantity, price=price, rate=Decimal("1.00"), rate_per=1000, markup=Decimal(0),
            link="https://example.com/p", extras=extras or {}, can_refill=can_refill, can_cancel=can_cancel,
        ))
        if price:
            await ledger.add(conn, user_id, -price, LedgerKind.ORDER_CHARGE, reference=order_reference(order_id))
        await order_writes.set_placed(conn, order_id, str(next(_panel_ids)))
        if status != "pending":
            await conn.execute("UPDATE orders SET status = ? WHERE id = ?", (status, order_id))
    return order_id


@pytest.fixture
async def shop(db, hub):
    """The database with the fake panel's catalogue loaded."""
    report = await refresh_catalogue(db, hub)
    assert report.ok, report
    return db
