"""The catalogue over real HTTP: refresh reports, last good catalogue kept, browsing for customers."""

from __future__ import annotations

from decimal import Decimal

from bot.config import PanelConfig
from bot.domain import catalogue
from bot.panel import PanelHub
from tests.conftest import hub_for
from tests.fakes.panel_catalogue import UNKNOWN_TYPE_SERVICE
from tests.fakes.panel_server import DEFAULT_SERVICES, FakePanel


async def test_refresh_reports_new_removed_and_price_changes(db, hub, panel):
    first = (await catalogue.refresh_catalogue(db, hub)).panels[0]
    assert (first.panel, first.ok, first.total) == ("main", True, len(DEFAULT_SERVICES))
    assert sorted(first.new, key=int) == [str(s["service"]) for s in DEFAULT_SERVICES]

    panel.services[0]["rate"] = "1.10"
    del panel.services[1]
    again = (await catalogue.refresh_catalogue(db, [hub.get("main")])).panels[0]
    assert (again.new, again.removed) == ([], ["2"])
    (change,) = again.price_changes
    assert (change.service_id, change.old_rate, change.new_rate) == ("1", Decimal("0.90"), Decimal("1.10"))
    assert await catalogue.get_service(db, "main", "2") is None
    assert (await catalogue.get_service(db, "main", "2", for_customer=False)).available is False


async def test_a_type_the_bot_cannot_order_is_hidden_and_reported_once(db, hub, panel):
    panel.services.append(dict(UNKNOWN_TYPE_SERVICE))
    first = (await catalogue.refresh_catalogue(db, hub)).panels[0]
    assert first.unsupported == {"Views Special": ["19"]}
    # never offered, wherever a customer looks; admins still see it
    assert (await catalogue.search(db, "views special")).total == 0
    assert await catalogue.get_service(db, "main", "19") is None
    assert (await catalogue.get_service(db, "main", "19", for_customer=False)).type_raw == "Views Special"
    youtube = (await catalogue.categories(db, "youtube")).items[0]
    assert [s.service_id for s in (await catalogue.services(db, youtube.id)).items] == ["16"]
    assert youtube.service_count == 1
    assert (await catalogue.refresh_catalogue(db, hub)).panels[0].unsupported == {}  # told once
    panel.services.append(dict(UNKNOWN_TYPE_SERVICE, service=20, type="Ads"))
    assert (await catalogue.refresh_catalogue(db, hub)).panels[0].unsupported == {"Ads": ["20"]}


async def test_a_panels_own_word_for_a_type_makes_it_orderable(db, panel):
    panel.services.append(dict(UNKNOWN_TYPE_SERVICE))
    config = PanelConfig.model_validate({"name": "main", "url": panel.url, "key": panel.key,
                                         "types": {"views_special": "default"}})
    async with PanelHub([config], retry_delays=(0.01,)) as hub:
        assert (await catalogue.refresh_catalogue(db, hub)).panels[0].unsupported == {}
    service = await catalogue.get_service(db, "main", "19")
    assert service is not None and service.type.value == "default" and service.type_raw == "Views Special"


async def test_a_failing_or_empty_panel_keeps_its_last_good_catalogue(db, hub, panel):
    await catalogue.refresh_catalogue(db, hub)
    panel.inject("services", "html502", times=2)  # first try and its one retry
    failed = (await catalogue.refresh_catalogue(db, hub)).panels[0]
    assert not failed.ok and failed.error
    panel.services.clear()
    empty = (await catalogue.refresh_catalogue(db, hub)).panels[0]
    assert empty.error == "the panel listed no services"
    assert (await catalogue.get_service(db, "main", "1")).name == DEFAULT_SERVICES[0]["name"]


async def test_two_panels_merge_categories_and_one_failure_spares_the_other(db, panel):
    async with FakePanel(dialect="server") as other:
        other.services = [dict(DEFAULT_SERVICES[0], service=501, rate="0.50")]
        async with hub_for(panel, other) as hub:
            report = await catalogue.refresh_catalogue(db, hub)
            assert report.ok and [p.panel for p in report.panels] == ["main", "second"]
            other.inject("services", "html502", times=2)  # first try and its one retry
            report = await catalogue.refresh_catalogue(db, hub)
            assert [p.ok for p in report.panels] == [True, False] and not report.ok
    followers = next(c for c in (await catalogue.categories(db, "instagram")).items
                     if c.name == "Instagram Followers")
    page = await catalogue.services(db, followers.id)
    assert [(s.panel, s.service_id) for s in page.items] == [("main", "1"), ("second", "501")]


async def test_customers_browse_by_platform_and_category_and_search(shop):
    platforms = await catalogue.platforms(shop)
    assert [p.key for p in platforms] == ["instagram", "youtube", "telegram", "website"]
    assert platforms[0].label == "Instagram"

    cats = await catalogue.categories(shop, "instagram", limit=2)
    assert cats.total == 5 and len(cats.items) == 2 and cats.has_next
    first = cats.items[0]
    assert (await catalogue.get_category(shop, first.id)).name == first.name
    found = await catalogue.search(shop, "  instagram   COMMENTS package ")
    assert [s.service_id for s in found.items] == ["4"]
    assert (await catalogue.search(shop, "   ")).total == 0

    assert await catalogue.set_service_hidden(shop, "main", "4", True)
    assert (await catalogue.search(shop, "comments package")).total == 0
    assert await catalogue.get_service(shop, "main", "4") is None
    tele = next(c for c in (await catalogue.categories(shop, "telegram")).items)
    assert await catalogue.set_category_hidden(shop, tele.id, True)
    assert [p.key for p in await catalogue.platforms(shop)] == ["instagram", "youtube", "website"]
    assert await catalogue.get_service(shop, "main", "13") is None
    assert not await catalogue.set_service_hidden(shop, "main", "nope", True)
