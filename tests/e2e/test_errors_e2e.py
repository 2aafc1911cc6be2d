"""An exception in a handler: redacted traceback to the admin chat, a polite line to the customer."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from bot.runtime import runtime
from bot.telegram.redact import RedactingFilter
from tests.e2e.harness import ADMIN_CHAT_ID

OTHER_TOKEN = "987654321:AAAbbbCCCdddEEEfffGGGhhhIIIjjjKKK"  # token-shaped, never registered


def add_failing_handlers(application: Application) -> None:
    async def boom(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        rt = runtime(context)
        key = rt.settings.panels.panels[0].key.get_secret_value()
        token = rt.settings.telegram.bot_token.get_secret_value()
        raise RuntimeError(f"panel refused key={key} via {token} and {OTHER_TOKEN} <b>&")

    async def answered_then_boom(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.callback_query.answer("working…")
        raise LookupError("after answering")

    async def menu(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_message.reply_text("menu", reply_markup=InlineKeyboardMarkup([
            [InlineKeyboardButton("explode", callback_data="x")],
            [InlineKeyboardButton("answer first", callback_data="y")]]))

    application.add_handler(CommandHandler("boom", boom))
    application.add_handler(CommandHandler("menu", menu))
    application.add_handler(CallbackQueryHandler(answered_then_boom, pattern="^y$"))
    application.add_handler(CallbackQueryHandler(boom))


async def test_admins_get_a_redacted_traceback_and_the_customer_a_generic_line(make_env, caplog) -> None:
    caplog.handler.addFilter(RedactingFilter())
    env = await make_env(features=[], setup=add_failing_handlers)
    secrets = [env.panel.key, env.tg.token, OTHER_TOKEN]
    with caplog.at_level(logging.ERROR):
        env.tg.send_text(42, "/boom", language_code="ru")
        admin_post = await env.tg.wait_for("sendMessage", chat_id=ADMIN_CHAT_ID)
        customer = await env.tg.next_message(42)

    text = admin_post.params["text"]
    assert text.startswith("⚠️ <b>RuntimeError</b> while handling update ")
    assert "<pre>" in text and "Traceback (most recent call last)" in text
    assert "panel refused key=*** via *** and *** &lt;b&gt;&amp;" in text
    assert not any(secret in text for secret in secrets)
    assert admin_post.message.plain  # the fake parsed it as valid HTML
    assert customer.plain == "Что-то пошло не так, мы уже разбираемся. Попробуйте ещё раз чуть позже."
    logged = caplog.text
    assert "RuntimeError" in logged and "Traceback" in logged
    assert not any(secret in logged for secret in secrets)


async def test_a_repeated_error_is_posted_once_but_every_customer_is_answered(make_env) -> None:
    env = await make_env(features=[], setup=add_failing_handlers)
    env.tg.send_text(1, "/boom")
    await env.tg.next_message(1)
    env.tg.send_text(2, "/boom")
    await env.tg.next_message(2)
    await env.tg.settle()
    assert len(env.tg.calls_of("sendMessage", chat_id=ADMIN_CHAT_ID)) == 1


async def test_a_failing_button_stops_its_spinner(make_env) -> None:
    env = await make_env(features=[], setup=add_failing_handlers)
    env.tg.send_text(42, "/menu")
    menu = await env.tg.next_message(42)
    env.tg.press_button(42, menu, "explode")
    await env.tg.wait_for("answerCallbackQuery")
    assert "went wrong" in (await env.tg.next_message(42)).plain
    env.tg.press_button(42, menu, "answer first")
    assert "went wrong" in (await env.tg.next_message(42)).plain  # even though the query was answered


async def test_no_admin_chat_means_only_the_customer_hears(make_env) -> None:
    env = await make_env(features=[], setup=add_failing_handlers, admin_chat_id=None)
    env.tg.send_text(42, "/boom")
    await env.tg.next_message(42)
    await env.tg.settle()
    assert [c.chat_id for c in env.tg.calls_of("sendMessage")] == [42]


async def test_the_error_handler_survives_telegram_refusing_everything(make_env, caplog) -> None:
    env = await make_env(features=[], setup=add_failing_handlers)
    env.tg.blocked.update({42, ADMIN_CHAT_ID})
    with caplog.at_level(logging.WARNING):
        env.tg.send_text(42, "/boom")
        await env.tg.settle()
    assert "could not post the error to the admin chat" in caplog.text
    assert "could not tell chat 42" in caplog.text
    assert "the error handler failed" not in caplog.text


async def test_a_failing_job_is_reported_by_name(make_env) -> None:
    async def sync_job(context: ContextTypes.DEFAULT_TYPE) -> None:
        raise ConnectionError("panel down")

    env = await make_env(features=[])
    env.app.job_queue.run_once(sync_job, 0, name="status-sync")
    post = await env.tg.wait_for("sendMessage", chat_id=ADMIN_CHAT_ID)
    assert post.params["text"].startswith("⚠️ <b>ConnectionError</b> while handling job status-sync")
