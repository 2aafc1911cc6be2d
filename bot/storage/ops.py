"""SQL of the operator tools: a read-only look at the database (`check`) and consistent backups.

`check` must change nothing, so it opens the file read-only (SQLite URI `mode=ro`) instead of
going through Database.open, which would create the file and apply migrations. Backups use
SQLite's online backup API on a connection of their own: a consistent snapshot while the bot
keeps writing (WAL), never a file copy that could catch a half-written page.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from urllib.request import pathname2url

import aiosqlite

from bot.storage import ledger

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


def ledger_summary(conn: sqlite3.Connection) -> LedgerSummary:
    """Every customer's balance as the sum of their ledger rows (the one source of truth)."""
    row = conn.execute(
        "SELECT COUNT(*), COALESCE(SUM(n), 0), COALESCE(SUM(balance), 0), "
        "COALESCE(SUM(CASE WHEN balance < 0 THEN 1 ELSE 0 END), 0) "
        "FROM (SELECT user_id, COUNT(*) AS n, SUM(amount) AS balance FROM ledger GROUP BY user_id)"
    ).fetchone()
    return LedgerSummary(entries=int(row[1]), customers=int(row[0]), total=int(row[2]), negative=int(row[3]))


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
