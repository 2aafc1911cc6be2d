"""The customer's side: where support starts (Help, /support, an order card), the order flow untouched, limits."""

from __future__ import annotations

import time
from decimal import Decimal

from bot.domain import ordering, wallet
from bot.domain.order_results import Placed
from bot.money import to_minor
from bot.panel.models import OrderRequest
from tests.e2e.harness import ADMIN_CHAT_ID
from tests.support.conftest import ALICE, Desk, eventually


async def test_help_offers_contact_support(desk):
    await desk.start(ALICE)
    tg = desk.tg
    tg.send_text(ALICE, "/help")
    help_screen = await tg.next_message(ALICE)
    assert "💬 Contact support" in [label for label, _ in help_screen.buttons]
    tg.press_button(ALICE, help_screen, "Contact support")
    prompt = await tg.next_message(ALICE)
    assert prompt.reply_markup.get("force_reply") and "as a reply to this one" in prompt.plain
    copy = await desk.write(ALICE, prompt, text="Hello")
    assert copy.params["message_thread_id"]


async def test_a_customer_mid_order_keeps_their_step(make_desk):
    desk = await make_desk(panels={"main": "sofia"})
    await desk.env.load_catalogue()
    tg = desk.tg
    await desk.start(ALICE)
    for action, shows in [("/order", "Choose a platform"), ("Instagram", "choose a category"),
                          ("Instagram Followers", "choose a service"),
                          ("Instagram Followers <Real>", "Minimum 50, maximum 10000"), ("Order this", "Send the link")]:
        if action.startswith("/"):
            tg.send_text(ALICE, action)
            screen = await tg.next_message(ALICE)
        else:
            mark = len(tg.calls)
            tg.press_button(ALICE, screen, action)
            screen = (await tg.wait_for(("editMessageText", "sendMessage"), lambda c: c.ok, chat_id=ALICE,
                                        since=mark)).message
        assert shows in screen.plain
    prompt = await desk.prompt(ALICE)  # /support in the middle of the order
    copy = await desk.write(ALICE, prompt, text="Is the link a profile or a post?")
    assert copy.params["message_thread_id"]
    await desk.ack(ALICE)
    # the order flow never saw the support message: it still waits for the link, and takes it
    tg.send_text(ALICE, "https://instagram.com/p/1")
    assert "How many?" in (await tg.next_message(ALICE)).plain
    # and a plain message is never taken by support
    tg.send_text(ALICE, "100")
    assert "Drip-feed" in (await tg.next_message(ALICE)).plain
    assert len(tg.calls_of("copyMessage", chat_id=ADMIN_CHAT_ID)) == 1


async def place_order(desk: Desk, user_id: int) -> int:
    await wallet.credit(desk.env.db, user_id, to_minor(Decimal("10")), note="test funds")
    await desk.env.load_catalogue()
    request = OrderRequest(service="1", link="https://instagram.com/p/x", quantity=1000)
    result = await ordering.place_order(desk.env.db, desk.env.runtime.panels, user_id=user_id, panel="main",
                                        request=request, client_token=f"support-{time.monotonic_ns()}",
                                        default_markup=Decimal(0))
    assert isinstance(result, Placed)
    return result.order_id


async def test_ask_about_this_order_attaches_the_order(desk):
    tg = desk.tg
    await desk.start(ALICE)
    order_id = await place_order(desk, ALICE)
    tg.send_text(ALICE, "/orders")
    listing = await tg.next_message(ALICE)
    mark = len(tg.calls)
    tg.press_button(ALICE, listing, f"#{order_id} ")
    card = (await tg.wait_for("editMessageText", lambda c: c.ok, chat_id=ALICE, since=mark)).message
    assert "💬 Ask about this order" in [label for label, _ in card.buttons]
    mark = len(tg.calls)
    tg.press_button(ALICE, card, "Ask about this order")
    prompt = (await tg.wait_for("sendMessage", lambda c: c.ok, chat_id=ALICE, since=mark)).message
    assert f"order #{order_id}" in prompt.plain
    copy = await desk.write(ALICE, prompt, text="It has not started")
    thread = copy.params["message_thread_id"]
    card_post = tg.topic_messages(ADMIN_CHAT_ID, thread)[0]
    assert f"Asks about order #{order_id}:" in card_post.plain and f"#{order_id} · pending" in card_post.plain
    row = await desk.env.db.fetchone("SELECT order_id FROM support_tickets")
    assert row[0] == order_id


async def test_someone_elses_order_cannot_be_attached(desk):
    tg = desk.tg
    await desk.start(ALICE)
    await desk.start(43)
    order_id = await place_order(desk, 43)
    tg.send_text(ALICE, "/orders")
    listing = await tg.next_message(ALICE)
    mark = len(tg.calls)
    tg.press(ALICE, listing, f"sup:ask:{order_id}")  # forged
    answer = await tg.wait_for("answerCallbackQuery", since=mark)
    assert "not found" in answer.params.get("text", "").lower()
    await desk.quiet()
    assert not [c for c in tg.calls[mark:] if c.method == "sendMessage" and c.chat_id == ALICE]


async def test_a_flood_becomes_one_notice(make_desk):
    desk = await make_desk(settings={"support": {"support_max_messages": 2, "support_window_seconds": 600}})
    tg = desk.tg
    await desk.start(ALICE)
    prompt = await desk.prompt(ALICE)
    mark = len(tg.calls)
    for n in range(6):
        tg.send_message_update(ALICE, reply_to=prompt, text=f"message {n}")
    await desk.quiet(0.5)
    copies = tg.calls_of("copyMessage", since=mark, chat_id=ADMIN_CHAT_ID)
    notices = [c for c in tg.calls_of("sendMessage", since=mark, chat_id=ALICE) if "a lot of messages" in c.text]
    assert len(copies) == 2 and len(notices) == 1


async def test_only_replies_to_support_messages_reach_support(desk):
    tg = desk.tg
    await desk.start(ALICE)
    menu = tg.last_message(ALICE)
    mark = len(tg.calls)
    tg.send_message_update(ALICE, reply_to=menu, text="a reply to the menu")  # not a support message
    tg.send_text(ALICE, "just text")
    await desk.quiet()
    assert not tg.calls_of("copyMessage", since=mark)
    prompt = await desk.prompt(ALICE)
    mark = len(tg.calls)
    tg.send_update({"message": {"message_id": 900, "date": int(time.time()), "chat": tg.chat(ALICE),
                                "from": tg.user(ALICE), "reply_to_message": prompt.to_api(),
                                "location": {"latitude": 1.0, "longitude": 2.0}}})
    explained = await tg.next_message(ALICE)
    assert "cannot be sent to support" in explained.plain
    assert not tg.calls_of("copyMessage", since=mark)


async def test_without_an_admin_group_support_says_so(make_desk):
    desk = await make_desk(admin_chat_id=None)
    tg = desk.tg
    await desk.start(ALICE)
    tg.send_text(ALICE, "/help")
    assert "Contact support" not in str((await tg.next_message(ALICE)).buttons)
    tg.send_text(ALICE, "/support")
    assert "not available" in (await tg.next_message(ALICE)).plain


async def test_an_admin_group_that_cannot_be_reached_is_explained_to_the_customer(desk):
    await desk.start(ALICE)
    prompt = await desk.prompt(ALICE)
    desk.tg.missing_chats.add(ADMIN_CHAT_ID)
    desk.tg.send_message_update(ALICE, reply_to=prompt, text="hello")
    assert "could not reach the shop" in (await desk.tg.next_message(ALICE)).plain
    desk.tg.missing_chats.discard(ADMIN_CHAT_ID)
    copy = await desk.write(ALICE, prompt, text="hello again")
    card = desk.tg.topic_messages(ADMIN_CHAT_ID, copy.params["message_thread_id"])[0]
    assert "Ticket #1" in card.plain  # the card the first message could not post


async def test_support_with_words_is_a_message_for_the_shop(desk):
    await desk.start(ALICE)
    desk.tg.send_text(ALICE, "/support my order is stuck")
    copy = await desk.tg.wait_for("copyMessage", lambda c: c.ok, chat_id=ADMIN_CHAT_ID)
    assert desk.tg.topic_messages(ADMIN_CHAT_ID, copy.params["message_thread_id"])[-1].plain == \
        "/support my order is stuck"
    assert "ticket #1" in (await desk.ack(ALICE)).plain


async def test_an_album_goes_whole_and_counts_once(make_desk):
    desk = await make_desk(settings={"support": {"support_max_messages": 2, "support_window_seconds": 600}})
    tg = desk.tg
    await desk.start(ALICE)
    prompt = await desk.prompt(ALICE)
    mark = len(tg.calls)
    tg.send_message_update(ALICE, reply_to=prompt, photo=True, caption="album", media_group_id="g1")
    for _ in range(4):  # the client marked only the first photo as the reply
        tg.send_message_update(ALICE, photo=True, media_group_id="g1")
    await eventually(lambda: len(tg.calls_of("copyMessage", since=mark, chat_id=ADMIN_CHAT_ID)) == 5)
    tg.send_message_update(ALICE, photo=True, media_group_id="g2")  # another album, not a reply: not support
    tg.send_text(ALICE, "plain text is still not support")
    await desk.quiet()
    assert len(tg.calls_of("copyMessage", since=mark, chat_id=ADMIN_CHAT_ID)) == 5
    assert not [c for c in tg.calls_of("sendMessage", since=mark, chat_id=ALICE) if "a lot of messages" in c.text]
