"""Both databases for the tests: a fresh SQLite file, or a fresh schema on a real PostgreSQL server.

The PostgreSQL variant runs when SMM_TEST_POSTGRES_URL names a server (`.ci/run` starts one with
.ci/postgres.sh and sets it). Without it the variant is reported as skipped, with that reason;
with it, a server that does not answer fails the test (never a silent skip).

Use: `from tests.dbs import db  # noqa: F401` in a conftest parametrizes that folder's `db`
fixture over both; `async with fresh_target(kind, folder) as target` gives what `Database.open`
takes, for tests that open databases themselves (the hypothesis tests).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from bot.storage.db import Database

PG_URL_ENV = "SMM_TEST_POSTGRES_URL"
DB_KINDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def server_url() -> str:
    """The test server's URL; skips (visibly, with the reason) when none is configured."""
    url = os.environ.get(PG_URL_ENV)
    if not url:
        pytest.skip(f"PostgreSQL variant: set {PG_URL_ENV} (.ci/run starts a server and sets it)")
    return url


def with_schema(url: str, schema: str) -> str:
    """The server URL with search_path set to `schema` (asyncpg passes it as a server setting)."""
    parts = urlsplit(url)
    query = "&".join(q for q in (parts.query, f"search_path={schema}") if q)
    return urlunsplit(parts._replace(query=query))


@asynccontextmanager
async def fresh_postgres(url: str | None = None) -> AsyncIterator[str]:
    """A new empty schema on the test server (dropped afterwards); yields its URL."""
    import asyncpg

    url = url or server_url()
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = await asyncpg.connect(url)
    try:
        await admin.execute(f"CREATE SCHEMA {schema}")
    finally:
        await admin.close()
    try:
        yield with_schema(url, schema)
    finally:
        admin = await asyncpg.connect(url)
        try:
            await admin.execute(f"DROP SCHEMA {schema} CASCADE")
        finally:
            await admin.close()


@asynccontextmanager
async def fresh_target(kind: str, folder: Path) -> AsyncIterator[str | Path]:
    """What Database.open takes for a fresh database of this kind."""
    if kind == "postgresql":
        async with fresh_postgres() as url:
            yield url
    else:
        yield Path(folder) / "bot.db"


@pytest.fixture(params=DB_KINDS)
async def db_target(request, tmp_path) -> AsyncIterator[str | Path]:
    """A fresh database's target (SQLite file path or PostgreSQL URL), over both kinds."""
    async with fresh_target(request.param, tmp_path) as target:
        yield target


@pytest.fixture
async def db(db_target) -> AsyncIterator[Database]:
    """A fresh migrated database, on SQLite and on PostgreSQL."""
    database = await Database.open(db_target)
    yield database
    await database.close()
