"""Delivery of the sync's news: a bounded queue per recipient and the notifier that fills it.

The sync hands every update to `ChatNotifier`, which only queues it: status requests never wait
for Telegram. A few worker tasks drain the queue; news for one customer that piles up while
others are being served goes out together in one message, and one customer is never sent two
messages at once (Telegram allows about one message a second per chat). AIORateLimiter (see
bot/app.py) keeps the whole bot under ~30 messages a second and waits out RetryAfter, so a burst
of thousands of pushes queues instead of failing. Customers who blocked the bot are skipped;
a Forbidden answer marks them (bot/telegram/notify.py).

The queue holds at most QUEUE_LIMIT updates; beyond that `put` waits (back-pressure on the
cycle, never a dropped push). It lives in memory: what is still queued when the bot stops is
lost (logged), the order's status stays right in the database and in /orders, and the next start
queues it again from the database (bot/domain/sync_untold.py: orders whose status differs from
`notified_status`, written only after delivery; `queued_orders` keeps that from doubling news
already queued here).
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Awaitable, Callable, Coroutine, Hashable
from typing import Any, Generic, TypeVar

from telegram.error import TelegramError

from bot.domain import statuses
from bot.domain.sync_events import (
    Alert,
    LowBalance,
    OrderUpdate,
    PanelDown,
    PanelUp,
    RefillUpdate,
)
from bot.render.sync_views import admin_texts, customer_texts
from bot.runtime import Runtime
from bot.telegram import alerts
from bot.telegram.notify import push_to_customer
from bot.telegram.redact import redact

log = logging.getLogger(__name__)

T = TypeVar("T")
QUEUE_LIMIT = 20_000
WORKERS = 8  # the rate limiter, not this, caps the rate; several keep slow answers from stalling it
ADMINS = "admins"  # the queue key of admin alerts (customers are keyed by their int id)


class PushQueue(Generic[T]):
    """Pending items per key, delivered by up to `workers` tasks, one delivery per key at a time."""

    def __init__(self, deliver: Callable[[Hashable, list[T]], Awaitable[None]], *, workers: int = WORKERS,
                 limit: int = QUEUE_LIMIT, accepting: Callable[[], bool] = lambda: True,
                 spawn: Callable[[Coroutine[Any, Any, None]], Any] = asyncio.ensure_future) -> None:
        self._deliver = deliver
        self._max_workers = max(1, workers)
        self._limit = max(1, limit)
        self._accepting = accepting
        self._spawn = spawn
        self._pending: dict[Hashable, list[T]] = {}  # insertion order: first come, first served
        self._busy: set[Hashable] = set()
        self._size = 0
        self._workers = 0
        self._tasks: set[asyncio.Future[None]] = set()  # strong references to running workers
        self._space = asyncio.Event()
        self._idle = asyncio.Event()
        self._idle.set()

    def __len__(self) -> int:
        return self._size

    async def put(self, key: Hashable, item: T) -> None:
        """Queue one item for `key` (waits while the queue is full) and make sure workers run."""
        while self._size >= self._limit:
            self._space.clear()
            await self._space.wait()
        self._pending.setdefault(key, []).append(item)
        self._size += 1
        self._idle.clear()
        self.kick()

    def kick(self) -> None:
        """Start workers for what is pending (items queued before the bot was running wait for this)."""
        while self._accepting() and self._workers < min(self._max_workers, len(self._pending)):
            self._workers += 1
            task = self._spawn(self._work())
            if isinstance(task, asyncio.Future):
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)

    async def join(self) -> None:
        """Wait until everything queued so far was delivered (tests, benches)."""
        await self._idle.wait()

    def _next_key(self) -> Hashable | None:
        return next((key for key in self._pending if key not in self._busy), None)

    async def _work(self) -> None:
        try:
            while self._accepting():
                key = self._next_key()
                if key is None:
                    break
                items = self._pending.pop(key)
                self._size -= len(items)
                self._space.set()
                self._busy.add(key)
                try:
                    await self._deliver(key, items)
                except Exception:
                    log.exception("a push could not be delivered")
                finally:
                    self._busy.discard(key)
        finally:
            self._workers -= 1
            if self._workers == 0:
                if self._pending and not self._accepting():
                    log.warning("stopping with %d sync push(es) undelivered", self._size)
                if not self._pending or not self._accepting():
                    self._idle.set()
                else:
                    self.kick()


class ChatNotifier:
    """The sync's notifier for Telegram: queues customer news and admin alerts, delivers them."""

    def __init__(self, bot: Any, rt: Runtime, *, accepting: Callable[[], bool] = lambda: True,
                 spawn: Callable[[Coroutine[Any, Any, None]], Any] = asyncio.ensure_future,
                 limit: int = QUEUE_LIMIT, workers: int = WORKERS) -> None:
        self.bot = bot
        self.rt = rt
        self.queue: PushQueue[OrderUpdate | RefillUpdate | Alert] = PushQueue(
            self._deliver, workers=workers, limit=limit, accepting=accepting, spawn=spawn)
        self._orders_queued: Counter[int] = Counter()  # order id -> its updates queued or being delivered

    @property
    def queued_orders(self) -> Counter[int]:
        """Orders with news queued or being delivered now (not to be queued again from the database)."""
        return self._orders_queued

    async def order_update(self, update: OrderUpdate) -> None:
        self._orders_queued[update.order_id] += 1
        await self.queue.put(update.user_id, update)

    async def refill_update(self, update: RefillUpdate) -> None:
        await self.queue.put(update.user_id, update)

    async def alert(self, alert: Alert) -> None:
        await self.queue.put(ADMINS, alert)

    async def _deliver(self, key: Hashable, items: list[Any]) -> None:
        if key == ADMINS:
            await self._post_alerts(items)
            return
        try:
            await self._push_to_customer(int(key), items)  # type: ignore[call-overload]
        finally:  # delivered (and marked), skipped or failed: no longer queued
            self._orders_queued.subtract(i.order_id for i in items if isinstance(i, OrderUpdate))
            self._orders_queued += Counter()  # drops the orders now at zero

    async def _push_to_customer(self, user_id: int, updates: list[OrderUpdate | RefillUpdate]) -> None:
        """Send a customer's pending news in their language; remember what they were told."""
        rt = self.rt
        try:
            sent = await push_to_customer(self.bot, rt, user_id, lambda tr: customer_texts(
                tr, updates, rt.settings.shop.shop_currency), what=f"{len(updates)} update(s)")
        except TelegramError as exc:  # limiter gave up, network, refusal: not marked told
            log.warning("push to user %s failed: %s", user_id, redact(str(exc)))
            return
        if not sent:
            return
        for update in updates:
            if isinstance(update, OrderUpdate) and update.kind == update.status:  # not mere progress
                await statuses.mark_notified(rt.db, update.order_id, update.status)

    async def _post_alerts(self, items: list[Alert]) -> None:
        """Panel down/up and low balance through alerts.py's own texts; listings rendered here."""
        rt, listings = self.rt, []
        for alert in items:
            if isinstance(alert, PanelDown):
                await alerts.panel_down(self.bot, rt, alert.panel, alert.error)
            elif isinstance(alert, PanelUp):
                await alerts.panel_up(self.bot, rt, alert.panel, alert.down_since)
            elif isinstance(alert, LowBalance):
                await alerts.low_balance(self.bot, rt, alert.panel, alert.amount, alert.currency or "")
            else:
                listings.append(alert)
        if listings:
            tr = rt.i18n.bind(rt.default_language)
            for text in admin_texts(tr, listings, rt.settings.shop.shop_currency):
                await alerts.post_admin(self.bot, rt.settings, text)
