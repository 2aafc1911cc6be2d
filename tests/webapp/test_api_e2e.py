"""The Mini App's HTTP API against the real bot, the fake panel and signed initData."""

from __future__ import annotations

import re
import time
from decimal import Decimal

from bot.domain import admin_users, lookups
from bot.storage import markups
from tests.fakes.telegram_server import ADMIN_CHAT_ID


async def test_forged_stale_and_missing_init_data_are_refused(shop):
    good = shop.sign(42)
    forged = good.replace("User42", "User43")
    stale = shop.sign(42, auth_date=time.time() - 2 * 86400)
    other_bot = __import__("tests.webapp.conftest", fromlist=["init_data"]).init_data("1:" + "A" * 30, 42)
    for auth in ("", "tma ", "tma " + forged, "tma " + stale, "tma " + other_bot, good, "Bearer " + good):
        status, body = await shop.call(42, "me", auth=auth)
        assert status == 401, auth
        assert body["error"] == "auth"
    status, body = await shop.call(42, "me")
    assert status == 200 and body["lang"] == "en"


async def test_me_speaks_the_customers_language(shop):
    status, body = await shop.call(77, "me", lang="ru")
    assert status == 200 and body["lang"] == "ru"
    assert body["texts"]["tab_orders"] == "Мои заказы"


async def test_catalogue_lists_every_visible_service_with_its_price(shop):
    status, body = await shop.call(42, "catalogue")
    assert status == 200
    keys = {row[0] for row in body["services"]}
    assert "main:1" in keys and len(keys) == len(shop.env.panel.services)
    row = next(r for r in body["services"] if r[0] == "main:1")
    assert row[3] == 900_000 and row[4] == "0.90 USD"


async def test_quote_uses_the_chats_checks_and_messages(shop):
    await shop.fund(42, "10")
    status, body = await shop.call(42, "quote", {"key": "main:1", "fields": {"link": "not a link", "quantity": "5"}})
    assert status == 200 and not body["ok"]
    assert "link" in body["errors"] and "50" in body["errors"]["quantity"]
    status, body = await shop.call(42, "quote", {"key": "main:1",
                                                 "fields": {"link": "https://instagram.com/x", "quantity": "1000"}})
    assert body["ok"] and body["price"] == 900_000 and body["after_text"] == "9.10 USD"


async def test_an_order_is_placed_once_per_token_and_a_changed_price_is_refused(shop):
    await shop.fund(42, "10")
    order = {"key": "main:1", "fields": {"link": "https://instagram.com/x", "quantity": "1000"},
             "token": "tok-abcdefgh", "price": 900_000}
    status, first = await shop.call(42, "order", order)
    assert status == 200 and first["outcome"] == "placed"
    alert = await shop.env.tg.wait_for("sendMessage", chat_id=ADMIN_CHAT_ID)  # the operators hear of it
    assert f"#{first['order_id']}" in alert.message.plain
    status, again = await shop.call(42, "order", order)
    assert again["outcome"] == "placed" and again["order_id"] == first["order_id"]
    assert len(shop.env.panel.orders) == 1
    async with shop.env.db.transaction() as conn:  # the operator raises the markup meanwhile
        await markups.put(conn, markups.SHOP_WIDE, Decimal(10))
    status, changed = await shop.call(42, "order", {**order, "token": "tok-second1"})
    assert status == 409 and changed["outcome"] == "quote_changed" and changed["price"] == 990_000
    assert len(shop.env.panel.orders) == 1


async def test_orders_are_the_customers_own(shop):
    await shop.fund(42, "10")
    order = {"key": "main:1", "fields": {"link": "https://instagram.com/x", "quantity": "100"},
             "token": "tok-owner-42", "price": 90_000}
    _, placed = await shop.call(42, "order", order)
    status, body = await shop.call(42, "orders")
    assert body["total"] == 1 and body["items"][0]["id"] == placed["order_id"]
    status, body = await shop.call(43, f"orders/{placed['order_id']}/cancel", {})
    assert status == 404
    status, body = await shop.call(42, f"orders/{placed['order_id']}/refresh", {})
    assert status == 200 and body["notice"]


async def test_the_banned_get_nothing(shop):
    await shop.call(55, "me")
    await admin_users.set_banned(shop.env.db, "55", True)
    for path in ("me", "catalogue", "orders", "balance"):
        status, body = await shop.call(55, path)
        assert status == 403 and body["error"] == "banned"


async def test_rate_limit_per_customer(shop):
    statuses = [(await shop.call(90, "me"))[0] for _ in range(shop.env.settings.webapp.webapp_rate_limit + 3)]
    assert statuses[0] == 200 and statuses[-1] == 429
    status, _ = await shop.call(91, "me")
    assert status == 200  # someone else is not slowed down


async def test_static_files_have_caching_headers(shop):
    async with shop.session.get(shop.url) as resp:
        assert resp.status == 200 and resp.headers["Cache-Control"] == "no-cache"
        assert "script-src 'self' https://telegram.org" in resp.headers["Content-Security-Policy"]
        etag, page = resp.headers["ETag"], await resp.text()
    async with shop.session.get(shop.url, headers={"If-None-Match": etag}) as resp:
        assert resp.status == 304
    app_js = re.search(r'src="(static/app\.js\?v=\w+)"', page).group(1)
    async with shop.session.get(shop.url + app_js) as resp:
        assert resp.status == 200 and "immutable" in resp.headers["Cache-Control"]
        assert resp.headers["Content-Type"].startswith("text/javascript")
        imports = re.findall(r'from "\./([\w.]+\?v=\w+)"', await resp.text())
    assert {name.split("?")[0] for name in imports} == {"api.js", "vlist.js"}
    for name in imports:
        async with shop.session.get(shop.url + "static/" + name) as resp:
            assert resp.status == 200 and "immutable" in resp.headers["Cache-Control"]
    async with shop.session.get(shop.url + "static/app.js?v=old") as resp:  # an old version's URL
        assert resp.headers["Cache-Control"] == "no-cache"


async def test_refill_and_cancel_from_my_orders(shop):
    await shop.fund(42, "10")
    base = {"key": "main:1", "fields": {"link": "https://instagram.com/x", "quantity": "100"}, "price": 90_000}
    _, first = await shop.call(42, "order", {**base, "token": "tok-refill-1"})
    _, second = await shop.call(42, "order", {**base, "token": "tok-cancel-1"})
    _, body = await shop.call(42, "orders")
    cards = {o["id"]: o for o in body["items"]}
    assert cards[second["order_id"]]["can_cancel"] and not cards[first["order_id"]]["can_refill"]

    status, cancelled = await shop.call(42, f"orders/{second['order_id']}/cancel", {})
    assert status == 200 and cancelled["notice"].startswith("✖️ Cancellation requested")
    status, again = await shop.call(42, f"orders/{second['order_id']}/cancel", {})
    assert "already" in again["notice"]

    order = await lookups.user_order(shop.env.db, 42, first["order_id"])
    shop.env.panel.complete(order.panel_order_id)
    _, refreshed = await shop.call(42, f"orders/{first['order_id']}/refresh", {})
    assert refreshed["order"]["status"] == "completed" and refreshed["order"]["can_refill"]
    _, refilled = await shop.call(42, f"orders/{first['order_id']}/refill", {})
    assert refilled["notice"].startswith("♻️ Refill requested")


async def test_every_order_type_gets_its_form_and_clear_answers(shop):
    for number, service in enumerate(shop.env.panel.services):
        key, uid = f"main:{service['service']}", 100 + number // 10  # within the per-customer rate limit
        status, page = await shop.call(uid, f"service?key={key}")
        assert status == 200, key
        names = [f["name"] for f in page["fields"]]
        assert names and names[0] == "link" or "username" in names or "media" in names, (key, names)
        status, body = await shop.call(uid, "quote", {"key": key, "fields": {}})
        assert status == 200 and not body["ok"] and body["errors"], key
        status, body = await shop.call(uid, "quote", {"key": key, "fields": {n: "x" * 300_000 for n in names}})
        assert status in (200, 413), key  # too long: refused, never a crash
    for junk in ({"key": "main:999"}, {"key": 5}, {"key": "nope"}, {}, []):
        status, body = await shop.call(42, "quote", junk)
        assert status == 404
    status, _ = await shop.call(42, "order", {"key": "main:1", "fields": {}, "token": "short", "price": 1})
    assert status == 400


async def test_subscription_and_drip_feed_forms_are_checked_like_the_chat(shop):
    await shop.fund(42, "100")
    status, page = await shop.call(42, "service?key=main:15")
    fields = {f["name"]: f for f in page["fields"]}
    assert fields["delay"]["kind"] == "choice" and fields["delay"]["choices"]
    subscription = {"username": "someone", "min": "50", "max": "100", "posts": "10", "delay": "0",
                    "expiry": "01/01/2000"}
    _, body = await shop.call(42, "quote", {"key": "main:15", "fields": subscription})
    assert set(body["errors"]) == {"expiry"}
    _, body = await shop.call(42, "quote", {"key": "main:15", "fields": {**subscription, "expiry": ""}})
    assert body["ok"] and body["price"] == 1_100_000  # 1.10 per 1000 × max 100 × 10 posts
    drip = {"link": "https://instagram.com/x", "quantity": "100", "runs": "3"}
    _, body = await shop.call(42, "quote", {"key": "main:1", "fields": drip})
    assert set(body["errors"]) == {"interval"}  # runs ask for an interval, as in the chat
    _, body = await shop.call(42, "quote", {"key": "main:1", "fields": {**drip, "interval": "30"}})
    assert body["ok"] and body["price"] == 270_000


async def test_web_traffic_form_offers_the_chats_choices_and_asks_what_the_source_needs(shop):
    await shop.fund(42, "100")
    status, page = await shop.call(42, "service?key=main:18")
    fields = {f["name"]: f for f in page["fields"]}
    assert list(fields) == ["link", "quantity", "country", "device", "type_of_traffic", "google_keyword",
                            "referring_url"]
    assert fields["device"]["kind"] == "choice" and fields["device"]["choices"][1] == [2, "🤖 Android phones"]
    assert [c[0] for c in fields["type_of_traffic"]["choices"]] == [1, 2, 3]
    assert fields["google_keyword"]["when"] == ["type_of_traffic", 1] and not fields["google_keyword"]["optional"]
    assert fields["referring_url"]["when"] == ["type_of_traffic", 2] and "when" not in fields["country"]
    base = {"link": "https://shop.example", "quantity": "2000", "country": "fr", "device": "1",
            "type_of_traffic": "1"}
    _, body = await shop.call(42, "quote", {"key": "main:18", "fields": base})
    assert set(body["errors"]) == {"google_keyword"}  # Google traffic needs the phrase
    _, body = await shop.call(42, "quote", {"key": "main:18", "fields": {**base, "type_of_traffic": "3",
                                                                      "google_keyword": "ignored"}})
    assert body["ok"] and body["price"] == 1_600_000  # 0.80 per 1000 × 2000
    _, body = await shop.call(42, "quote", {"key": "main:18", "fields": {**base, "device": "7"}})
    assert set(body["errors"]) == {"device", "google_keyword"}
    status, page = await shop.call(42, "service?key=main:17")
    assert [f["kind"] for f in page["fields"]] == ["text", "number", "lines"]
