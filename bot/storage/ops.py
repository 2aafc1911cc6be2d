"""SQL of the operator tools: a read-only look at the database (`check`) and consistent backups.

`check` must change nothing, so it opens the file read-only (SQLite URI `mode=ro`) instead of
going through Database.open, which would create the file and apply migrations; on PostgreSQL it
opens a connection of its own whose every transaction is READ ONLY (`look_postgres`). Backups use
SQLite's online backup API on a connection of their own: a consistent snapshot while the bot
keeps writing (WAL), never a file copy that could catch a half-written page.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.request import pathname2url

import aiosqlite

from bot.storage import ledger
from bot.storage.db import Database

BACKUP_PAGES_PER_STEP = 256  # copy in steps so the bot's writers are never held up for long


@dataclass(frozen=True)
class LedgerSummary:
    """What the ledger says: rows, customers with rows, the sum of every balance, negative balances."""

    entries: int
    customers: int
    total: int
    negative: int


def read_only_uri(path: Path) -> str:
    """An SQLite URI opening the file read-only: it can be neither created nor written."""
    return f"file:{pathname2url(os.path.abspath(path))}?mode=ro"


def read_only(path: Path) -> sqlite3.Connection:
    """A connection that can neither create nor write the file (blocking: run it in a thread)."""
    return sqlite3.connect(read_only_uri(path), uri=True, timeout=5)


def schema_version(conn: sqlite3.Connection) -> int:
    """The newest migration applied (0: none)."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='schema_version'").fetchone() is None:
        return 0
    return int(conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_version").fetchone()[0])


_LEDGER_SUMMARY = (  # one statement for both databases (PostgreSQL wants the subquery named)
    "SELECT COUNT(*), COALESCE(SUM(n), 0), COALESCE(SUM(balance), 0), "
    "COALESCE(SUM(CASE WHEN balance < 0 THEN 1 ELSE 0 END), 0) "
    "FROM (SELECT user_id, COUNT(*) AS n, SUM(amount) AS balance FROM ledger GROUP BY user_id) AS per_user"
)


def _summary(row: Sequence[Any]) -> LedgerSummary:
    return LedgerSummary(entries=int(row[1]), customers=int(row[0]), total=int(row[2]), negative=int(row[3]))


def ledger_summary(conn: sqlite3.Connection) -> LedgerSummary:
    """Every customer's balance as the sum of their ledger rows (the one source of truth)."""
    return _summary(conn.execute(_LEDGER_SUMMARY).fetchone())


async def balance_mismatches(path: Path) -> list[ledger.BalanceMismatch] | None:
    """Wallets whose balances row is not the sum of their ledger (read-only); None before the balances table."""
    conn = await aiosqlite.connect(read_only_uri(path), uri=True, timeout=5)
    try:
        async with conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='balances'") as cur:
            if await cur.fetchone() is None:
                return None
        return await ledger.mismatched_balances(conn)
    finally:
        await conn.close()


@dataclass(frozen=True)
class DatabaseLook:
    """What `check` reads of a database: schema version, and (once migrated) ledger and wallets."""

    version: int
    summary: LedgerSummary | None
    mismatches: list[ledger.BalanceMismatch] | None  # None before the balances table


class Unreachable(Exception):
    """The PostgreSQL server cannot be reached or refuses us; the message is safe (no URL, no password)."""


PG_CONNECT_SECONDS = 10.0


async def look_postgres(url: str, *, connect_seconds: float = PG_CONNECT_SECONDS) -> DatabaseLook:
    """Schema version, ledger summary and wallet mismatches of a PostgreSQL database, changing nothing.

    A connection of its own (never Database.open, which migrates) with every transaction READ
    ONLY, so not even a bug here could write; it reads through PgConnection, so the statements
    are the same ones SQLite runs.
    """
    import asyncpg  # only a PostgreSQL deployment needs it loaded

    from bot.storage.pg import PgConnection

    settings = {"application_name": "smm-bot check", "default_transaction_read_only": "on"}
    try:
        raw = await asyncpg.connect(url, timeout=connect_seconds, server_settings=settings)
    except asyncpg.PostgresError as exc:  # the server answered: wrong password, no such database...
        raise Unreachable(f"the server refused the connection ({exc})") from None
    except (OSError, TimeoutError, asyncpg.InterfaceError, ValueError) as exc:
        raise Unreachable(_connect_failure(exc, connect_seconds)) from None
    db = Database(PgConnection(raw), dialect="postgresql")  # type: ignore[arg-type]
    try:
        version = await db.schema_version()
        if not version:
            return DatabaseLook(0, None, None)
        summary = _summary(await db.fetchone(_LEDGER_SUMMARY))  # type: ignore[arg-type]
        has_balances = (await db.fetchone("SELECT to_regclass('balances')"))[0] is not None  # type: ignore[index]
        mismatches = await ledger.mismatched_balances(db.conn) if has_balances else None
        return DatabaseLook(version, summary, mismatches)
    finally:
        await raw.close()


def _connect_failure(exc: BaseException, timeout: float) -> str:
    """A safe reason: asyncpg's own texts may quote the address, never worth the risk of more."""
    if isinstance(exc, TimeoutError):
        return f"no answer within {timeout:g}s"
    if isinstance(exc, ConnectionRefusedError) or "Connect call failed" in str(exc):
        return "connection refused: no server listens there"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    if isinstance(exc, ValueError):
        return "DATABASE_URL is not a valid PostgreSQL URL"
    return f"cannot connect ({type(exc).__name__})"


def backup(source: Path, target: Path) -> None:
    """A consistent copy of the database `source` into the new file `target` (blocking: use a thread).

    Written to `target`.partial first and renamed, so a crash never leaves a half backup under
    the real name.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(source, timeout=30)  # only read; a read-write handle also sees a WAL file fully
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst, pages=BACKUP_PAGES_PER_STEP)
            dst.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file, no -wal beside it
        finally:
            dst.close()
    finally:
        src.close()
    os.replace(partial, target)


def integrity_ok(path: Path) -> bool:
    """PRAGMA quick_check of a (backup) file."""
    conn = read_only(path)
    try:
        return conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    finally:
        conn.close()
