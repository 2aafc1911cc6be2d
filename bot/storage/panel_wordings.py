"""Refusal wordings a panel used that the adapter could not sort, once told to the admins (0019)."""

from __future__ import annotations

import aiosqlite

from bot.storage.clock import now_text


async def note(conn: aiosqlite.Connection, panel: str, words: str) -> bool:
    """Record that this wording of this panel is told; False when it was told before."""
    cur = await conn.execute(
        "INSERT INTO panel_wordings(panel, words, told_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        (panel, words, now_text()),
    )
    return cur.rowcount == 1
