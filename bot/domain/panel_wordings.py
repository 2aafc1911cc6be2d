"""A panel's refusal in words the adapter cannot sort is told to the admins once, ever (not once per
run: the hub's own once-per-run filter forgets at every restart)."""

from __future__ import annotations

from bot.storage import panel_wordings as store
from bot.storage.db import Database

MAX_WORDS = 300  # what the alert shows; longer answers are the same wording for our purpose


async def first_time(db: Database, panel: str, words: str) -> bool:
    """True the first time this panel's wording is seen (then it is remembered)."""
    async with db.transaction() as conn:
        return await store.note(conn, panel, words[:MAX_WORDS])
