"""The orders and sync benches on SQLite and on PostgreSQL, printed side by side.

    .venv/bin/python bench/db_bench.py --postgres postgresql://user@host:port/db [--orders 2000]

Runs bench/orders_bench.py and bench/sync_bench.py unchanged, once on a temporary SQLite file and
once on a fresh schema of the given PostgreSQL server (dropped afterwards), and prints their
lines in two columns. Without --postgres it reads SMM_TEST_POSTGRES_URL (what .ci/run sets; start a
server with `.ci/postgres.sh start /tmp/pg`). Figures only; not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent


async def _run(script: str, args: list[str], env: dict[str, str]) -> list[str]:
    proc = await asyncio.create_subprocess_exec(sys.executable, str(HERE / script), *args, env=env,
                                                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    out, _ = await proc.communicate()
    lines = out.decode(errors="replace").splitlines()
    return lines if proc.returncode == 0 else [*lines[-5:], f"(exit {proc.returncode})"]


async def _schema(url: str, sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def _side_by_side(title: str, left: list[str], right: list[str], width: int = 78) -> None:
    print(f"\n== {title}")
    print(f"{'SQLite':<{width}} | PostgreSQL")
    for i in range(max(len(left), len(right))):
        a = left[i] if i < len(left) else ""
        b = right[i] if i < len(right) else ""
        print(f"{a[:width]:<{width}} | {b}")


async def main(url: str, orders: int) -> None:
    for script, args in (("orders_bench.py", ["--orders", str(orders), "--ledger-rows", str(orders), "--history", ""]),
                         ("sync_bench.py", ["--orders", str(orders)])):
        schema = f"bench_{uuid.uuid4().hex[:12]}"
        parts = urlsplit(url)
        target = urlunsplit(parts._replace(query="&".join(q for q in (parts.query, f"search_path={schema}") if q)))
        await _schema(url, f"CREATE SCHEMA {schema}")
        try:
            env = dict(os.environ)
            sqlite = await _run(script, args, env)
            extra = ["--db", target] if script == "orders_bench.py" else []
            postgres = await _run(script, args + extra, env | {"BENCH_DATABASE": target})
        finally:
            await _schema(url, f"DROP SCHEMA {schema} CASCADE")
        _side_by_side(f"{script} {' '.join(args)}", sqlite, postgres)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default=os.environ.get("SMM_TEST_POSTGRES_URL"),
                        help="a PostgreSQL server URL (default: SMM_TEST_POSTGRES_URL)")
    parser.add_argument("--orders", type=int, default=2_000)
    options = parser.parse_args()
    if not options.postgres:
        parser.error("give --postgres postgresql://… (or set SMM_TEST_POSTGRES_URL)")
    asyncio.run(main(options.postgres, options.orders))
