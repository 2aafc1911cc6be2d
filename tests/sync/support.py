"""Helpers of the sync tests: a notifier that records, and orders tracked on a fake panel and in SQLite."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from decimal import Decimal

from bot.domain import wallet
from bot.domain.sync_events import Alert, OrderUpdate, RefillUpdate
from bot.panel.models import OrderType
from bot.storage import ledger, order_writes, users
from bot.storage.db import Database
from bot.storage.ledger import LedgerKind, order_reference
from bot.storage.order_writes import NewOrder
from tests.fakes.panel_server import FakePanel


async def until(condition: Callable[[], bool], timeout: float = 5.0) -> None:  # noqa: ASYNC109
    """Wait until condition() holds (AssertionError after `timeout` seconds)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        await asyncio.sleep(0.01)


class RecordingNotifier:
    """A SyncNotifier that keeps everything it is handed, in order."""

    def __init__(self) -> None:
        self.orders: list[OrderUpdate] = []
        self.refills: list[RefillUpdate] = []
        self.alerts: list[Alert] = []

    async def order_update(self, update: OrderUpdate) -> None:
        self.orders.append(update)

    async def refill_update(self, update: RefillUpdate) -> None:
        self.refills.append(update)

    async def alert(self, alert: Alert) -> None:
        self.alerts.append(alert)

    def alerts_of(self, kind: type) -> list:
        return [a for a in self.alerts if isinstance(a, kind)]

    def clear(self) -> None:
        self.orders.clear()
        self.refills.clear()
        self.alerts.clear()


def _new_order(user_id: int, panel: str, service: str, quantity: int, price: int, order_type: OrderType,
               extras: dict | None, can_refill: bool, can_cancel: bool) -> NewOrder:
    return NewOrder(
        user_id=user_id, panel=panel, service_id=service, service_name="Followers <Real> & Co", type=order_type,
        quantity=quantity, price=price, rate=Decimal("1.00"), rate_per=1000, markup=Decimal(0),
        link="https://example.com/p", extras=extras or {}, can_refill=can_refill, can_cancel=can_cancel,
    )


async def track_order(
    db: Database, fake: FakePanel, panel: str = "main", *, user_id: int = 1, service: str = "1",
    quantity: int = 1000, price: int = 1_000_000, order_type: OrderType = OrderType.DEFAULT,
    extras: dict | None = None, fake_status: str = "Pending", status: str = "pending",
    can_refill: bool = True, can_cancel: bool = True, panel_order_id: str | None = None,
) -> tuple[int, str]:
    """An order the customer paid for and the fake panel holds; (our id, the panel's id).

    `panel_order_id` given: the fake panel does not know the order (it answers an error entry).
    """
    if panel_order_id is None:
        panel_order_id = fake.seed_order(service, quantity=quantity, status=fake_status)
    if price:
        await wallet.credit(db, user_id, price, note="test funds")
    async with db.transaction() as conn:
        await users.ensure(conn, user_id)
        order_id = await order_writes.insert_submitting(conn, _new_order(
            user_id, panel, service, quantity, price, order_type, extras, can_refill, can_cancel))
        if price:
            await ledger.add(conn, user_id, -price, LedgerKind.ORDER_CHARGE, reference=order_reference(order_id))
        await order_writes.set_placed(conn, order_id, panel_order_id)
        if status != "pending":
            await conn.execute("UPDATE orders SET status = ? WHERE id = ?", (status, order_id))
    return order_id, panel_order_id


async def track_many(db: Database, fake: FakePanel, panel: str, count: int, *, users_count: int = 1,
                     first_user: int = 1) -> list[tuple[int, str]]:
    """`count` free pending orders on one panel, written in one transaction (fast set-up)."""
    pairs = []
    async with db.transaction() as conn:
        for user_id in range(first_user, first_user + users_count):
            await users.ensure(conn, user_id)
        for i in range(count):
            panel_order_id = fake.seed_order("1", quantity=100)
            order_id = await order_writes.insert_submitting(conn, _new_order(
                first_user + i % users_count, panel, "1", 100, 0, OrderType.DEFAULT, None, True, True))
            await order_writes.set_placed(conn, order_id, panel_order_id)
            pairs.append((order_id, panel_order_id))
    return pairs
