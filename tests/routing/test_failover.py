"""Routed placement over real HTTP against three fake panels: failover only after a clear refusal."""

from __future__ import annotations

from decimal import Decimal

from bot.domain import ordering, routing, wallet
from bot.domain.order_results import Placed, Refused, Unknown
from bot.panel.errors import RefusalKind
from bot.storage import ledger, orders, route_health, routes
from bot.storage.ledger import LedgerKind, order_reference
from bot.storage.order_writes import NewOrder
from bot.storage.routes import Member
from tests.routing.conftest import MARKUP, PRICE, REQUEST, adds, hub_for, make_route

BALANCE = 10_000_000


async def _place(db, hub, token: str = "t1", request=REQUEST, panel: str = "main"):
    return await ordering.place_order(db, hub, user_id=1, panel=panel, request=request, client_token=token,
                                      default_markup=MARKUP)


async def _money(db, order_id):
    return [(e.kind, e.amount) for e in await ledger.by_reference(db.conn, order_reference(order_id))]


async def _outcomes(db, order_id):
    return [(a.panel, a.outcome) for a in await routes.attempts(db.conn, order_id)]


async def test_first_refuses_for_funds_second_takes_it_one_add_each_charged_once(shop, hub, fakes):
    await make_route(shop, hub)
    fakes["main"].panel_balance = Decimal("0.10")  # the panel itself says "Not enough funds"
    result = await _place(shop, hub)
    assert isinstance(result, Placed)
    assert adds(fakes) == {"main": 1, "backup": 1, "third": 0}
    assert fakes["main"].orders == {} and list(fakes["backup"].orders) == [result.panel_order_id]
    sent = fakes["backup"].orders[result.panel_order_id]
    assert (sent.service, sent.quantity) == ("134", 1000)
    order = await orders.get(shop.conn, result.order_id)
    assert (order.panel, order.service_id, order.status, order.price) == ("backup", "134", "pending", PRICE)
    assert await _money(shop, order.id) == [(LedgerKind.ORDER_CHARGE, -PRICE)]
    assert await wallet.balance(shop, 1) == BALANCE - PRICE
    assert await _outcomes(shop, order.id) == [("main", "refused"), ("backup", "accepted"), ("third", "skipped")]
    events = await route_health.unposted(shop.conn)
    assert [(e.kind, e.panel, e.order_id) for e in events] == [("failover", "main", order.id)]


async def test_first_hangs_no_second_add_anywhere_the_order_is_unknown(shop, fakes):
    async with hub_for(fakes, timeout=0.3) as slow:
        await make_route(shop, slow)
        fakes["main"].inject("add", "hang")  # main places it, then its answer never comes
        result = await _place(shop, slow)
    assert isinstance(result, Unknown)
    assert adds(fakes) == {"main": 1, "backup": 0, "third": 0}
    order = await orders.get(shop.conn, result.order_id)
    assert (order.status, order.panel, order.refunded) == ("unknown", "main", 0)
    assert await _money(shop, order.id) == [(LedgerKind.ORDER_CHARGE, -PRICE)]
    assert await _outcomes(shop, order.id) == [("main", "unknown"), ("third", "skipped")]


async def test_a_5xx_after_sending_is_unknown_too(shop, hub, fakes):
    await make_route(shop, hub)
    fakes["main"].inject("add", "html502")
    result = await _place(shop, hub)
    assert isinstance(result, Unknown)
    assert adds(fakes) == {"main": 1, "backup": 0, "third": 0}


async def test_a_bad_link_is_not_failed_over_the_customer_is_told(shop, hub, fakes):
    await make_route(shop, hub)
    fakes["main"].inject("add", "error", message="Incorrect link")
    result = await _place(shop, hub)
    assert isinstance(result, Refused) and result.kind is RefusalKind.BAD_LINK
    assert adds(fakes) == {"main": 1, "backup": 0, "third": 0}
    order = await orders.get(shop.conn, result.order_id)
    assert (order.status, order.refunded) == ("failed", PRICE)
    assert await wallet.balance(shop, 1) == BALANCE


async def test_quantity_outside_the_routes_intersection_is_refused_before_charging(shop, hub, fakes):
    fakes["backup"].services[0]["max"] = 800
    await make_route(shop, hub)
    from bot.domain.catalogue import refresh_catalogue
    await refresh_catalogue(shop, hub)
    result = await _place(shop, hub)  # 1000 > backup's 800: the route shows 50–800
    assert isinstance(result, Refused) and result.order_id is None and result.kind is RefusalKind.QUANTITY
    assert adds(fakes) == {"main": 0, "backup": 0, "third": 0}


async def test_connection_refused_before_sending_fails_over(shop, fakes):
    await fakes["main"].stop()  # nothing listens there any more: the connection is refused
    async with hub_for(fakes) as panels:
        await make_route(shop, panels)
        result = await _place(shop, panels)
    assert isinstance(result, Placed)
    order = await orders.get(shop.conn, result.order_id)
    assert order.panel == "backup"
    assert await _outcomes(shop, order.id) == [("main", "not_sent"), ("backup", "accepted"), ("third", "skipped")]


async def test_every_provider_refusing_refunds_once_each_tried_once(shop, hub, fakes):
    await make_route(shop, hub, allow_loss=True)
    for name in fakes:
        fakes[name].inject("add", "error", message="Service disabled")
    result = await _place(shop, hub)
    assert isinstance(result, Refused) and result.kind is RefusalKind.SERVICE_GONE
    assert adds(fakes) == {"main": 1, "backup": 1, "third": 1}
    assert await _money(shop, result.order_id) == [(LedgerKind.ORDER_CHARGE, -PRICE), (LedgerKind.REFUND, PRICE)]
    assert await wallet.balance(shop, 1) == BALANCE


async def test_cheapest_picks_the_cheapest_and_skips_one_above_the_customers_price(shop, hub, fakes):
    await make_route(shop, hub, policy="cheapest")
    result = await _place(shop, hub)
    assert isinstance(result, Placed)
    assert adds(fakes) == {"main": 0, "backup": 1, "third": 0}  # backup 0.80 < main 0.90; third 1.20 > price
    order = await orders.get(shop.conn, result.order_id)
    assert (order.panel, order.price) == ("backup", PRICE)
    attempts = await routes.attempts(shop.conn, order.id)
    assert [(a.panel, a.outcome, a.cost) for a in attempts] == [
        ("backup", "accepted", 800_000), ("third", "skipped", 1_200_000)]  # main was never needed
    assert attempts[1].reason == "costs more than the customer's price"


async def test_cheapest_skips_one_that_does_not_accept_the_quantity(shop, hub, fakes):
    route = await make_route(shop, hub, policy="cheapest", allow_loss=True)
    fakes["backup"].services[0]["max"] = 500
    from bot.domain.catalogue import refresh_catalogue
    await refresh_catalogue(shop, hub)  # the catalogue changed after the customer's quote
    new = NewOrder(user_id=1, panel="main", service_id="112", service_name="f", type=REQUEST.type,
                   quantity=1000, price=PRICE, rate=Decimal("0.9"), rate_per=1000, markup=MARKUP)
    planned = await routing.plan(shop, hub, route, new, REQUEST)
    assert [(c.member.panel, c.skip is None) for c in planned] == [("main", True), ("third", True),
                                                                   ("backup", False)]
    assert planned[2].skip.startswith("does not accept this order")


async def test_a_loss_is_taken_only_where_the_route_allows_it(shop, hub, fakes):
    await make_route(shop, hub, allow_loss=True, members=[Member("third", "107"), Member("main", "112")])
    result = await _place(shop, hub, panel="third", request=REQUEST.model_copy(update={"service": "107"}))
    assert isinstance(result, Placed)
    order = await orders.get(shop.conn, result.order_id)
    assert order.panel == "third" and order.price == 1_320_000  # the customer's price is third's own here


async def test_a_known_low_balance_is_skipped_before_sending(shop, hub, fakes):
    await make_route(shop, hub)
    fakes["main"].panel_balance = Decimal("0.50")
    assert (await routing.refresh_balances(shop, hub))["main"] == Decimal("0.50000")
    result = await _place(shop, hub)
    assert isinstance(result, Placed)
    assert adds(fakes) == {"main": 0, "backup": 1, "third": 0}
    attempts = await routes.attempts(shop.conn, result.order_id)
    assert [(a.panel, a.outcome, a.reason) for a in attempts][1] == ("main", "skipped", "balance below the cost")


async def test_repeated_refusals_cool_a_provider_off_and_report_it_once(shop, hub, fakes):
    await make_route(shop, hub)
    fakes["main"].panel_balance = Decimal(0)
    for n in range(routing.COOL_AFTER):
        assert isinstance(await _place(shop, hub, token=f"t{n}"), Placed)
    assert fakes["main"].requests["add"] == routing.COOL_AFTER
    assert isinstance(await _place(shop, hub, token="after"), Placed)
    assert fakes["main"].requests["add"] == routing.COOL_AFTER  # cooling off: not even asked
    events = await route_health.unposted(shop.conn)
    assert [(e.kind, e.panel) for e in events] == [("failover", "main"), ("cooled", "main")]  # once an hour
    assert list(await routing.cooled_panels(shop)) == ["main"]


async def test_a_repeated_client_token_is_never_placed_twice(shop, hub, fakes):
    await make_route(shop, hub)
    fakes["main"].panel_balance = Decimal(0)
    first = await _place(shop, hub)
    again = await _place(shop, hub)
    assert isinstance(again, Placed) and again.repeated and again.order_id == first.order_id
    assert adds(fakes) == {"main": 1, "backup": 1, "third": 0}


async def test_an_unrecognised_refusal_is_not_failed_over(shop, hub, fakes):
    await make_route(shop, hub)
    fakes["main"].inject("add", "error", message="Something went wrong, contact support")
    result = await _place(shop, hub)
    assert isinstance(result, Refused) and result.kind is RefusalKind.OTHER
    assert adds(fakes) == {"main": 1, "backup": 0, "third": 0}
    assert await wallet.balance(shop, 1) == BALANCE


async def test_a_provider_in_another_currency_is_compared_converted_and_skipped_without_a_rate(db, hub, fakes):
    from bot.domain import currency
    from bot.domain.catalogue import refresh_catalogue

    await currency.start(db, "USD", {})
    fakes["third"].currency = "EUR"
    fakes["third"].services[0]["rate"] = "0.70"  # 0.70 EUR per 1000
    await refresh_catalogue(db, hub)
    await wallet.credit(db, 1, BALANCE)
    await make_route(db, hub, policy="cheapest")
    first = await _place(db, hub, token="no-rate")
    attempts = await routes.attempts(db.conn, first.order_id)
    assert ("third", "skipped") in [(a.panel, a.outcome) for a in attempts]  # unpriced: not offered
    await currency.set_rate(db, "EUR", Decimal("1.10"), actor=1, shop_currency="USD")
    second = await _place(db, hub, token="rated")
    assert isinstance(second, Placed)
    order = await orders.get(db.conn, second.order_id)
    # 0.70 EUR × 1.10 = 0.77 USD < backup's 0.80: cheapest; the customer still pays main's price
    assert (order.panel, order.price, order.rate) == ("third", PRICE, Decimal("0.70"))
    row = await db.fetchone("SELECT exchange_rate, panel_currency, cost FROM orders WHERE id = ?", (order.id,))
    assert (Decimal(row[0]), row[1], Decimal(row[2])) == (Decimal("1.10"), "EUR", Decimal("0.7"))
    assert [(a.panel, a.cost) for a in await routes.attempts(db.conn, order.id)] == [("third", 770_000)]
