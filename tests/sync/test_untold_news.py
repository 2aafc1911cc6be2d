"""News a stop kept from customers: a status change applied but never delivered is pushed once at the next
start; delivered news, blocked customers and changes older than the resend window are left alone."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.domain.sync import StatusSync
from bot.domain.sync_untold import RESEND_WINDOW, untold_updates
from bot.storage import orders, users
from bot.telegram import sync_job
from bot.telegram.sync_job import sync_service
from tests.e2e.harness import BotEnv
from tests.sync.support import RecordingNotifier, track_order
from tests.sync.test_sync_e2e import run_status_job


def pause_jobs(env: BotEnv) -> None:
    """Cycles are driven by the test, not the clock."""
    for job in env.app.job_queue.jobs():
        job.enabled = False


@pytest.fixture
async def env(tmp_path: Path) -> AsyncIterator[BotEnv]:
    bot = BotEnv(tmp_path, features=[sync_job])
    await bot.start()
    pause_jobs(bot)
    yield bot
    await bot.stop()


async def restart(env: BotEnv) -> None:
    await env.restart()
    pause_jobs(env)


async def apply_undelivered(env: BotEnv) -> None:
    """A cycle applies the panel's answers but its pushes are lost, as when the bot stops right after."""
    await StatusSync(concurrency=2, miss_alert=3, poll_seconds=60).run_cycle(
        env.db, env.runtime.panels, RecordingNotifier())


async def completed_order(env: BotEnv, user_id: int) -> int:
    order_id, panel_id = await track_order(env.db, env.panel, user_id=user_id)
    env.panel.complete(panel_id)
    return order_id


def sent_to(env: BotEnv, user_id: int) -> list[str]:
    return [c.message.plain for c in env.tg.calls_of("sendMessage", chat_id=user_id) if c.ok]


async def test_a_change_left_undelivered_by_a_stop_is_pushed_once_after_the_next_start(env: BotEnv) -> None:
    order_id = await completed_order(env, 42)
    await apply_undelivered(env)
    assert (await orders.get(env.db.conn, order_id)).status == "completed"
    await restart(env)
    service = sync_service(env.app)
    assert service.notifier.queued_orders[order_id] == 1  # queued at start-up
    assert await service.resend_untold(env.runtime) == 0  # already queued: not queued twice
    await run_status_job(env)
    await run_status_job(env)
    (text,) = sent_to(env, 42)
    assert f"Order #{order_id}" in text and "completed" in text
    assert (await orders.get(env.db.conn, order_id)).notified_status == "completed"
    await restart(env)
    await run_status_job(env)
    assert len(sent_to(env, 42)) == 1


async def test_news_delivered_before_a_restart_is_not_pushed_again(env: BotEnv) -> None:
    order_id = await completed_order(env, 42)
    await run_status_job(env)
    assert len(sent_to(env, 42)) == 1
    await restart(env)
    assert len(sync_service(env.app).notifier.queue) == 0
    await run_status_job(env)
    assert len(sent_to(env, 42)) == 1
    assert (await orders.get(env.db.conn, order_id)).notified_status == "completed"


async def test_a_customer_who_blocked_the_bot_is_not_told_after_a_restart(env: BotEnv) -> None:
    await completed_order(env, 42)
    told = await completed_order(env, 43)
    await apply_undelivered(env)
    async with env.db.transaction() as conn:
        await users.set_blocked(conn, 42)
    await restart(env)
    assert list(sync_service(env.app).notifier.queued_orders) == [told]  # the blocked one is not even queued
    await run_status_job(env)
    assert env.tg.calls_of("sendMessage", chat_id=42) == []
    assert len(sent_to(env, 43)) == 1


async def test_a_change_older_than_the_resend_window_is_not_pushed(env: BotEnv) -> None:
    old = await completed_order(env, 42)
    recent = await completed_order(env, 43)
    await apply_undelivered(env)
    now = datetime.now(UTC)
    for order_id, age in ((old, RESEND_WINDOW + timedelta(hours=1)), (recent, RESEND_WINDOW - timedelta(hours=1))):
        await env.db.conn.execute("UPDATE orders SET updated_at = ? WHERE id = ?",
                                  ((now - age).isoformat(timespec="seconds"), order_id))
    await env.db.conn.commit()
    await restart(env)
    await run_status_job(env)
    assert sent_to(env, 42) == []
    assert len(sent_to(env, 43)) == 1


async def test_untold_news_is_built_like_a_live_change_with_its_refund(env: BotEnv) -> None:
    order_id, panel_id = await track_order(env.db, env.panel, user_id=42, price=2_000_000)
    env.panel.set_status(panel_id, "Canceled")
    await apply_undelivered(env)
    (update,) = await untold_updates(env.db)
    assert (update.order_id, update.user_id, update.kind, update.status, update.refund) == (
        order_id, 42, "canceled", "canceled", 2_000_000)
    assert await untold_updates(env.db, skip={order_id}) == []


async def test_news_that_failed_to_arrive_is_no_longer_counted_as_queued(env: BotEnv) -> None:
    order_id = await completed_order(env, 42)
    env.tg.missing_chats.add(42)  # the push fails: nothing marks the order told
    await run_status_job(env)
    service = sync_service(env.app)
    assert order_id not in service.notifier.queued_orders
    assert await service.resend_untold(env.runtime) == 1  # so a later resend may try it again


async def test_untold_news_of_a_held_order_still_says_the_shop_will_check(env: BotEnv) -> None:
    order_id, panel_id = await track_order(env.db, env.panel, user_id=42, price=2_000_000)
    env.panel.set_status(panel_id, "Partial", remains="")
    await apply_undelivered(env)
    (update,) = await untold_updates(env.db)
    assert (update.order_id, update.kind, update.refund, update.held) == (order_id, "partial", 0, True)
