"""Commission notices end to end: the referrer hears once, in their language, after the order ends."""

from __future__ import annotations

from bot.domain import refunds
from bot.handlers.referrals import NOTICE_JOB
from bot.storage import orders
from bot.storage import referrals as store
from bot.storage.db import Database
from tests.chat_menu.conftest import Chat
from tests.growth.test_referrals_e2e import REFILL_AND_CANCEL, my_link, refresh

ANN, BEN = 100, 200


async def referred_order(bot, *, quantity: int = 2000) -> int:
    """Ben arrives through Ann's link and orders (1.80 for 2000); the order completes (Refresh): its id."""
    ann, ben = Chat(bot, ANN), Chat(bot, BEN)
    if await store.referrer_of(bot.db.conn, BEN) is None:
        await ann.send("/start")
        await ben.send(f"/start {await my_link(ann)}")
        await ben.fund("5")
    order_id = await ben.place(REFILL_AND_CANCEL, quantity=quantity)
    bot.panel.complete((await ben.order(order_id)).panel_order_id)
    assert "Completed" in (await refresh(ben, order_id)).plain
    return order_id


async def run_notices(bot) -> list:
    """One run of the notice job (the clock's runs are switched off); the sendMessage calls it made."""
    for job in bot.app.job_queue.jobs():
        job.enabled = False
    (job,) = bot.app.job_queue.get_jobs_by_name(NOTICE_JOB)
    mark = len(bot.tg.calls)
    await job.run(bot.app)
    return bot.tg.calls_of("sendMessage", since=mark)


async def test_completed_order_tells_the_referrer_once(bot):
    order_id = await referred_order(bot)
    sent = await run_notices(bot)
    assert [(c.chat_id, c.message.plain) for c in sent] == [
        (ANN, "🎉 You earned 0.18 USD from your friend's order.")]
    assert await run_notices(bot) == []  # a repeated run: nothing more
    await refresh(Chat(bot, BEN), order_id)  # the order seen again: still nothing
    assert await run_notices(bot) == []


async def test_notice_in_the_referrers_language(bot):
    ann = Chat(bot, ANN)
    await ann.send("/start", lang="ru")
    await referred_order(bot)
    (sent,) = await run_notices(bot)
    assert sent.chat_id == ANN and sent.message.plain == "🎉 Вы заработали 0.18 USD с заказа друга."


async def test_blocked_referrer_is_marked_and_skipped(bot):
    first = await referred_order(bot)
    bot.tg.blocked.add(ANN)
    (refused,) = await run_notices(bot)
    assert refused.chat_id == ANN and not refused.ok and "blocked" in refused.error  # Telegram's 403
    assert (await bot.db.fetchone("SELECT blocked FROM users WHERE id = ?", (ANN,)))[0] == 1
    assert await store.unannounced_commissions(bot.db.conn) == []  # dropped, not retried each run
    second = await referred_order(bot, quantity=1000)
    assert await run_notices(bot) == []  # not even tried: known to have blocked the bot
    assert await store.unannounced_commissions(bot.db.conn) == []
    assert {c.order_id for c in await store.recent_commissions(bot.db.conn, ANN)} == {first, second}


async def test_take_back_after_the_notice_is_not_announced(bot):
    order_id = await referred_order(bot)
    assert len(await run_notices(bot)) == 1
    async with bot.db.transaction() as conn:  # an admin refunds half of the completed order
        await refunds.refund(conn, await orders.get(conn, order_id), 900_000, actor=1)
    assert (await store.commission_of(bot.db.conn, order_id)).amount == 90_000  # taken back to 10% of 0.90
    assert await run_notices(bot) == []


async def test_take_back_before_the_notice_lowers_what_is_announced(bot):
    order_id = await referred_order(bot)
    async with bot.db.transaction() as conn:
        await refunds.refund(conn, await orders.get(conn, order_id), 900_000, actor=1)
    (sent,) = await run_notices(bot)
    assert sent.message.plain == "🎉 You earned 0.09 USD from your friend's order."


async def test_commissions_settled_before_the_upgrade_are_never_announced(tmp_path):
    old = await Database.open(tmp_path / "old.db", up_to=6)
    await old.conn.execute("PRAGMA foreign_keys = OFF")  # a bare settlement row, without its order
    async with old.transaction() as conn:
        await conn.execute("INSERT INTO referral_commissions VALUES (7, ?, ?, '10', 1000000, 100000, 't', 't')",
                           (ANN, BEN))
    await old.close()
    upgraded = await Database.open(tmp_path / "old.db")
    try:
        assert await store.unannounced_commissions(upgraded.conn) == []
        assert (await upgraded.fetchone("SELECT announced FROM referral_commissions"))[0] == 1
    finally:
        await upgraded.close()


async def test_a_server_error_leaves_the_notice_for_the_next_run_a_refusal_drops_it(bot):
    await referred_order(bot)
    bot.tg.fail_next("sendMessage", 502, "Bad Gateway")
    (failed,) = await run_notices(bot)
    assert not failed.ok and len(await store.unannounced_commissions(bot.db.conn)) == 1  # kept for later
    (sent,) = await run_notices(bot)
    assert sent.ok and "You earned 0.18 USD" in sent.message.plain
    await referred_order(bot, quantity=1000)
    bot.tg.fail_next("sendMessage", 400, "Bad Request: something odd")
    (refused,) = await run_notices(bot)
    assert not refused.ok and await store.unannounced_commissions(bot.db.conn) == []  # not retried forever
