"""Running the bot in production: long polling or a webhook, a heartbeat, and a bounded graceful stop.

`serve(application, settings)` runs the steps of PTB's run_polling/run_webhook (initialize →
post_init → updater start → start … updater stop → stop → post_stop → shutdown → post_shutdown)
itself, because their stop waits without limit; here the waiting is bounded:

With WEBAPP_URL the Mini App's aiohttp server (bot/webapp/server.py) starts too: beside polling on
WEBAPP_PORT, or — with WEBHOOK_URL as well — in place of PTB's webhook server, taking Telegram's
updates itself (PTB's tornado server cannot serve other routes).

On SIGTERM (or SIGINT):
1. no new updates: the Mini App server closes, polling stops (Telegram keeps the rest) or the webhook server closes;
2. `Application.stop()`: updates already received are handled, non-blocking handlers (an order
   waiting on its panel) and running jobs (a sync cycle) finish — for up to SHUTDOWN_GRACE_SECONDS;
3. past the grace: persistence is written, then what still runs is cancelled (bot/telegram/graceful.py);
4. shutdown writes persistence a last time, post_shutdown closes the panels' session and the database.
A second signal cuts the grace short.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application, CallbackContext

from bot.config import Settings
from bot.healthcheck import HEARTBEAT_SECONDS, heartbeat_path, touch_heartbeat
from bot.runtime import app_runtime
from bot.telegram import standby
from bot.telegram.graceful import close, stop_gracefully
from bot.telegram.redact import register_secret
from bot.webapp.server import start_server, stop_server

log = logging.getLogger(__name__)

AnyApplication = Application[Any, Any, Any, Any, Any, Any]
HEARTBEAT_JOB = "heartbeat"


class StopSignals:
    """Signal handlers on the running loop: the first signal sets `stop`, a second one `hurry`."""

    def __init__(self, signals: Sequence[int] = (signal.SIGTERM, signal.SIGINT)) -> None:
        self.stop = asyncio.Event()
        self.hurry = asyncio.Event()
        self._loop = asyncio.get_running_loop()
        self._signals = tuple(signals)
        for sig in self._signals:
            self._loop.add_signal_handler(sig, self._received, sig)

    def _received(self, sig: int) -> None:
        name = signal.Signals(sig).name
        if self.stop.is_set():
            log.warning("%s again: interrupting the work in progress now", name)
            self.hurry.set()
        else:
            log.info("%s received: shutting down", name)
            self.stop.set()

    def remove(self) -> None:
        """Give the signals back to their default handlers."""
        for sig in self._signals:
            self._loop.remove_signal_handler(sig)


async def serve(application: AnyApplication, settings: Settings, *, stop: asyncio.Event | None = None,
                hurry: asyncio.Event | None = None) -> None:
    """Run until SIGTERM/SIGINT (or until `stop` is set), stop within the grace, close everything.

    Exceptions from start-up propagate after everything that did start was closed again.
    """
    register_secret(settings.telegram.webhook_secret)
    signals = StopSignals() if stop is None else None
    if signals is not None:
        stop, hurry = signals.stop, signals.hurry
    assert stop is not None
    try:
        # one active instance per shop (bot/telegram/standby.py): a standby waits here for its turn
        lease = await standby.acquire(settings, stop)
        if lease is None:
            return
        try:
            try:
                await start(application, settings)
                if lease.took_over:
                    await standby.announce_takeover(application, settings)
                await _first_of(stop, lease.lost)
            finally:
                if lease.lost.is_set():
                    hurry = hurry or asyncio.Event()
                    hurry.set()  # another instance may be taking over: no grace
                try:
                    await stop_server(application)  # the Mini App (and a shared webhook): no new requests
                    await stop_gracefully(application, settings.telegram.shutdown_grace_seconds, hurry=hurry)
                finally:
                    await close(application)
        finally:
            await lease.release()
        if lease.lost.is_set():
            raise standby.LeadershipLost("lost the leader lock; stopped so that a standby takes over")
    finally:
        if signals is not None:
            signals.remove()


async def _first_of(*events: asyncio.Event) -> None:
    waits = [asyncio.ensure_future(event.wait()) for event in events]
    try:
        await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for wait in waits:
            wait.cancel()


async def start(application: AnyApplication, settings: Settings) -> None:
    """initialize, post_init, the updater (webhook or polling), start, the heartbeat job."""
    tg = settings.telegram
    await application.initialize()
    if application.post_init:
        await application.post_init(application)
    updater = application.updater
    if updater is None:
        raise RuntimeError("the Application has no Updater")
    webapp_on = settings.webapp.enabled
    if tg.webhook_url and webapp_on:
        # one aiohttp server for both: PTB's tornado webhook server cannot serve the Mini App
        assert tg.webhook_secret is not None
        await start_server(application, settings, webhook=True)
        await application.bot.set_webhook(url=tg.webhook_url, secret_token=tg.webhook_secret.get_secret_value(),
                                          allowed_updates=Update.ALL_TYPES)
        log.info("receiving updates by webhook on %s:%d%s (served with the Mini App)", tg.webhook_listen,
                 tg.webhook_port, tg.webhook_path or "/")
    elif tg.webhook_url:
        assert tg.webhook_secret is not None  # the settings refuse a webhook without its secret
        await updater.start_webhook(
            listen=tg.webhook_listen, port=tg.webhook_port, url_path=tg.webhook_path,
            webhook_url=tg.webhook_url, secret_token=tg.webhook_secret.get_secret_value(),
            allowed_updates=Update.ALL_TYPES)
        log.info("receiving updates by webhook on %s:%d%s", tg.webhook_listen, tg.webhook_port,
                 tg.webhook_path or "/")
    else:
        def polling_failed(exc: TelegramError) -> None:
            # as run_polling does: a failed getUpdates goes to the error handler (admins see outages)
            application.create_task(application.process_error(error=exc, update=None))

        await updater.start_polling(allowed_updates=Update.ALL_TYPES, error_callback=polling_failed)
        log.info("receiving updates by long polling")
        if webapp_on:
            await start_server(application, settings)
    await application.start()
    await schedule_heartbeat(application, settings)


async def schedule_heartbeat(application: AnyApplication, settings: Settings) -> None:
    """Touch the heartbeat file now and every HEARTBEAT_SECONDS (what bot.healthcheck reads)."""
    path = heartbeat_path(settings.storage.database_path)
    await beat_once(application, path)
    if application.job_queue is None:
        log.warning("no JobQueue: no heartbeat after the first, the container's health check will fail")
        return
    application.job_queue.run_repeating(beat, interval=HEARTBEAT_SECONDS, first=HEARTBEAT_SECONDS,
                                        name=HEARTBEAT_JOB, data=path)


async def beat(context: CallbackContext[Any, Any, Any, Any]) -> None:
    """The heartbeat job."""
    await beat_once(context.application, context.job.data)


async def beat_once(application: AnyApplication, path: Path) -> None:
    """A query on the bot's own database connection, then the file (so a wedged database shows)."""
    await app_runtime(application).db.schema_version()
    await asyncio.to_thread(touch_heartbeat, path)
