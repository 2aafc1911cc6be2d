"""Background pushes: a customer who blocked the bot is marked, a 429 is waited out."""

from __future__ import annotations

import time

from bot.storage import users
from bot.telegram.notify import send_to_user


async def _known_user(env, user_id: int) -> None:
    async with env.db.transaction() as conn:
        await users.touch(conn, user_id, "someone")


async def test_push_arrives(make_env) -> None:
    env = await make_env(features=[])
    await _known_user(env, 42)
    assert await send_to_user(env.app.bot, env.db, 42, "<b>Order 1</b> completed") is True
    assert env.tg.last_message(42).plain == "Order 1 completed"


async def test_blocked_customer_is_marked_and_reported_false(make_env) -> None:
    env = await make_env(features=[])
    await _known_user(env, 42)
    env.tg.blocked.add(42)
    assert await send_to_user(env.app.bot, env.db, 42, "hello") is False
    assert (await users.get(env.db.conn, 42)).blocked is True
    # writing to the bot again clears it (users.touch), so pushes resume
    async with env.db.transaction() as conn:
        assert (await users.touch(conn, 42)).blocked is False


async def test_unknown_chat_is_false_without_marking(make_env) -> None:
    env = await make_env(features=[])
    await _known_user(env, 43)
    env.tg.missing_chats.add(43)
    assert await send_to_user(env.app.bot, env.db, 43, "hello") is False
    assert (await users.get(env.db.conn, 43)).blocked is False


async def test_retry_after_is_honoured_by_the_rate_limiter(make_env) -> None:
    env = await make_env(features=[])
    await _known_user(env, 42)
    env.tg.fail_next("sendMessage", 429, retry_after=1)
    started = time.monotonic()
    assert await send_to_user(env.app.bot, env.db, 42, "after a pause") is True
    assert time.monotonic() - started >= 1.0
    attempts = env.tg.calls_of("sendMessage", chat_id=42)
    assert [c.ok for c in attempts] == [False, True]
    assert attempts[1].at - attempts[0].at >= 1.0
