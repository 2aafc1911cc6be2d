"""SqlitePersistence against a real database file: what PTB writes comes back after reopening."""

from __future__ import annotations

import copy
import logging

import pytest

from bot.storage.conversations import NotStorable
from bot.telegram.persistence import SqlitePersistence
from tests import dbs

db_target = dbs.db_target  # SQLite and PostgreSQL (tests/dbs.py)


@pytest.fixture
async def persistence(db_target):
    p = SqlitePersistence(db_target, update_interval=1)
    yield p
    await p.close()


async def reopen(p: SqlitePersistence) -> SqlitePersistence:
    await p.flush()
    await p.close()
    return SqlitePersistence(p.database_path)


async def test_what_is_stored(persistence) -> None:
    assert persistence.store_data.user_data and persistence.store_data.chat_data
    assert not persistence.store_data.bot_data and not persistence.store_data.callback_data
    assert persistence.update_interval == 1


async def test_user_and_chat_data_round_trip(persistence) -> None:
    data = {"flow": {"nonce": "ab12", "step": 3, "picked": [1, 2]}, "lang": "ru", "note": "Привет <b>&"}
    await persistence.update_user_data(42, copy.deepcopy(data))
    await persistence.update_user_data(43, {"x": 1})
    await persistence.update_chat_data(-100, {"pinned": None})
    await persistence.drop_user_data(43)
    again = await reopen(persistence)
    try:
        assert await again.get_user_data() == {42: data}
        assert await again.get_chat_data() == {-100: {"pinned": None}}
        assert await again.get_bot_data() == {}
        assert await again.get_callback_data() is None
    finally:
        await again.close()


async def test_conversations_round_trip_and_end(persistence) -> None:
    await persistence.update_conversation("new_order", (42, 42), 3)
    await persistence.update_conversation("new_order", (7, 7), "ASK_LINK")
    await persistence.update_conversation("other", (42, 42), 1)
    await persistence.update_conversation("new_order", (7, 7), None)  # ended
    again = await reopen(persistence)
    try:
        assert await again.get_conversations("new_order") == {(42, 42): 3}
        assert await again.get_conversations("other") == {(42, 42): 1}
        assert await again.get_conversations("missing") == {}
    finally:
        await again.close()


async def test_values_json_cannot_hold_are_refused_by_key(persistence) -> None:
    with pytest.raises(NotStorable, match=r"user_data of 42: .* at keys \['when'\]"):
        await persistence.update_user_data(42, {"ok": 1, "when": object()})
    assert await persistence.get_user_data() == {}


async def test_values_json_would_change_are_reported(persistence, caplog) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.storage.conversations"):
        await persistence.update_user_data(42, {"pair": (1, 2), 5: "int key", "fine": "x"})
    assert "changes when stored as JSON" in caplog.text and "['5', 'pair']" in caplog.text


async def test_corrupt_rows_are_skipped(persistence, caplog) -> None:
    await persistence.update_user_data(1, {"a": 1})
    db = await persistence.database()
    async with db.transaction() as conn:
        await conn.execute("INSERT INTO persisted_user_data(user_id, data, updated_at) VALUES (2, '{oops', 'x')")
    with caplog.at_level(logging.ERROR):
        assert await persistence.get_user_data() == {1: {"a": 1}}
    assert "user_data of 2: stored JSON is corrupt" in caplog.text


async def test_one_database_opened_lazily_and_reopened_after_close(persistence) -> None:
    first = await persistence.database()
    assert await persistence.database() is first
    await persistence.close()
    await persistence.close()  # twice is fine
    second = await persistence.database()
    assert second is not first
    assert (await second.fetchone("SELECT COUNT(*) FROM conversation_states"))[0] == 0
