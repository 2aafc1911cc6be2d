"""A flooding customer gets one notice and is dropped; others and admins are untouched."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, PreCheckoutQueryHandler, filters

# a roomy window so a slow CI box still processes the burst inside it
FLOOD = {"telegram": {"flood_max_updates": 3, "flood_window_seconds": 3}}
SHORT_FLOOD = {"telegram": {"flood_max_updates": 3, "flood_window_seconds": 1}}
NOTICE_EN = "You are sending messages too fast. Please wait 3 seconds and try again."


def add_echo(application: Application) -> None:
    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_message.reply_text(f"echo {update.effective_message.text}")

    async def checkout(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.pre_checkout_query.answer(ok=True)

    application.add_handler(MessageHandler(filters.TEXT, echo))
    application.add_handler(PreCheckoutQueryHandler(checkout))


def texts_to(env, chat_id: int) -> list[str]:
    return [m.plain for m in env.tg.messages_to(chat_id)]


async def test_flooder_is_told_once_and_dropped_others_are_not(make_env) -> None:
    env = await make_env(features=[], setup=add_echo, settings=FLOOD, admin_ids={7})
    for i in range(6):
        env.tg.send_text(1, f"a{i}")
        env.tg.send_text(7, f"admin{i}")
    env.tg.send_text(2, "b0")
    await env.tg.settle()
    assert texts_to(env, 1) == ["echo a0", "echo a1", "echo a2", NOTICE_EN]
    assert texts_to(env, 2) == ["echo b0"]
    assert texts_to(env, 7) == [f"echo admin{i}" for i in range(6)]  # ADMIN_IDS are exempt


async def test_the_flooder_is_heard_again_after_a_quiet_window(make_env) -> None:
    env = await make_env(features=[], setup=add_echo, settings=SHORT_FLOOD)
    for i in range(5):
        env.tg.send_text(1, f"a{i}", language_code="ru")
    await env.tg.settle()
    assert texts_to(env, 1)[-1].startswith("Вы отправляете сообщения слишком часто")
    await env.tg.settle(quiet=1.1)  # a whole window without messages
    env.tg.send_text(1, "back")
    assert (await env.tg.next_message(1)).plain == "echo back"


async def test_payment_updates_are_never_dropped(make_env) -> None:
    env = await make_env(features=[], setup=add_echo, settings=FLOOD)
    for i in range(5):
        env.tg.send_text(1, f"a{i}")
    env.tg.pre_checkout(1, "topup:1", 100)
    answer = await env.tg.wait_for("answerPreCheckoutQuery")
    assert answer.params["ok"] is True
