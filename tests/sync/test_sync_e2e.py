"""The sync inside the real bot: jobs created at start-up, pushes over the fake Bot API (order and refill
news), blocked customers, languages, flood waits and admin alerts."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from bot.domain import order_requests
from bot.storage import orders, users
from bot.storage.db import Database
from bot.telegram import sync_job
from bot.telegram.sync_job import CATALOGUE_JOB, CATALOGUE_STARTUP_JOB, STATUS_JOB, sync_service
from tests.e2e.harness import ADMIN_CHAT_ID, BotEnv
from tests.sync.support import track_order


@pytest.fixture
def make_env(make_env: Callable[..., Awaitable[BotEnv]]) -> Callable[..., Awaitable[BotEnv]]:
    """make_env(**BotEnv options) -> a started bot with only the sync feature and its timer paused."""

    async def factory(**options) -> BotEnv:
        env = await make_env(features=[sync_job], **options)
        for job in env.app.job_queue.jobs():  # cycles are driven by the test, not the clock
            job.enabled = False
        return env

    return factory


async def run_status_job(env: BotEnv) -> None:
    """Run the status job's callback now and wait until its pushes were delivered."""
    (job,) = env.app.job_queue.get_jobs_by_name(STATUS_JOB)
    await job.run(env.app)
    await sync_service(env.app).notifier.queue.join()


async def customer(env: BotEnv, user_id: int, language: str | None = None) -> None:
    async with env.db.transaction() as conn:
        await users.touch(conn, user_id, f"user{user_id}")
        await users.set_language(conn, user_id, language)


async def test_jobs_are_created_at_start_up_from_the_database_and_pushes_arrive(tmp_path: Path) -> None:
    env = BotEnv(tmp_path, features=[sync_job], settings={"sync": {"status_poll_seconds": 5}})
    # before the bot starts: an order the panel completed meanwhile, and one a crash left mid-add
    panel_id = env.panel.seed_order("1", quantity=1000)
    env.panel.complete(panel_id)
    db = await Database.open(env.database_path)
    order_id, _ = await track_order(db, env.panel, user_id=42, panel_order_id=panel_id)
    crashed, _ = await track_order(db, env.panel, user_id=43, panel_order_id="unused")
    await db.conn.execute("UPDATE orders SET status = 'submitting', panel_order_id = NULL WHERE id = ?", (crashed,))
    await db.close()
    await env.start()
    try:
        assert {j.name for j in env.app.job_queue.jobs()} == {STATUS_JOB, CATALOGUE_JOB, CATALOGUE_STARTUP_JOB}
        message = await env.tg.next_message(42, timeout=15)  # the first cycle runs on its own, 5 s in
        assert f"Order #{order_id}" in message.plain and "completed" in message.plain
        await sync_service(env.app).notifier.queue.join()
        assert (await orders.get(env.db.conn, order_id)).notified_status == "completed"
        admin = await env.tg.wait_for("sendMessage", lambda c: "reconciliation" in (c.text or ""),
                                      chat_id=ADMIN_CHAT_ID, timeout=10)
        assert f"#{crashed}" in admin.text and "interrupted" in admin.text
        deadline = time.monotonic() + 10  # the catalogue was fetched in the background at start-up
        while (await env.db.fetchone("SELECT COUNT(*) FROM services"))[0] == 0:
            assert time.monotonic() < deadline, "the catalogue was not refreshed at start-up"
            await asyncio.sleep(0.05)
    finally:
        await env.stop()


async def test_a_blocked_customer_is_marked_and_not_messaged_on_the_next_change(make_env) -> None:
    env = await make_env()
    await customer(env, 42)
    first, first_panel = await track_order(env.db, env.panel, user_id=42)
    second, second_panel = await track_order(env.db, env.panel, user_id=42)
    env.tg.blocked.add(42)
    env.panel.set_status(first_panel, "In progress", start_count=5)
    await run_status_job(env)
    assert (await users.get(env.db.conn, 42)).blocked
    assert [c.ok for c in env.tg.calls_of("sendMessage", chat_id=42)] == [False]
    env.panel.complete(first_panel)
    env.panel.complete(second_panel)
    await run_status_job(env)
    assert len(env.tg.calls_of("sendMessage", chat_id=42)) == 1  # not tried again
    assert [(await orders.get(env.db.conn, i)).status for i in (first, second)] == ["completed", "completed"]


async def test_pushes_speak_each_customers_language_and_admins_hear_an_outage_once(make_env) -> None:
    env = await make_env(panels={"main": "folgen", "second": "server"})
    await customer(env, 42, "ru")
    await customer(env, 43, "en")
    _, ru_panel = await track_order(env.db, env.panel, user_id=42)
    _, en_panel = await track_order(env.db, env.panel, user_id=43)
    await track_order(env.db, env.panels["second"], "second", user_id=44)
    await env.panels["second"].stop()
    env.panel.complete(ru_panel)
    env.panel.complete(en_panel)
    await run_status_job(env)
    await run_status_job(env)
    assert "выполнен" in env.tg.last_message(42).plain
    assert "completed" in env.tg.last_message(43).plain
    posts = [m.plain for m in env.tg.messages_to(ADMIN_CHAT_ID)]
    assert len([p for p in posts if "second" in p and "not answering" in p]) == 1, posts


async def test_a_burst_of_pushes_queues_through_a_flood_wait(make_env) -> None:
    env = await make_env()
    ids = []
    for user_id in range(100, 130):
        await customer(env, user_id)
        ids.append(await track_order(env.db, env.panel, user_id=user_id, price=0))
    for _, panel_id in ids:
        env.panel.complete(panel_id)
    env.tg.fail_next("sendMessage", 429, retry_after=1)  # Telegram says: slow down
    mark = len(env.tg.calls)
    await run_status_job(env)
    delivered = {c.chat_id for c in env.tg.calls_of("sendMessage", since=mark) if c.ok}
    assert delivered == set(range(100, 130))
    assert any(not c.ok for c in env.tg.calls_of("sendMessage", since=mark))  # the 429 happened


async def test_a_refills_completed_reaches_the_customers_chat_once_in_their_language(make_env) -> None:
    env = await make_env()
    texts = {42: "✅ Докрутка заказа #{} (Followers <Real> & Co) выполнена.",
             43: "✅ The refill of order #{} (Followers <Real> & Co) is completed."}
    placed = {}
    for user_id, language in ((42, "ru"), (43, "en")):
        await customer(env, user_id, language)
        placed[user_id] = await track_order(env.db, env.panel, user_id=user_id, fake_status="Completed")
    await run_status_job(env)  # completed on our side too (and said so)
    for user_id, (order_id, _) in placed.items():
        assert (await orders.get(env.db.conn, order_id)).status == "completed"
        result = await order_requests.request_refill(env.db, env.runtime.panels, user_id, order_id)
        assert isinstance(result, order_requests.Accepted) and result.confirmed, result
    mark = len(env.tg.calls)
    await run_status_job(env)
    assert env.tg.calls_of("sendMessage", since=mark) == []  # the refills are still Pending: nothing to tell
    for _, panel_id in placed.values():
        (refill_id,) = env.panel.orders[panel_id].refills
        env.panel.set_refill_status(refill_id, "Completed")
    await run_status_job(env)
    await run_status_job(env)  # a second cycle has nothing more to say
    for user_id, (order_id, _) in placed.items():
        sent = env.tg.calls_of("sendMessage", since=mark, chat_id=user_id)
        assert [(c.ok, c.message.plain) for c in sent] == [(True, texts[user_id].format(order_id))]
