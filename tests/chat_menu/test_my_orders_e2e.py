"""My orders end to end: list, card, Refresh / Refill / Cancel by the service and state, forged and stale buttons."""

from __future__ import annotations

import asyncio

from bot.money import to_minor
from bot.render.menu_views import orders_page_data
from bot.render.order_list_views import action_data, card_data
from bot.storage import ledger
from bot.storage.ledger import LedgerKind, order_reference
from tests.chat_menu.conftest import Chat

# services of the fake panel's catalogue (tests/fakes/panel_catalogue.py)
REFILL_AND_CANCEL = "1"  # Instagram Followers <Real> & Active, 0.90 per 1000
NEITHER = "5"  # Instagram Mentions


async def open_card(chat: Chat, order_id: int):
    """/orders, then the order's button."""
    listing = await chat.send("/orders")
    return await chat.press(listing, f"#{order_id} ")


async def test_list_shows_orders_newest_first_and_the_card(bot, alice):
    await alice.fund("10")
    first = await alice.place(quantity=1000)
    second = await alice.place(quantity=2000, link="https://instagram.com/p/<b>&")
    listing = await alice.send("/orders")
    labels = alice.labels(listing)
    assert labels[0].startswith(f"🕓 #{second}") and labels[1].startswith(f"🕓 #{first}")
    card = await alice.press(listing, f"#{second} ")
    assert card.message_id == listing.message_id  # the list message becomes the card
    assert f"Order #{second}" in card.plain
    assert "Instagram Followers <Real> & Active" in card.plain  # escaped in HTML, shown as is
    assert "Link: https://instagram.com/p/<b>&" in card.plain
    assert "Quantity: 2000" in card.plain and "Price: 1.80 USD" in card.plain
    assert "Status: 🕓 Pending" in card.plain
    back = await alice.press(card, "My orders")
    assert f"#{first}" in " ".join(alice.labels(back))


async def test_empty_list_offers_a_new_order(bot, alice):
    listing = await alice.send("/orders")
    assert "no orders yet" in listing.plain and "New order" in " ".join(alice.labels(listing))


async def test_list_pages(bot, alice):
    await alice.fund("20")
    ids = [await alice.place(quantity=100) for _ in range(9)]
    listing = await alice.send("/orders")
    assert "Page 1 of 2" in listing.plain and f"#{ids[-1]} " in " ".join(alice.labels(listing))
    page2 = await alice.press(listing, "2 »")
    assert "Page 2 of 2" in page2.plain
    assert f"#{ids[0]} " in " ".join(alice.labels(page2)) and f"#{ids[-1]} " not in " ".join(alice.labels(page2))
    card = await alice.press(page2, f"#{ids[0]} ")
    back = await alice.press(card, "My orders")
    assert "Page 2 of 2" in back.plain  # back to the page it came from
    first_page = await alice.press(back, "« 1")
    mark = len(bot.tg.calls)
    await alice.press_data(first_page, orders_page_data(7))  # a page that no longer exists: the last one
    await bot.tg.settle()
    assert "Page 2 of 2" in first_page.plain and bot.tg.calls_of("sendMessage", since=mark) == []


async def test_buttons_follow_service_flags_and_state(bot, alice):
    await alice.fund("10")
    both = await alice.place(REFILL_AND_CANCEL, quantity=1000)
    neither = await alice.place(NEITHER, quantity=100, usernames=("ann", "bob"))
    card = await open_card(alice, both)
    assert "Cancel order" in " ".join(alice.labels(card)) and "Refill" not in " ".join(alice.labels(card))
    plain = await open_card(alice, neither)
    assert "Cancel order" not in " ".join(alice.labels(plain)) and "Refill" not in " ".join(alice.labels(plain))
    assert "Refresh" in " ".join(alice.labels(plain))

    bot.panel.complete((await alice.order(both)).panel_order_id)
    done = await alice.press(card, "Refresh")
    assert "Status: ✅ Completed" in done.plain and "Remains: 0" in done.plain
    assert "Refill" in " ".join(alice.labels(done)) and "Cancel order" not in " ".join(alice.labels(done))


async def test_refresh_partial_refunds_once_even_pressed_twice(bot, alice):
    await alice.fund("1")
    order_id = await alice.place(REFILL_AND_CANCEL, quantity=1000)  # 0.90
    card = await open_card(alice, order_id)
    bot.panel.set_status((await alice.order(order_id)).panel_order_id, "Partial", remains=500, start_count=120)
    refreshed = await alice.press(card, "Refresh")
    assert "Status: 🌓 Partially completed" in refreshed.plain
    assert "Start count: 120" in refreshed.plain and "Remains: 500" in refreshed.plain
    assert "Refunded to your balance: 0.45 USD" in refreshed.plain
    assert "0.45 USD was returned" in refreshed.plain
    answer = await alice.press_data(refreshed, alice.data_of(refreshed, "Refresh"))
    assert answer.ok
    await bot.tg.settle()
    again = bot.tg.last_message(42)
    assert "Refunded to your balance: 0.45 USD" in again.plain and "was returned" not in again.plain
    assert await alice.balance() == to_minor("0.10") + to_minor("0.45")
    rows = await ledger.by_reference(bot.db.conn, order_reference(order_id))
    assert [r.kind for r in rows].count(LedgerKind.REFUND) == 1
    assert (await alice.order(order_id)).notified_status == "partial"  # seen in the card: the sync need not push


async def test_refresh_with_no_news_is_not_an_error(bot, alice):
    await alice.fund("1")
    order_id = await alice.place(quantity=100)
    card = await open_card(alice, order_id)
    first = await alice.press(await alice.press(card, "Refresh"), "Refresh")  # the first learns start count
    assert "No news" in first.plain
    mark = len(bot.tg.calls)
    await alice.press_data(first, alice.data_of(first, "Refresh"))  # identical card: "not modified"
    await bot.tg.settle()
    assert [c.method for c in bot.tg.calls[mark:] if c.method == "sendMessage"] == []  # no error message
    assert bot.tg.calls_of("editMessageText", since=mark)[-1].error is not None  # Telegram said not modified


async def test_refresh_when_the_panel_is_down(bot, alice):
    await alice.fund("1")
    order_id = await alice.place(quantity=100)
    card = await open_card(alice, order_id)
    bot.panel.inject("status", "html502", times=5)
    shown = await alice.press(card, "Refresh")
    assert "did not answer" in shown.plain and "Pending" in shown.plain


async def test_cancel_asks_first_then_requests_it(bot, alice):
    await alice.fund("1")
    order_id = await alice.place(REFILL_AND_CANCEL, quantity=1000)
    card = await open_card(alice, order_id)
    question = await alice.press(card, "Cancel order")
    assert "Cancel this order?" in question.plain
    kept = await alice.press(question, "No, keep it")
    assert "Cancel this order?" not in kept.plain and bot.panel.requests["cancel"] + bot.panel.requests[
        "cancel_multi"] == 0
    question = await alice.press(kept, "Cancel order")
    done = await alice.press(question, "Yes, cancel it")
    assert "Cancellation requested" in done.plain
    assert "Cancel order" not in " ".join(alice.labels(done))  # requested once: the button is gone
    assert (await alice.order(order_id)).cancel_state == "requested"


async def test_refill_request_and_refusal_in_the_card(bot, alice):
    await alice.fund("2")
    order_id = await alice.place(REFILL_AND_CANCEL, quantity=1000)
    bot.panel.complete((await alice.order(order_id)).panel_order_id)
    card = await alice.press(await open_card(alice, order_id), "Refresh")
    requested = await alice.press(card, "Refill")
    assert "Refill requested" in requested.plain and "Refill: requested, in progress" in requested.plain
    assert "♻️ Refill" not in alice.labels(requested)  # one at a time

    other = await alice.place(REFILL_AND_CANCEL, quantity=1000)
    bot.panel.complete((await alice.order(other)).panel_order_id)
    card = await alice.press(await open_card(alice, other), "Refresh")
    bot.panel.inject("refill", "error", message="Refill <not> available")
    refused = await alice.press(card, "Refill")
    assert "The request was refused" in refused.plain
    assert "<not>" not in refused.plain  # the panel's words are for admins only (/order shows them)


async def test_forged_button_for_someone_elses_order_changes_nothing(bot, alice, bob):
    await alice.fund("1")
    order_id = await alice.place(REFILL_AND_CANCEL, quantity=1000)
    await bob.send("/start")
    own = await bob.send("/orders")
    before = bot.panel.requests.copy()
    for data in (card_data(order_id, 0), action_data("refresh", order_id, 0),
                 action_data("cancel", order_id, 0), action_data("refill", order_id, 0),
                 action_data("cancel_ask", order_id, 0)):
        answer = await bob.press_data(own, data)
        assert "not found among yours" in answer.params["text"]
    await bot.tg.settle()
    assert bot.panel.requests == before  # the panel was never asked
    assert own.edits == 0 and (await alice.order(order_id)).cancel_state is None
    garbage = await bob.press_data(own, "myo:card:x:0")
    assert "out of date" in garbage.params["text"]


async def test_stale_cancel_button_after_the_order_finished(bot, alice):
    await alice.fund("1")
    order_id = await alice.place(REFILL_AND_CANCEL, quantity=1000)
    card = await open_card(alice, order_id)
    cancel_yes = action_data("cancel", order_id, 0)
    bot.panel.complete((await alice.order(order_id)).panel_order_id)
    fresh = await alice.press(card, "Refresh")
    mark = len(bot.tg.calls)
    bot.tg.press(42, fresh, cancel_yes)  # an old "Yes, cancel it" pressed after completion
    shown = (await alice.call_after(mark, ("editMessageText",))).message
    assert "cannot be cancelled now" in shown.plain and "Completed" in shown.plain
    assert bot.panel.requests["cancel"] + bot.panel.requests["cancel_multi"] == 0


async def test_a_slow_panel_stalls_nobody_else(bot, alice, bob):
    await alice.fund("1")
    order_id = await alice.place(quantity=100)
    card = await open_card(alice, order_id)
    bot.panel.hang_seconds = 1.5
    bot.panel.inject("status", "hang")
    mark = len(bot.tg.calls)
    bot.tg.press_button(42, card, "Refresh")
    await asyncio.sleep(0.1)
    reply = await bob.send("/start")
    assert "Hi," in reply.plain
    assert bot.tg.calls_of("editMessageText", since=mark, chat_id=42) == []  # Alice's refresh still waits
    shown = (await alice.call_after(mark, ("editMessageText",), timeout=5)).message
    assert "Order #" in shown.plain
