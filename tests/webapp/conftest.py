"""Fixtures of the Mini App tests: the real bot (all features) with its Mini App server, the fakes,
and customers who sign their own initData with the bot's token, as Telegram does."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.domain import wallet
from bot.money import to_minor
from bot.webapp.auth import sign_init_data
from bot.webapp.server import start_server, stop_server
from tests.e2e.harness import BotEnv


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def init_data(token: str, user_id: int, *, lang: str = "en", auth_date: float | None = None,
              username: str | None = None) -> str:
    """initData for `user_id`, signed with `token` the way Telegram signs it."""
    user = {"id": user_id, "first_name": f"User{user_id}", "language_code": lang}
    if username:
        user["username"] = username
    fields = {"auth_date": str(int(time.time() if auth_date is None else auth_date)),
              "query_id": "AAE-test", "user": json.dumps(user, separators=(",", ":"))}
    return sign_init_data(fields, token)


class Shop:
    """The running bot plus its Mini App server; `client(user)` speaks the API as that customer."""

    def __init__(self, env: BotEnv, url: str) -> None:
        self.env, self.url = env, url
        self.session = aiohttp.ClientSession()

    def sign(self, user_id: int, **options: Any) -> str:
        return init_data(self.env.tg.token, user_id, **options)

    async def call(self, user_id: int | None, path: str, body: Any = None, *, auth: str | None = None,
                   lang: str = "en") -> tuple[int, Any]:
        """(status, JSON) of one API call; `auth` overrides the signed initData."""
        header = auth if auth is not None else "tma " + self.sign(user_id, lang=lang)
        method = self.session.post if body is not None else self.session.get
        async with method(self.url + "api/" + path, json=body, headers={"Authorization": header}) as resp:
            return resp.status, (await resp.json() if resp.content_type == "application/json" else None)

    async def fund(self, user_id: int, amount: str) -> None:
        await wallet.credit(self.env.db, user_id, to_minor(Decimal(amount)), note="test")


@pytest.fixture
async def shop(tmp_path: Path) -> AsyncIterator[Shop]:
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    env = BotEnv(tmp_path, admin_ids={1}, settings={
        "webapp": {"webapp_url": url, "webapp_listen": "127.0.0.1", "webapp_port": port}})
    await env.start()
    running = None
    try:
        await env.load_catalogue()
        await start_server(env.app, env.settings)
        running = Shop(env, url)
        yield running
    finally:
        if running is not None:
            await running.session.close()
        if env.app is not None:
            await stop_server(env.app)
        await env.stop()
