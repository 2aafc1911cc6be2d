"""The audit log of admin actions: who did what, with which arguments, when."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiosqlite

from bot.storage.clock import now_text, parse_time


@dataclass(frozen=True)
class AuditEntry:
    """One admin action."""

    id: int
    admin_id: int
    action: str
    arguments: dict[str, Any]
    created_at: datetime


async def record(conn: aiosqlite.Connection, admin_id: int, action: str, arguments: dict[str, Any]) -> int:
    """Append one admin action (arguments must not contain secrets); its id."""
    cur = await conn.execute(
        "INSERT INTO audit_log(admin_id, action, arguments, created_at) VALUES (?, ?, ?, ?)",
        (admin_id, action, json.dumps(arguments, ensure_ascii=False, default=str), now_text()),
    )
    return cur.lastrowid


async def recent(conn: aiosqlite.Connection, *, limit: int = 20, admin_id: int | None = None) -> list[AuditEntry]:
    """Newest admin actions first, optionally of one admin."""
    async with conn.execute(
        "SELECT * FROM audit_log WHERE (? IS NULL OR admin_id = ?) ORDER BY id DESC LIMIT ?",
        (admin_id, admin_id, limit),
    ) as cur:
        rows = await cur.fetchall()
    return [
        AuditEntry(row["id"], row["admin_id"], row["action"], json.loads(row["arguments"]),
                   parse_time(row["created_at"]))
        for row in rows
    ]
