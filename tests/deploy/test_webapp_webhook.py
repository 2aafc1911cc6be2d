"""WEBAPP_URL and WEBHOOK_URL together: one aiohttp server takes Telegram's updates (same secret rule)
and serves the Mini App; serve() registers the webhook itself and stops the server first on SIGTERM."""

from __future__ import annotations

import asyncio

import aiohttp

from bot.webapp.server import SERVER_KEY
from tests.deploy.process import free_port
from tests.deploy.test_webhook import HEADER, SECRET, add_ping, post, webhook_settings


async def test_the_mini_app_server_also_takes_the_webhook(served, tg) -> None:
    pinged: list[int] = []
    port = free_port()
    bot = await served(setup=add_ping(pinged), telegram=webhook_settings(port),
                       webapp={"webapp_url": "https://shop.example.com/app", "webapp_port": free_port()})
    assert bot.app.bot_data[SERVER_KEY].shares_webhook and not bot.app.updater.running
    [registered] = tg.calls_of("setWebhook")
    assert registered.params["url"] == "https://bot.example.com/tg/hook"
    assert registered.params["secret_token"] == SECRET
    assert tg.polls == 0
    hook = f"http://127.0.0.1:{port}/tg/hook"

    assert await post(hook, tg.send_text(1, "/ping")) == 403
    assert await post(hook, tg.send_text(2, "/ping"), {HEADER: SECRET[:-1] + "X"}) == 403
    assert await post(hook, tg.send_text(4, "/ping"), {HEADER: SECRET}) == 200
    assert (await tg.next_message(4)).plain == "pong"
    async with aiohttp.ClientSession() as session:
        async with session.get(f"http://127.0.0.1:{port}/app/") as resp:
            assert resp.status == 200 and "telegram-web-app.js" in await resp.text()
        async with session.get(f"http://127.0.0.1:{port}/app/api/me") as resp:
            assert resp.status == 401
    await asyncio.sleep(0.2)
    assert pinged == [4]

    await bot.stop()
    try:
        status = await post(hook, tg.send_text(5, "/ping"), {HEADER: SECRET})
    except aiohttp.ClientConnectionError:
        status = None
    assert status is None and pinged == [4]


async def test_the_mini_app_beside_long_polling(served, tg) -> None:
    port = free_port()
    bot = await served(webapp={"webapp_url": "https://shop.example.com/", "webapp_listen": "127.0.0.1",
                               "webapp_port": port})
    assert bot.app.updater.running and not bot.app.bot_data[SERVER_KEY].shares_webhook
    async with aiohttp.ClientSession() as session, session.get(f"http://127.0.0.1:{port}/") as resp:
        assert resp.status == 200
    await bot.stop()
    assert SERVER_KEY not in bot.app.bot_data
