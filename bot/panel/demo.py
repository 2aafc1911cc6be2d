"""The demo panel: a simulated SMM panel served in-process, so `PANEL_URL=demo` needs nothing but a bot token.

It is a small aiohttp.web app on a loopback port of its own, started and stopped by the PanelHub,
and the shop reaches it through the same PanelClient/PanelTransport as a real panel over real
HTTP: every answer goes through the adapter's parsing, retries and errors, so trying the shop on
the demo tries the real code path. The listening socket is bound when the DemoPanel is built, so
its URL is known before the hub creates its clients (no port race). Its books: demo_book.py.
"""

from __future__ import annotations

import logging
import socket
from typing import Any

from aiohttp import web

from bot.panel.demo_book import DemoBook

log = logging.getLogger("bot.panel")


class DemoPanel:
    """The demo panel's HTTP server on 127.0.0.1; `url` is its API v2 address."""

    def __init__(self, key: str, step_seconds: float) -> None:
        self.key = key
        self.book = DemoBook(step_seconds)
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(64)
        self._socket.setblocking(False)
        port = self._socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}/api/v2"
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        if self._runner is not None:
            return
        app = web.Application()
        app.router.add_post("/api/v2", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.2, handle_signals=False)
        await self._runner.setup()
        await web.SockSite(self._runner, self._socket).start()
        log.info("demo panel: simulated orders, one step every %gs", self.book.step)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        self._socket.close()

    async def _handle(self, request: web.Request) -> web.Response:
        form = {k: str(v) for k, v in (await request.post()).items()}
        answer: Any
        if form.get("key") != self.key:
            answer = {"error": "Invalid API key"}
        else:
            answer = self.book.answer(form.get("action", "").strip(), form)
        return web.json_response(answer)
