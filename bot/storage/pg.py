"""PostgreSQL behind the same small interface the storage modules use of aiosqlite.

`PgConnection` wraps one asyncpg connection and offers what bot/storage/*.py call on an aiosqlite
connection: `execute(sql, params)` (awaitable, or `async with … as cur`), `executemany`,
`executescript`, `in_transaction`, `close`; cursors have `fetchone`, `fetchall`, `fetchmany`,
`rowcount` and `lastrowid`, and rows are indexable by position and (case-insensitive) name like
`sqlite3.Row`. Each statement is translated from SQLite's dialect once (bot/storage/dialect.py).

One connection per process, as with SQLite: statements of different tasks take turns on it (a
short per-statement lock), and `Database.transaction()` keeps its writer lock, so "check the
balance, then debit" stays atomic exactly as on SQLite. A constraint violation is raised as
`IntegrityError`, a subclass of `sqlite3.IntegrityError`, so the domain's `except` clauses work
unchanged; other server errors become `DatabaseError` (a `sqlite3.DatabaseError`).
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from decimal import Decimal
from typing import Any

import asyncpg

from bot.storage.dialect import Schema, translate, translate_script


class IntegrityError(sqlite3.IntegrityError):
    """A PostgreSQL constraint violation (unique, check, foreign key, not null)."""


class DatabaseError(sqlite3.DatabaseError):
    """Any other error the PostgreSQL server reported."""


_SQLITE_WORDS = {  # SQLite's words first, so a message reads the same on both databases
    asyncpg.UniqueViolationError: "UNIQUE constraint failed",
    asyncpg.CheckViolationError: "CHECK constraint failed",
    asyncpg.NotNullViolationError: "NOT NULL constraint failed",
    asyncpg.ForeignKeyViolationError: "FOREIGN KEY constraint failed",
}


def _integrity(exc: asyncpg.IntegrityConstraintViolationError) -> IntegrityError:
    words = _SQLITE_WORDS.get(type(exc), "constraint failed")
    name = getattr(exc, "constraint_name", None) or getattr(exc, "column_name", None) or ""
    return IntegrityError(f"{words}: {name} ({exc})")


def _plain(value: Any) -> Any:
    # SUM/AVG over BIGINT come back as numeric; SQLite gives int (or float for AVG)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


class Row(Sequence):
    """A result row: by position, by name (any case), keys(), iteration; like sqlite3.Row."""

    __slots__ = ("_values", "_index")

    def __init__(self, values: tuple, index: dict[str, int]) -> None:
        self._values = values
        self._index = index

    def __getitem__(self, key):  # type: ignore[override]
        if isinstance(key, str):
            try:
                return self._values[self._index[key.lower()]]
            except KeyError:
                raise IndexError(f"No item with that key: {key}") from None
        return self._values[key]

    def __len__(self) -> int:
        return len(self._values)

    def __iter__(self):
        return iter(self._values)

    def keys(self) -> list[str]:
        return list(self._index)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Row):
            return self._values == other._values and self._index == other._index
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._values)

    def __repr__(self) -> str:
        return f"Row({dict(zip(self._index, self._values, strict=False))!r})"


def _rows(records: list[asyncpg.Record]) -> list[Row]:
    if not records:
        return []
    index = {name.lower(): i for i, name in enumerate(records[0].keys())}
    return [Row(tuple(_plain(v) for v in record.values()), index) for record in records]


class Cursor:
    """The rows and counts of one executed statement (already fetched)."""

    def __init__(self, rows: list[Row], rowcount: int, lastrowid: int | None) -> None:
        self._rows = rows
        self._next = 0
        self.rowcount = rowcount
        self.lastrowid = lastrowid

    async def fetchone(self) -> Row | None:
        if self._next >= len(self._rows):
            return None
        self._next += 1
        return self._rows[self._next - 1]

    async def fetchmany(self, size: int = 1) -> list[Row]:
        chunk = self._rows[self._next:self._next + size]
        self._next += len(chunk)
        return chunk

    async def fetchall(self) -> list[Row]:
        rest = self._rows[self._next:]
        self._next = len(self._rows)
        return rest

    async def close(self) -> None:
        return None

    def __aiter__(self) -> AsyncIterator[Row]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[Row]:
        while (row := await self.fetchone()) is not None:
            yield row


class _Pending:
    """What execute() returns: await it for the cursor, or use it as `async with … as cur`."""

    def __init__(self, coro) -> None:
        self._coro = coro

    def __await__(self):
        return self._coro.__await__()

    async def __aenter__(self) -> Cursor:
        return await self._coro

    async def __aexit__(self, *exc: object) -> None:
        return None


def _int_list(value: Any) -> bool:
    if not isinstance(value, str) or not value.lstrip().startswith("["):
        return False
    try:
        items = json.loads(value)
    except ValueError:
        return False
    return bool(items) and all(type(item) is int for item in items)


def _count(status: str) -> int:
    last = status.rsplit(" ", 1)[-1] if status else ""
    return int(last) if last.isdigit() else -1


class PgConnection:
    """One asyncpg connection speaking the aiosqlite subset of bot/storage (see the module docstring)."""

    def __init__(self, raw: asyncpg.Connection) -> None:
        self.raw = raw
        self.schema = Schema()
        self._turn = asyncio.Lock()

    @property
    def in_transaction(self) -> bool:
        return self.raw.is_in_transaction()

    async def refresh_schema(self) -> None:
        """Learn the tables' `id` columns and primary keys (after migrations)."""
        async with self._turn:
            ids = await self.raw.fetch(
                "SELECT table_name FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND column_name = 'id'")
            keys = await self.raw.fetch(
                "SELECT tc.table_name, array_agg(k.column_name::text ORDER BY k.ordinal_position) AS cols "
                "FROM information_schema.table_constraints tc JOIN information_schema.key_column_usage k "
                "ON k.constraint_name = tc.constraint_name AND k.table_schema = tc.table_schema "
                "WHERE tc.table_schema = current_schema() AND tc.constraint_type = 'PRIMARY KEY' "
                "GROUP BY tc.table_name")
        self.schema = Schema(
            id_tables=frozenset(r["table_name"].lower() for r in ids),
            keys=tuple(sorted((r["table_name"].lower(), tuple(r["cols"])) for r in keys)),
        )

    def execute(self, sql: str, params: tuple | list | dict | None = ()) -> _Pending:
        return _Pending(self._execute(sql, params))

    async def _execute(self, sql: str, params: tuple | list | dict | None) -> Cursor:
        query = translate(sql, self.schema)
        if query.json_params:  # json_each over a list of ints yields numbers, as SQLite compares them
            ints = frozenset(n for n, key in query.json_params if _int_list(params[key]))  # type: ignore[index]
            if ints:
                query = translate(sql, self.schema, int_json=ints)
        if query.text is None:
            return Cursor([], -1, None)
        args = query.bind(params)
        async with self._turn:
            try:
                if query.returns_rows:
                    records = await self.raw.fetch(query.text, *args)
                    status = None
                else:
                    status = await self.raw.execute(query.text, *args)
            except asyncpg.IntegrityConstraintViolationError as exc:
                raise _integrity(exc) from exc
            except asyncpg.PostgresError as exc:
                raise DatabaseError(f"{type(exc).__name__}: {exc}") from exc
        if status is not None:
            return Cursor([], _count(status), None)
        rows = _rows(records)
        if query.rowid:
            return Cursor([], len(rows), rows[0][0] if rows else None)
        lastrowid = None
        if query.is_insert and rows and "id" in rows[0].keys():
            lastrowid = rows[0]["id"]
        return Cursor(rows, len(rows) if query.is_insert or "RETURNING" in query.text.upper() else -1,
                      lastrowid)

    async def executemany(self, sql: str, seq_of_params: Iterable[tuple | list | dict]) -> Cursor:
        query = translate(sql, self.schema, many=True)
        if query.text is None:
            return Cursor([], -1, None)
        batch = [query.bind(params) for params in seq_of_params]
        if not batch:
            return Cursor([], 0, None)
        async with self._turn:
            try:
                await self.raw.executemany(query.text, batch)
            except asyncpg.IntegrityConstraintViolationError as exc:
                raise _integrity(exc) from exc
            except asyncpg.PostgresError as exc:
                raise DatabaseError(f"{type(exc).__name__}: {exc}") from exc
        return Cursor([], len(batch), None)

    async def executescript(self, script: str) -> Cursor:
        text = translate_script(script, self.schema)
        async with self._turn:
            try:
                await self.raw.execute(text)
            except asyncpg.IntegrityConstraintViolationError as exc:
                raise _integrity(exc) from exc
            except asyncpg.PostgresError as exc:
                raise DatabaseError(f"{type(exc).__name__}: {exc}") from exc
        return Cursor([], -1, None)

    async def close(self) -> None:
        async with self._turn:
            await self.raw.close()
