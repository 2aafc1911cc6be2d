"""Savepoints: a part of a transaction that can fail alone (SAVEPOINT / ROLLBACK TO / RELEASE).

Plain SQL that SQLite and PostgreSQL both speak. The status sync applies a whole batch of panel
answers in one transaction with one savepoint per order, so a bad entry rolls back its own writes
(ledger and balances rows included) and nothing of its neighbours'.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiosqlite

_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,30}$")


@asynccontextmanager
async def savepoint(conn: aiosqlite.Connection, name: str = "entry") -> AsyncIterator[aiosqlite.Connection]:
    """Inside an open transaction: everything in the block is undone if it raises (then re-raised)."""
    if not _NAME.match(name):
        raise ValueError("a savepoint name is a short lower-case identifier")
    await conn.execute(f"SAVEPOINT {name}")
    try:
        yield conn
    except BaseException:
        await conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
        await conn.execute(f"RELEASE SAVEPOINT {name}")
        raise
    await conn.execute(f"RELEASE SAVEPOINT {name}")
