"""Status sync at scale: requests per cycle, cycle time beside the bare HTTP time, peak memory.

    .venv/bin/python bench/sync_bench.py [--orders 10000] [--concurrency 4] [--latency 0.15]

N open orders split over 2 FakePanels (tests/fakes, real HTTP on 127.0.0.1, in this process).
Cycles run through bot.domain.sync.StatusSync into a PushQueue whose delivery only counts (so
the figures are the sync's, not Telegram's):
  first sight  every answer is new to the database (start counts, remains): N writes, one
               transaction per batch of 100 with a savepoint per order
  quiet        nothing changed on the panels
  10% done     a tenth of the orders completed: N/10 changes and pushes
The bare figure is the same batches (≤100 ids, `--concurrency` at a time per panel, both panels at
once) POSTed with raw aiohttp and JSON-decoded, nothing else. Everything is timed twice: with the
fake panels answering at once (all CPU in this one process: the sync's own work shows in full)
and with `--latency` seconds per request, as a remote panel takes (that work then overlaps). Peak memory (tracemalloc) is taken
in separate runs, as tracing slows everything; it includes the fake panels living in this process.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repo root, for bot/ and tests/

import aiohttp  # noqa: E402
from pydantic import SecretStr  # noqa: E402

from bot.config import PanelConfig  # noqa: E402
from bot.domain import lookups  # noqa: E402
from bot.domain.sync import CycleReport, StatusSync, batches  # noqa: E402
from bot.domain.sync_events import Alert, OrderUpdate, RefillUpdate  # noqa: E402
from bot.panel.hub import PanelHub  # noqa: E402
from bot.storage.db import Database  # noqa: E402
from bot.telegram.sync_pushes import PushQueue  # noqa: E402
from tests.fakes.panel_server import FakePanel  # noqa: E402
from tests.sync.support import track_many  # noqa: E402

PANELS = {"main": "folgen", "second": "server"}
CUSTOMERS = 500


class QueueNotifier:
    """The sync's news into a real PushQueue whose delivery only counts."""

    def __init__(self) -> None:
        self.delivered = 0
        self.queue: PushQueue = PushQueue(self._deliver)

    async def _deliver(self, key, items) -> None:
        self.delivered += len(items)

    async def order_update(self, update: OrderUpdate) -> None:
        await self.queue.put(update.user_id, update)

    async def refill_update(self, update: RefillUpdate) -> None:
        await self.queue.put(update.user_id, update)

    async def alert(self, alert: Alert) -> None:
        await self.queue.put("admins", alert)


async def bare_http(fakes: dict[str, FakePanel], ids: dict[str, list[str]], concurrency: int) -> float:
    """Seconds for the same multi-status batches over raw aiohttp (both panels at once)."""
    async with aiohttp.ClientSession() as session:
        async def panel(name: str) -> None:
            gate = asyncio.Semaphore(concurrency)

            async def one(batch: list[str]) -> None:
                async with gate:
                    form = {"key": fakes[name].key, "action": "status", "orders": ",".join(batch)}
                    async with session.post(fakes[name].url, data=form) as response:
                        json.loads(await response.read())

            await asyncio.gather(*(one(b) for b in batches(ids[name])))

        started = time.perf_counter()
        await asyncio.gather(*(panel(name) for name in fakes))
        return time.perf_counter() - started


async def cycle(sync: StatusSync, db: Database, hub: PanelHub, notifier: QueueNotifier,
                fakes: dict[str, FakePanel]) -> tuple[float, CycleReport, dict[str, int]]:
    before = {name: fake.requests["status_multi"] for name, fake in fakes.items()}
    started = time.perf_counter()
    report = await sync.run_cycle(db, hub, notifier)
    seconds = time.perf_counter() - started
    await notifier.queue.join()
    return seconds, report, {name: fake.requests["status_multi"] - before[name] for name, fake in fakes.items()}


def complete_share(fakes: dict[str, FakePanel], share: float) -> None:
    for fake in fakes.values():
        pending = [o for o in fake.orders.values() if o.status == "Pending"]
        for order in pending[: int(len(fake.orders) * share)]:
            fake.complete(order.id)


async def traced(run) -> tuple[float, object]:
    tracemalloc.start()
    try:
        result = await run()
        return tracemalloc.get_traced_memory()[1] / 2**20, result
    finally:
        tracemalloc.stop()


async def main(orders: int, concurrency: int, latency: float) -> None:
    fakes = {name: FakePanel(dialect=dialect, key=f"bench-{name}-key-0123456789") for name, dialect in PANELS.items()}
    for fake in fakes.values():
        await fake.start()
    with tempfile.TemporaryDirectory() as tmp:
        db = await Database.open(os.environ.get("BENCH_DATABASE") or Path(tmp) / "bench.db")  # bench/db_bench.py
        per_panel = orders // len(fakes)
        for i, (name, fake) in enumerate(fakes.items()):
            await track_many(db, fake, name, per_panel, users_count=CUSTOMERS, first_user=1 + i * CUSTOMERS)
        configs = [PanelConfig(name=n, url=f.url, key=SecretStr(f.key), timeout_seconds=30) for n, f in fakes.items()]
        async with PanelHub(configs) as hub:
            sync = StatusSync(concurrency=concurrency, miss_alert=5, poll_seconds=60)
            notifier = QueueNotifier()
            print(f"open orders: {orders} on {len(fakes)} panels ({per_panel} each), concurrency {concurrency}")
            scenarios = [(0.0, [("first sight", None), ("quiet", None), ("10% done", 0.10), ("quiet", None)]),
                         (latency, [("quiet", None), ("10% done", 0.10), ("quiet", None)])]
            summary: dict[str, str] = {}
            for delay, runs in scenarios:
                for fake in fakes.values():  # every status request waits `delay` before the panel answers
                    fake.hang_seconds = delay
                    if delay:
                        fake.inject("status_multi", "hang", times=10**9, before=True)
                print(f"-- panel latency {delay * 1000:.0f} ms per request")
                for label, share in runs:
                    if share:
                        complete_share(fakes, share)
                    ids = {name: [o.panel_order_id for o in await lookups.open_orders(db, name)] for name in fakes}
                    bare = statistics.median([await bare_http(fakes, ids, concurrency) for _ in range(3)])
                    seconds, report, requests = await cycle(sync, db, hub, notifier, fakes)
                    ratio = ", ".join(f"{n} {r}/{math.ceil(len(ids[n]) / 100)} = {r / math.ceil(len(ids[n]) / 100):.2f}"
                                      for n, r in requests.items())
                    changes = sum(p.changes for p in report.panels)
                    updates = sum(p.updates for p in report.panels)
                    print(f"cycle {label:<12} {seconds:6.3f} s, bare HTTP {bare:6.3f} s = {seconds / bare:5.2f}x | "
                          f"requests/⌈N/100⌉ {ratio} | changes {changes}, pushes {updates}")
                    if label == "first sight":
                        summary["first"] = f"first sight of {orders:,} orders: {seconds:.1f} s"
                    if label == "10% done" and delay:
                        summary["done"] = (f"10% done at {delay * 1000:.0f} ms latency: {seconds / bare:.2f}x "
                                           f"the bare HTTP time (goal ≤ 1.5x)")
            print(f"pushes delivered by the queue: {notifier.delivered}")
            print("issue 11 figures: " + "; ".join(summary[k] for k in ("done", "first") if k in summary))
            quiet_peak, _ = await traced(lambda: cycle(sync, db, hub, notifier, fakes))
            await db.conn.execute("UPDATE orders SET last_answer = NULL, start_count = NULL, remains = NULL")
            busy_peak, _ = await traced(lambda: cycle(sync, db, hub, notifier, fakes))
            print(f"peak traced memory: quiet cycle {quiet_peak:.1f} MiB, every answer new {busy_peak:.1f} MiB")
        await db.close()
    for fake in fakes.values():
        await fake.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--latency", type=float, default=0.15, help="seconds a remote panel takes per request")
    args = parser.parse_args()
    asyncio.run(main(args.orders, args.concurrency, args.latency))
