"""Webhook mode: Telegram's secret-token header is required on every request; only those updates are handled."""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp
from telegram import Update
from telegram.ext import Application, CommandHandler, ContextTypes

from bot.telegram.redact import redact
from tests.deploy.process import BotProcess, free_port, process_env

SECRET = "webhook-secret_0123456789abcdef"
HEADER = "X-Telegram-Bot-Api-Secret-Token"


def add_ping(pinged: list[int]):
    """A test-only /ping that records who it answered."""

    def setup(application: Application) -> None:
        async def ping(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            pinged.append(update.effective_user.id)
            await update.effective_message.reply_text("pong")

        application.add_handler(CommandHandler("ping", ping))

    return setup


async def post(url: str, update: dict, headers: dict[str, str] | None = None) -> int:
    """POST one update as Telegram does; the HTTP status."""
    async with aiohttp.ClientSession() as session, session.post(url, json=update, headers=headers or {}) as resp:
        return resp.status


def webhook_settings(port: int) -> dict:
    return {"webhook_url": "https://bot.example.com/tg/hook", "webhook_listen": "127.0.0.1",
            "webhook_port": port, "webhook_secret": SECRET}


async def test_only_updates_with_the_secret_header_are_handled(served, tg) -> None:
    pinged: list[int] = []
    port = free_port()
    bot = await served(setup=add_ping(pinged), telegram=webhook_settings(port))
    [registered] = tg.calls_of("setWebhook")
    assert registered.params["url"] == "https://bot.example.com/tg/hook"
    assert registered.params["secret_token"] == SECRET
    assert "message" in registered.params["allowed_updates"]
    assert tg.polls == 0  # no long polling in webhook mode
    assert redact(f"header {SECRET}") == "header ***"  # registered with the other secrets
    url = f"http://127.0.0.1:{port}/tg/hook"

    assert await post(url, tg.send_text(1, "/ping")) == 403  # no header
    assert await post(url, tg.send_text(2, "/ping"), {HEADER: SECRET[:-1] + "X"}) == 403  # wrong secret
    assert await post(f"http://127.0.0.1:{port}/elsewhere", tg.send_text(3, "/ping"), {HEADER: SECRET}) == 404
    assert await post(url, tg.send_text(4, "/ping"), {HEADER: SECRET}) == 200
    assert (await tg.next_message(4)).plain == "pong"
    await asyncio.sleep(0.2)  # time for a wrongly accepted update to show
    assert pinged == [4]
    assert [c.chat_id for c in tg.calls_of("sendMessage")] == [4]

    await bot.stop()
    try:
        status = await post(url, tg.send_text(5, "/ping"), {HEADER: SECRET})
    except aiohttp.ClientConnectionError:
        status = None
    assert status is None  # the server is gone: Telegram keeps the update for the next start
    assert pinged == [4]


async def test_python_dash_m_bot_in_webhook_mode(tmp_path: Path, tg, panel) -> None:
    """The real process: /order without the header goes unanswered, with it the order flow answers."""
    port = free_port()
    env = process_env(tg, panel, tmp_path / "data" / "bot.db", WEBHOOK_URL="https://bot.example.com/hook",
                      WEBHOOK_LISTEN="127.0.0.1", WEBHOOK_PORT=str(port), WEBHOOK_SECRET=SECRET)
    async with BotProcess(tmp_path, env) as bot:
        await bot.wait_for_line(f"receiving updates by webhook on 127.0.0.1:{port}/hook")
        url = f"http://127.0.0.1:{port}/hook"
        assert await post(url, tg.send_text(42, "/order")) == 403
        await asyncio.sleep(0.3)
        assert tg.calls_of("sendMessage") == []
        assert await post(url, tg.send_text(42, "/order"), {HEADER: SECRET}) == 200
        # the order flow's first screen: the catalogue was fetched at start-up (bot/ops/catalogue_load.py)
        await tg.wait_for("sendMessage", lambda c: "Choose a platform" in (c.text or ""), chat_id=42, timeout=10)
        elapsed, code = await bot.terminate()
    assert code == 0, bot.log[-2000:]
    assert elapsed < 10
    assert [c.params["url"] for c in tg.calls_of("setWebhook")] == ["https://bot.example.com/hook"]
    bot.assert_clean_log(tg.token, tg.token.split(":")[1], panel.key, SECRET)
    assert " INFO bot.app: stopped" in bot.log
