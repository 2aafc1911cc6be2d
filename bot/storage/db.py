"""The one database: opening, pragmas, numbered migrations, and write transactions.

All SQL of a table family lives in that family's module beside this one; this module only
owns the connection. SQLite is the default (a file path, or `sqlite:///path`); a
`postgresql://` URL opens PostgreSQL through bot/storage/pg.py, which speaks the same
aiosqlite-like interface and translates each statement (bot/storage/dialect.py), so the storage
modules and migrations are written once. aiosqlite runs every statement on one worker thread, so
the event loop never blocks on disk. Writes go through `transaction()`, which serialises writers
with an asyncio lock and `BEGIN IMMEDIATE`: two handlers can never interleave statements of their
transactions on the shared connection, and a balance check and its debit are atomic.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

import aiosqlite

from bot.storage.clock import now_text

log = logging.getLogger(__name__)

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class SchemaTooNew(RuntimeError):
    """The database was written by a newer version of the bot; refusing to touch it."""


def migration_files() -> list[tuple[int, str, str]]:
    """(version, name, sql) of every bundled migration, in order."""
    found = []
    for entry in resources.files("bot.storage.migrations").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    versions = [v for v, _, _ in found]
    if len(versions) != len(set(versions)):
        raise RuntimeError(f"two migrations share a number: {versions}")
    return found


POSTGRES_SCHEMES = ("postgresql://", "postgres://")
# pg_advisory_lock key serialising migrations of instances starting together on one PostgreSQL
_MIGRATION_LOCK = "SELECT pg_advisory_lock(hashtext('smm-bot migrations ' || current_schema()))"
_MIGRATION_UNLOCK = "SELECT pg_advisory_unlock(hashtext('smm-bot migrations ' || current_schema()))"


def is_postgres(target: str | Path) -> bool:
    """Whether a DATABASE_URL / path names a PostgreSQL server."""
    return isinstance(target, str) and target.startswith(POSTGRES_SCHEMES)


def sqlite_path(target: str | Path) -> Path:
    """The file of `sqlite:///relative/or//absolute` or a plain path."""
    text = str(target)
    if text.startswith("sqlite:///"):
        return Path(text[len("sqlite:///"):])
    if text.startswith("sqlite://"):
        raise ValueError("a sqlite URL is sqlite:///path (three slashes)")
    return Path(target)


def describe(target: str | Path) -> str:
    """The target for a log line: a PostgreSQL URL without its password."""
    if not is_postgres(target):
        return str(sqlite_path(target))
    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", str(target))


class Database:
    """A shared connection with a writer lock. Create with `await Database.open(path or URL)`."""

    def __init__(self, conn: aiosqlite.Connection, *, dialect: str = "sqlite") -> None:
        self.conn = conn
        self.dialect = dialect  # "sqlite" or "postgresql"
        self._write_lock = asyncio.Lock()

    @property
    def is_postgres(self) -> bool:
        return self.dialect == "postgresql"

    @classmethod
    async def open(cls, path: str | Path, *, up_to: int | None = None) -> Database:
        """Open (creating folders), set pragmas and apply pending migrations (`up_to` is for tests)."""
        if is_postgres(path):
            return await cls._open_postgres(str(path), up_to)
        path = sqlite_path(path)
        if str(path) != ":memory:":
            await asyncio.to_thread(path.parent.mkdir, parents=True, exist_ok=True)
        conn = await aiosqlite.connect(path, isolation_level=None)  # we issue BEGIN ourselves
        conn.row_factory = aiosqlite.Row
        try:
            await conn.execute("PRAGMA journal_mode=WAL")
            await conn.execute("PRAGMA foreign_keys=ON")
            await conn.execute("PRAGMA busy_timeout=5000")
            await conn.execute("PRAGMA synchronous=NORMAL")
            db = cls(conn)
            await db._migrate(up_to)
        except BaseException:
            await conn.close()
            raise
        return db

    @classmethod
    async def _open_postgres(cls, url: str, up_to: int | None) -> Database:
        import asyncpg  # only a PostgreSQL deployment needs it loaded

        from bot.storage.pg import PgConnection

        raw = await asyncpg.connect(url, server_settings={"application_name": "smm-bot"})
        conn = PgConnection(raw)
        try:
            db = cls(conn, dialect="postgresql")  # type: ignore[arg-type]
            await raw.execute(_MIGRATION_LOCK)
            try:
                await db._migrate(up_to)
            finally:
                await raw.execute(_MIGRATION_UNLOCK)
            await conn.refresh_schema()
        except BaseException:
            await raw.close()
            raise
        return db

    async def close(self) -> None:
        async with self._write_lock:
            await self.conn.close()

    async def schema_version(self) -> int:
        exists = (
            "SELECT to_regclass('schema_version')" if self.is_postgres
            else "SELECT name FROM sqlite_master WHERE type='table' AND name='schema_version'"
        )
        async with self.conn.execute(exists) as cur:
            found = await cur.fetchone()
            if found is None or found[0] is None:
                return 0
        async with self.conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_version") as cur:
            row = await cur.fetchone()
        return int(row[0])

    async def _migrate(self, up_to: int | None) -> None:
        current = await self.schema_version()
        bundled = migration_files()
        newest = bundled[-1][0] if bundled else 0
        if current > newest:
            raise SchemaTooNew(
                f"database schema is version {current}, this bot knows up to {newest}; "
                "upgrade the bot or use another DATABASE_PATH"
            )
        for version, name, sql in bundled:
            if version <= current or (up_to is not None and version > up_to):
                continue
            log.info("applying migration %s", name)
            # one transaction per migration: the schema change and its record land together or not at all
            try:
                await self._run_migration(version, name, sql)
            except BaseException:
                if self.conn.in_transaction:
                    await self.conn.execute("ROLLBACK")
                raise

    async def _run_migration(self, version: int, name: str, sql: str) -> None:
        # executescript runs the file's statements; the transaction it BEGINs stays open so the
        # schema change and its (parameterised) record commit together. On PostgreSQL the same file
        # is translated statement by statement (bot/storage/dialect.py) and DDL is transactional too.
        prelude = "BEGIN IMMEDIATE;\n"
        if self.is_postgres:
            from bot.storage.dialect import NOCASE_COLLATION

            await self.conn.execute("BEGIN")
            prelude = NOCASE_COLLATION + ";\n"
        await self.conn.executescript(
            prelude + "CREATE TABLE IF NOT EXISTS schema_version "
            "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);\n" + sql
        )
        if self.is_postgres:
            await self.conn.refresh_schema()  # type: ignore[attr-defined]
        await self.conn.execute(
            "INSERT INTO schema_version(version, name, applied_at) VALUES (?, ?, ?)",
            (version, name, now_text()),
        )
        await self.conn.execute("COMMIT")

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """One atomic write transaction; rolls back on any exception. Do not nest (it would deadlock)."""
        async with self._write_lock:
            await self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                await self.conn.execute("ROLLBACK")
                raise
            else:
                await self.conn.execute("COMMIT")

    async def fetchone(self, sql: str, params: tuple | dict = ()) -> aiosqlite.Row | None:
        async with self.conn.execute(sql, params) as cur:
            return await cur.fetchone()

    async def fetchall(self, sql: str, params: tuple | dict = ()) -> list[aiosqlite.Row]:
        async with self.conn.execute(sql, params) as cur:
            return list(await cur.fetchall())
