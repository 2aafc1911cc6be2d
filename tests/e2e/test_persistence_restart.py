"""Conversation state, user_data and chat_data survive a real restart of the Application."""

from __future__ import annotations

import pytest
from telegram import Update
from telegram.ext import (
    Application,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    filters,
)

from tests import dbs

ASK_NAME, ASK_AGE = range(2)


@pytest.fixture(params=dbs.DB_KINDS)
async def storage(request):
    """Settings overrides putting the bot on SQLite (its file in tmp_path) or on a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield {}
        return
    async with dbs.fresh_postgres() as url:
        yield {"storage": {"database_url": url}}


def add_survey(application: Application) -> None:
    """A tiny persistent two-step conversation, defined here so the test needs no feature."""

    async def begin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        context.chat_data["surveys"] = context.chat_data.get("surveys", 0) + 1
        await update.effective_message.reply_text("name?")
        return ASK_NAME

    async def got_name(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        context.user_data["name"] = update.effective_message.text
        await update.effective_message.reply_text("age?")
        return ASK_AGE

    async def got_age(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        name = context.user_data.get("name")
        surveys = context.chat_data.get("surveys")
        await update.effective_message.reply_text(f"{name} is {update.effective_message.text} (survey {surveys})")
        return ConversationHandler.END

    application.add_handler(ConversationHandler(
        entry_points=[CommandHandler("begin", begin)],
        states={ASK_NAME: [MessageHandler(filters.TEXT & ~filters.COMMAND, got_name)],
                ASK_AGE: [MessageHandler(filters.TEXT & ~filters.COMMAND, got_age)]},
        fallbacks=[],
        name="survey",
        persistent=True,
    ))

    async def outside(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_message.reply_text("not in a survey")

    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, outside), group=1)


async def test_state_at_step_two_survives_a_restart(make_env, storage) -> None:
    env = await make_env(features=[], setup=add_survey, settings=storage)
    tg = env.tg
    tg.send_text(42, "/begin")
    assert (await tg.next_message(42)).plain == "name?"
    tg.send_text(42, "Ann")
    assert (await tg.next_message(42)).plain == "age?"

    await env.restart()

    tg.send_text(42, "30")
    assert (await tg.next_message(42)).plain == "Ann is 30 (survey 1)"
    # the conversation ended: its row is gone after the next write, so a second restart starts fresh
    await env.restart()
    assert await env.db.fetchall("SELECT * FROM conversation_states") == []
    tg.send_text(42, "hello")
    assert (await tg.next_message(42)).plain == "not in a survey"


async def test_other_customers_keep_their_own_step(make_env, storage) -> None:
    env = await make_env(features=[], setup=add_survey, settings=storage)
    tg = env.tg
    tg.send_text(1, "/begin")
    await tg.next_message(1)
    tg.send_text(2, "/begin")
    await tg.next_message(2)
    tg.send_text(2, "Bob")
    await tg.next_message(2)
    await env.restart()
    tg.send_text(1, "Al")
    assert (await tg.next_message(1)).plain == "age?"
    tg.send_text(2, "40")
    assert (await tg.next_message(2)).plain == "Bob is 40 (survey 1)"


async def test_periodic_write_without_a_clean_stop(make_env, storage) -> None:
    """With a short PERSISTENCE_INTERVAL_SECONDS the state is on disk before any shutdown."""
    env = await make_env(features=[], setup=add_survey, settings={**storage, "telegram": {"persistence_interval_seconds": 0.1}})
    env.tg.send_text(42, "/begin")
    await env.tg.next_message(42)
    env.tg.send_text(42, "Ann")
    await env.tg.next_message(42)
    await env.tg.settle(quiet=0.3)
    rows = await env.db.fetchall("SELECT name, key, state FROM conversation_states")
    assert [tuple(r) for r in rows] == [("survey", "[42,42]", "1")]
    data = await env.db.fetchone("SELECT data FROM persisted_user_data WHERE user_id = 42")
    assert data[0] == '{"name":"Ann"}'
