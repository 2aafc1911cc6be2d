"""The status sync's light read of open orders: the columns it needs, nothing decoded it may not use.

orders.open_for_panel builds full Order records (dates, Decimals, two JSON documents each); at
ten thousand open orders a minute that was most of a quiet cycle's own time. Here the stored
last answer stays JSON text, compared as text with the panel's new answer (answer_text), and
extras are decoded only for the few orders that changed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import aiosqlite

from bot.storage.orders import OPEN_STATUSES_JSON


@dataclass(frozen=True, slots=True)
class OpenOrder:
    """What the status sync needs of one open order."""

    id: int
    user_id: int
    panel_order_id: str
    service_name: str
    type: str  # OrderType value
    extras_json: str
    runs_done: int | None
    posts_done: int | None
    cancel_state: str | None
    miss_count: int
    last_answer: str | None  # JSON text exactly as order_writes stored it

    @property
    def extras(self) -> dict[str, Any]:
        return json.loads(self.extras_json)


def answer_text(answer: dict[str, Any]) -> str:
    """An answer as order_writes stores it (same JSON settings), for comparing as text."""
    return json.dumps(answer, ensure_ascii=False, separators=(",", ":"), default=str)


async def open_orders(conn: aiosqlite.Connection, panel: str) -> list[OpenOrder]:
    """Orders the panel still works on (non-final, with a panel order id), oldest first."""
    async with conn.execute(
        "SELECT id, user_id, panel_order_id, service_name, type, extras, runs_done, posts_done, cancel_state, "
        "miss_count, last_answer FROM orders WHERE panel = ? "
        "AND status IN (SELECT value FROM json_each(?)) AND panel_order_id IS NOT NULL ORDER BY id",
        (panel, OPEN_STATUSES_JSON),
    ) as cur:
        return [OpenOrder(*row) for row in await cur.fetchall()]
