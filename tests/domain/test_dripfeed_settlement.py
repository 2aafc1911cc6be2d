"""A canceled drip-feed keeps the runs delivered: over real HTTP, the fake panels report its remains
over the whole order (quantity × runs) as the refund reads them, or only its runs (doc 002)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.domain import catalogue, order_requests, ordering, statuses, wallet
from bot.domain.order_results import Placed
from bot.panel.models import OrderRequest
from bot.storage import orders
from tests.conftest import hub_for
from tests.fakes.panel_server import FakePanel


@pytest.mark.parametrize("dialect", ["folgen", "proxy"])  # proxy answers drip-feeds with runs only
async def test_a_canceled_drip_feed_refunds_only_the_runs_not_delivered(db, dialect):
    async with FakePanel(dialect=dialect) as panel, hub_for(panel) as hub:
        assert (await catalogue.refresh_catalogue(db, hub)).ok
        await wallet.credit(db, 1, 10_000_000)
        request = OrderRequest(service="1", link="https://instagram.com/p/a", quantity=100, runs=4, interval=30)
        placed = await ordering.place_order(db, hub, user_id=1, panel="main", request=request,
                                            client_token="drip", default_markup=Decimal(0))
        assert isinstance(placed, Placed)
        order = await orders.get(db.conn, placed.order_id)
        assert order.quantity == 400 and panel.orders[placed.panel_order_id].quantity == 400
        panel.set_status(placed.panel_order_id, "In progress", runs=1, remains=300)  # one run of 100 delivered
        assert isinstance(await order_requests.request_cancel(db, hub, 1, order.id), order_requests.Accepted)
        state = await hub.get("main").status(placed.panel_order_id)
        change = await statuses.apply_status(db, order.id, state)
        assert change.new_status == "canceled" and change.held is None
        assert change.refund == order.price * 3 // 4  # the delivered run is kept
        assert await wallet.check_balances(db) == []
