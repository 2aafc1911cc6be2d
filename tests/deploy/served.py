"""The real Application run by `serve()` inside the test's event loop (no signals: a stop Event instead).

    bot = ServedBot(tmp_path, tg, panel, setup=add_handlers, telegram={"shutdown_grace_seconds": 2})
    await bot.start()                 # returns once the bot takes updates
    elapsed = await bot.stop()        # what SIGTERM does: set the stop event, wait for serve() to return
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from telegram.ext import Application

from bot.app import build_application
from bot.config import Settings, load_settings
from bot.telegram.serve import serve
from bot.webapp.server import SERVER_KEY
from tests.e2e.harness import FAST_PANEL_OPTIONS, _no_proxy_for_loopback
from tests.fakes.panel_server import FakePanel
from tests.fakes.telegram_server import FakeTelegram


class ServedBot:
    """serve(application, settings) as a task; `app`, `settings`, `database_path` for inspection."""

    def __init__(self, tmp_path: Path, tg: FakeTelegram, panel: FakePanel, *,
                 setup: Callable[[Application], None] | None = None,
                 telegram: Mapping[str, Any] | None = None, webapp: Mapping[str, Any] | None = None) -> None:
        _no_proxy_for_loopback()
        self.database_path = tmp_path / "data" / "bot.db"
        self.settings: Settings = load_settings(
            telegram={"bot_token": tg.token, "telegram_api_url": tg.url, **(telegram or {})},
            panels={"panels": [{"name": "main", "url": panel.url, "key": panel.key}],
                    "panel_url": None, "panel_key": None},
            storage={"database_path": self.database_path},
            webapp=dict(webapp or {}),
        )
        self.app = build_application(self.settings, features=[], panel_options=FAST_PANEL_OPTIONS)
        if setup is not None:
            setup(self.app)
        self.stop_event = asyncio.Event()
        self.hurry_event = asyncio.Event()
        self.task: asyncio.Task[None] | None = None

    async def start(self, timeout: float = 10.0) -> ServedBot:  # noqa: ASYNC109
        """Run serve() and wait until the application and its updater run."""
        self.task = asyncio.create_task(serve(self.app, self.settings, stop=self.stop_event,
                                              hurry=self.hurry_event))
        deadline = time.monotonic() + timeout
        while not (self.app.running and ((self.app.updater and self.app.updater.running)
                                         or SERVER_KEY in self.app.bot_data)):  # the Mini App's server took the webhook
            if self.task.done():
                self.task.result()  # start-up failed: raise its error
            assert time.monotonic() < deadline, "the bot did not start"
            await asyncio.sleep(0.02)
        return self

    async def stop(self, timeout: float = 30.0) -> float:  # noqa: ASYNC109
        """Ask serve() to stop (as SIGTERM does); seconds until it returned."""
        assert self.task is not None
        started = time.monotonic()
        self.stop_event.set()
        await asyncio.wait_for(self.task, timeout)
        return time.monotonic() - started

    async def close(self) -> None:
        """Stop if still running (fixture teardown)."""
        if self.task is not None and not self.task.done():
            self.stop_event.set()
            self.hurry_event.set()
            await asyncio.wait_for(asyncio.shield(self.task), 30)
