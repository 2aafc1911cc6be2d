"""Customers: what the gate stores and when, first contact before the row, whom the ban stops, language choice."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from bot.domain import customers
from bot.domain.customers import TOUCH_EVERY
from bot.i18n import Translator
from bot.storage import users

TRANSLATOR = Translator.load()
SHIPPED = TRANSLATOR.languages


def _resolver(default: str = "ru"):
    """The chat's resolver (Translator matching), recording what it was asked."""
    asked: list[str | None] = []

    def resolve(code: str | None) -> str:
        asked.append(code)
        return TRANSLATOR.resolve(None, code, default)

    resolve.asked = asked  # type: ignore[attr-defined]
    return resolve


async def test_first_contact_stores_telegram_language_exact_then_base_else_default(db):
    resolve = _resolver()
    assert (await customers.remember_customer(db, 1, "@Alice", "en", resolve=resolve)).language == "en"
    assert (await customers.remember_customer(db, 2, None, "en-GB", resolve=resolve)).language == "en"
    assert (await customers.remember_customer(db, 3, None, "de", resolve=resolve)).language == "ru"
    assert (await customers.remember_customer(db, 4, None, None, resolve=resolve)).language == "ru"
    assert resolve.asked == ["en", "en-GB", "de", None]
    stored = await customers.get_customer(db, 1)
    assert (stored.username, stored.language) == ("Alice", "en")


async def test_a_stored_language_is_kept_and_the_resolver_not_asked(db):
    await customers.remember_customer(db, 1, "alice", "en", resolve=_resolver())
    assert await customers.choose_language(db, 1, "ru", SHIPPED)
    async with db.transaction() as conn:
        await users.set_blocked(conn, 1)
    resolve = _resolver()
    row = await customers.remember_customer(db, 1, "alice_new", "en", resolve=resolve)
    assert (row.language, row.username, row.blocked) == ("ru", "alice_new", False)
    assert resolve.asked == []


async def test_needs_write_only_when_something_changed_or_time_passed(db):
    assert customers.needs_write(None, "alice")
    row = await customers.remember_customer(db, 1, "@alice", None, resolve=_resolver())
    seen = row.last_seen
    assert not customers.needs_write(row, "alice", now=seen)
    assert not customers.needs_write(row, " @alice", now=seen)  # same name, spelled with '@'
    assert customers.needs_write(row, "bob", now=seen)
    assert customers.needs_write(row, None, now=seen)
    assert not customers.needs_write(row, "alice", now=seen + TOUCH_EVERY / 2)
    assert customers.needs_write(row, "alice", now=seen + TOUCH_EVERY)
    assert customers.needs_write(replace(row, language=None), "alice", now=seen)
    assert customers.needs_write(replace(row, blocked=True), "alice", now=seen)
    assert not customers.needs_write(row, "alice")  # just written: now is within TOUCH_EVERY


async def test_first_contact_runs_only_without_a_row_and_before_it_is_written(db):
    seen_before: list[object] = []

    async def first_contact() -> None:
        seen_before.append(await customers.get_customer(db, 7))

    row = await customers.record_contact(db, 7, "neo", "en", resolve=_resolver(), first_contact=first_contact)
    assert seen_before == [None] and (row.id, row.username, row.language) == (7, "neo", "en")
    again = await customers.record_contact(db, 7, "neo", "en", resolve=_resolver(), first_contact=first_contact)
    assert seen_before == [None] and again == row  # known and fresh: no hook, no write


async def test_a_row_written_at_first_contact_is_completed_not_replaced(db):
    async def first_contact() -> None:  # e.g. a referral's arrival writes the newcomer's row itself
        async with db.transaction() as conn:
            await users.touch(conn, 8, "trinity")
            await users.set_banned(conn, 8, True)

    row = await customers.record_contact(db, 8, "trinity", "ru", resolve=_resolver("en"),
                                         first_contact=first_contact)
    assert (row.language, row.banned) == ("ru", True)  # the language added, the hook's ban kept


async def test_a_failing_first_contact_propagates_and_writes_nothing(db):
    async def first_contact() -> None:
        raise RuntimeError("hook broke")

    with pytest.raises(RuntimeError):
        await customers.record_contact(db, 9, None, None, resolve=_resolver(), first_contact=first_contact)
    assert await customers.get_customer(db, 9) is None


@pytest.mark.parametrize(("banned", "is_admin", "is_payment", "stopped"), [
    (False, False, False, False),
    (True, False, False, True),
    (True, True, False, False),
    (True, False, True, False),
    (True, True, True, False),
])
def test_the_ban_stops_customers_but_never_admins_or_payments(banned, is_admin, is_payment, stopped):
    now = datetime.now(UTC)
    row = users.User(id=1, username=None, language="en", first_seen=now, last_seen=now, banned=banned,
                     blocked=False)
    assert customers.stopped_by_ban(row, is_admin=is_admin, is_payment=is_payment) is stopped


async def test_choose_language_refuses_what_is_not_shipped_and_creates_a_missing_row(db):
    assert "xx" not in SHIPPED
    assert not await customers.choose_language(db, 5, "xx", SHIPPED)
    assert await customers.get_customer(db, 5) is None  # a refused choice writes nothing
    assert await customers.choose_language(db, 5, "en", SHIPPED)
    assert (await customers.get_customer(db, 5)).language == "en"
    assert await customers.choose_language(db, 5, "ru", ("en", "ru"))
    assert (await customers.get_customer(db, 5)).language == "ru"
    assert not await customers.choose_language(db, 5, "en", ("ru",))
    assert (await customers.get_customer(db, 5)).language == "ru"
