"""Property: whatever each provider of a route does, an order is placed at most once, charged its
confirmed price exactly once, and refunded exactly as a single-provider order would be."""

from __future__ import annotations

import socket
import tempfile
from pathlib import Path

import pytest
import pytest_asyncio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import SecretStr

from bot.config import PanelConfig
from bot.domain import catalogue, ordering, wallet
from bot.domain.order_results import Placed, Refused, Unknown
from bot.domain.refunds import share_of_price
from bot.domain.sync import StatusSync
from bot.panel.hub import PanelHub
from bot.storage import ledger, orders
from bot.storage.db import Database
from bot.storage.ledger import LedgerKind, order_reference
from bot.storage.routes import Member
from tests.fakes.panel_server import FakePanel
from tests.routing.conftest import DIALECTS, FOLLOWERS, MARKUP, REQUEST, catalogue_of, make_route
from tests.sync.support import RecordingNotifier

FUNDS = 50_000_000
RATES = {name: rate for name, (_, rate) in FOLLOWERS.items()}
# what a provider does with its one `add`; the three kinds the model below treats alike
FAIL_OVER = {"funds": "Not enough funds on balance", "gone": "Incorrect service ID", "conn_refused": None}
CUSTOMER_FAULT = {"bad_link": "Incorrect link", "other": "Something went wrong, contact support"}
UNCLEAR = ("hang", "html502", "drop", "http500")  # the panel acted, its answer is lost
BEHAVIOURS = ["accept", "accept", "accept", *FAIL_OVER, *FAIL_OVER, *CUSTOMER_FAULT, *UNCLEAR]  # weighted


def _dead_url() -> str:
    """A loopback URL where nothing listens: the connection is refused before anything is sent."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/api/v2"


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def world():
    fakes = {name: FakePanel(dialect=DIALECTS[name], key=f"{name}-key-0123456789", services=catalogue_of(name),
                             balance="1000000", hang_seconds=1.0) for name in FOLLOWERS}
    for fake in fakes.values():
        await fake.start()
    yield fakes, _dead_url()
    for fake in fakes.values():
        await fake.stop()


def _cost(name: str) -> int:
    return int(float(RATES[name]) * 1_000_000)  # per 1000, for 1000 units: exact for these rates


def expected(route: list[str], policy: str, allow_loss: bool, acts: dict[str, str]) -> tuple[str, str | None]:
    """The model: which outcome, and on which provider the order ends (None when refused)."""
    price = round(_cost(route[0]) * 1.1)
    usable = [p for p in route if allow_loss or _cost(p) <= price]
    if policy == "cheapest":
        usable.sort(key=lambda p: (_cost(p), route.index(p)))
    for panel in usable:
        act = acts[panel]
        if act == "accept":
            return "placed", panel
        if act in UNCLEAR:
            return "unknown", panel
        if act in CUSTOMER_FAULT:
            return "refused", None
    return "refused", None


@pytest.mark.asyncio(loop_scope="module")
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(route=st.permutations(list(FOLLOWERS)), policy=st.sampled_from(["priority", "cheapest"]),
       allow_loss=st.booleans(), acts=st.fixed_dictionaries({n: st.sampled_from(BEHAVIOURS) for n in FOLLOWERS}),
       remains=st.integers(0, 1000))
async def test_any_provider_behaviour_places_at_most_once_and_charges_the_confirmed_price(
        world, route, policy, allow_loss, acts, remains):
    fakes, dead = world
    for fake in fakes.values():
        fake._faults.clear()
    configs = [PanelConfig(name=name, url=dead if acts[name] == "conn_refused" else fake.url,
                           key=SecretStr(fake.key), timeout_seconds=0.3) for name, fake in fakes.items()]
    adds_before = {n: f.requests["add"] for n, f in fakes.items()}
    orders_before = {n: set(f.orders) for n, f in fakes.items()}
    async with PanelHub(configs, retry_delays=(0.01,)) as hub:
        with tempfile.TemporaryDirectory() as folder:
            db = await Database.open(Path(folder) / "bot.db")
            try:
                async with PanelHub([c.model_copy(update={"url": fakes[c.name].url}) for c in configs]) as reader:
                    assert (await catalogue.refresh_catalogue(db, reader)).ok  # every catalogue, read first
                arm(fakes, acts)
                await make_route(db, hub, policy=policy, allow_loss=allow_loss,
                                 members=[Member(n, FOLLOWERS[n][0]) for n in route])
                await wallet.credit(db, 1, FUNDS)
                face = route[0]
                result = await ordering.place_order(
                    db, hub, user_id=1, panel=face, request=REQUEST.model_copy(update={"service": FOLLOWERS[face][0]}),
                    client_token="prop", default_markup=MARKUP)
                await _check(db, hub, fakes, adds_before, orders_before, route, policy, allow_loss, acts, remains,
                             result)
            finally:
                await db.close()


def arm(fakes, acts) -> None:
    """Make each fake's next `add` behave as drawn."""
    for name, act in acts.items():
        message = FAIL_OVER.get(act) or CUSTOMER_FAULT.get(act)
        if message:
            fakes[name].inject("add", "error", message=message)
        elif act in UNCLEAR:
            fakes[name].inject("add", act, before=False)


async def _check(db, hub, fakes, adds_before, orders_before, route, policy, allow_loss, acts, remains, result):
    sent = {n: f.requests["add"] - adds_before[n] for n, f in fakes.items()}
    created = {n: set(f.orders) - orders_before[n] for n, f in fakes.items()}
    assert all(count <= 1 for count in sent.values()), sent  # each provider at most once
    maybe_placed = [n for n in fakes if sent[n] and acts[n] in ("accept", *UNCLEAR)]
    assert len(maybe_placed) <= 1, (acts, sent)  # at most one add that could have placed it
    assert sum(len(c) for c in created.values()) <= 1
    outcome, holder = expected(route, policy, allow_loss, acts)
    order = await orders.get(db.conn, result.order_id) if result.order_id is not None else None
    assert order is not None
    price = order.price
    assert price == round(_cost(route[0]) * 1.1)  # the confirmed price, whichever provider took it
    money = [(e.kind, e.amount) for e in await ledger.by_reference(db.conn, order_reference(order.id))]
    if outcome == "placed":
        assert isinstance(result, Placed), (acts, result)
        assert (order.panel, order.status) == (holder, "pending")
        assert created[holder] == {order.panel_order_id}
        assert money == [(LedgerKind.ORDER_CHARGE, -price)]
        fakes[holder].set_status(order.panel_order_id, "Partial", remains=remains)
        await StatusSync(concurrency=1, miss_alert=3, poll_seconds=60).run_cycle(db, hub, RecordingNotifier())
        order = await orders.get(db.conn, order.id)
        refund = share_of_price(price, remains, 1000)  # what a single-provider order gets back
        assert order.refunded == refund
        rows = [(e.kind, e.amount) for e in await ledger.by_reference(db.conn, order_reference(order.id))]
        assert rows == [(LedgerKind.ORDER_CHARGE, -price)] + ([(LedgerKind.REFUND, refund)] if refund else [])
        assert await wallet.balance(db, 1) == FUNDS - price + refund
    elif outcome == "unknown":
        assert isinstance(result, Unknown), (acts, result)
        assert (order.panel, order.status, order.refunded) == (holder, "unknown", 0)
        assert money == [(LedgerKind.ORDER_CHARGE, -price)]
    else:
        assert isinstance(result, Refused), (acts, result)
        assert (order.status, order.refunded) == ("failed", price)
        assert money == [(LedgerKind.ORDER_CHARGE, -price), (LedgerKind.REFUND, price)]
        assert await wallet.balance(db, 1) == FUNDS
        assert not any(created.values())
