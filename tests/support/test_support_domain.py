"""The support desk's rules on a real database (SQLite and PostgreSQL, tests/support/conftest.py): one open
ticket, waiting, reminders once, figures."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain import support
from bot.storage import users
from bot.storage.tickets import Ticket
from tests.domain.conftest import placed_order

EPOCH = datetime(2024, 1, 1, tzinfo=UTC)


@pytest.fixture
async def db(db):
    """The shared database with customers 42 and 43 known."""
    async with db.transaction() as conn:
        for user_id in (42, 43):
            await users.touch(conn, user_id)
    return db


async def test_one_open_ticket_per_customer(db):
    first = await support.customer_message(db, 42)
    again = await support.customer_message(db, 42)
    assert first.created and not again.created and again.ticket.id == first.ticket.id
    assert (await support.customer_message(db, 43)).ticket.id != first.ticket.id
    with pytest.raises(sqlite3.IntegrityError):  # the schema refuses a second open one, whatever the code does
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO support_tickets(user_id, status, opened_at) VALUES (42, 'open', 'x')")
    closed, changed = await support.close_ticket(db, first.ticket.id, admin_id=1)
    assert changed and not closed.is_open and closed.closed_by == 1
    assert (await support.close_ticket(db, first.ticket.id, admin_id=1))[1] is False
    after = await support.customer_message(db, 42)
    assert after.created and after.ticket.id != first.ticket.id


async def test_an_order_attaches_once(db):
    assert not (await support.customer_message(db, 42)).order_attached
    order_id = await placed_order(db, 42)  # a real order: the ticket's order_id is a foreign key on both databases
    touch = await support.customer_message(db, 42, order_id=order_id)
    assert touch.order_attached and touch.ticket.order_id == order_id
    assert not (await support.customer_message(db, 42, order_id=order_id)).order_attached
    assert (await support.customer_message(db, 42)).ticket.order_id == order_id


async def test_waiting_answers_and_reminders(db):
    ticket = (await support.customer_message(db, 42)).ticket
    assert support.waiting_for(ticket) is not None
    later = datetime.now(UTC) + timedelta(minutes=31)
    assert await support.due_reminders(db, 30) == []  # not yet
    due = await support.due_reminders(db, 30, now=later)
    assert [t.id for t in due] == [ticket.id]
    assert await support.due_reminders(db, 30, now=later) == []  # once per wait
    answered = await support.answered(db, ticket.id)
    assert answered.waiting_since is None and answered.first_answer_at is not None and not answered.reminded
    assert await support.due_reminders(db, 30, now=later) == []  # nothing waits
    await support.customer_message(db, 42)  # a new wait may be reminded again
    assert [t.id for t in await support.due_reminders(db, 30, now=later + timedelta(minutes=31))] == [ticket.id]
    first = answered.first_answer_at
    assert (await support.answered(db, ticket.id)).first_answer_at == first  # the first answer stays the first


async def test_stats_count_and_median(db):
    a = (await support.customer_message(db, 42)).ticket
    await support.customer_message(db, 43)
    await support.answered(db, a.id)
    found = await support.stats(db, datetime.now(UTC) - timedelta(days=1))
    assert (found.opened, found.answered) == (2, 1) and found.median_first_answer is not None
    assert (await support.stats(db, datetime.now(UTC) + timedelta(days=1))).opened == 0


async def test_open_list_puts_the_longest_waiting_first_and_answered_last(db):
    a = (await support.customer_message(db, 42)).ticket
    b = (await support.customer_message(db, 43)).ticket
    async with db.transaction() as conn:  # 43 has waited longer than 42
        await conn.execute("UPDATE support_tickets SET waiting_since = ? WHERE id = ?",
                           ((EPOCH + timedelta(days=1)).isoformat(), a.id))
        await conn.execute("UPDATE support_tickets SET waiting_since = ? WHERE id = ?", (EPOCH.isoformat(), b.id))
    assert [t.id for t in await support.open_tickets(db)] == [b.id, a.id]
    await support.answered(db, b.id)
    assert [t.id for t in await support.open_tickets(db)] == [a.id, b.id]  # the answered one after the waiting


ADMIN_GROUP = -1001234567890  # a supergroup id: past 2^31, as Telegram's are


async def test_topics_and_messages_find_their_ticket(db):
    first = (await support.customer_message(db, 42)).ticket
    await support.save_topic(db, ADMIN_GROUP, 42, 77, "Alice")
    assert (await support.topic_of(db, ADMIN_GROUP, 42)).thread_id == 77
    assert (await support.topic_by_thread(db, ADMIN_GROUP, 77)).user_id == 42
    await support.set_topic_closed(db, ADMIN_GROUP, 42, True)
    assert (await support.topic_of(db, ADMIN_GROUP, 42)).closed
    await support.save_topic(db, ADMIN_GROUP, 42, 78, "Alice")  # a new topic replaces the old one
    assert await support.topic_by_thread(db, ADMIN_GROUP, 77) is None
    assert not (await support.topic_of(db, ADMIN_GROUP, 42)).closed
    await support.forget_topic(db, ADMIN_GROUP, 42)
    assert await support.topic_of(db, ADMIN_GROUP, 42) is None

    assert not await support.card_posted(db, first.id, ADMIN_GROUP)
    await support.record_messages(db, first.id, support.CARD, ADMIN_GROUP, [500])
    await support.record_messages(db, first.id, support.CUSTOMER, 42, [10, 11], author_id=42)
    await support.record_messages(db, first.id, support.CUSTOMER, 42, [11])  # recorded twice: kept once
    assert await support.card_posted(db, first.id, ADMIN_GROUP)
    assert (await support.ticket_of_message(db, 42, 11)).id == first.id
    assert (await support.ticket_of_message(db, ADMIN_GROUP, 500)).id == first.id
    assert await support.ticket_of_message(db, ADMIN_GROUP, 10) is None  # message ids are per chat


def ticket(opened: int, answered: int | None) -> Ticket:
    return Ticket(id=1, user_id=1, status="open", order_id=None, opened_at=EPOCH + timedelta(seconds=opened),
                  waiting_since=None, reminded=False,
                  first_answer_at=None if answered is None else EPOCH + timedelta(seconds=opened + answered),
                  closed_at=None, closed_by=None)


@given(st.lists(st.tuples(st.integers(0, 10**6), st.one_of(st.none(), st.integers(0, 10**6))), max_size=30))
def test_median_first_answer_is_the_middle_answered_wait(rows):
    found = support.median_first_answer([ticket(o, a) for o, a in rows])
    waits = sorted(a for _, a in rows if a is not None)
    if not waits:
        assert found is None
    else:
        assert min(waits) <= found.total_seconds() <= max(waits)
        below = sum(1 for w in waits if w < found.total_seconds())
        above = sum(1 for w in waits if w > found.total_seconds())
        assert below <= len(waits) // 2 and above <= len(waits) // 2


def test_ticket_numbers_are_parsed_strictly():
    assert support.parse_ticket_id("#12") == 12 and support.parse_ticket_id(" 7") == 7
    for bad in ("", "x", "-1", "1.5", "9" * 30):
        with pytest.raises(support.TicketNotFound):
            support.parse_ticket_id(bad)
