"""The curated catalogue (issue #15): names, descriptions and pins that survive refreshes, category
labels/platforms/merges, CATALOGUE_NEW_HIDDEN, and vanished services told once."""

from __future__ import annotations

from bot.domain import catalogue
from bot.telegram.sync_job import sync_service
from tests.admin.conftest import ADMIN
from tests.admin.helpers import Ops
from tests.chat_order.conftest import Customer
from tests.e2e.harness import ADMIN_CHAT_ID
from tests.fakes.panel_catalogue import UNKNOWN_TYPE_SERVICE


async def _followers_card(customer: Customer, category: str = "Instagram Followers", name: str = "Real followers"):
    await customer.send("/order")
    await customer.press("Instagram")
    await customer.press(category)
    return await customer.press(name)


async def test_a_renamed_and_described_service_survives_a_refresh(shop):
    ops, customer = Ops(shop, ADMIN), Customer(shop, 42)
    answer = await ops.say("/service main:1 name Real followers", contains="main:1")
    assert "Real followers" in answer.plain and "Renamed" in answer.plain
    await ops.say("/service main:1 desc Slow, steady, 30 days refill", contains="Description")
    await shop.load_catalogue()  # the panel sends its own name and description again
    card = await _followers_card(customer)
    assert "Real followers" in card.plain and "Slow, steady, 30 days refill" in card.plain
    assert "Instagram Followers <Real>" not in card.plain
    found = await catalogue.search(shop.db, "real followers")
    assert [s.service_id for s in found.items] == ["1"]
    await ops.say("/service main:1 name off", contains="main:1")
    assert (await catalogue.get_service(shop.db, "main", "1")).name == "Instagram Followers <Real> & Active"


async def test_categories_are_renamed_moved_and_merged_and_pins_order_them(shop):
    ops, customer = Ops(shop, ADMIN), Customer(shop, 42)
    followers = (await catalogue.get_service(shop.db, "main", "1")).category_id
    youtube = (await catalogue.get_service(shop.db, "main", "16")).category_id
    await ops.say(f"/category {youtube} merge {followers}", contains="merged")
    await ops.say(f"/category {followers} name Followers & views", contains="name")
    await ops.say("/service main:16 pin 1", contains="Pinned")
    await shop.load_catalogue()  # the merge and the label are kept
    listed = await catalogue.services(shop.db, followers)
    assert [s.service_id for s in listed.items][:2] == ["16", "1"]
    await customer.send("/order")
    await customer.press("Instagram")
    listing = await customer.press("Followers & views")
    assert "YouTube Views_HQ" in listing.buttons[0][0]
    await ops.say(f"/category {followers} platform youtube", contains="youtube")
    await shop.load_catalogue()
    assert (await catalogue.get_category(shop.db, followers)).platform == "youtube"
    refused = await ops.say(f"/category {followers} platform myspace", contains="Not changed")
    assert "platforms:" in refused.plain


async def test_new_services_can_arrive_hidden(make_env):
    env = await make_env(settings={"storefront": {"catalogue_new_hidden": "true"}})
    await sync_service(env.app).catalogue_cycle(env.runtime)
    customer, ops = Customer(env, 42), Ops(env, ADMIN)
    assert "Instagram" not in " ".join(label for label, _ in (await customer.send("/order")).buttons)
    await ops.say("/show main:1", contains="main:1")
    platforms = await customer.send("/order")
    assert "Instagram" in " ".join(label for label, _ in platforms.buttons)


async def test_a_vanished_service_leaves_the_shop_and_admins_are_told_once(shop):
    shop.panel.services = [s for s in shop.panel.services if s["service"] != 16]
    mark = len(shop.tg.calls)
    await sync_service(shop.app).catalogue_cycle(shop.runtime)
    told = await shop.tg.wait_for("sendMessage", lambda c: "no longer lists" in c.message.plain,
                                  chat_id=ADMIN_CHAT_ID, since=mark)
    assert "16 YouTube Views_HQ" in told.message.plain
    assert await catalogue.get_service(shop.db, "main", "16") is None
    mark = len(shop.tg.calls)
    await sync_service(shop.app).catalogue_cycle(shop.runtime)  # alerts are sent before it returns
    assert not [c for c in shop.tg.calls_of("sendMessage", since=mark, chat_id=ADMIN_CHAT_ID)
                if "no longer lists" in c.message.plain]


async def test_a_type_the_bot_does_not_know_is_hidden_and_admins_are_told_once(shop):
    shop.panel.services.append(dict(UNKNOWN_TYPE_SERVICE))
    mark = len(shop.tg.calls)
    await sync_service(shop.app).catalogue_cycle(shop.runtime)
    told = await shop.tg.wait_for("sendMessage", lambda c: "does not know" in c.message.plain,
                                  chat_id=ADMIN_CHAT_ID, since=mark)
    assert "“Views Special” (1)" in told.message.plain and "hidden from customers" in told.message.plain
    assert '{"types": {"Views Special": "default"}}' in told.message.plain  # the mapping to copy
    assert await catalogue.get_service(shop.db, "main", "19") is None
    mark = len(shop.tg.calls)
    await sync_service(shop.app).catalogue_cycle(shop.runtime)
    assert not [c for c in shop.tg.calls_of("sendMessage", since=mark, chat_id=ADMIN_CHAT_ID)
                if "does not know" in c.message.plain]
    ops = Ops(shop, ADMIN)
    await ops.say("/show main:19", contains="still cannot order it")  # /show cannot make it orderable
    assert await catalogue.get_service(shop.db, "main", "19") is None
