"""`python -m bot migrate-db --to postgresql://…`: copy a SQLite shop into an empty PostgreSQL database.

Stop the bot first (the SQLite lock file tells if it still runs). The source is brought to the
newest schema, the target gets the same schema from the same migrations, then every table is
copied in one transaction (parents before children, by the foreign keys), identity counters are
moved past the copied ids, and both sides are checked: every table has the same number of rows,
the ledger is summed per customer and per kind on each side and must agree to the micro-unit, and
on each side every wallet's balances row must equal the sum of its ledger.
Anything wrong rolls the copy back and exits 1 with one line; the SQLite file is never written
beyond its own migrations.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from bot.storage import ledger
from bot.storage.db import Database, describe, is_postgres
from bot.storage.instance_lock import AnotherInstance, FileLock


class MigrationRefused(RuntimeError):
    """The copy cannot be made (target not empty, counts or ledger disagree)."""


async def _tables_in_order(src: Database) -> list[tuple[str, list[str]]]:
    """(table, columns) of every data table, each after the tables its foreign keys point to."""
    rows = await src.fetchall(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name <> 'schema_version' ORDER BY name")
    names = [row[0] for row in rows]
    parents = {name: {r[2] for r in await src.fetchall(f"PRAGMA foreign_key_list({name})")} - {name}
               for name in names}
    ordered: list[str] = []
    while len(ordered) < len(names):
        ready = [n for n in names if n not in ordered and parents[n] <= set(ordered)]
        if not ready:
            raise MigrationRefused(f"foreign keys form a cycle among {sorted(set(names) - set(ordered))}")
        ordered.extend(ready)
    return [(name, [r[1] for r in await src.fetchall(f"PRAGMA table_info({name})")]) for name in ordered]


async def _ledger_books(db: Database) -> tuple[list[tuple], list[tuple]]:
    per_user = await db.fetchall("SELECT user_id, SUM(amount), COUNT(*) FROM ledger GROUP BY user_id "
                                 "ORDER BY user_id")
    per_kind = await db.fetchall("SELECT kind, SUM(amount), COUNT(*) FROM ledger GROUP BY kind ORDER BY kind")
    return sorted(tuple(r) for r in per_user), sorted(tuple(r) for r in per_kind)  # collations differ


def _as_column(value, pg_type: str):
    if value is None:
        return None
    if pg_type in ("bigint", "integer", "smallint"):
        return int(value)
    if pg_type == "double precision":
        return float(value)
    if pg_type == "bytea":
        return bytes(value)
    return value if isinstance(value, str) else str(value)


async def copy_shop(source: str | Path, target: str, *, out=print) -> dict[str, int]:
    """Copy every table; the rows copied per table. MigrationRefused when it cannot be done safely."""
    src = await Database.open(source)
    try:
        dst = await Database.open(target)
        try:
            raw = dst.conn.raw  # type: ignore[attr-defined]
            tables = await _tables_in_order(src)
            counts: dict[str, int] = {}
            for name, _ in tables:
                if await raw.fetchval(f"SELECT EXISTS (SELECT 1 FROM {name})"):  # noqa: S608
                    raise MigrationRefused(f"the target database is not empty (table {name} has rows)")
            async with dst.transaction():
                for name, columns in tables:
                    types = dict(await raw.fetch(
                        "SELECT column_name, data_type FROM information_schema.columns "
                        "WHERE table_schema = current_schema() AND table_name = $1", name))
                    missing = [c for c in columns if c not in types]
                    if missing:
                        raise MigrationRefused(f"table {name}: the target has no columns {missing}")
                    rows = await src.fetchall(f"SELECT {', '.join(columns)} FROM {name}")  # noqa: S608
                    records = [tuple(_as_column(v, types[c]) for v, c in zip(row, columns, strict=True))
                               for row in rows]
                    if records:
                        schema = await raw.fetchval("SELECT current_schema()")
                        await raw.copy_records_to_table(name, records=records, columns=columns, schema_name=schema)
                    counts[name] = len(records)
                    out(f"  {name}: {len(records)} rows")
                    if "id" in types:
                        await raw.execute(
                            f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608
                            f"COALESCE((SELECT MAX(id) FROM {name}), 0) + 1, false) "
                            f"WHERE pg_get_serial_sequence('{name}', 'id') IS NOT NULL")
                for name, _ in tables:
                    there = await raw.fetchval(f"SELECT COUNT(*) FROM {name}")  # noqa: S608
                    if there != counts[name]:
                        raise MigrationRefused(f"table {name}: {counts[name]} rows read, {there} in the target")
                for side, db in (("SQLite", src), ("PostgreSQL", dst)):
                    bad = await ledger.mismatched_balances(db.conn)
                    if bad:
                        raise MigrationRefused(f"{side}: the balances of {len(bad)} wallets disagree with their "
                                               f"ledger (user ids {[b.user_id for b in bad[:10]]}); nothing copied")
                books = await _ledger_books(src), await _ledger_books(dst)
                if books[0] != books[1]:
                    raise MigrationRefused("the ledger does not balance the same on both sides; nothing copied")
                users, kinds = books[0]
                out(f"ledger checked on both sides: {sum(r[2] for r in users)} rows, {len(users)} customers, "
                    f"{len(kinds)} kinds, total {sum(r[1] for r in users)} micro-units")
            return counts
        finally:
            await dst.close()
    finally:
        await src.close()


def main(argv: list[str] | None = None) -> int:
    """The migrate-db command (see the module docstring); exit 0 done, 1 refused, 2 usage."""
    from bot.config import StorageSettings

    parser = argparse.ArgumentParser(prog="python -m bot migrate-db",
                                     description="Copy a SQLite shop into an empty PostgreSQL database.")
    parser.add_argument("--to", required=True, help="postgresql://user:password@host:port/database")
    parser.add_argument("--from", dest="source", help="the SQLite file (default: DATABASE_PATH)")
    args = parser.parse_args(argv)
    if not is_postgres(args.to):
        parser.error("--to must be a postgresql:// URL")
    source = Path(args.source) if args.source else StorageSettings().database_path
    if not source.exists():
        print(f"migrate-db: no SQLite database at {source}", file=sys.stderr)
        return 1
    lock = FileLock(source)
    try:
        lock.acquire()  # the bot must not write the file meanwhile
    except AnotherInstance:
        print(f"migrate-db: the bot is running on {source}; stop it first", file=sys.stderr)
        return 1
    try:
        print(f"copying {source} to {describe(args.to)}")
        asyncio.run(copy_shop(source, args.to))
    except MigrationRefused as exc:
        print(f"migrate-db: refused: {exc}", file=sys.stderr)
        return 1
    except (OSError, ConnectionError) as exc:
        print(f"migrate-db: cannot reach {describe(args.to)}: {type(exc).__name__}", file=sys.stderr)
        return 1
    finally:
        lock.release()
    print("done: set DATABASE_URL to the PostgreSQL URL and start the bot")
    return 0
