"""BotEnv: the real Application running against FakeTelegram and FakePanels, for end-to-end tests.

    from tests.e2e.harness import BotEnv, ADMIN_CHAT_ID

    async with BotEnv(tmp_path, admin_ids={1}) as env:      # starts fakes + the bot (polling)
        env.tg.send_text(42, "/start")                        # FakeTelegram: customer side
        msg = await env.tg.next_message(42)                   # the bot's reply (BotMessage)
        env.panel.orders                                      # the first FakePanel ("main")
        env.runtime.db / env.db                               # the live Runtime and Database
        await env.restart()                                   # full stop + start on the same DB

BotEnv(tmp_path, *, panels={"main": "folgen"}, admin_ids=(), admin_chat_id=ADMIN_CHAT_ID,
       features=None, setup=None, settings=None, panel_options=None)
  panels        name -> FakePanel dialect; each gets its own FakePanel (env.panels[name])
  features      feature modules (default: bot.app.FEATURES, i.e. the real bot)
  setup         setup(application) after build, before initialize, on every (re)start: add
                test-only handlers here
  settings      extra load_settings overrides per area, e.g. {"telegram": {"flood_max_updates": 3}}
  panel_options PanelHub keyword options (default: tiny retry delays so faults stay fast)
Attributes: tg (FakeTelegram), panels (dict[str, FakePanel]), panel (first), settings,
app (Application), runtime, db, database_path. Methods: start(), stop(), restart(),
async with. The lifecycle is driven by hand the way run_polling does it: initialize → post_init
→ updater.start_polling → start; updater.stop → stop → post_stop → shutdown → post_shutdown.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.app import build_application
from bot.config import Settings, load_settings
from bot.runtime import Runtime, app_runtime
from bot.storage.db import Database
from tests.fakes.panel_server import FakePanel
from tests.fakes.telegram_server import ADMIN_CHAT_ID, FakeTelegram

__all__ = ["ADMIN_CHAT_ID", "BotEnv"]

FAST_PANEL_OPTIONS = {"retry_delays": (0.01, 0.02)}


def _no_proxy_for_loopback() -> None:
    """httpx honours proxy variables; the fakes live on 127.0.0.1 and must be reached directly."""
    for var in ("NO_PROXY", "no_proxy"):
        present = [p for p in os.environ.get(var, "").split(",") if p]
        os.environ[var] = ",".join(dict.fromkeys([*present, "127.0.0.1", "localhost"]))


class BotEnv:
    """Fakes plus the real bot; see the module docstring."""

    def __init__(self, tmp_path: Path, *, panels: Mapping[str, str] | None = None, admin_ids: Iterable[int] = (),
                 admin_chat_id: int | None = ADMIN_CHAT_ID, features: Sequence[ModuleType] | None = None,
                 setup: Callable[[Application], None] | None = None,
                 settings: Mapping[str, Mapping[str, Any]] | None = None,
                 panel_options: Mapping[str, Any] | None = None) -> None:
        self.tmp_path = Path(tmp_path)
        self.database_path = self.tmp_path / "bot.db"
        self.tg = FakeTelegram()
        self.panels = {name: FakePanel(dialect=dialect, key=f"key-{name}-0123456789")
                       for name, dialect in (panels or {"main": "folgen"}).items()}
        self.admin_ids = frozenset(admin_ids)
        self.admin_chat_id = admin_chat_id
        self.features = features
        self.setup = setup
        self.overrides = {area: dict(values) for area, values in (settings or {}).items()}
        self.panel_options = dict(FAST_PANEL_OPTIONS if panel_options is None else panel_options)
        self.settings: Settings | None = None
        self.app: Application | None = None

    @property
    def panel(self) -> FakePanel:
        """The first FakePanel."""
        return next(iter(self.panels.values()))

    @property
    def runtime(self) -> Runtime:
        assert self.app is not None, "the bot is not running"
        return app_runtime(self.app)

    @property
    def db(self) -> Database:
        return self.runtime.db

    async def __aenter__(self) -> BotEnv:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def start(self) -> BotEnv:
        """Start the fakes (first time only) and the bot."""
        _no_proxy_for_loopback()
        if self.settings is None:
            await self.tg.start()
            for panel in self.panels.values():
                await panel.start()
            self.settings = self._load_settings()
        await self._start_bot()
        return self

    async def load_catalogue(self) -> None:
        """Fetch every fake panel's catalogue into the shop's cache, as the start-up refresh would.

        The bot's own first fetch (bot/ops/catalogue_load.py) is awaited first, so it never overlaps this one.
        """
        import asyncio

        from bot.domain.catalogue import refresh_catalogue
        from bot.ops.catalogue_load import loader

        await asyncio.wait_for(loader(self.app).done.wait(), 30)
        report = await refresh_catalogue(self.db, self.runtime.panels)
        assert report.ok, report

    async def stop(self) -> None:
        """Stop the bot, then the fakes."""
        await self._stop_bot()
        for panel in self.panels.values():
            await panel.stop()
        await self.tg.stop()

    async def restart(self) -> None:
        """A clean restart: the whole lifecycle down and up again, same database, same fakes."""
        await self._stop_bot()
        await self._start_bot()

    def _load_settings(self) -> Settings:
        areas: dict[str, dict[str, Any]] = {
            "telegram": {"bot_token": self.tg.token, "telegram_api_url": self.tg.url},
            "panels": {"panels": [{"name": name, "url": panel.url, "key": panel.key}
                                  for name, panel in self.panels.items()],
                       "panel_url": None, "panel_key": None},
            "storage": {"database_path": self.database_path},
            "admin": {"admin_chat_id": self.admin_chat_id, "admin_ids": self.admin_ids},
        }
        for area, values in self.overrides.items():
            areas.setdefault(area, {}).update(values)
        return load_settings(**areas)

    async def _start_bot(self) -> None:
        assert self.settings is not None and self.app is None
        app = build_application(self.settings, features=self.features, panel_options=self.panel_options)
        if self.setup is not None:
            self.setup(app)
        self.app = app
        try:
            await app.initialize()
            if app.post_init:
                await app.post_init(app)
            assert app.updater is not None
            await app.updater.start_polling(poll_interval=0, timeout=10, allowed_updates=Update.ALL_TYPES)
            await app.start()
        except BaseException:
            await self._stop_bot()  # as run_polling does: shut down what did start, then re-raise
            raise

    async def _stop_bot(self) -> None:
        app, self.app = self.app, None
        if app is None:
            return
        if app.updater and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
            if app.post_stop:
                await app.post_stop(app)
        await app.shutdown()
        if app.post_shutdown:
            await app.post_shutdown(app)
