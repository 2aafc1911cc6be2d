"""The sweep over the bot's Star transactions: records what was missed, once, and remembers how far it read."""

from __future__ import annotations

from decimal import Decimal

from bot.domain import wallet
from bot.domain.payments import (
    SWEEP_OVERLAP,
    SWEEP_PAGE,
    StarsIncome,
    issue_invoice,
    quote_stars,
    sweep_payments,
)
from bot.storage import payments as store
from bot.storage.db import Database

ALICE = 42


class Transactions:
    """getStarTransactions, chronological; records each (offset, limit) asked."""

    def __init__(self) -> None:
        self.items: list[StarsIncome | None] = []
        self.asked: list[tuple[int, int]] = []

    async def __call__(self, offset: int, limit: int) -> list[StarsIncome | None]:
        self.asked.append((offset, limit))
        return self.items[offset:offset + limit]


async def test_missed_payments_are_recorded_once_and_the_cursor_advances(db: Database) -> None:
    telegram = Transactions()
    invoices = [await issue_invoice(db, ALICE, quote_stars(100, Decimal(50))) for _ in range(3)]
    telegram.items = [None] * 150  # withdrawals and the like
    telegram.items += [StarsIncome(f"ch-{n}", ALICE, inv.payload, 100) for n, inv in enumerate(invoices)]
    found = await sweep_payments(db, telegram)
    assert [r.payment.charge_id for r in found] == ["ch-0", "ch-1", "ch-2"]
    assert telegram.asked == [(0, SWEEP_PAGE), (SWEEP_PAGE, SWEEP_PAGE)]
    assert await store.swept(db.conn) == 153 and await wallet.balance(db, ALICE) == 6_000_000

    telegram.asked.clear()
    assert await sweep_payments(db, telegram) == []  # nothing new: nothing credited again
    assert telegram.asked[0] == (153 - SWEEP_OVERLAP, SWEEP_PAGE)
    assert await wallet.balance(db, ALICE) == 6_000_000
