"""Routing overhead of one placement: a routed order against a single-panel order, same run, same fakes.

    .venv/bin/python bench/route_bench.py [--orders 2000]

The panels are instant in-process fakes (an `add` returns an id at once, no HTTP), so what is
timed is ours alone: place_order's two transactions, plus for a routed service the route look-up,
the plan (members' cached services, health, costs), the transaction that records the attempt and
points the order at the provider before `add`, and the one that records the answer. Three cases,
each placing --orders orders one after another on a local SQLite file:
  single    a service in no route (the only extra work: one route look-up that finds nothing)
  routed    a route of three providers, the first takes it
  failover  the same route, the first refuses for funds and the second takes it
Prints per-placement mean and p50 and the overhead against `single`. Not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from itertools import count
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repo root, for bot/ and tests/fakes

from bot.domain import catalogue, ordering, routing, wallet  # noqa: E402
from bot.domain.order_results import Placed  # noqa: E402
from bot.domain.routing_admin import RouteSpec, define  # noqa: E402
from bot.panel import answers  # noqa: E402
from bot.panel.errors import PanelRefused, RefusalKind  # noqa: E402
from bot.panel.models import Balance, OrderRequest  # noqa: E402
from bot.storage.db import Database  # noqa: E402
from bot.storage.routes import Member  # noqa: E402
from tests.fakes.panel_server import DEFAULT_SERVICES  # noqa: E402

PANELS = ("main", "backup", "third")
ROUTED_ID = "101"  # the followers service every panel lists under this id, in a route


class InstantPanel:
    """The part of PanelClient placement uses, answering at once."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.refuse = False
        self.ids = count(1)
        self.adds = 0
        body = [*DEFAULT_SERVICES, {**DEFAULT_SERVICES[0], "service": int(ROUTED_ID)}]
        self._services = answers.parse_services(name, body)

    async def services(self):
        return self._services

    async def balance(self) -> Balance:
        return Balance(amount=Decimal(10**9), currency="USD")

    async def add(self, request: OrderRequest, service=None) -> str:
        self.adds += 1
        if self.refuse:
            raise PanelRefused(self.name, "Not enough funds on balance", RefusalKind.PANEL_FUNDS)
        return f"{self.name}-{next(self.ids)}"


class InstantHub:
    """The part of PanelHub placement uses."""

    def __init__(self) -> None:
        self.clients = {name: InstantPanel(name) for name in PANELS}

    def get(self, name: str) -> InstantPanel:
        return self.clients[name]

    @property
    def names(self) -> list[str]:
        return list(self.clients)

    def __iter__(self):
        return iter(self.clients.values())


async def _run(db: Database, hub: InstantHub, label: str, service: str, orders: int) -> list[float]:
    timings = []
    for i in range(orders):
        request = OrderRequest(service=service, link=f"https://instagram.com/p/{i}", quantity=1000)
        start = time.perf_counter()
        result = await ordering.place_order(db, hub, user_id=1 + i % 50, panel="main", request=request,  # type: ignore[arg-type]
                                            client_token=f"{label}-{i}", default_markup=Decimal(10))
        timings.append(time.perf_counter() - start)
        assert isinstance(result, Placed), result
    return timings


def _figures(timings: list[float]) -> tuple[float, float]:
    return statistics.fmean(timings) * 1e3, statistics.median(timings) * 1e3


async def main(args: argparse.Namespace) -> None:
    logging.disable(logging.WARNING)  # one warning per failover would be timed too
    routing.COOL_AFTER = 10**9  # the refusing provider must be asked every time, never cooled off
    with tempfile.TemporaryDirectory() as folder:
        db = await Database.open(Path(folder) / "bench.db")
        hub = InstantHub()
        await catalogue.refresh_catalogue(db, hub)  # type: ignore[arg-type]
        await define(db, hub, RouteSpec("followers", "priority", False,  # type: ignore[arg-type]
                                        [Member(p, ROUTED_ID) for p in PANELS]), actor=0)
        for user_id in range(1, 51):
            await wallet.credit(db, user_id, 10**13)
        await _run(db, hub, "warm", "1", 200)  # caches and the file warmed up
        results = {}
        # interleaved rounds, so drift on a loaded machine hits every case alike
        rounds = 4
        per_round = max(1, args.orders // rounds)
        for case in ("single", "routed", "failover"):
            results[case] = []
        for r in range(rounds):
            results["single"] += await _run(db, hub, f"s{r}", "1", per_round)
            results["routed"] += await _run(db, hub, f"r{r}", ROUTED_ID, per_round)
            hub.clients["main"].refuse = True
            results["failover"] += await _run(db, hub, f"f{r}", ROUTED_ID, per_round)
            hub.clients["main"].refuse = False
        await db.close()
    single_mean, single_p50 = _figures(results["single"])
    print(f"instant in-process panels; {per_round * rounds} placements per case, one at a time, SQLite WAL file")
    for case, what in (("single", "service in no route"), ("routed", "route of 3, first provider takes it"),
                       ("failover", "route of 3, first refuses (funds), second takes it")):
        mean, p50 = _figures(results[case])
        print(f"{case:9} mean {mean:.3f} ms  p50 {p50:.3f} ms  overhead vs single: "
              f"{mean - single_mean:+.3f} ms ({mean / single_mean:.2f}×)  — {what}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=2000)
    asyncio.run(main(parser.parse_args()))
