"""The audit trail of the operators' actions: who did what, with which arguments, when."""

from __future__ import annotations

from typing import Any

from bot.storage import audit
from bot.storage.audit import AuditEntry
from bot.storage.db import Database


async def record_action(db: Database, admin_id: int, action: str, arguments: dict[str, Any]) -> int:
    """Append one admin action (arguments must hold no secrets); its id."""
    async with db.transaction() as conn:
        return await audit.record(conn, admin_id, action, arguments)


async def recent_actions(db: Database, limit: int = 20) -> list[AuditEntry]:
    """The newest admin actions first."""
    return await audit.recent(db.conn, limit=limit)
