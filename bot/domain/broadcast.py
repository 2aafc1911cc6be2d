"""Broadcasts: one message to every reachable customer, paced under Telegram's overall limit.

Telegram allows about 30 messages a second overall; beyond it answers 429. The application's
AIORateLimiter is a leaky bucket that lets a full bucket through at once, so over one second
it may pass twice its rate; a broadcast therefore paces itself with a sliding window
(`RateWindow`): never more than `limit` sends start in any `period` seconds, and the default
period carries a margin for sends that are delayed on the way and arrive bunched. Recipients are read in pages by id
(`users.reachable_ids`: not blocked, not banned), so memory stays flat for any audience; the
operators (ADMIN_IDS) are left out, they read the preview.
Telegram-free: the caller passes `send(user_id) -> bool` (False: the customer blocked the bot
or has no chat with it; an exception: failed) and optional progress/stop callbacks.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass

from bot.storage import users
from bot.storage.db import Database

log = logging.getLogger(__name__)

MESSAGES_PER_SECOND = 30  # Telegram's overall limit for bots
# 30 starts per 1.2 s (25 a second): sends started in one window can be delayed on the way and
# arrive together with the next window's; Telegram counts arrivals, so pace with room for that
WINDOW_SECONDS = 1.2
PAGE_SIZE = 500
DEFAULT_CONCURRENCY = 8
PROGRESS_SECONDS = 5.0  # edits of the progress message: ~12 a minute, under a group's 20


class RateWindow:
    """At most `limit` acquisitions in any `period` seconds (a sliding window over the last ones)."""

    def __init__(self, limit: int = MESSAGES_PER_SECOND, period: float = WINDOW_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.period, self._clock = limit, period, clock
        self._starts: deque[float] = deque(maxlen=limit)
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        """Wait until one more start keeps the window within its limit, and count it."""
        async with self._lock:
            if len(self._starts) == self.limit:
                wait = self._starts[0] + self.period - self._clock()
                if wait > 0:
                    await asyncio.sleep(wait)
            self._starts.append(self._clock())


@dataclass
class BroadcastProgress:
    """Counts so far; `total` is how many customers were reachable when it started."""

    total: int
    sent: int = 0
    blocked: int = 0
    failed: int = 0
    stopped: bool = False

    @property
    def done(self) -> int:
        return self.sent + self.blocked + self.failed


async def audience(db: Database, operators: Collection[int] = ()) -> int:
    """How many customers a broadcast would reach now: not blocked, not banned, not an operator."""
    total = await users.count(db.conn, reachable_only=True)
    for user_id in operators:  # a handful of ids: writing in the admin group records them as users
        found = await users.get(db.conn, user_id)
        total -= bool(found and not found.blocked and not found.banned)
    return total


Send = Callable[[int], Awaitable[bool]]
Progress = Callable[[BroadcastProgress], Awaitable[None]]


class _Run:
    """One broadcast's bookkeeping: the sends in flight and the progress report in flight."""

    def __init__(self, send: Send, progress: BroadcastProgress, concurrency: int) -> None:
        self.send, self.progress = send, progress
        self.slots = asyncio.Semaphore(concurrency)
        self.tasks: set[asyncio.Task] = set()
        self.report: asyncio.Task | None = None

    async def one(self, user_id: int) -> None:
        try:
            reached = await self.send(user_id)
        except Exception as exc:
            self.progress.failed += 1
            log.warning("broadcast to %s failed: %s", user_id, exc)
        else:
            if reached:
                self.progress.sent += 1
            else:
                self.progress.blocked += 1
        finally:
            self.slots.release()

    def start(self, user_id: int) -> None:
        task = asyncio.create_task(self.one(user_id))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    def report_soon(self, on_progress: Progress) -> None:
        """Report progress in the background unless the last report is still on its way."""
        if self.report is None or self.report.done():
            self.report = asyncio.create_task(on_progress(dataclasses.replace(self.progress)))


async def run_broadcast(
    db: Database, send: Send, *, limiter: RateWindow, operators: Collection[int] = (),
    concurrency: int = DEFAULT_CONCURRENCY,
    should_stop: Callable[[], bool] = lambda: False, on_progress: Progress | None = None,
    progress_seconds: float = PROGRESS_SECONDS, clock: Callable[[], float] = time.monotonic,
) -> BroadcastProgress:
    """Send to every reachable customer but the operators (by id), paced by `limiter`; the final counts."""
    run = _Run(send, BroadcastProgress(await audience(db, operators)), concurrency)
    last_report, after = clock(), 0
    while not run.progress.stopped:
        page = await users.reachable_ids(db.conn, after=after, limit=PAGE_SIZE)
        if not page:
            break
        for user_id in page:
            if user_id in operators:
                continue
            if should_stop():
                run.progress.stopped = True
                break
            await run.slots.acquire()
            await limiter.acquire()
            run.start(user_id)
            if on_progress is not None and clock() - last_report >= progress_seconds:
                last_report = clock()
                await limiter.acquire()  # the progress edit is a request too
                run.report_soon(on_progress)
        after = page[-1]
    await asyncio.gather(*run.tasks)
    if run.report is not None:
        await asyncio.gather(run.report, return_exceptions=True)
    return run.progress
