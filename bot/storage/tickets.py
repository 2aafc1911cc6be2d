"""Support tickets, the customers' forum topics and the messages of each ticket (migration 0014)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.storage.clock import now_text, parse_time

OPEN, CLOSED = "open", "closed"


@dataclass(frozen=True)
class Ticket:
    """One conversation between a customer and the shop."""

    id: int
    user_id: int
    status: str
    order_id: int | None
    opened_at: datetime
    waiting_since: datetime | None
    reminded: bool
    first_answer_at: datetime | None
    closed_at: datetime | None
    closed_by: int | None

    @property
    def is_open(self) -> bool:
        return self.status == OPEN


@dataclass(frozen=True)
class Topic:
    """A customer's forum topic in an admin group."""

    chat_id: int
    user_id: int
    thread_id: int
    name: str
    closed: bool


def _ticket(row: aiosqlite.Row) -> Ticket:
    return Ticket(
        id=row["id"], user_id=row["user_id"], status=row["status"], order_id=row["order_id"],
        opened_at=parse_time(row["opened_at"]), waiting_since=parse_time(row["waiting_since"]),
        reminded=bool(row["reminded"]), first_answer_at=parse_time(row["first_answer_at"]),
        closed_at=parse_time(row["closed_at"]), closed_by=row["closed_by"],
    )


def _topic(row: aiosqlite.Row) -> Topic:
    return Topic(chat_id=row["chat_id"], user_id=row["user_id"], thread_id=row["thread_id"], name=row["name"],
                 closed=bool(row["closed"]))


async def _one(conn: aiosqlite.Connection, sql: str, params: tuple) -> aiosqlite.Row | None:
    async with conn.execute(sql, params) as cur:
        return await cur.fetchone()


# --- tickets --------------------------------------------------------------------------------------

async def get(conn: aiosqlite.Connection, ticket_id: int) -> Ticket | None:
    row = await _one(conn, "SELECT * FROM support_tickets WHERE id = ?", (ticket_id,))
    return _ticket(row) if row else None


async def open_of(conn: aiosqlite.Connection, user_id: int) -> Ticket | None:
    """The customer's open ticket, if any."""
    row = await _one(conn, "SELECT * FROM support_tickets WHERE user_id = ? AND status = 'open'", (user_id,))
    return _ticket(row) if row else None


async def latest_of(conn: aiosqlite.Connection, user_id: int) -> Ticket | None:
    """The customer's newest ticket, open or closed."""
    row = await _one(conn, "SELECT * FROM support_tickets WHERE user_id = ? ORDER BY id DESC LIMIT 1", (user_id,))
    return _ticket(row) if row else None


async def create(conn: aiosqlite.Connection, user_id: int, order_id: int | None) -> Ticket:
    """A new open ticket, waiting from now (the unique index refuses a second open one)."""
    now = now_text()
    async with conn.execute(
        "INSERT INTO support_tickets(user_id, status, order_id, opened_at, waiting_since) "
        "VALUES (?, 'open', ?, ?, ?) RETURNING *",
        (user_id, order_id, now, now),
    ) as cur:
        return _ticket(await cur.fetchone())


async def customer_wrote(conn: aiosqlite.Connection, ticket_id: int, order_id: int | None) -> Ticket:
    """A customer message in an open ticket: waiting from now unless it already waits; a new order attached."""
    async with conn.execute(
        "UPDATE support_tickets SET waiting_since = COALESCE(waiting_since, ?), "
        "order_id = COALESCE(?, order_id) WHERE id = ? RETURNING *",
        (now_text(), order_id, ticket_id),
    ) as cur:
        return _ticket(await cur.fetchone())


async def answered(conn: aiosqlite.Connection, ticket_id: int) -> Ticket | None:
    """An admin answered: nothing waits any more, the next wait may be reminded again."""
    now = now_text()
    async with conn.execute(
        "UPDATE support_tickets SET waiting_since = NULL, reminded = 0, "
        "first_answer_at = COALESCE(first_answer_at, ?) WHERE id = ? RETURNING *",
        (now, ticket_id),
    ) as cur:
        row = await cur.fetchone()
    return _ticket(row) if row else None


async def close(conn: aiosqlite.Connection, ticket_id: int, admin_id: int | None) -> bool:
    """Close an open ticket; False when it was not open."""
    cur = await conn.execute(
        "UPDATE support_tickets SET status = 'closed', closed_at = ?, closed_by = ?, waiting_since = NULL "
        "WHERE id = ? AND status = 'open'",
        (now_text(), admin_id, ticket_id),
    )
    return cur.rowcount > 0


async def open_tickets(conn: aiosqlite.Connection, limit: int = 50) -> list[Ticket]:
    """Open tickets, the longest waiting first, then the answered ones."""
    async with conn.execute(
        "SELECT * FROM support_tickets WHERE status = 'open' "
        "ORDER BY waiting_since IS NULL, waiting_since, id LIMIT ?", (limit,),
    ) as cur:
        return [_ticket(row) for row in await cur.fetchall()]


async def count_open(conn: aiosqlite.Connection) -> int:
    row = await _one(conn, "SELECT COUNT(*) FROM support_tickets WHERE status = 'open'", ())
    return int(row[0])


async def due_reminders(conn: aiosqlite.Connection, waiting_before: str) -> list[Ticket]:
    """Open tickets waiting since before `waiting_before` and not reminded: marked reminded, returned."""
    async with conn.execute(
        "UPDATE support_tickets SET reminded = 1 WHERE status = 'open' AND reminded = 0 "
        "AND waiting_since IS NOT NULL AND waiting_since <= ? RETURNING *",
        (waiting_before,),
    ) as cur:
        return sorted((_ticket(row) for row in await cur.fetchall()), key=lambda t: t.id)


async def opened_since(conn: aiosqlite.Connection, since: str) -> list[Ticket]:
    """Tickets opened at or after `since` (for /stats)."""
    async with conn.execute("SELECT * FROM support_tickets WHERE opened_at >= ? ORDER BY id", (since,)) as cur:
        return [_ticket(row) for row in await cur.fetchall()]


# --- topics ---------------------------------------------------------------------------------------

async def topic_of(conn: aiosqlite.Connection, chat_id: int, user_id: int) -> Topic | None:
    row = await _one(conn, "SELECT * FROM support_topics WHERE chat_id = ? AND user_id = ?", (chat_id, user_id))
    return _topic(row) if row else None


async def topic_by_thread(conn: aiosqlite.Connection, chat_id: int, thread_id: int) -> Topic | None:
    row = await _one(conn, "SELECT * FROM support_topics WHERE chat_id = ? AND thread_id = ?", (chat_id, thread_id))
    return _topic(row) if row else None


async def save_topic(conn: aiosqlite.Connection, chat_id: int, user_id: int, thread_id: int, name: str) -> None:
    """Remember (or replace) the customer's topic in this group."""
    await conn.execute("DELETE FROM support_topics WHERE chat_id = ? AND (user_id = ? OR thread_id = ?)",
                       (chat_id, user_id, thread_id))
    await conn.execute(
        "INSERT INTO support_topics(chat_id, user_id, thread_id, name, closed, created_at) VALUES (?, ?, ?, ?, 0, ?)",
        (chat_id, user_id, thread_id, name, now_text()),
    )


async def set_topic_closed(conn: aiosqlite.Connection, chat_id: int, user_id: int, closed: bool) -> None:
    await conn.execute("UPDATE support_topics SET closed = ? WHERE chat_id = ? AND user_id = ?",
                       (int(closed), chat_id, user_id))


async def forget_topic(conn: aiosqlite.Connection, chat_id: int, user_id: int) -> None:
    """The topic is gone (deleted in Telegram): the next message makes a new one."""
    await conn.execute("DELETE FROM support_topics WHERE chat_id = ? AND user_id = ?", (chat_id, user_id))


# --- messages -------------------------------------------------------------------------------------

async def add_message(conn: aiosqlite.Connection, ticket_id: int, chat_id: int, message_id: int, kind: str,
                      author_id: int | None = None) -> None:
    await conn.execute(
        "INSERT INTO support_messages(ticket_id, chat_id, message_id, kind, author_id, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (chat_id, message_id) DO NOTHING",
        (ticket_id, chat_id, message_id, kind, author_id, now_text()),
    )


async def has_message(conn: aiosqlite.Connection, ticket_id: int, chat_id: int, kind: str) -> bool:
    """Whether the ticket has a message of this kind in this chat (e.g. its card in the admin group)."""
    row = await _one(conn, "SELECT 1 FROM support_messages WHERE ticket_id = ? AND chat_id = ? AND kind = ? LIMIT 1",
                     (ticket_id, chat_id, kind))
    return row is not None


async def ticket_of_message(conn: aiosqlite.Connection, chat_id: int, message_id: int) -> Ticket | None:
    """The ticket a message (in the group or the customer's chat) belongs to."""
    row = await _one(
        conn,
        "SELECT t.* FROM support_messages m JOIN support_tickets t ON t.id = m.ticket_id "
        "WHERE m.chat_id = ? AND m.message_id = ?",
        (chat_id, message_id),
    )
    return _ticket(row) if row else None
