"""The real Application starts and stops cleanly against the fakes and owns its connections."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
import types
from decimal import Decimal

import pytest
from telegram import Update
from telegram.ext import Application, CommandHandler, ContextTypes

from bot.panel.models import OrderType
from bot.runtime import runtime
from bot.storage import order_writes, orders, users
from bot.telegram.persistence import SqlitePersistence
from tests.e2e.harness import BotEnv


def add_ping(application: Application) -> None:
    """A test-only /ping that answers from the Runtime (proves post_init ran before updates)."""

    async def ping(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        rt = runtime(context)
        row = await rt.db.fetchone("SELECT MAX(version) FROM schema_version")
        await update.effective_message.reply_text(f"pong {rt.panels.names} schema {row[0]}")

    application.add_handler(CommandHandler("ping", ping))


def feature_module(name: str, **attrs) -> types.ModuleType:
    """A throwaway feature module (what bot/app.py FEATURES holds)."""
    module = types.ModuleType(name)
    module.register = attrs.pop("register", lambda application, settings: None)
    for key, value in attrs.items():
        setattr(module, key, value)
    return module


async def test_starts_answers_and_stops(make_env) -> None:
    env = await make_env(features=[], setup=add_ping)
    assert [c.method for c in env.tg.calls[:2]] == ["getMe", "deleteWebhook"]
    env.tg.send_text(42, "/ping")
    message = await env.tg.next_message(42)
    assert message.plain.startswith("pong ['main'] schema ")
    await env.stop()
    assert env.app is None


async def test_post_init_opens_one_database_and_the_panels_and_post_shutdown_closes_them(make_env) -> None:
    env = await make_env(features=[], panels={"main": "folgen", "second": "server"})
    app = env.app
    rt = env.runtime
    # one connection per process: the Runtime uses the very Database the persistence opened
    assert rt.db is await app.persistence.database()
    balances = [await rt.panels.get(name).balance() for name in ("main", "second")]
    assert all(b.amount >= 0 for b in balances)
    await env.stop()
    assert "runtime" not in app.bot_data
    with pytest.raises(RuntimeError, match="not started"):
        await rt.panels.get("main").balance()
    with pytest.raises(ValueError):  # aiosqlite: no active connection
        await rt.db.fetchone("SELECT 1")


async def test_features_register_start_up_and_publish_commands(make_env) -> None:
    seen = []

    async def on_startup(application: Application) -> None:
        seen.append(application.bot_data["runtime"].settings.storage.database_path.name)

    shop = feature_module("shop", on_startup=on_startup, COMMANDS=[("help", "common.cmd_help")],
                          register=lambda application, settings: seen.append("registered"))
    other = feature_module("other", COMMANDS=[("cancel", "common.cmd_cancel"), ("help", "common.menu_help")])
    env = await make_env(features=[shop, other])
    assert seen == ["registered", "bot.db"]
    assert env.tg.commands[None] == [{"command": "help", "description": "How to use this bot"},
                                     {"command": "cancel", "description": "Stop what you are doing"}]
    assert env.tg.commands["ru"][0] == {"command": "help", "description": "Как пользоваться ботом"}
    assert env.tg.commands["en"] == env.tg.commands[None]


async def test_a_failing_start_up_still_closes_everything(tmp_path) -> None:
    async def broken(application: Application) -> None:
        raise RuntimeError("feature start-up failed")

    env = BotEnv(tmp_path, features=[feature_module("broken", on_startup=broken)])
    app_ref = {}
    env.setup = lambda application: app_ref.setdefault("app", application)
    with pytest.raises(RuntimeError, match="feature start-up failed"):
        await env.start()
    app = app_ref["app"]
    assert "runtime" not in app.bot_data
    assert app.persistence._db is None  # closed by post_shutdown
    await env.stop()


async def test_restart_keeps_the_database(make_env) -> None:
    env = await make_env(features=[], setup=add_ping)
    async with env.db.transaction() as conn:
        await conn.execute("INSERT INTO users(id, first_seen, last_seen) VALUES (5, 'x', 'x')")
    first_db = env.db
    await env.restart()
    assert env.db is not first_db
    assert (await env.db.fetchone("SELECT COUNT(*) FROM users WHERE id = 5"))[0] == 1
    env.tg.send_text(42, "/ping")
    assert (await env.tg.next_message(42)).plain.startswith("pong")


def test_python_dash_m_bot_reports_a_config_error_in_one_line(tmp_path) -> None:
    result = subprocess.run([sys.executable, "-m", "bot"], cwd=tmp_path, capture_output=True, text=True,
                            env={"PATH": "", "BOT_TOKEN": "not-a-token"}, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "Configuration error: BOT_TOKEN: does not look like a bot token (digits:letters, from @BotFather)"]
    assert "not-a-token" not in result.stderr


def test_schema_is_migrated_by_the_persistence(tmp_path) -> None:
    """Migration 0002 is what the persistence stores into (no bot needed to check the tables)."""
    async def open_and_close() -> None:
        persistence = SqlitePersistence(tmp_path / "x.db")
        await persistence.database()
        await persistence.close()

    asyncio.run(open_and_close())
    tables = {r[0] for r in sqlite3.connect(tmp_path / "x.db").execute("SELECT name FROM sqlite_master")}
    assert {"persisted_user_data", "persisted_chat_data", "conversation_states"} <= tables


async def test_orders_interrupted_by_a_crash_become_unknown_at_start_up(make_env) -> None:
    env = await make_env(features=[])
    async with env.db.transaction() as conn:  # what a crash between charge and panel answer leaves
        await users.ensure(conn, 1)
        order_id = await order_writes.insert_submitting(conn, order_writes.NewOrder(
            user_id=1, panel="main", service_id="1", service_name="S", type=OrderType.DEFAULT, quantity=100,
            price=1_000_000, rate=Decimal("1"), rate_per=1000, markup=Decimal(0), client_token="t"))
    await env.restart()
    assert (await orders.get(env.db.conn, order_id)).status == "unknown"
    assert env.panel.requests["add"] == 0  # never re-placed
