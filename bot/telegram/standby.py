"""One active instance per shop: the lease bot/telegram/serve.py takes before it starts anything.

SQLite: a lock file beside the database; a second instance on the same file stops at once with one
line (`AnotherInstance`). PostgreSQL: every instance connects, and the one holding the leader lock
(bot/storage/instance_lock.py) is active: it polls or owns the webhook and runs the jobs. The
others wait, trying the lock every STANDBY_CHECK_SECONDS (at once when the active one steps down
gracefully), and keep their heartbeat fresh meanwhile. A standby that takes over starts like any
instance (conversation states from the database, `submitting` orders → `unknown`, untold news queued
again) and tells the admin group. An active instance whose lock connection dies stops at once
(`LeadershipLost`, exit 1) so that it never runs beside the one that takes over.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from typing import TYPE_CHECKING, Any

from bot.healthcheck import heartbeat_path, touch_heartbeat
from bot.storage.db import describe
from bot.storage.instance_lock import FileLock, LeaderLock

if TYPE_CHECKING:
    from telegram.ext import Application

    from bot.config import Settings

log = logging.getLogger(__name__)


class LeadershipLost(RuntimeError):
    """The leader lock's connection was lost while active; the instance stopped."""


def instance_name() -> str:
    """How this instance is named in logs and in the admin group: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"


class Lease:
    """The right to run; `lost` is set if it ends before we release it (PostgreSQL only)."""

    def __init__(self, lock: FileLock | LeaderLock, *, took_over: bool = False) -> None:
        self.lock = lock
        self.took_over = took_over
        self.lost = asyncio.Event()
        self._watch: asyncio.Task[None] | None = None

    def watch(self, every: float) -> None:
        if isinstance(self.lock, LeaderLock):
            self._watch = asyncio.create_task(self._watching(self.lock, every), name="leader-lock-watch")

    async def _watching(self, lock: LeaderLock, every: float) -> None:
        while True:
            await asyncio.sleep(every)
            if not await lock.still_held():
                log.error("lost the leader lock (its database connection is gone): stopping at once")
                self.lost.set()
                return

    async def release(self) -> None:
        if self._watch is not None:
            self._watch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watch
        if isinstance(self.lock, LeaderLock):
            await self.lock.release()
            log.info("stepped down: the leader lock is free for a standby")
        else:
            self.lock.release()


async def acquire(settings: Settings, stop: asyncio.Event) -> Lease | None:
    """This instance's lease: at once (SQLite, or a free lock), or after waiting; None if stopped first."""
    storage = settings.storage
    if not storage.is_postgres:
        file_lock = FileLock(storage.database)  # type: ignore[arg-type]
        file_lock.acquire()  # AnotherInstance: one clear line from __main__
        return Lease(file_lock)
    lock = LeaderLock(str(storage.database))
    await lock.connect()
    every = storage.standby_check_seconds
    beat = heartbeat_path(storage.database_path)
    waited = False
    try:
        while not stop.is_set():
            if await lock.try_acquire():
                break
            if not waited:
                log.info("standby: another instance is active on %s; checking every %g s",
                         describe(str(storage.database)), every)
                waited = True
            await asyncio.to_thread(touch_heartbeat, beat)
            stopping = asyncio.ensure_future(stop.wait())
            released = asyncio.ensure_future(lock.wait_for_release(every))
            await asyncio.wait({stopping, released}, return_when=asyncio.FIRST_COMPLETED)
            for task in (stopping, released):
                task.cancel()
        else:
            await lock.close()
            return None
    except BaseException:
        await lock.close()
        raise
    log.info("active: %s holds the leader lock%s", instance_name(), " (took over)" if waited else "")
    lease = Lease(lock, took_over=waited)
    lease.watch(every)
    return lease


async def announce_takeover(application: Application[Any, Any, Any, Any, Any, Any], settings: Settings) -> None:
    """Tell the admin group that this instance took over (never raises)."""
    from bot.runtime import app_runtime
    from bot.telegram import alerts

    try:
        rt = app_runtime(application)
        await alerts.alert(application, settings, rt.i18n, "standby.took_over", instance=instance_name())
    except Exception:
        log.exception("could not tell the admin group about the takeover")
