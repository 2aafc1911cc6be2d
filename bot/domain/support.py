"""The support desk's rules: tickets, who is waiting, reminders, figures. Nothing of Telegram here.

A customer has at most one open ticket (a unique index says so, not only this code): their
messages go into it, and a message after it was closed opens a new one. A ticket *waits* from
the first customer message an admin has not answered; an admin's answer ends the wait and allows
one more reminder for the next wait. The Telegram side (topics, copies, replies) is
bot/handlers/support/; it stores which message belongs to which ticket through this module.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.domain.errors import NotFound
from bot.storage import tickets
from bot.storage.db import Database
from bot.storage.tickets import Ticket, Topic

__all__ = ["Ticket", "TicketNotFound", "Topic"]

# message kinds stored per ticket (support_messages.kind)
CUSTOMER, COPY, HEADER, CARD, ANSWER, DELIVERED, NOTICE = (
    "customer", "copy", "header", "card", "answer", "delivered", "notice")


class TicketNotFound(NotFound):
    """No ticket with this number."""

    def __init__(self, ticket_id: int | str) -> None:
        super().__init__(f"no ticket {ticket_id}")
        self.ticket_id = ticket_id


@dataclass(frozen=True)
class Touch:
    """What a customer message did to their ticket."""

    ticket: Ticket
    created: bool  # a new ticket (the first message, or the first after closing)
    order_attached: bool  # the message brought an order the ticket did not name yet


@dataclass(frozen=True)
class SupportStats:
    opened: int
    answered: int
    median_first_answer: timedelta | None


async def customer_message(db: Database, user_id: int, order_id: int | None = None) -> Touch:
    """A customer writes to support: their open ticket (a new one if none), now waiting for an answer."""
    async with db.transaction() as conn:
        current = await tickets.open_of(conn, user_id)
        if current is None:
            return Touch(await tickets.create(conn, user_id, order_id), created=True, order_attached=order_id is not None)
        attached = order_id is not None and order_id != current.order_id
        return Touch(await tickets.customer_wrote(conn, current.id, order_id if attached else None),
                     created=False, order_attached=attached)


async def answered(db: Database, ticket_id: int) -> Ticket | None:
    """An admin's answer reached the customer."""
    async with db.transaction() as conn:
        return await tickets.answered(conn, ticket_id)


async def get_ticket(db: Database, ticket_id: int) -> Ticket:
    found = await tickets.get(db.conn, ticket_id)
    if found is None:
        raise TicketNotFound(ticket_id)
    return found


def parse_ticket_id(text: str) -> int:
    """'12' or '#12' -> 12; TicketNotFound for anything else."""
    digits = text.strip().lstrip("#")
    if not digits.isdigit() or len(digits) > 18:
        raise TicketNotFound(text[:20])
    return int(digits)


async def close_ticket(db: Database, ticket_id: int, admin_id: int | None) -> tuple[Ticket, bool]:
    """Close a ticket; (the ticket as it is now, whether this call closed it). TicketNotFound if none."""
    async with db.transaction() as conn:
        changed = await tickets.close(conn, ticket_id, admin_id)
        found = await tickets.get(conn, ticket_id)
    if found is None:
        raise TicketNotFound(ticket_id)
    return found, changed


async def open_ticket_of(db: Database, user_id: int) -> Ticket | None:
    return await tickets.open_of(db.conn, user_id)


async def latest_ticket(db: Database, user_id: int) -> Ticket | None:
    return await tickets.latest_of(db.conn, user_id)


async def open_tickets(db: Database, limit: int = 50) -> list[Ticket]:
    """Open tickets, the longest waiting first."""
    return await tickets.open_tickets(db.conn, limit)


async def due_reminders(db: Database, minutes: float, *, now: datetime | None = None) -> list[Ticket]:
    """Open tickets unanswered for `minutes`, not reminded in this wait: each returned once, ever."""
    moment = (now or datetime.now(UTC)) - timedelta(minutes=minutes)
    async with db.transaction() as conn:
        return await tickets.due_reminders(conn, moment.isoformat(timespec="seconds"))


def waiting_for(ticket: Ticket, now: datetime | None = None) -> timedelta | None:
    """How long the ticket has waited for an answer (None: answered)."""
    if ticket.waiting_since is None:
        return None
    return max((now or datetime.now(UTC)) - ticket.waiting_since, timedelta(0))


def median_first_answer(found: Iterable[Ticket]) -> timedelta | None:
    """The median time from opening to the first answer of the answered tickets (None: none answered)."""
    waits = [(t.first_answer_at - t.opened_at).total_seconds() for t in found if t.first_answer_at is not None]
    return timedelta(seconds=statistics.median(waits)) if waits else None


async def stats(db: Database, since: datetime) -> SupportStats:
    """Tickets opened since `since`, how many got an answer, the median first-answer time."""
    found = await tickets.opened_since(db.conn, since.astimezone(UTC).isoformat(timespec="seconds"))
    return SupportStats(opened=len(found), answered=sum(1 for t in found if t.first_answer_at is not None),
                        median_first_answer=median_first_answer(found))


# --- topics and messages ---------------------------------------------------------------------------

async def topic_of(db: Database, chat_id: int, user_id: int) -> Topic | None:
    return await tickets.topic_of(db.conn, chat_id, user_id)


async def topic_by_thread(db: Database, chat_id: int, thread_id: int) -> Topic | None:
    return await tickets.topic_by_thread(db.conn, chat_id, thread_id)


async def save_topic(db: Database, chat_id: int, user_id: int, thread_id: int, name: str) -> None:
    async with db.transaction() as conn:
        await tickets.save_topic(conn, chat_id, user_id, thread_id, name)


async def set_topic_closed(db: Database, chat_id: int, user_id: int, closed: bool) -> None:
    async with db.transaction() as conn:
        await tickets.set_topic_closed(conn, chat_id, user_id, closed)


async def forget_topic(db: Database, chat_id: int, user_id: int) -> None:
    async with db.transaction() as conn:
        await tickets.forget_topic(conn, chat_id, user_id)


async def record_messages(db: Database, ticket_id: int, kind: str, chat_id: int, message_ids: Iterable[int],
                          author_id: int | None = None) -> None:
    """Remember that these messages belong to the ticket (a reply to any of them finds it)."""
    async with db.transaction() as conn:
        for message_id in message_ids:
            await tickets.add_message(conn, ticket_id, chat_id, message_id, kind, author_id)


async def card_posted(db: Database, ticket_id: int, chat_id: int) -> bool:
    """Whether the ticket's customer card is in this group already."""
    return await tickets.has_message(db.conn, ticket_id, chat_id, CARD)


async def ticket_of_message(db: Database, chat_id: int, message_id: int) -> Ticket | None:
    return await tickets.ticket_of_message(db.conn, chat_id, message_id)
