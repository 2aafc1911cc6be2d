"""After a failover: status, refill and cancel go to the provider holding the order; routes persist;
customers see a route once, with the intersection of its members' bounds and flags."""

from __future__ import annotations

from decimal import Decimal

from bot.domain import catalogue, ordering, webshop
from bot.domain import order_requests as requests
from bot.domain.catalogue import refresh_catalogue
from bot.domain.order_requests import Accepted
from bot.domain.order_results import Placed
from bot.domain.sync import StatusSync
from bot.storage import orders, routes
from bot.storage.db import Database
from bot.storage.routes import Member
from tests.routing.conftest import MARKUP, REQUEST, adds, hub_for, make_route
from tests.sync.support import RecordingNotifier


async def _place(db, hub, token="t1"):
    return await ordering.place_order(db, hub, user_id=1, panel="main", request=REQUEST, client_token=token,
                                      default_markup=MARKUP)


async def test_status_and_refill_go_to_the_provider_holding_the_order(shop, hub, fakes):
    await make_route(shop, hub)
    fakes["main"].panel_balance = Decimal(0)
    placed = await _place(shop, hub)
    assert isinstance(placed, Placed)
    fakes["backup"].complete(placed.panel_order_id)
    notifier = RecordingNotifier()
    await StatusSync(concurrency=1, miss_alert=3, poll_seconds=60).run_cycle(shop, hub, notifier)
    assert fakes["backup"].requests["status_multi"] == 1
    assert fakes["main"].requests["status_multi"] == fakes["main"].requests["status"] == 0
    order = await orders.get(shop.conn, placed.order_id)
    assert (order.panel, order.status) == ("backup", "completed")
    assert [u.kind for u in notifier.orders] == ["completed"]
    refill = await requests.request_refill(shop, hub, 1, placed.order_id)
    assert isinstance(refill, Accepted)
    assert fakes["backup"].requests["refill"] == 1 and fakes["main"].requests["refill"] == 0
    assert fakes["backup"].refills  # the refill lives where the order does


async def test_cancel_follows_the_provider_and_its_own_flags(shop, hub, fakes):
    fakes["backup"].services[0]["cancel"] = False
    await refresh_catalogue(shop, hub)
    await make_route(shop, hub)
    shown = await catalogue.get_service(shop, "main", "112")
    assert shown.cancel is False  # not every provider cancels: the customer is not offered it
    fakes["main"].panel_balance = Decimal(0)
    placed = await _place(shop, hub)
    order = await orders.get(shop.conn, placed.order_id)
    assert (order.panel, order.can_cancel, order.can_refill) == ("backup", False, True)


async def test_cancel_goes_to_the_provider_holding_the_order(shop, hub, fakes):
    await make_route(shop, hub)
    fakes["main"].inject("add", "error", message="Service is disabled")
    placed = await _place(shop, hub)
    result = await requests.request_cancel(shop, hub, 1, placed.order_id)
    assert isinstance(result, Accepted)
    cancels = {n: f.requests["cancel"] + f.requests["cancel_multi"] for n, f in fakes.items()}
    assert cancels == {"main": 0, "backup": 1, "third": 0}
    assert fakes["backup"].orders[placed.panel_order_id].status == "Canceled"


async def test_customers_see_a_route_once_with_the_intersection(shop, hub, fakes):
    category = (await catalogue.get_service(shop, "main", "112")).category_id
    before = await catalogue.services(shop, category, limit=50)
    fakes["third"].services[0].update(min=100, max=5000, refill=False)
    await refresh_catalogue(shop, hub)
    await make_route(shop, hub)
    after = await catalogue.services(shop, category, limit=50)
    assert after.total == before.total - 2
    routed = [s for s in after.items if (s.panel, s.service_id) in {("main", "112"), ("backup", "134"), ("third", "107")}]
    assert [(s.panel, s.service_id) for s in routed] == [("main", "112")]
    shown = await catalogue.get_service(shop, "main", "112")
    assert (shown.min, shown.max, shown.refill) == (100, 5000, False)
    found = await catalogue.search(shop, "followers real")
    assert [(s.panel, s.service_id) for s in found.items] == [("main", "112")]
    members = {("main", "112"), ("backup", "134"), ("third", "107")}
    app_rows = [(i.service.panel, i.service.service_id) for i in await webshop.storefront(shop, MARKUP)]
    assert [row for row in app_rows if row in members] == [("main", "112")]  # the Mini App too: once
    # main stops listing it: the route is shown as its next member, and still routes
    fakes["main"].services.pop(0)
    await refresh_catalogue(shop, hub)
    found = await catalogue.search(shop, "followers real")
    assert [(s.panel, s.service_id) for s in found.items] == [("backup", "134")]


async def test_a_route_survives_a_catalogue_refresh_and_a_restart(tmp_path, fakes):
    async with hub_for(fakes) as hub:
        db = await Database.open(tmp_path / "shop.db")
        await refresh_catalogue(db, hub)
        await make_route(db, hub)
        await db.close()
        db = await Database.open(tmp_path / "shop.db")  # a restart: same file
        try:
            report = await refresh_catalogue(db, hub)
            assert report.ok
            route = await routes.by_name(db.conn, "followers")
            assert route.members == (Member("main", "112"), Member("backup", "134"), Member("third", "107"))
            from bot.domain import wallet
            await wallet.credit(db, 1, 5_000_000)
            fakes["main"].inject("add", "error", message="Service is disabled")
            placed = await _place(db, hub)
            assert isinstance(placed, Placed)
            assert adds(fakes) == {"main": 1, "backup": 1, "third": 0}
        finally:
            await db.close()


async def test_hiding_the_faces_category_shows_the_next_member(shop, hub, fakes):
    fakes["backup"].services[0]["category"] = "Instagram Followers Backup"
    await refresh_catalogue(shop, hub)
    await make_route(shop, hub)
    face = await catalogue.get_service(shop, "main", "112")
    await catalogue.set_category_hidden(shop, face.category_id, True)
    found = await catalogue.search(shop, "followers real")
    assert [(s.panel, s.service_id) for s in found.items] == [("backup", "134")]
