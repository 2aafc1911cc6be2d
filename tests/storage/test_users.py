"""Users: first/last seen, username lookup, ban and blocked flags."""

from __future__ import annotations

from bot.storage import users


async def test_touch_creates_then_refreshes(db):
    first = await users.touch(db.conn, 10, "@Alice")
    assert (first.id, first.username, first.banned, first.blocked) == (10, "Alice", False, False)
    await users.set_blocked(db.conn, 10)
    assert (await users.get(db.conn, 10)).blocked
    again = await users.touch(db.conn, 10, "alice2")
    assert again.username == "alice2"
    assert again.first_seen == first.first_seen
    assert not again.blocked  # writing to us again means they unblocked the bot


async def test_lookup_by_username_ignores_case_and_at(db):
    await users.touch(db.conn, 1, "Bob_Smith")
    await users.touch(db.conn, 2, None)
    assert [u.id for u in await users.with_username(db.conn, "@bob_smith")] == [1]
    assert await users.with_username(db.conn, "bob") == []
    assert await users.with_username(db.conn, "@") == []


async def test_ban_language_and_counts(db):
    await users.ensure(db.conn, 5)
    await users.ensure(db.conn, 5)  # idempotent
    await users.touch(db.conn, 6, "x")
    assert await users.set_banned(db.conn, 5, True)
    assert not await users.set_banned(db.conn, 404, True)
    await users.set_language(db.conn, 6, "ru")
    assert (await users.get(db.conn, 6)).language == "ru"
    assert await users.count(db.conn) == 2
    assert await users.count(db.conn, reachable_only=True) == 1
    assert await users.get(db.conn, 404) is None
