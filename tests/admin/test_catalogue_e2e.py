"""/sync, /markup, /hide, /show and /categories: what customers see, and at what price."""

from __future__ import annotations

from decimal import Decimal

from bot.domain import catalogue, pricing
from bot.telegram.sync_job import sync_service
from tests.admin.conftest import ADMIN
from tests.admin.helpers import Ops
from tests.e2e.harness import ADMIN_CHAT_ID


async def visible_categories(env) -> list[str]:
    return [c.name for c in (await catalogue.categories(env.db, limit=50)).items]


async def test_sync_reports_new_removed_and_price_changes(shop):
    services = shop.panel.services
    services[:] = [s for s in services if s["service"] != 2]
    services[0]["rate"] = "1.10"
    services.append({"service": 99, "name": "TikTok Views <fast>", "type": "Default", "category": "TikTok Views",
                     "rate": "0.05", "min": 100, "max": 100000})
    ops = Ops(shop, ADMIN)
    report = await ops.say("/sync", contains="Catalogue refreshed")
    text = report.plain
    assert "main: 18 services · 1 new · 1 removed · 1 price changes" in text
    assert "➕ new: 99" in text and "➖ removed: 2" in text
    assert "💲 1 Instagram Followers <Real> & Active: 0.90 → 1.10" in text
    assert shop.tg.calls_of("sendMessage", chat_id=ADMIN_CHAT_ID)[0].text == "🔄 Refreshing the catalogue…"
    assert "TikTok Views" in await visible_categories(shop)


async def test_sync_keeps_the_catalogue_when_the_panel_fails(shop):
    shop.panel.inject("services", "html502", times=5)
    report = await Ops(shop, ADMIN).say("/sync", contains="Catalogue refreshed")
    assert "main: ⚠️ not refreshed (" in report.plain and "its last catalogue is kept" in report.plain
    assert "Instagram Likes" in await visible_categories(shop)


async def test_sync_during_the_scheduled_refresh_does_not_refresh_again(shop):
    service = sync_service(shop.app)
    calls = len(shop.panel.calls)
    async with service.catalogue._lock:  # the scheduled refresh is running
        reply = await Ops(shop, ADMIN).say("/sync", contains="already running")
    assert reply.plain.startswith("⏳ A catalogue refresh is already running")
    assert len(shop.panel.calls) == calls  # no second fetch of the services


async def test_markups_shop_wide_and_per_service(shop):
    ops = Ops(shop, ADMIN)
    assert (await ops.say("/markup")).plain == "🏷 No markups set: every service uses MARKUP_PERCENT (0%)."
    assert (await ops.say("/markup 15")).plain == "✅ Markup for shop-wide: 15% (was —)."
    assert (await ops.say("/markup main:1 20,5%")).plain == "✅ Markup for main:1: 20.5% (was —)."
    listed = (await ops.say("/markup")).plain
    assert "shop-wide: 15%" in listed and "main:1: 20.5%" in listed
    assert await pricing.markup_for(shop.db, "main", "1", Decimal(0)) == Decimal("20.5")
    assert await pricing.markup_for(shop.db, "main", "5", Decimal(0)) == Decimal(15)
    assert "removed (was 20.5%)" in (await ops.say("/markup main:1 off")).plain
    assert await pricing.markup_for(shop.db, "main", "1", Decimal(0)) == Decimal(15)
    for wrong in ("/markup lots", "/markup 10001", "/markup nopanel:1 5", "/markup 1 2 3"):
        assert (await ops.say(wrong)).plain.startswith("Usage:"), wrong
    assert (await ops.say("/markup main:999 5")).plain.startswith("⛔ Nothing in the catalogue is called main:999")


async def test_hide_and_show_a_category_and_a_service(shop):
    ops = Ops(shop, ADMIN)
    listing = (await ops.say("/categories")).plain
    likes_id = next(line.split(" · ")[0] for line in listing.splitlines() if "Instagram Likes" in line)

    assert (await ops.say("/hide instagram likes")).plain == "🙈 Hidden from customers: Instagram Likes"
    assert "Instagram Likes" not in await visible_categories(shop)
    assert "🙈 hidden" in next(line for line in (await ops.say("/categories")).plain.splitlines()
                              if "Instagram Likes" in line)
    assert (await ops.say(f"/show {likes_id}")).plain == "👁 Shown to customers again: Instagram Likes"
    assert "Instagram Likes" in await visible_categories(shop)

    assert "main:1 Instagram Followers" in (await ops.say("/hide main:1")).plain
    assert await catalogue.get_service(shop.db, "main", "1") is None  # customers can no longer order it
    await ops.say("/show main:1")
    assert await catalogue.get_service(shop.db, "main", "1") is not None

    assert (await ops.say("/hide Nothing Like This")).plain.startswith("⛔ Nothing in the catalogue")
    assert (await ops.say("/hide")).plain.startswith("Usage:")
