"""/route in the admin group and a customer ordering a routed service, through the real bot and fakes:
three fake panels selling the same followers (id 1 on each, as the fakes' default catalogue has it)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.storage import routes
from tests.admin.conftest import ADMIN, STRANGER
from tests.admin.helpers import Ops, fund, place, quiet
from tests.chat_order.conftest import Customer
from tests.e2e.harness import ADMIN_CHAT_ID, BotEnv

PANELS = {"main": "folgen", "backup": "server", "third": "sofia"}


@pytest.fixture
async def env(tmp_path):
    bot = BotEnv(tmp_path, panels=PANELS, admin_ids={ADMIN, 2})
    for name, rate in (("backup", "0.80"), ("third", "0.85")):
        bot.panels[name].services[0]["rate"] = rate
    await bot.start()
    await bot.load_catalogue()
    yield bot
    await bot.stop()


async def _order_followers(customer: Customer) -> None:
    await customer.send("/order")
    await customer.press("Instagram")
    listed = await customer.press("Instagram Followers")
    assert sum("Instagram Followers" in text for text, _ in listed.buttons) == 1  # one service for three panels
    await customer.press("Instagram Followers")
    await customer.press("Order this")
    await customer.send("https://instagram.com/p/abc")
    await customer.send("1000")
    confirm = await customer.press("Skip")
    assert "0.90 USD" in confirm.plain  # main's price: the route's face
    await customer.press("Confirm")


async def test_an_operator_routes_a_service_and_a_customer_order_fails_over(env):
    ops = Ops(env, ADMIN)
    saved = await ops.say("/route followers main:1 backup:1 third:1", contains="Route")
    assert "followers" in saved.plain and "main:1 → backup:1 → third:1" in saved.plain
    assert "followers" in (await ops.say("/route list", contains="Routes")).plain
    env.panels["main"].panel_balance = Decimal("0.10")
    customer = Customer(env, 42)
    await customer.fund("5")
    await _order_followers(customer)
    placed = await customer.wait_screen("is placed")
    assert "0.90 USD" in placed.plain and "main" not in placed.plain and "backup" not in placed.plain
    assert [p.requests["add"] for p in env.panels.values()] == [1, 1, 0]
    [order] = env.panels["backup"].orders.values()
    assert (order.service, order.quantity) == ("1", 1000)
    new = await env.tg.wait_for("sendMessage", lambda c: "New order" in c.message.plain, chat_id=ADMIN_CHAT_ID,
                                since=0)
    assert f"backup #{order.id}" in new.message.plain  # the order card names the provider that took it
    alert = await env.tg.wait_for("sendMessage", lambda c: "Failover" in c.message.plain, chat_id=ADMIN_CHAT_ID,
                                  timeout=10, since=0)
    assert "main" in alert.message.plain and "#1" in alert.message.plain
    card = await ops.say("/order 1", contains="Order #1")
    assert "main:1 — refused: Not enough funds" in card.plain and "backup:1 — ✅ took it" in card.plain
    # a second failover from main within the hour is recorded, not posted again
    await fund(env, 43, "5")
    await place(env, 43, service="1")
    rows = await env.db.fetchall("SELECT order_id, announce FROM route_events WHERE kind = 'failover' ORDER BY id")
    assert [tuple(r) for r in rows] == [(1, 1), (2, 0)]


async def test_routes_survive_a_restart_and_off_removes_them(env):
    ops = Ops(env, ADMIN)
    await ops.say("/route subs cheapest loss main:1 third:1", contains="Route")
    await env.restart()
    listed = await Ops(env, ADMIN).say("/route list", contains="Routes")
    assert "subs" in listed.plain and "cheapest, loss allowed" in listed.plain
    assert "removed" in (await ops.say("/route off subs", contains="subs")).plain
    assert "No routes yet" in (await ops.say("/route list", contains="routes")).plain
    assert await routes.all_routes(env.db.conn) == []
    audit = await env.db.fetchall("SELECT action FROM audit_log WHERE action = 'route'")
    assert len(audit) == 4


async def test_bad_definitions_are_explained_and_change_nothing(env):
    ops = Ops(env, ADMIN)
    assert "not in the catalogue" in (await ops.say("/route x main:1 backup:999", contains="⛔")).plain
    assert "appears twice" in (await ops.say("/route x main:1 main:2", contains="⛔")).plain
    assert "No panel called" in (await ops.say("/route x main:1 nowhere:1", contains="⛔")).plain
    assert "different order types" in (await ops.say("/route x main:1 backup:2", contains="⛔")).plain
    assert "cannot name a route" in (await ops.say("/route cheapest main:1 backup:1", contains="⛔")).plain
    assert "cannot name a route" in (await ops.say("/route b@d main:1 backup:1", contains="⛔")).plain
    await ops.say("/route a main:1 backup:1", contains="Route")
    assert "already in another route" in (await ops.say("/route b backup:1 third:1", contains="⛔")).plain
    usage = await ops.say("/route", contains="/route")
    assert "priority|cheapest" in usage.plain
    assert [r.name for r in await routes.all_routes(env.db.conn)] == ["a"]


async def test_suggest_proposes_equivalent_services_and_accept_creates_the_route(env):
    ops = Ops(env, ADMIN)
    offer = await ops.say("/route suggest", contains="Suggested routes")
    assert "main:1" in offer.plain and "backup:1" in offer.plain and "third:1" in offer.plain
    accepted = await ops.press(offer, "Accept 1")
    assert accepted.ok
    made = await env.tg.wait_for("sendMessage", lambda c: "created" in c.message.plain, chat_id=ADMIN_CHAT_ID)
    assert "main:1 → backup:1 → third:1" in made.message.plain
    [route] = await routes.all_routes(env.db.conn)
    assert route.policy == "priority" and len(route.members) >= 3
    again = await ops.press(offer, "Accept 1")  # the same suggestion: its services are routed now
    assert "out of date" in again.params.get("text", "")
    assert len(await routes.all_routes(env.db.conn)) == 1


async def test_only_admins_in_the_admin_group_reach_route(env):
    env.tg.send_group_text(STRANGER, "/route x main:1 backup:1")
    await quiet(env)
    assert env.tg.calls_of("sendMessage", chat_id=ADMIN_CHAT_ID) == []
    assert await routes.all_routes(env.db.conn) == []


async def test_the_customers_card_shows_the_routes_intersection(env):
    third = env.panels["third"].services[0]
    third.update(min=100, max=800, refill=False)
    await env.load_catalogue()
    await Ops(env, ADMIN).say("/route followers main:1 backup:1 third:1", contains="Route")
    customer = Customer(env, 42)
    await customer.send("/order")
    await customer.press("Instagram")
    await customer.press("Instagram Followers")
    card = await customer.press("Instagram Followers")
    assert "Minimum 100, maximum 800" in card.plain and "Refill: no" in card.plain and "0.90 USD" in card.plain
    await customer.press("Order this")
    await customer.send("https://instagram.com/p/abc")
    too_many = await customer.send("1000")
    assert "800" in too_many.plain  # the route's bound, before anything is charged or sent
    assert [p.requests["add"] for p in env.panels.values()] == [0, 0, 0]
