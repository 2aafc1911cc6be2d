"""Property tests: random credits, orders (with panel faults), panel answers and refunds keep the money right.

After every step: each wallet equals its ledger sum and the orders' books, no wallet is negative,
no order is refunded twice or beyond its price, every failed order is refunded in full exactly
once, a final status never changes, a held order has no refund of the bot's own, every balances row
is its ledger's sum, and every recorded order reached the panel exactly once.
One FakePanel (real HTTP) serves the whole module; each example gets a fresh database file.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
import pytest_asyncio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.domain import catalogue, ordering, reconcile, statuses, wallet
from bot.domain.errors import DomainError
from bot.panel.models import OrderRequest, OrderState, OrderStatus
from bot.storage import ledger, orders
from bot.storage.db import Database
from bot.storage.ledger import LedgerKind, order_reference
from bot.storage.orders import is_final
from tests import dbs
from tests.conftest import hub_for
from tests.fakes.panel_server import FakePanel

USERS = (1, 2)
ADD_FAULTS = (None, None, None, "error", "status_error", "http400_json_error", "html502", "http500", "drop",
              "rate_limit")
START_FUNDS = 3_000_000
REQUESTS = {  # q picks the size; some sizes are out of the service's bounds on purpose
    "default": lambda q: OrderRequest(service="1", link="https://instagram.com/p/a", quantity=q),
    "package": lambda q: OrderRequest(service="2", link="https://instagram.com/p/a"),
    "comments": lambda q: OrderRequest(service="3", link="https://instagram.com/p/a",
                                       comments=tuple(f"c{i}" for i in range(q // 40))),
    "subscription": lambda q: OrderRequest(service="15", username="someone", min=50, max=100,
                                           posts=q % 7, delay=0),
}
WORDS = [(OrderStatus.PENDING, "Pending"), (OrderStatus.IN_PROGRESS, "In progress"),
         (OrderStatus.COMPLETED, "Completed"), (OrderStatus.PARTIAL, "Partial"),
         (OrderStatus.CANCELED, "Canceled"), (OrderStatus.REFUNDED, "Refunded"), (OrderStatus.FAILED, "Fail"),
         (OrderStatus.UNKNOWN, "Weird")]

users = st.sampled_from(USERS)
picks = st.integers(min_value=0, max_value=50)
operations = st.one_of(
    st.tuples(st.just("credit"), users, st.integers(min_value=1, max_value=3_000_000)),
    st.tuples(st.just("place"), users, st.sampled_from(["a", "b", "c", "d", "e"]), st.sampled_from(sorted(REQUESTS)),
              st.integers(min_value=40, max_value=2000), st.sampled_from(ADD_FAULTS)),
    st.tuples(st.just("place_pair"), users, st.integers(min_value=50, max_value=2000)),
    st.tuples(st.just("answer"), picks, st.lists(  # one order hears several answers: repeats, out of order
        st.tuples(st.sampled_from(WORDS), st.one_of(st.none(), st.integers(min_value=0, max_value=4000))),
        min_size=1, max_size=4)),
    st.tuples(st.just("refund"), picks, st.one_of(st.none(), st.integers(min_value=1, max_value=2_000_000))),
    st.tuples(st.just("refund_unknown"), picks),
    st.tuples(st.just("resolve"), picks),
    st.tuples(st.just("settle"), picks, st.integers(min_value=0, max_value=2_000_000)),
    st.tuples(st.just("debit"), users, st.integers(min_value=1, max_value=2_000_000)),
)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def world():
    async with FakePanel(dialect="folgen", balance="1000000") as panel, hub_for(panel) as hub:
        yield panel, hub


def _drop_pending_faults(panel: FakePanel) -> None:
    # a fault meant for an `add` that never happened (no funds, repeated token...) must not hit the next one
    panel._faults.clear()


class Run:
    """One example: a fresh database and what the checks remember between steps."""

    def __init__(self, db: Database, panel: FakePanel, hub) -> None:
        self.db, self.panel, self.hub = db, panel, hub
        self.adds_before = panel.requests["add"]
        self.final_seen: dict[int, str] = {}
        self.tokens = Counter()

    async def order_ids(self) -> list[int]:
        return [row[0] for row in await self.db.fetchall("SELECT id FROM orders ORDER BY id")]

    async def pick(self, index: int):
        ids = await self.order_ids()
        return await orders.get(self.db.conn, ids[index % len(ids)]) if ids else None

    async def place(self, user: int, token: str, request: OrderRequest, fault: str | None):
        if fault:
            self.panel.inject("add", fault)
        result = await ordering.place_order(self.db, self.hub, user_id=user, panel="main", request=request,
                                            client_token=token, default_markup=Decimal("12.5"))
        _drop_pending_faults(self.panel)
        return result

    async def step(self, op: tuple) -> None:
        kind = op[0]
        try:
            if kind == "credit":
                await wallet.credit(self.db, op[1], op[2])
            elif kind == "debit":
                await wallet.debit(self.db, op[1], op[2])
            elif kind == "place":
                _, user, token, name, quantity, fault = op
                await self.place(user, token, REQUESTS[name](quantity), fault)
            elif kind == "place_pair":  # two at once, as two chats would
                _, user, quantity = op
                self.tokens[user] += 1
                request = REQUESTS["default"](quantity)
                await asyncio.gather(*(self.place(user, f"pair{self.tokens[user]}{side}", request, None)
                                       for side in "xy"))
            elif kind == "answer":
                order = await self.pick(op[1])
                for (status, word), number in op[2] if order is not None else ():
                    state = OrderState(order_id=order.panel_order_id or "?", status=status, status_raw=word,
                                       remains=number, start_count=5,
                                       posts=number % 8 if number is not None else None)
                    await statuses.apply_status(self.db, order.id, state)
                    await self.check()
            elif kind == "refund":
                order = await self.pick(op[1])
                if order is not None:
                    await reconcile.refund_order(self.db, order.id, op[2], actor=99)
            elif kind == "refund_unknown":
                order = await self.pick(op[1])
                if order is not None:
                    await reconcile.refund_unknown(self.db, order.id)
            elif kind == "settle":  # an admin settles a held final order
                order = await self.pick(op[1])
                if order is not None:
                    await reconcile.settle_held(self.db, order.id, min(op[2], order.unrefunded), actor=99)
            elif kind == "resolve":
                order = await self.pick(op[1])
                if order is not None:
                    await reconcile.resolve_unknown(self.db, order.id, f"r{order.id}")
        except DomainError:
            pass  # the rules said no (not enough money, wrong state...): fine, nothing may have moved

    async def check(self) -> None:
        db = self.db
        all_orders = [await orders.get(db.conn, i) for i in await self.order_ids()]
        for user in USERS:
            rows = await ledger.history(db.conn, user, limit=100_000)
            balance = await wallet.balance(db, user)
            assert balance == sum(r.amount for r in rows)
            assert balance >= 0
            mine = [o for o in all_orders if o.user_id == user]
            loose = sum(r.amount for r in rows if r.kind in (LedgerKind.CREDIT, LedgerKind.ADMIN_ADJUSTMENT))
            assert balance == loose - sum(o.price for o in mine) + sum(o.refunded for o in mine)
        for order in all_orders:
            rows = await ledger.by_reference(db.conn, order_reference(order.id))
            charges = [r.amount for r in rows if r.kind is LedgerKind.ORDER_CHARGE]
            refunds = [r for r in rows if r.kind is LedgerKind.REFUND]
            assert charges == ([-order.price] if order.price else [])
            assert sum(r.amount for r in refunds) == order.refunded <= order.price
            assert len([r for r in refunds if r.actor is None]) <= 1  # the bot's own refund: once at most
            if order.held:  # held for an admin: the bot moved no money for its final status
                assert is_final(order.status) and [r for r in refunds if r.actor is None] == []
            if order.status == "failed":
                assert order.refunded == order.price
            assert order.status != "submitting"
            if order.id in self.final_seen:
                assert order.status == self.final_seen[order.id]
            elif is_final(order.status):
                self.final_seen[order.id] = order.status
        assert self.panel.requests["add"] - self.adds_before == len(all_orders)  # each sent exactly once
        assert await wallet.check_balances(db) == []  # every balances row is its ledger's sum


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize("kind", dbs.DB_KINDS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(operations, min_size=8, max_size=30))
async def test_money_invariants_hold_for_any_sequence(world, kind, steps):
    panel, hub = world
    with tempfile.TemporaryDirectory() as folder:
        async with dbs.fresh_target(kind, Path(folder)) as target:
            db = await Database.open(target)
            try:
                assert (await catalogue.refresh_catalogue(db, hub)).ok
                run = Run(db, panel, hub)
                for user in USERS:
                    await wallet.credit(db, user, START_FUNDS)
                for op in steps:
                    await run.step(op)
                    await run.check()
            finally:
                await db.close()
