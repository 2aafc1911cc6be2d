"""Customers: who they are, their language, and whether they are banned or blocked the bot."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.storage.clock import now_text, parse_time


@dataclass(frozen=True)
class User:
    """One customer as stored."""

    id: int
    username: str | None
    language: str | None
    first_seen: datetime
    last_seen: datetime
    banned: bool
    blocked: bool


def _user(row: aiosqlite.Row) -> User:
    return User(
        id=row["id"], username=row["username"], language=row["language"],
        first_seen=parse_time(row["first_seen"]), last_seen=parse_time(row["last_seen"]),
        banned=bool(row["banned"]), blocked=bool(row["blocked"]),
    )


def clean_username(username: str | None) -> str | None:
    """'@Name ' -> 'Name'; empty -> None."""
    if username is None:
        return None
    return username.strip().lstrip("@") or None


async def touch(conn: aiosqlite.Connection, user_id: int, username: str | None = None) -> User:
    """Record that the customer wrote to us: create or refresh last_seen/username, clear `blocked`."""
    now = now_text()
    async with conn.execute(
        "INSERT INTO users(id, username, first_seen, last_seen) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(id) DO UPDATE SET username = excluded.username, last_seen = excluded.last_seen, "
        "blocked = 0 "
        "RETURNING *",
        (user_id, clean_username(username), now, now),
    ) as cur:
        row = await cur.fetchone()
    return _user(row)


async def ensure(conn: aiosqlite.Connection, user_id: int) -> None:
    """Make sure a row exists (e.g. an admin credits an id that never wrote to the bot)."""
    now = now_text()
    await conn.execute(
        "INSERT OR IGNORE INTO users(id, first_seen, last_seen) VALUES (?, ?, ?)", (user_id, now, now)
    )


async def get(conn: aiosqlite.Connection, user_id: int) -> User | None:
    """One customer by Telegram id."""
    async with conn.execute("SELECT * FROM users WHERE id = ?", (user_id,)) as cur:
        row = await cur.fetchone()
    return _user(row) if row else None


async def with_username(conn: aiosqlite.Connection, username: str, *, limit: int = 10) -> list[User]:
    """Every customer row holding this username (case-insensitive, with or without '@'), newest first.

    Usernames move between accounts, and a row keeps the name it had when that customer last
    wrote: more than one row can hold the same name, and the caller must not pick one blindly.
    """
    name = clean_username(username)
    if name is None:
        return []
    async with conn.execute(
        "SELECT * FROM users WHERE username = ? ORDER BY last_seen DESC, id LIMIT ?", (name, limit)
    ) as cur:
        return [_user(row) for row in await cur.fetchall()]


async def set_language(conn: aiosqlite.Connection, user_id: int, language: str | None) -> None:
    """Store the customer's chosen language (None = follow Telegram's)."""
    await conn.execute("UPDATE users SET language = ? WHERE id = ?", (language, user_id))


async def set_banned(conn: aiosqlite.Connection, user_id: int, banned: bool) -> bool:
    """Ban or unban; False when the user is unknown."""
    cur = await conn.execute("UPDATE users SET banned = ? WHERE id = ?", (int(banned), user_id))
    return cur.rowcount > 0


async def set_blocked(conn: aiosqlite.Connection, user_id: int, blocked: bool = True) -> None:
    """Mark that the customer blocked the bot (Telegram answered 403), or unblocked it."""
    await conn.execute("UPDATE users SET blocked = ? WHERE id = ?", (int(blocked), user_id))


async def count(conn: aiosqlite.Connection, *, reachable_only: bool = False) -> int:
    """How many customers (optionally only those not blocked and not banned, e.g. for a broadcast)."""
    if reachable_only:
        sql = "SELECT COUNT(*) FROM users WHERE blocked = 0 AND banned = 0"
    else:
        sql = "SELECT COUNT(*) FROM users"
    async with conn.execute(sql) as cur:
        row = await cur.fetchone()
    return int(row[0])


async def reachable_ids(conn: aiosqlite.Connection, *, after: int = 0, limit: int = 500) -> list[int]:
    """Ids of customers who neither blocked the bot nor are banned, above `after`, ascending (broadcasts)."""
    async with conn.execute(
        "SELECT id FROM users WHERE id > ? AND blocked = 0 AND banned = 0 ORDER BY id LIMIT ?", (after, limit)
    ) as cur:
        return [row[0] for row in await cur.fetchall()]
