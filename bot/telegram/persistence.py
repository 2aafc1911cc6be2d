"""PTB persistence on the bot's own SQLite database (user_data, chat_data, conversation states).

Order of events this class is built around: PTB calls `get_*` during `Application.initialize()`,
before `post_init`, so the persistence opens the Database itself on first use (applying
migrations); `post_init` then takes that same Database for the Runtime via `database()` — one
connection per process. At shutdown PTB writes everything once more and calls `flush()`, then
`post_shutdown` calls `close()`. bot_data and callback_data are not stored (the Runtime lives in
bot_data). Writes happen at every `update_interval` (PERSISTENCE_INTERVAL_SECONDS): a crash loses
at most that much; call `application.update_persistence()` after a step that must not be lost.
All SQL is in bot/storage/conversations.py; values must be JSON (lists, dicts, str, int, ...).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Any

from telegram.ext import BasePersistence, PersistenceInput

from bot.storage import conversations
from bot.storage.db import Database

if TYPE_CHECKING:
    from telegram.ext._utils.types import CDCData, ConversationDict, ConversationKey

STORED = PersistenceInput(bot_data=False, chat_data=True, user_data=True, callback_data=False)


class SqlitePersistence(BasePersistence[dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """BasePersistence over the shared aiosqlite Database; opens it lazily, closes it in close()."""

    def __init__(self, database_path: str | Path, *, update_interval: float = 5.0) -> None:
        super().__init__(store_data=STORED, update_interval=update_interval)
        # a SQLite file, or a postgresql:// URL (bot/storage/db.py opens either)
        self.database_path: str | Path = database_path if isinstance(database_path, str) and \
            database_path.startswith(("postgresql://", "postgres://")) else Path(database_path)
        self._db: Database | None = None
        self._opening = asyncio.Lock()

    async def database(self) -> Database:
        """The process's Database, opened (and migrated) on first use."""
        async with self._opening:
            if self._db is None:
                self._db = await Database.open(self.database_path)
            return self._db

    async def close(self) -> None:
        """Close the Database (after PTB's final write); a later use would reopen it."""
        async with self._opening:
            if self._db is not None:
                db, self._db = self._db, None
                await db.close()

    # --- what PTB reads at initialize ---

    async def get_user_data(self) -> dict[int, dict[Any, Any]]:
        return await conversations.load_user_data(await self.database())

    async def get_chat_data(self) -> dict[int, dict[Any, Any]]:
        return await conversations.load_chat_data(await self.database())

    async def get_bot_data(self) -> dict[Any, Any]:
        return {}  # not stored: bot_data holds the live Runtime

    async def get_callback_data(self) -> CDCData | None:
        return None  # not stored: callback data is plain strings (bot/render/callbacks.py)

    async def get_conversations(self, name: str) -> ConversationDict:
        return await conversations.load_conversations(await self.database(), name)

    # --- what PTB writes at each update_interval and at shutdown ---

    async def update_conversation(self, name: str, key: ConversationKey, new_state: object | None) -> None:
        await conversations.save_conversation(await self.database(), name, key, new_state)

    async def update_user_data(self, user_id: int, data: dict[Any, Any]) -> None:
        await conversations.save_user_data(await self.database(), user_id, data)

    async def update_chat_data(self, chat_id: int, data: dict[Any, Any]) -> None:
        await conversations.save_chat_data(await self.database(), chat_id, data)

    async def update_bot_data(self, data: dict[Any, Any]) -> None:
        return None

    async def update_callback_data(self, data: CDCData) -> None:
        return None

    async def drop_user_data(self, user_id: int) -> None:
        await conversations.drop_user_data(await self.database(), user_id)

    async def drop_chat_data(self, chat_id: int) -> None:
        await conversations.drop_chat_data(await self.database(), chat_id)

    # --- PTB calls these before each update; the in-memory copy is already the truth ---

    async def refresh_user_data(self, user_id: int, user_data: dict[Any, Any]) -> None:
        return None

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[Any, Any]) -> None:
        return None

    async def refresh_bot_data(self, bot_data: dict[Any, Any]) -> None:
        return None

    async def flush(self) -> None:
        return None  # every update_* call has already committed
