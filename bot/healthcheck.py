"""`python -m bot.healthcheck`: exit 0 when the bot is alive, 1 with one line saying why when not.

Docker's HEALTHCHECK runs it every 30 s, so both checks are cheap:
- the heartbeat file is fresh: the running bot touches it every HEARTBEAT_SECONDS from a JobQueue job
  after a query on its own database connection (bot/telegram/serve.py), so a stale file means a
  stuck event loop, a dead job queue or a wedged database connection;
- the database opens read-only and has a schema: the volume is mounted, readable and migrated.
Only DATABASE_PATH (the heartbeat file sits beside it) and DATABASE_URL are read: no token or key
needed. With PostgreSQL the second check is a connection and the schema version instead; a
standby instance keeps its heartbeat fresh too, so it is healthy while it waits.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from pathlib import Path
from urllib.request import pathname2url

import aiosqlite

from bot.config import StorageSettings
from bot.storage.db import Database, describe, is_postgres

HEARTBEAT_SECONDS = 60
MAX_AGE_SECONDS = 3 * HEARTBEAT_SECONDS  # two missed beats are tolerated (a long GC pause, a slow disk)
DB_TIMEOUT_SECONDS = 5


def heartbeat_path(database_path: Path) -> Path:
    """Where the bot writes its heartbeat: beside the database, e.g. /data/bot.db.heartbeat."""
    database_path = Path(database_path)
    return database_path.with_name(database_path.name + ".heartbeat")


def touch_heartbeat(path: Path) -> None:
    """Create or refresh the heartbeat file (blocking: the bot runs it in a worker thread)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()


def heartbeat_problem(path: Path, max_age: float = MAX_AGE_SECONDS, now: float | None = None) -> str | None:
    """None when the heartbeat is younger than max_age seconds, else what is wrong."""
    try:
        age = (time.time() if now is None else now) - path.stat().st_mtime
    except FileNotFoundError:
        return f"no heartbeat at {path} (the bot is not running, or still starting)"
    if age > max_age:
        return f"heartbeat is {age:.0f}s old (limit {max_age:.0f}s): the bot is stuck"
    return None


def read_only_uri(database_path: Path) -> str:
    """An SQLite URI opening the file read-only (never created, never written)."""
    return f"file:{pathname2url(os.path.abspath(database_path))}?mode=ro"


async def postgres_problem(url: str) -> str | None:
    """None when the PostgreSQL server answers and the database carries a schema, else what is wrong."""
    import asyncpg

    where = describe(url)
    try:
        async with asyncio.timeout(DB_TIMEOUT_SECONDS):
            conn = await asyncpg.connect(url, timeout=DB_TIMEOUT_SECONDS)
            try:
                version = 0
                if await conn.fetchval("SELECT to_regclass('schema_version') IS NOT NULL"):
                    version = await conn.fetchval("SELECT COALESCE(MAX(version), 0) FROM schema_version")
            finally:
                await conn.close()
    except (TimeoutError, OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
        return f"database {where} does not answer: {type(exc).__name__}"
    if version < 1:
        return f"database {where} has no schema"
    return None


async def database_problem(database_path: Path | str) -> str | None:
    """None when the database opens read-only and carries a schema, else what is wrong."""
    if is_postgres(database_path):
        return await postgres_problem(str(database_path))
    uri = read_only_uri(database_path)
    try:
        async with asyncio.timeout(DB_TIMEOUT_SECONDS):
            conn = await aiosqlite.connect(uri, uri=True, timeout=DB_TIMEOUT_SECONDS)
            try:
                version = await Database(conn).schema_version()
            finally:
                await conn.close()
    except (TimeoutError, aiosqlite.Error) as exc:
        return f"database {database_path} does not open read-only: {exc}"
    if version < 1:
        return f"database {database_path} has no schema"
    return None


def check(database_path: Path, max_age: float = MAX_AGE_SECONDS, database: Path | str | None = None) -> str | None:
    """Both checks; None when healthy, else the first problem found (`database`: DATABASE_URL's target)."""
    return heartbeat_problem(heartbeat_path(database_path), max_age) or asyncio.run(
        database_problem(database_path if database is None else database))


def main(argv: list[str] | None = None) -> int:
    """Print one line; exit 0 when healthy, 1 when not (Docker's convention)."""
    parser = argparse.ArgumentParser(prog="python -m bot.healthcheck", description=__doc__.splitlines()[0])
    parser.add_argument("--max-age", type=float, default=MAX_AGE_SECONDS,
                        help="oldest acceptable heartbeat, seconds (default %(default)s)")
    args = parser.parse_args(argv)
    storage = StorageSettings()
    problem = check(storage.database_path, args.max_age, storage.database)
    print(f"unhealthy: {problem}" if problem else "healthy")
    return 1 if problem else 0


if __name__ == "__main__":
    sys.exit(main())
