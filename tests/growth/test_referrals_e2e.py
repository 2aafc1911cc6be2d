"""Referrals end to end: the link from the screen, arrival through it, commission as orders end (Refresh)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from telegram import Chat as TgChat
from telegram import Message, Update, User

from bot.handlers import start
from bot.handlers.referrals import start_payload
from bot.money import to_minor
from bot.storage import ledger
from bot.storage import referrals as store
from bot.storage.ledger import LedgerKind, order_reference
from bot.telegram.sync_job import STATUS_JOB, sync_service
from tests.chat_menu.conftest import Chat, start_menu_bot
from tests.fakes.telegram_records import BOT_USERNAME
from tests.growth.conftest import growth_features

REFILL_AND_CANCEL = "1"  # Instagram Followers, 0.90 per 1000 (tests/fakes/panel_catalogue.py)
LINK = re.compile(rf"https://t\.me/{BOT_USERNAME}\?start=(ref_[a-z0-9]+)")


async def my_link(chat: Chat) -> str:
    """/referrals; the /start payload of the personal link it shows."""
    screen = await chat.send("/referrals")
    found = LINK.search(screen.plain)
    assert found, screen.plain
    return found.group(1)


async def refresh(chat: Chat, order_id: int):
    """My orders → the order → Refresh; the card after."""
    listing = await chat.send("/orders")
    card = await chat.press(listing, f"#{order_id} ")
    return await chat.press(card, "Refresh")


async def commission_rows(bot, order_id: int) -> list[tuple[int, int]]:
    return [(e.user_id, e.amount) for e in await ledger.by_reference(bot.db.conn, order_reference(order_id))
            if e.kind is LedgerKind.REFERRAL]


async def test_screen_shows_link_share_button_and_figures(bot):
    ann = Chat(bot, 100)
    await ann.send("/start")
    screen = await ann.send("/referrals")
    assert "10%" in screen.plain and "Friends invited: 0" in screen.plain and "Earned: 0.00 USD" in screen.plain
    assert "No commissions yet." in screen.plain
    payload = LINK.search(screen.plain).group(1)
    assert "100" not in payload  # the code is not the Telegram id
    share = next(b for row in screen.reply_markup["inline_keyboard"] for b in row if "Share" in b["text"])
    shared = parse_qs(urlsplit(share["url"]).query)
    assert share["url"].startswith("https://t.me/share/url?")
    assert shared["url"] == [f"https://t.me/{BOT_USERNAME}?start={payload}"]
    balance = await ann.send("/balance")
    assert "Invite friends" in " ".join(ann.labels(balance))
    again = await ann.press(balance, "Invite friends")  # the same screen from the Balance button
    assert again.message_id == balance.message_id and payload in again.plain


async def test_arrival_through_the_link_then_completed_order_pays_once(bot):
    ann, ben = Chat(bot, 100), Chat(bot, 200)
    await ann.send("/start")
    payload = await my_link(ann)
    welcome = await ben.send(f"/start {payload}", username="ben")
    assert "Hi, User200!" in welcome.plain and "New order" in " ".join(ben.labels(welcome))  # /start as always
    assert await store.referrer_of(bot.db.conn, 200) == 100
    assert (await bot.db.fetchone("SELECT username, language FROM users WHERE id = 200"))[:] == ("ben", "en")

    await ben.fund("5")
    order_id = await ben.place(REFILL_AND_CANCEL, quantity=2000)  # 1.80
    before = await ann.balance()
    bot.panel.complete((await ben.order(order_id)).panel_order_id)
    done = await refresh(ben, order_id)
    assert "Completed" in done.plain
    await ben.press_data(done, ben.data_of(done, "Refresh"))  # pressed again: nothing more
    await bot.tg.settle()
    assert await commission_rows(bot, order_id) == [(100, to_minor("0.18"))]
    assert await ann.balance() == before + to_minor("0.18")
    screen = await ann.send("/referrals")
    assert "Friends invited: 1" in screen.plain and "Earned: 0.18 USD" in screen.plain
    assert "+0.18 USD · 10% of 1.80 USD" in screen.plain


async def test_partial_pays_on_the_delivered_part_and_canceled_pays_nothing(bot):
    ann, ben = Chat(bot, 100), Chat(bot, 200)
    await ann.send("/start")
    await ben.send(f"/start {await my_link(ann)}")
    await ben.fund("5")
    partial = await ben.place(REFILL_AND_CANCEL, quantity=2000)  # 1.80
    canceled = await ben.place(REFILL_AND_CANCEL, quantity=1000)  # 0.90
    bot.panel.set_status((await ben.order(partial)).panel_order_id, "Partial", remains=500)
    bot.panel.set_status((await ben.order(canceled)).panel_order_id, "Canceled", remains=1000)
    assert "Partially" in (await refresh(ben, partial)).plain
    assert "Cancel" in (await refresh(ben, canceled)).plain
    assert await commission_rows(bot, partial) == [(100, to_minor("0.135"))]  # 10% of the 1.35 kept
    assert await commission_rows(bot, canceled) == []
    assert await ann.balance() == to_minor("0.135")
    assert await ben.balance() == to_minor("5") - to_minor("1.80") + to_minor("0.45")


async def test_self_referral_and_existing_customers_do_nothing(bot):
    ann, cat = Chat(bot, 100), Chat(bot, 300)
    await ann.send("/start")
    payload = await my_link(ann)
    await ann.send(f"/start {payload}")  # their own link
    await cat.send("/start")
    await cat.send(f"/start {payload}")  # not their first contact
    await Chat(bot, 400).send("/start ref_nosuchcode")  # nobody's code: a plain /start
    for user in (100, 300, 400):
        assert await store.referrer_of(bot.db.conn, user) is None
    assert "Friends invited: 0" in (await ann.send("/referrals")).plain


async def test_no_program_no_screen_and_no_button(tmp_path):
    env = await start_menu_bot(tmp_path / "off", features=growth_features())  # REFERRAL_PERCENT unset: 0
    try:
        ann = Chat(env, 100)
        await ann.send("/start")
        assert "not running" in (await ann.send("/referrals")).plain
        assert "Invite friends" not in " ".join(ann.labels(await ann.send("/balance")))
    finally:
        await env.stop()


@pytest.mark.parametrize(("text", "chat_type", "payload"), [
    ("/start ref_abc", "private", "ref_abc"), (f"/start@{BOT_USERNAME} ref_abc", "private", "ref_abc"),
    ("/start", "private", None), ("/started ref_abc", "private", None), ("/start ref_abc", "supergroup", None),
])
def test_start_payload(text, chat_type, payload):
    chat = TgChat(id=5, type=chat_type)
    message = Message(1, datetime.now(UTC), chat, text=text, from_user=User(5, "x", False))
    assert start_payload(Update(1, message=message)) == payload


async def test_a_failing_first_contact_hook_does_not_stop_the_gate(bot):
    async def broken(rt, update):
        raise RuntimeError("a feature's bug must not cost the customer their welcome")

    start.first_contact_hooks(bot.app).insert(0, broken)  # this bot's own list: no other bot sees it
    welcome = await Chat(bot, 500).send("/start ref_whatever")
    assert "Hi, User500!" in welcome.plain
    assert (await bot.db.fetchone("SELECT language FROM users WHERE id = 500"))[0] == "en"


async def test_the_deployed_bot_credits_commission_from_its_background_sync_once(tmp_path):
    env = await start_menu_bot(tmp_path / "real", features=None,  # bot.app.FEATURES, as deployed
                               settings={"shop": {"referral_percent": "10"}})
    try:
        for job in env.app.job_queue.jobs():  # cycles are driven by the test, not the clock
            job.enabled = False
        assert {"promo", "referrals"} <= {c["command"] for c in env.tg.commands[None]}
        ann, ben = Chat(env, 100), Chat(env, 200)
        await ann.send("/start")
        await ben.send(f"/start {await my_link(ann)}")
        await ben.fund("5")
        order_id = await ben.place(REFILL_AND_CANCEL, quantity=2000)  # 1.80
        env.panel.set_status((await ben.order(order_id)).panel_order_id, "Partial", remains=1000)
        (job,) = env.app.job_queue.get_jobs_by_name(STATUS_JOB)
        for _ in range(2):
            await job.run(env.app)
            await sync_service(env.app).notifier.queue.join()
        assert (await ben.order(order_id)).status == "partial"
        assert await commission_rows(env, order_id) == [(100, to_minor("0.09"))]  # 10% of the 0.90 kept
    finally:
        await env.stop()
