"""Order throughput and balance latency against a local SQLite file.

    .venv/bin/python bench/orders_bench.py [--orders 10000] [--concurrency 32] [--ledger-rows 10000]
                                           [--history 0,10000,100000] [--flat-orders 1000] [--chunk 25]

Places N orders through domain.ordering.place_order (the `add` calls go over real HTTP to the
FakePanel of tests/fakes on 127.0.0.1), applies N status answers with domain.statuses.apply_status,
then times wallet.balance() for one customer with `--ledger-rows` ledger rows (one balances row,
kept by ledger.add; the old SUM over the ledger is timed beside it).

History: place_order throughput of ONE customer with 0, 10,000 and 100,000 prior ledger rows
(goal: flat within 10%), each level beside a baseline measured in the same run — a customer with
no history placing the same orders, the two taking turns so machine noise hits both alike.
Prints figures only.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repo root, for bot/ and tests/fakes

from pydantic import SecretStr  # noqa: E402

from bot.config import PanelConfig  # noqa: E402
from bot.domain import catalogue, ordering, statuses, wallet  # noqa: E402
from bot.domain.order_results import Placed  # noqa: E402
from bot.panel.hub import PanelHub  # noqa: E402
from bot.panel.models import OrderRequest, OrderState, OrderStatus  # noqa: E402
from bot.storage import ledger, users  # noqa: E402
from bot.storage.db import Database, describe  # noqa: E402
from bot.storage.ledger import LedgerKind  # noqa: E402
from tests.fakes.panel_server import FakePanel  # noqa: E402

CUSTOMERS = 100


async def _place_all(db: Database, hub: PanelHub, count: int, concurrency: int) -> list[Placed]:
    gate = asyncio.Semaphore(concurrency)

    async def one(i: int) -> Placed:
        async with gate:
            request = OrderRequest(service="1", link=f"https://instagram.com/p/{i}", quantity=100 + i % 900)
            result = await ordering.place_order(db, hub, user_id=1 + i % CUSTOMERS, panel="main",
                                                request=request, client_token=f"bench-{i}",
                                                default_markup=Decimal(10))
            assert isinstance(result, Placed), result
            return result

    return await asyncio.gather(*(one(i) for i in range(count)))


async def _apply_all(db: Database, placed: list[Placed]) -> int:
    changes = 0
    for i, result in enumerate(placed):
        status = (OrderStatus.COMPLETED, OrderStatus.IN_PROGRESS, OrderStatus.PARTIAL)[i % 3]
        state = OrderState(order_id=result.panel_order_id, status=status, status_raw=status.value,
                           start_count=10, remains=50 if status is OrderStatus.PARTIAL else 0)
        changes += await statuses.apply_status(db, result.order_id, state) is not None
    return changes


async def _balance_latency(db: Database, rows: int, samples: int) -> tuple[float, float, float, int]:
    user_id = 999_999
    async with db.transaction() as conn:
        await users.ensure(conn, user_id)
        for _ in range(rows):
            await ledger.add(conn, user_id, 1_000, LedgerKind.CREDIT)
    timings = []
    for _ in range(samples):
        start = time.perf_counter()
        value = await wallet.balance(db, user_id)
        timings.append(time.perf_counter() - start)
    timings.sort()
    return statistics.fmean(timings), timings[len(timings) // 2], timings[int(len(timings) * 0.95)], value


async def _place_for(db: Database, hub: PanelHub, user_id: int, count: int, concurrency: int, tag: str) -> float:
    """Seconds one customer takes to place `count` orders, `concurrency` at a time."""
    gate = asyncio.Semaphore(concurrency)

    async def one(i: int) -> None:
        async with gate:
            request = OrderRequest(service="1", link=f"https://instagram.com/p/{tag}{i}", quantity=100)
            result = await ordering.place_order(db, hub, user_id=user_id, panel="main", request=request,
                                                client_token=f"{tag}-{i}", default_markup=Decimal(10))
            assert isinstance(result, Placed), result

    started = time.perf_counter()
    await asyncio.gather(*(one(i) for i in range(count)))
    return time.perf_counter() - started


async def _seed_history(db: Database, user_id: int, rows: int) -> None:
    async with db.transaction() as conn:
        await users.ensure(conn, user_id)
        for _ in range(rows):
            await ledger.add(conn, user_id, 1_000, LedgerKind.CREDIT)


async def _history(db: Database, hub: PanelHub, args: argparse.Namespace) -> None:
    """place_order throughput of one customer by prior ledger rows, beside a no-history baseline.

    The two customers take turns in chunks of `--chunk` orders (who starts alternates), so the
    load of a shared machine falls on both alike; each side's throughput is its orders ÷ its time.
    """
    heavy, fresh = 900_000, 910_000
    seeded = 0
    print(f"place_order of one customer by prior ledger rows ({args.flat_orders} orders each side, in turns of "
          f"{args.chunk}, concurrency {args.flat_concurrency}):")
    for level, rows in enumerate(int(r) for r in args.history.split(",")):
        await _seed_history(db, heavy, rows - seeded)
        seeded = rows
        baseline_user = fresh + level  # no history at all
        for user_id in (heavy, baseline_user):
            await wallet.credit(db, user_id, 10**12)
        await _place_for(db, hub, heavy, args.chunk, args.flat_concurrency, f"w{level}")  # warm-up
        spent = {heavy: 0.0, baseline_user: 0.0}
        turns = max(1, args.flat_orders // args.chunk)
        for turn in range(turns):
            order = (heavy, baseline_user) if turn % 2 else (baseline_user, heavy)
            for user_id in order:
                spent[user_id] += await _place_for(db, hub, user_id, args.chunk, args.flat_concurrency,
                                                   f"{level}-{user_id}-{turn}")
        placed = turns * args.chunk
        mine, base = placed / spent[heavy], placed / spent[baseline_user]
        reads = []
        for _ in range(1000):
            started = time.perf_counter()
            await wallet.balance(db, heavy)
            reads.append(time.perf_counter() - started)
        print(f"  {rows:>7,} prior rows: {mine:,.0f} orders/s, baseline (no history) {base:,.0f} orders/s "
              f"= {mine / base:.2f}x (goal 0.90-1.10x); balance() p50 {statistics.median(reads) * 1e3:.3f} ms")


async def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = args.db if args.db else Path(folder) / "bench.db"  # a file, or a postgresql:// URL
        db = await Database.open(path)
        async with FakePanel(balance="100000000") as panel, PanelHub(
            [PanelConfig(name="main", url=panel.url, key=SecretStr(panel.key), timeout_seconds=30)]
        ) as hub:
            await catalogue.refresh_catalogue(db, hub)
            for user_id in range(1, CUSTOMERS + 1):
                await wallet.credit(db, user_id, 10**12)
            print(f"panel for add: FakePanel (tests/fakes/panel_server.py) over HTTP on {panel.url}")
            print(f"database: {describe(path)}" + (" (WAL, synchronous=NORMAL)" if not db.is_postgres else ""))

            start = time.perf_counter()
            placed = await _place_all(db, hub, args.orders, args.concurrency)
            elapsed = time.perf_counter() - start
            print(f"place_order: {args.orders} orders in {elapsed:.2f} s = {args.orders / elapsed:,.0f} orders/s "
                  f"(concurrency {args.concurrency}, each: 2 transactions + 1 HTTP add)")
            assert panel.requests["add"] == args.orders
            if args.history:
                await _history(db, hub, args)
                assert await wallet.check_balances(db) == []

        start = time.perf_counter()
        changes = await _apply_all(db, placed)
        elapsed = time.perf_counter() - start
        print(f"apply_status: {len(placed)} answers in {elapsed:.2f} s = {len(placed) / elapsed:,.0f} answers/s "
              f"({changes} changes, partial ones refunded)")
        start = time.perf_counter()
        repeats = await _apply_all(db, placed)
        elapsed = time.perf_counter() - start
        print(f"apply_status again (idempotent no-ops): {len(placed) / elapsed:,.0f} answers/s ({repeats} changes)")

        mean, p50, p95, value = await _balance_latency(db, args.ledger_rows, args.samples)
        print(f"balance() with {args.ledger_rows} ledger rows: mean {mean * 1e3:.3f} ms, p50 {p50 * 1e3:.3f} ms, "
              f"p95 {p95 * 1e3:.3f} ms over {args.samples} calls (= {value} minor)")
        started = time.perf_counter()
        for _ in range(args.samples):
            await db.fetchone("SELECT COALESCE(SUM(amount), 0) FROM ledger WHERE user_id = ?", (999_999,))
        print(f"  the old SUM over the same {args.ledger_rows} rows: mean "
              f"{(time.perf_counter() - started) / args.samples * 1e3:.3f} ms")
        mismatched = await wallet.check_balances(db)
        print(f"check_balances: {len(mismatched)} wallet(s) where SUM(ledger) != balance")

        await db.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--ledger-rows", type=int, default=10_000)
    parser.add_argument("--samples", type=int, default=1_000)
    parser.add_argument("--db", help="SQLite file or postgresql:// URL to use (default: a temporary file)")
    parser.add_argument("--history", default="0,10000,100000", help="prior ledger rows of one customer ('' skips)")
    parser.add_argument("--flat-orders", type=int, default=1000, help="orders per customer and level")
    parser.add_argument("--chunk", type=int, default=25, help="orders a turn before the other customer's turn")
    parser.add_argument("--flat-concurrency", type=int, default=4)
    asyncio.run(main(parser.parse_args()))
