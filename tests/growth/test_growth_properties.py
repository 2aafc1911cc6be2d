"""Property tests: random arrivals, orders, panel answers, refunds, percents and promo codes keep the books right.

After every step: each wallet equals its ledger sum and equals what the other tables say it
should hold (credits, promo redemptions, commissions, prices and refunds); a final order of a
referred customer pays exactly percent × what it kept, credited at most once; an open order
pays nothing; a promo code is never used beyond its limit nor twice by one customer; nobody
is attached twice, to themselves, or in a loop. Each example gets a fresh database file.
"""

from __future__ import annotations

import asyncio
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.domain import promo, reconcile, referrals, statuses, wallet
from bot.domain.errors import DomainError
from bot.domain.promo import PromoSpec
from bot.panel.models import OrderState, OrderStatus
from bot.storage import ledger, orders
from bot.storage import referrals as store
from bot.storage.db import Database
from bot.storage.ledger import LedgerKind, order_reference
from tests import dbs
from tests.domain.conftest import placed_order
from tests.growth.conftest import known_customer

USERS = (1, 2, 3, 4, 5, 6)
CODES = ("ALPHA", "BETA", "GAMMA")
STATUSES = (OrderStatus.IN_PROGRESS, OrderStatus.COMPLETED, OrderStatus.PARTIAL, OrderStatus.CANCELED,
            OrderStatus.REFUNDED, OrderStatus.FAILED)

users = st.sampled_from(USERS)
picks = st.integers(min_value=0, max_value=30)
operations = st.one_of(
    st.tuples(st.just("join"), users, users),
    st.tuples(st.just("touch"), users),
    st.tuples(st.just("credit"), users, st.integers(min_value=1, max_value=5_000_000)),
    st.tuples(st.just("order"), users, st.integers(min_value=0, max_value=3_000_001),
              st.integers(min_value=1, max_value=1000), st.booleans()),
    st.tuples(st.just("answer"), picks, st.sampled_from(STATUSES), st.integers(min_value=0, max_value=1200)),
    st.tuples(st.just("refund"), picks, st.one_of(st.none(), st.integers(min_value=1, max_value=3_000_000))),
    st.tuples(st.just("refund_unknown"), picks),
    st.tuples(st.just("percent"), st.sampled_from(["0", "5", "10", "12.5", "33.333", "100"])),
    st.tuples(st.just("promo_add"), st.sampled_from(CODES), st.integers(min_value=1, max_value=2_000_000),
              st.one_of(st.none(), st.integers(min_value=1, max_value=4))),
    st.tuples(st.just("redeem"), users, st.sampled_from(CODES)),
    st.tuples(st.just("burst"), st.sampled_from(CODES), st.lists(users, min_size=2, max_size=8)),
)


class Run:
    """One example: a fresh database and who was attached to whom, as first seen."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.attached: dict[int, int] = {}

    async def pick(self, index: int):
        ids = [row[0] for row in await self.db.fetchall("SELECT id FROM orders ORDER BY id")]
        return await orders.get(self.db.conn, ids[index % len(ids)]) if ids else None

    async def step(self, op: tuple) -> None:
        kind, db = op[0], self.db
        try:
            if kind == "join":
                _, user, via = op
                if await db.fetchone("SELECT 1 FROM users WHERE id = ?", (via,)):
                    await referrals.arrive(db, user, None, "ref_" + await referrals.code_for(db, via))
            elif kind == "touch":
                await known_customer(db, op[1])
            elif kind == "credit":
                await wallet.credit(db, op[1], op[2])
            elif kind == "order":
                _, user, price, quantity, unknown = op
                await known_customer(db, user)  # placed_order credits (and so creates) only a priced order's owner
                await placed_order(db, user, price=price, quantity=quantity,
                                   status="unknown" if unknown else "pending")
            elif kind == "answer":
                order = await self.pick(op[1])
                if order is not None:
                    state = OrderState(order_id="x", status=op[2], status_raw=op[2].value, remains=op[3])
                    await statuses.apply_status(db, order.id, state)
            elif kind == "refund":
                order = await self.pick(op[1])
                if order is not None:
                    await reconcile.refund_order(db, order.id, op[2], actor=99)
            elif kind == "refund_unknown":
                order = await self.pick(op[1])
                if order is not None:
                    await reconcile.refund_unknown(db, order.id, actor=99)
            elif kind == "percent":
                await referrals.set_percent(db, Decimal(op[1]))
            elif kind == "promo_add":
                await promo.create(db, PromoSpec(op[1], op[2], op[3]), actor=99)
            elif kind == "redeem":
                await promo.redeem(db, op[1], op[2])
            elif kind == "burst":  # several chats at once
                await asyncio.gather(*(promo.redeem(db, user, op[1]) for user in op[2]))
        except DomainError:
            pass  # the rules said no: nothing may have moved

    async def check(self) -> None:
        db = self.db
        all_orders = [await orders.get(db.conn, row[0]) for row in await db.fetchall("SELECT id FROM orders")]
        settled = {c["order_id"]: c for c in await db.fetchall("SELECT * FROM referral_commissions")}
        for row in await db.fetchall("SELECT user_id, referrer_id FROM referrals"):
            user, referrer = row
            assert self.attached.setdefault(user, referrer) == referrer  # once and forever
            assert not await store.in_upline(db.conn, referrer, user)  # no self-referral, no loop
        for user in USERS:
            rows = await ledger.history(db.conn, user, limit=100_000)
            balance = await wallet.balance(db, user)
            assert balance == sum(r.amount for r in rows)
            loose = sum(r.amount for r in rows if r.kind in (LedgerKind.CREDIT, LedgerKind.ADMIN_ADJUSTMENT))
            mine = [o for o in all_orders if o.user_id == user]
            promos = (await promo.redemption_totals(db, user))[1]
            earned = sum(c["amount"] for c in settled.values() if c["referrer_id"] == user)
            assert balance == loose + promos + earned - sum(o.price for o in mine) + sum(o.refunded for o in mine)
        for order in all_orders:
            rows = [r for r in await ledger.by_reference(db.conn, order_reference(order.id))
                    if r.kind is LedgerKind.REFERRAL]
            referrer = self.attached.get(order.user_id)
            # held for an admin (a final answer that did not say what it kept): nothing settles until it is
            if not order.is_final or order.held or referrer is None:
                assert rows == [] and order.id not in settled
                continue
            if order.id not in settled:
                assert rows == [] and order.price == order.refunded  # kept nothing, so nothing to settle
                continue
            commission = settled[order.id]
            assert commission["spent"] == order.price - order.refunded
            assert commission["amount"] == referrals.commission_amount(commission["spent"],
                                                                       Decimal(commission["percent"]))
            assert sum(r.amount for r in rows) == commission["amount"]
            assert len([r for r in rows if r.amount > 0]) <= 1 and all(r.user_id == referrer for r in rows)
        for code in await db.fetchall("SELECT id, uses, max_uses FROM promo_codes"):
            used = await db.fetchone("SELECT COUNT(*), COUNT(DISTINCT user_id) FROM promo_redemptions "
                                     "WHERE promo_id = ?", (code["id"],))
            assert code["uses"] == used[0] == used[1]
            assert code["max_uses"] is None or code["uses"] <= code["max_uses"]


@pytest.mark.parametrize("kind", dbs.DB_KINDS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(operations, min_size=8, max_size=30))
async def test_books_hold_for_any_sequence(kind, steps):
    with tempfile.TemporaryDirectory() as folder:
        async with dbs.fresh_target(kind, Path(folder)) as target:
            db = await Database.open(target)
            try:
                await known_customer(db, USERS[0])
                await referrals.set_percent(db, Decimal(10))
                run = Run(db)
                for user, via in ((2, 1), (3, 1), (4, 2)):  # a small tree to start from; 5 and 6 may join later
                    await run.step(("join", user, via))
                for op in steps:
                    await run.step(op)
                    await run.check()
            finally:
                await db.close()
