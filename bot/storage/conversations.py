"""Storage for python-telegram-bot's persistence: user_data, chat_data and conversation states.

Values are stored as JSON text (tables in migration 0002). JSON keeps the stored form readable
and honest: what cannot be written as JSON (objects, sets, Decimal) is refused with a message
naming the keys at fault, and what JSON would silently change (tuples, integer dict keys) is
logged, so a feature notices on its first write rather than after a restart.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from bot.storage.clock import now_text
from bot.storage.db import Database

log = logging.getLogger(__name__)


class NotStorable(ValueError):
    """A value cannot be written as JSON; the message names the keys, never the values."""


def to_json(value: Any, what: str) -> str:
    """value as compact JSON; NotStorable if impossible, a warning if it would not read back equal."""
    try:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError) as exc:
        bad = _unstorable_keys(value)
        raise NotStorable(f"{what}: not JSON-storable ({type(exc).__name__}) at keys {bad}") from None
    if json.loads(text) != value:
        keys = sorted(str(k) for k, v in value.items() if not isinstance(k, str) or json.loads(json.dumps(v)) != v) \
            if isinstance(value, dict) else []
        log.warning("%s changes when stored as JSON (tuples, non-string dict keys?) at keys %s", what, keys)
    return text


def _unstorable_keys(value: Any) -> list[str]:
    if not isinstance(value, dict):
        return ["<value>"]
    bad = []
    for key, item in value.items():
        try:
            json.dumps(item, allow_nan=False)
        except (TypeError, ValueError):
            bad.append(str(key))
    return bad or ["<dict keys>"]


def _from_json(text: str, what: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        log.error("%s: stored JSON is corrupt; ignoring it", what)
        return None


# --- user_data / chat_data ---------------------------------------------------------------------

async def load_user_data(db: Database) -> dict[int, dict]:
    """Every stored user_data, by user id."""
    rows = await db.fetchall("SELECT user_id, data FROM persisted_user_data")
    return _owned_dicts(rows, "user_data")


async def load_chat_data(db: Database) -> dict[int, dict]:
    """Every stored chat_data, by chat id."""
    rows = await db.fetchall("SELECT chat_id, data FROM persisted_chat_data")
    return _owned_dicts(rows, "chat_data")


def _owned_dicts(rows: list, what: str) -> dict[int, dict]:
    result = {}
    for owner_id, text in rows:
        data = _from_json(text, f"{what} of {owner_id}")
        if isinstance(data, dict):
            result[int(owner_id)] = data
    return result


async def save_user_data(db: Database, user_id: int, data: dict) -> None:
    """Replace one user's user_data (NotStorable if it is not JSON)."""
    text = to_json(data, f"user_data of {user_id}")
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO persisted_user_data(user_id, data, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT(user_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
            (user_id, text, now_text()),
        )


async def save_chat_data(db: Database, chat_id: int, data: dict) -> None:
    """Replace one chat's chat_data (NotStorable if it is not JSON)."""
    text = to_json(data, f"chat_data of {chat_id}")
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO persisted_chat_data(chat_id, data, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT(chat_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
            (chat_id, text, now_text()),
        )


async def drop_user_data(db: Database, user_id: int) -> None:
    async with db.transaction() as conn:
        await conn.execute("DELETE FROM persisted_user_data WHERE user_id = ?", (user_id,))


async def drop_chat_data(db: Database, chat_id: int) -> None:
    async with db.transaction() as conn:
        await conn.execute("DELETE FROM persisted_chat_data WHERE chat_id = ?", (chat_id,))


# --- conversation states -----------------------------------------------------------------------

async def load_conversations(db: Database, name: str) -> dict[tuple, Any]:
    """Every stored state of one ConversationHandler, keyed like PTB keys them (tuples)."""
    rows = await db.fetchall("SELECT key, state FROM conversation_states WHERE name = ?", (name,))
    result = {}
    for key_text, state_text in rows:
        key = _from_json(key_text, f"conversation {name} key")
        if isinstance(key, list):
            result[tuple(key)] = _from_json(state_text, f"conversation {name} {key_text} state")
    return result


async def save_conversation(db: Database, name: str, key: tuple, state: Any) -> None:
    """Store one conversation's state; None removes it (the conversation ended)."""
    key_text = to_json(list(key), f"conversation {name} key")
    if state is None:
        async with db.transaction() as conn:
            await conn.execute("DELETE FROM conversation_states WHERE name = ? AND key = ?", (name, key_text))
        return
    state_text = to_json(state, f"conversation {name} state")
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO conversation_states(name, key, state, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(name, key) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
            (name, key_text, state_text, now_text()),
        )
