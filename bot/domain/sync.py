"""The status sync: one cycle asks every panel about its open orders and refills, applies the answers
and hands the news to a notifier. Telegram-free; bot/telegram/sync_job.py runs it on a timer.

- Every non-final order with a panel id is asked with multi-status, at most 100 ids a request
  (⌈N/100⌉ requests for N open orders), at most `concurrency` requests of one panel at a time;
  panels are synced side by side, so a slow or dead panel never holds up another.
- Answers go through the idempotent domain functions (statuses.apply_status,
  order_requests.apply_refill_status); an answer identical to the stored one is skipped before even
  opening a transaction (apply_status would change nothing), which keeps a quiet cycle cheap
  (open orders are read light for the same reason: storage/sync_orders.py).
- A batch's answers are applied in one transaction, each order inside its own savepoint: an entry
  that fails to apply (a storage error, a bug) is rolled back alone — its ledger rows too — and
  counts as a miss of that order, like `{"error": ...}` entries; customers are told after commit.
- Misses are counted per order (record_miss_in) and asked again next cycle; an order reaching
  `miss_alert` misses in a row is flagged to admins once per streak.
- A panel whose every request failed is down: recorded in panel_state, skipped with backoff
  (sync_backoff), reported once; the first cycle it answers again reports it back up.
- Cycles never overlap: a cycle started while another runs returns at once, marked skipped.
- Orders awaiting reconciliation are listed for admins when the list changes (sync_unknown).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.domain import lookups, order_requests, statuses
from bot.domain.sync_backoff import PanelBackoff
from bot.domain.sync_events import (
    MissedOrder,
    PanelDown,
    PanelUp,
    StatusMisses,
    SyncNotifier,
    order_update,
    refill_update,
)
from bot.domain.sync_unknown import UnknownWatch
from bot.panel.client import MAX_IDS_PER_REQUEST
from bot.panel.errors import PanelError, PanelRateLimited
from bot.panel.models import EntryError, OrderState, RefillState
from bot.storage import orders, panel_state, sync_orders
from bot.storage.db import Database
from bot.storage.refills import Refill
from bot.storage.savepoints import savepoint
from bot.storage.sync_orders import OpenOrder, answer_text

if TYPE_CHECKING:
    import aiosqlite

    from bot.panel.client import PanelClient

log = logging.getLogger(__name__)
UNAPPLIED = "the answer could not be applied"  # a miss of ours, not the panel's: shown to admins


@dataclass
class PanelReport:
    """What one cycle did on one panel."""

    panel: str
    skipped: bool = False  # sitting out a backoff cycle
    error: str | None = None  # every request failed (or the sync itself broke)
    requests: int = 0  # multi-status requests (orders and refills)
    asked: int = 0  # orders asked about
    changes: int = 0  # answers that changed an order
    updates: int = 0  # customer updates handed to the notifier (orders and refills)
    misses: int = 0  # error entries this cycle
    flagged: int = 0  # orders that reached the miss threshold this cycle
    failed_batches: int = 0
    refills_asked: int = 0
    refill_changes: int = 0


@dataclass(frozen=True)
class CycleReport:
    """Every panel's report; `skipped` when the previous cycle was still running."""

    panels: list[PanelReport] = field(default_factory=list)
    skipped: bool = False
    seconds: float = 0.0

    def panel(self, name: str) -> PanelReport:
        """The report of one panel by name."""
        return next(p for p in self.panels if p.panel == name)

    @property
    def requests(self) -> int:
        return sum(p.requests for p in self.panels)


def batches(ids: Sequence[str], size: int = MAX_IDS_PER_REQUEST) -> list[list[str]]:
    """ids cut into requests of at most `size`."""
    return [list(ids[i:i + size]) for i in range(0, len(ids), size)]


def already_stored(order: OpenOrder, state: OrderState) -> bool:
    """The panel repeats the answer stored last time: apply_status would change nothing.

    Compared as JSON text the way order_writes stores it; an answer that serialises differently
    only costs an apply_status call that finds nothing new, never a missed change.
    """
    if order.miss_count or order.last_answer is None:
        return False  # a miss streak is reset by applying; no stored answer to compare
    return order.last_answer == answer_text(state.raw or state.model_dump(mode="json", exclude={"raw"}))


class StatusSync:
    """The sync's state between cycles (backoff, last unknown list, the running flag)."""

    def __init__(self, *, concurrency: int, miss_alert: int, poll_seconds: float,
                 unknown_watch: UnknownWatch | None = None) -> None:
        self.concurrency = max(1, concurrency)
        self.miss_alert = max(1, miss_alert)
        self.backoff = PanelBackoff(poll_seconds)
        self.unknown = unknown_watch or UnknownWatch()
        self._lock = asyncio.Lock()

    @property
    def running(self) -> bool:
        return self._lock.locked()

    async def run_cycle(self, db: Database, panels: Iterable[PanelClient], notifier: SyncNotifier) -> CycleReport:
        """One cycle over every panel (pass the PanelHub); returns at once if one is running."""
        if self._lock.locked():
            log.info("status sync: the previous cycle is still running; this one is skipped")
            return CycleReport(skipped=True)
        async with self._lock:
            started = time.monotonic()
            clients = list(panels)
            results = await asyncio.gather(*(self._sync_panel(db, c, notifier) for c in clients),
                                           return_exceptions=True)
            reports = []
            for client, result in zip(clients, results, strict=True):
                if isinstance(result, Exception):  # a bug must not stop the other panels, nor next cycles
                    log.error("status sync of panel %s failed", client.name, exc_info=result)
                    result = PanelReport(client.name, error=f"unexpected {type(result).__name__}")
                elif isinstance(result, BaseException):
                    raise result
                reports.append(result)
            await self._list_unknown(db, notifier)
            return CycleReport(reports, seconds=time.monotonic() - started)

    async def _list_unknown(self, db: Database, notifier: SyncNotifier) -> None:
        try:
            alert = await self.unknown.check(db)
        except Exception:
            log.exception("could not list the orders awaiting reconciliation")
            return
        if alert is not None:
            await notifier.alert(alert)

    async def _sync_panel(self, db: Database, client: PanelClient, notifier: SyncNotifier) -> PanelReport:
        report = PanelReport(client.name)
        if not self.backoff.should_try(client.name):
            report.skipped = True
            return report
        open_orders = {o.panel_order_id: o for o in await sync_orders.open_orders(db.conn, client.name)}
        open_refills = {r.panel_refill_id: r for r in await lookups.open_refills(db, client.name)}
        if not open_orders and not open_refills:
            return report
        report.asked, report.refills_asked = len(open_orders), len(open_refills)
        gate = asyncio.Semaphore(self.concurrency)
        flagged: list[MissedOrder] = []

        async def ask(batch: list[str], fetch: Callable[[list[str]], Awaitable[Mapping[str, Any]]],
                      apply: Callable[[Mapping[str, Any]], Awaitable[None]]) -> PanelError | None:
            async with gate:  # held for the request only: applying never delays the next request
                report.requests += 1
                try:
                    answers = await fetch(batch)
                except PanelError as exc:
                    return exc
            await apply(answers)
            return None

        async def apply_orders(answers: Mapping[str, Any]) -> None:
            await self._apply_orders(db, open_orders, answers, report, flagged, notifier)

        async def apply_refills(answers: Mapping[str, Any]) -> None:
            await self._apply_refills(db, open_refills, answers, report, notifier)

        jobs = [ask(b, client.statuses, apply_orders) for b in batches(list(open_orders))]
        jobs += [ask(b, client.refill_statuses, apply_refills) for b in batches(list(open_refills))]
        failures = [r for r in await asyncio.gather(*jobs) if r is not None]
        report.failed_batches = len(failures)
        if failures and len(failures) == len(jobs):
            report.error = failures[0].message
            await self._panel_failed(db, client.name, failures[0], notifier)
        else:
            if failures:
                log.warning("panel %s: %d of %d status requests failed (%s); asked again next cycle",
                            client.name, len(failures), len(jobs), failures[0].message)
            await self._panel_answered(db, client.name, notifier)
        if flagged:
            report.flagged = len(flagged)
            await notifier.alert(StatusMisses(client.name, tuple(flagged)))
        return report

    async def _apply_orders(self, db: Database, open_orders: Mapping[str, OpenOrder],
                            answers: Mapping[str, OrderState | EntryError], report: PanelReport,
                            flagged: list[MissedOrder], notifier: SyncNotifier) -> None:
        todo = []
        for panel_order_id, answer in answers.items():
            order = open_orders.get(panel_order_id)
            if order is not None and (isinstance(answer, EntryError) or not already_stored(order, answer)):
                todo.append((order, answer))
        if not todo:
            return
        changes: list[tuple[OpenOrder, statuses.StatusChange]] = []
        async with db.transaction() as conn:  # one transaction per batch, a savepoint per order
            stored = await orders.get_many(conn, [o.id for o, a in todo if not isinstance(a, EntryError)])
            for order, answer in todo:
                if isinstance(answer, EntryError):
                    await self._miss(conn, order, answer.message, report, flagged)
                    continue
                try:
                    async with savepoint(conn, "status_entry"):
                        change = await statuses.apply_in(conn, order.id, answer, order=stored.get(order.id))
                except Exception as exc:  # this order's writes are undone; its neighbours' stay
                    log.exception("panel %s: could not apply the answer for order %s", report.panel, order.id)
                    await self._miss(conn, order, f"{UNAPPLIED} ({type(exc).__name__})", report, flagged)
                    continue
                if change is not None:
                    changes.append((order, change))
        for order, change in changes:  # told only once the money is committed
            report.changes += 1
            update = order_update(order, change)
            if update is not None:
                report.updates += 1
                await notifier.order_update(update)

    async def _miss(self, conn: aiosqlite.Connection, order: OpenOrder, message: str, report: PanelReport,
                    flagged: list[MissedOrder]) -> None:
        report.misses += 1
        misses = await statuses.record_miss_in(conn, order.id)
        if misses == self.miss_alert:  # once per streak; the order keeps being asked
            flagged.append(MissedOrder(order.id, order.panel_order_id, misses, message))

    async def _apply_refills(self, db: Database, open_refills: Mapping[str, Refill],
                             answers: Mapping[str, RefillState | EntryError], report: PanelReport,
                             notifier: SyncNotifier) -> None:
        todo = [(open_refills[i], a) for i, a in answers.items() if i in open_refills]
        if not todo:
            return
        changes = []
        async with db.transaction() as conn:  # as for orders: one transaction, a savepoint per refill
            for refill, answer in todo:
                if isinstance(answer, EntryError):
                    report.misses += 1
                    log.info("panel %s: refill %s answered an error (%s); asked again next cycle",
                             report.panel, refill.id, answer.message)
                    continue
                try:
                    async with savepoint(conn, "refill_entry"):
                        change = await order_requests.apply_refill_in(conn, refill.id, answer)
                except Exception:
                    report.misses += 1
                    log.exception("panel %s: could not apply the answer for refill %s", report.panel, refill.id)
                    continue
                if change is not None:
                    changes.append(change)
        for change in changes:
            report.refill_changes += 1
            update = refill_update(change, await lookups.order(db, change.order_id))
            if update is not None:
                report.updates += 1
                await notifier.refill_update(update)

    async def _panel_failed(self, db: Database, panel: str, error: PanelError, notifier: SyncNotifier) -> None:
        retry_after = error.retry_after if isinstance(error, PanelRateLimited) else None
        skip = self.backoff.failed(panel, retry_after)
        async with db.transaction() as conn:
            state = await panel_state.record_failure(conn, panel, error.message)
            first = not state.down_alerted
            if first:
                await panel_state.set_alerted(conn, panel, down=True)
        log.warning("panel %s did not answer the status sync (%s); sitting out %d cycle(s)",
                    panel, error.message, skip)
        if first:
            await notifier.alert(PanelDown(panel, error.message))

    async def _panel_answered(self, db: Database, panel: str, notifier: SyncNotifier) -> None:
        self.backoff.succeeded(panel)
        async with db.transaction() as conn:
            before = await panel_state.record_success(conn, panel)
        if before.down_alerted:
            log.info("panel %s answers the status sync again", panel)
            await notifier.alert(PanelUp(panel, before.down_since))
