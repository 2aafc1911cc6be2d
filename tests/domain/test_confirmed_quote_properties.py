"""Property: a customer is never charged anything but the quote they confirmed (issue #11 item 3).

Between the confirmation card (offers.make_offer) and Confirm (ordering.place_order with the card's
quote), the admin may change the markup and the panel its rate (seen through a catalogue refresh).
Whatever happens, the customer's charges are either exactly the confirmed price or nothing, and
PriceChanged comes back exactly when the price of now differs from the confirmed one.
"""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
import pytest_asyncio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.domain import admin_catalogue, catalogue, offers, ordering, wallet
from bot.domain.order_results import Placed, PriceChanged
from bot.panel.models import OrderRequest
from bot.storage import ledger
from bot.storage.db import Database
from bot.storage.ledger import LedgerKind
from tests.conftest import hub_for
from tests.fakes.panel_server import FakePanel

USER = 7
percents = st.one_of(st.none(), st.decimals(min_value=-50, max_value=300, places=2))
rates = st.one_of(st.none(), st.sampled_from(["0.90", "0.9000", "0.91", "0.0009", "12.50", "0.899999"]))


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def world():
    async with FakePanel(dialect="folgen", balance="1000000") as panel, hub_for(panel) as hub:
        yield panel, hub


def _set_rate(panel: FakePanel, rate: str) -> None:
    for service in panel.services:
        if service["service"] == 1:
            service["rate"] = rate


async def _charged(db: Database) -> list[int]:
    """Every order charge of the customer (minor units, positive)."""
    return [-e.amount for e in await ledger.history(db.conn, USER, limit=100) if e.kind == LedgerKind.ORDER_CHARGE]


@pytest.mark.asyncio(loop_scope="module")
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=percents, after=percents, new_rate=rates, quantity=st.integers(min_value=50, max_value=10_000))
async def test_never_a_charge_other_than_the_confirmed_quote(world, before, after, new_rate, quantity):
    panel, hub = world
    _set_rate(panel, "0.90")
    with tempfile.TemporaryDirectory() as tmp:
        db = await Database.open(Path(tmp) / "bot.db")
        try:
            assert (await catalogue.refresh_catalogue(db, hub)).ok
            await wallet.credit(db, USER, 100_000_000_000)
            await admin_catalogue.set_markup(db, None, before, actor=1)
            service = await catalogue.get_service(db, "main", "1")
            request = OrderRequest(service="1", link="https://instagram.com/p/a", quantity=quantity)
            card = await offers.make_offer(db, service, request, Decimal(10))
            # meanwhile: the admin's /markup, the panel's new rate
            await admin_catalogue.set_markup(db, None, after, actor=1)
            if new_rate is not None:
                _set_rate(panel, new_rate)
                assert (await catalogue.refresh_catalogue(db, hub)).ok
            now = await offers.make_offer(db, await catalogue.get_service(db, "main", "1"), request, Decimal(10))
            result = await ordering.place_order(db, hub, user_id=USER, panel="main", request=card.request,
                                                client_token="card", default_markup=Decimal(10),
                                                confirmed=card.quote)
            charged = await _charged(db)
            if now.quote.price == card.quote.price:
                assert isinstance(result, Placed) and result.price == card.quote.price
                assert charged == [card.quote.price]
            else:
                assert result == PriceChanged(card.quote.price, now.quote.price)
                assert charged == []
                assert await db.fetchall("SELECT id FROM orders") == []
        finally:
            await db.close()
            _set_rate(panel, "0.90")
