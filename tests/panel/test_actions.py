"""Every action against the stateful fake panel over real HTTP, in every dialect."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.panel import (
    CancelResult,
    EntryError,
    OrderRequest,
    OrderStatus,
    OrderType,
    PanelRefused,
    RefillStatus,
    RefusalKind,
)
from bot.panel.order_types import build_add_params, expected_charge
from tests.fakes.panel_catalogue import DEFAULT_SERVICES, UNKNOWN_TYPE_SERVICE
from tests.fakes.panel_server import FakePanel
from tests.panel.sample_requests import LINK, ORDERABLE, REQUESTS


def test_every_order_type_has_a_request_and_a_service() -> None:
    assert set(REQUESTS) == set(OrderType) - {OrderType.UNSUPPORTED}
    assert len(DEFAULT_SERVICES) >= len(OrderType) - 1


async def test_services_normalise_every_dialect(panel: FakePanel, client) -> None:
    panel.services = [*DEFAULT_SERVICES, UNKNOWN_TYPE_SERVICE]
    services = await client.services()
    assert [s.id for s in services] == [str(s["service"]) for s in panel.services]
    assert {s.type for s in services} == set(OrderType)
    by_id = {s.id: s for s in services}
    assert by_id["1"].rate == Decimal("0.90") and type(by_id["1"].rate) is Decimal
    assert (by_id["1"].min, by_id["1"].max) == (50, 10000)
    assert by_id["1"].dripfeed and by_id["1"].refill and by_id["1"].cancel
    assert not by_id["2"].refill and not by_id["2"].cancel
    assert by_id["1"].name == "Instagram Followers <Real> & Active"  # kept raw; escaping is the renderer's job
    assert by_id["19"].type is OrderType.UNSUPPORTED  # an unknown type is never guessed; its word is kept
    assert by_id["19"].type_raw.lower().replace("_", " ") == "views special"
    assert all(s.panel == "main" for s in services)


@pytest.mark.parametrize("order_type", ORDERABLE, ids=lambda t: t.value)
async def test_add_every_order_type(panel: FakePanel, client, order_type: OrderType) -> None:
    request = REQUESTS[order_type]
    before = panel.panel_balance
    order_id = await client.add(request)
    order = panel.orders[order_id]
    sent = {k: v for k, v in panel.calls[-1].form.items() if k != "action"}
    assert sent == build_add_params(request)  # exactly the type's fields reached the panel
    svc = next(s for s in DEFAULT_SERVICES if str(s["service"]) == request.service)
    want = expected_charge(Decimal(svc["rate"]), request).quantize(Decimal("0.00001"))
    assert order.charge == want
    assert panel.panel_balance == before - want
    state = await client.status(order_id)
    expected = OrderStatus.ACTIVE if order_type is OrderType.SUBSCRIPTIONS else OrderStatus.PENDING
    assert state.status is expected


async def test_add_checks_the_request_before_sending(panel: FakePanel, client) -> None:
    from bot.panel import InvalidOrder

    with pytest.raises(InvalidOrder) as caught:
        await client.add(OrderRequest(service="3", type=OrderType.CUSTOM_COMMENTS, link=LINK))
    assert (caught.value.field, caught.value.code, caught.value.panel) == ("comments", "missing", "main")
    assert panel.requests["add"] == 0


async def test_status_single_and_multi(panel: FakePanel, client) -> None:
    first = await client.add(REQUESTS[OrderType.COMMENT_LIKES])
    second = await client.add(REQUESTS[OrderType.POLL])
    panel.set_status(first, "Partial", remains=7, start_count=3572)
    panel.set_status(second, "In progress", remains=40)
    single = await client.status(first)
    assert (single.status, single.remains, single.start_count) == (OrderStatus.PARTIAL, 7, 3572)
    assert single.status.is_final and single.currency == "USD"
    many = await client.statuses([first, second, "999999"])
    assert many[first].status is OrderStatus.PARTIAL
    assert many[second].status is OrderStatus.IN_PROGRESS and many[second].remains == 40
    assert isinstance(many["999999"], EntryError) and many["999999"].message == "Incorrect order ID"
    assert panel.requests["status"] == 1 and panel.requests["status_multi"] == 1


async def test_status_of_an_unknown_order_is_refused_not_found(client) -> None:
    with pytest.raises(PanelRefused) as caught:
        await client.status("424242")
    assert caught.value.kind is RefusalKind.NOT_FOUND


async def test_status_words_of_every_dialect(panel: FakePanel, client) -> None:
    ids = [panel.seed_order() for _ in range(4)]
    for order_id, word in zip(ids, ("Canceled", "In progress", "Refunded", "Stuck in space"), strict=True):
        panel.set_status(order_id, word)
    states = await client.statuses(ids)
    assert [states[i].status for i in ids] == [OrderStatus.CANCELED, OrderStatus.IN_PROGRESS,
                                               OrderStatus.REFUNDED, OrderStatus.UNKNOWN]
    assert states[ids[3]].status_raw == "Stuck in space"


async def test_subscription_and_dripfeed_progress(panel: FakePanel, client) -> None:
    sub = await client.add(REQUESTS[OrderType.SUBSCRIPTIONS])
    drip = await client.add(REQUESTS[OrderType.DEFAULT])
    panel.set_status(sub, "Active", posts=3)
    panel.set_status(drip, "In progress", runs=2, remains=200)
    states = await client.statuses([sub, drip])
    assert (states[sub].status, states[sub].posts) == (OrderStatus.ACTIVE, 3)
    assert states[drip].status is OrderStatus.IN_PROGRESS
    if panel.dialect.runs_entries:  # doc 002 answers drip-feed orders with their runs only
        assert states[drip].runs == 2
    else:
        assert states[drip].remains == 200


async def test_refill_flow(panel: FakePanel, client) -> None:
    order_id = panel.seed_order("1", quantity=500, status="Completed")
    refill_id = await client.refill(order_id)
    assert refill_id == panel.orders[order_id].refills[0]
    assert (await client.refill_status(refill_id)).status is RefillStatus.PENDING
    panel.set_refill_status(refill_id, "Completed")
    states = await client.refill_statuses([refill_id, "777"])
    assert states[refill_id].status is RefillStatus.COMPLETED
    assert isinstance(states["777"], EntryError)
    with pytest.raises(PanelRefused) as caught:
        await client.refill_status("777")
    assert caught.value.kind is RefusalKind.NOT_FOUND


async def test_refill_refusals(panel: FakePanel, client) -> None:
    running = panel.seed_order("1", status="In progress")
    with pytest.raises(PanelRefused) as caught:
        await client.refill(running)
    assert caught.value.kind is RefusalKind.NOT_ELIGIBLE
    done = panel.seed_order("1", status="Completed")
    result = await client.refills([done, running, "31337"])
    assert result[done] == panel.orders[done].refills[0]
    assert isinstance(result[running], EntryError) and "eligible" in result[running].message
    assert isinstance(result["31337"], EntryError)
    assert panel.requests["refill_multi"] == 1


async def test_single_cancel_works_whichever_field_the_panel_reads(panel: FakePanel, client) -> None:
    order_id = await client.add(REQUESTS[OrderType.POLL])
    charged = panel.orders[order_id].charge
    before = panel.panel_balance
    result = await client.cancel(order_id)
    assert isinstance(result, CancelResult) and result.order_id == order_id
    assert panel.orders[order_id].status == "Canceled"
    assert panel.panel_balance == before + charged
    assert (await client.status(order_id)).status is OrderStatus.CANCELED
    with pytest.raises(PanelRefused) as caught:  # already canceled
        await client.cancel(order_id)
    assert caught.value.kind is RefusalKind.NOT_ELIGIBLE


async def test_multi_cancel(panel: FakePanel, client) -> None:
    ok = panel.seed_order("13", status="Pending")
    not_cancellable = panel.seed_order("5", status="Pending")  # service 5 has no cancel
    result = await client.cancels([ok, not_cancellable, "999"])
    assert isinstance(result[ok], CancelResult)
    assert isinstance(result[not_cancellable], EntryError)
    assert isinstance(result["999"], EntryError)
    assert panel.requests["cancel_multi"] == 1


async def test_balance_follows_orders(panel: FakePanel, client) -> None:
    first = await client.balance()
    assert first.amount == Decimal("1000") and first.currency == "USD" and type(first.amount) is Decimal
    await client.add(REQUESTS[OrderType.COMMENT_LIKES])
    assert (await client.balance()).amount == Decimal("999.88")


@pytest.mark.parametrize("action", ["services", "balance", "status", "add", "refill", "cancel"])
async def test_wrong_key_is_refused_as_invalid_key(panel: FakePanel, connect, action: str) -> None:
    client = await connect(panel, key="not-the-key")
    calls = {"services": client.services, "balance": client.balance,
             "status": lambda: client.status("1"), "add": lambda: client.add(REQUESTS[OrderType.POLL]),
             "refill": lambda: client.refill("1"), "cancel": lambda: client.cancel("1")}
    with pytest.raises(PanelRefused) as caught:
        await calls[action]()
    assert caught.value.kind is RefusalKind.INVALID_KEY
    assert caught.value.message == "Invalid API key"
    assert sum(panel.requests.values()) == 1  # a refusal is never retried


@pytest.mark.parametrize(("request_", "kind"), [
    (OrderRequest(service="1", link=LINK, quantity=10), RefusalKind.QUANTITY),
    (OrderRequest(service="1", link=LINK, quantity=10**6), RefusalKind.QUANTITY),
    (OrderRequest(service="404", link=LINK, quantity=100), RefusalKind.SERVICE_GONE),
    (OrderRequest(service="16", link=LINK, quantity=1000000), RefusalKind.PANEL_FUNDS),
], ids=["below-min", "above-max", "service-gone", "panel-funds"])
async def test_panel_refusals_are_classified(panel: FakePanel, client, request_: OrderRequest,
                                             kind: RefusalKind) -> None:
    panel.panel_balance = Decimal("5")
    with pytest.raises(PanelRefused) as caught:
        await client.add(request_)
    assert caught.value.kind is kind
    assert panel.orders == {}


async def test_active_order_for_the_same_link(connect) -> None:
    async with FakePanel(reject_duplicate_links=True) as panel:
        client = await connect(panel)
        await client.add(REQUESTS[OrderType.COMMENT_LIKES])
        with pytest.raises(PanelRefused) as caught:
            await client.add(REQUESTS[OrderType.COMMENT_LIKES])
        assert caught.value.kind is RefusalKind.ACTIVE_ORDER
        assert caught.value.message.startswith("You have active order with this link")
