"""The fake Bot API behaves like Telegram where our code can tell the difference (real PTB Bot)."""

from __future__ import annotations

import asyncio
import time

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, LabeledPrice, LinkPreviewOptions
from telegram.error import BadRequest, Forbidden, InvalidToken

from tests.fakes.telegram_records import html_to_plain


def keyboard(*labels_and_data: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(t, callback_data=d)] for t, d in labels_and_data])


async def test_messages_are_stored_per_chat_with_buttons(tg, bot) -> None:
    await bot.send_message(42, "<b>Pick</b> one &amp; go", parse_mode="HTML",
                           reply_markup=keyboard(("A", "pick:a"), ("B", "pick:b")),
                           link_preview_options=LinkPreviewOptions(is_disabled=True))
    await bot.send_message(43, "other chat")
    msg = tg.last_message(42)
    assert msg.text == "<b>Pick</b> one &amp; go" and msg.plain == "Pick one & go"
    assert tg.buttons(msg) == [("A", "pick:a"), ("B", "pick:b")]
    call = tg.calls_of("sendMessage", chat_id=42)[0]
    assert call.params["chat_id"] == 42 and isinstance(call.params["reply_markup"], dict)
    assert call.params["link_preview_options"] == {"is_disabled": True}
    assert [m.plain for m in tg.messages_to(43)] == ["other chat"]


async def test_text_params_are_not_json_decoded(tg, bot) -> None:
    await bot.send_message(42, "123")
    await bot.send_message(42, "true")
    assert [c.params["text"] for c in tg.calls_of("sendMessage")] == ["123", "true"]


@pytest.mark.parametrize("bad", ["a < b", "Tom & Jerry", "<br>", "<b>open", "<b><i>x</b></i>", "1 > 0"])
async def test_broken_html_is_refused_like_telegram(bot, bad) -> None:
    with pytest.raises(BadRequest, match="(?i)parse entities"):
        await bot.send_message(42, bad, parse_mode="HTML")


def test_valid_html_shapes() -> None:
    assert html_to_plain('<a href="https://x.y/?a=1&amp;b=2">link</a> <pre>&lt;code&gt;</pre> &#36;') == \
        "link <code> $"
    assert html_to_plain('<span class="tg-spoiler">s</span><tg-spoiler>t</tg-spoiler>') == "st"


async def test_telegram_limits(bot) -> None:
    with pytest.raises(BadRequest, match="(?i)message is too long"):
        await bot.send_message(42, "x" * 4097)
    await bot.send_message(42, "<b>" + "x" * 4096 + "</b>", parse_mode="HTML")  # tags do not count
    with pytest.raises(BadRequest, match="(?i)button_data_invalid"):
        await bot.send_message(42, "k", reply_markup=keyboard(("A", "x" * 65)))
    with pytest.raises(BadRequest, match="(?i)reply markup is too long"):
        await bot.send_message(42, "k", reply_markup=keyboard(*[(str(i), str(i)) for i in range(101)]))
    with pytest.raises(BadRequest, match="(?i)text is empty"):
        await bot.send_message(42, "<b> </b>", parse_mode="HTML")


async def test_edits_and_not_modified(tg, bot) -> None:
    sent = await bot.send_message(42, "v1", reply_markup=keyboard(("A", "a")))
    await bot.edit_message_text("v2", chat_id=42, message_id=sent.message_id, reply_markup=keyboard(("A", "a")))
    with pytest.raises(BadRequest, match="(?i)message is not modified"):
        await bot.edit_message_text("v2", chat_id=42, message_id=sent.message_id, reply_markup=keyboard(("A", "a")))
    await bot.edit_message_text("v2", chat_id=42, message_id=sent.message_id)  # dropping the keyboard is a change
    msg = tg.last_message(42)
    assert (msg.plain, msg.buttons, msg.edits) == ("v2", [], 2)
    await bot.edit_message_reply_markup(chat_id=42, message_id=sent.message_id, reply_markup=keyboard(("B", "b")))
    assert msg.buttons == [("B", "b")]
    await bot.delete_message(42, sent.message_id)
    assert tg.messages_to(42) == []
    with pytest.raises(BadRequest, match="(?i)message to edit not found"):
        await bot.edit_message_text("v3", chat_id=42, message_id=sent.message_id)


async def test_blocked_and_missing_chats(tg, bot) -> None:
    tg.blocked.add(42)
    tg.missing_chats.add(44)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(42, "hi")
    with pytest.raises(BadRequest, match="(?i)chat not found"):
        await bot.send_message(44, "hi")
    failed = tg.calls_of("sendMessage")
    assert [c.ok for c in failed] == [False, False] and failed[0].error.startswith("Forbidden")


async def test_wrong_token_is_unauthorized(tg) -> None:
    with pytest.raises(InvalidToken):
        async with Bot("1:" + "A" * 35, base_url=f"{tg.url}/bot"):
            pass


async def test_long_poll_wakes_up_on_a_new_update_and_offset_confirms(tg, bot) -> None:
    async def customer_writes_later() -> None:
        await asyncio.sleep(0.2)
        tg.send_text(42, "/start", language_code="ru")

    started = time.monotonic()
    writer = asyncio.create_task(customer_writes_later())
    updates = await bot.get_updates(timeout=5)
    await writer
    assert time.monotonic() - started < 2
    assert len(updates) == 1
    message = updates[0].message
    assert message.text == "/start" and message.from_user.language_code == "ru"
    assert message.entities[0].type == "bot_command" and message.chat.type == "private"
    assert len(await bot.get_updates(timeout=0)) == 1  # not confirmed yet
    assert await bot.get_updates(offset=updates[0].update_id + 1, timeout=0) == ()


async def test_press_sends_a_callback_query_from_the_current_message(tg, bot) -> None:
    await bot.send_message(42, "menu", reply_markup=keyboard(("🛒 New order", "menu:new")))
    tg.press_button(42, tg.last_message(42), "New order")
    tg.press(42, tg.last_message(42), "forged:data")
    first, second = await bot.get_updates(timeout=0)
    assert first.callback_query.data == "menu:new"
    assert first.callback_query.message.text == "menu" and first.callback_query.message.message_id == 1
    assert second.callback_query.data == "forged:data"
    await first.callback_query.answer("ok")
    assert (await tg.wait_for("answerCallbackQuery")).params["callback_query_id"] == first.callback_query.id


async def test_group_message_from_a_member(tg, bot) -> None:
    update = tg.send_group_text(7, "/credit 42 10")
    [received] = await bot.get_updates(timeout=0)
    assert received.message.chat.id == update["message"]["chat"]["id"] < 0
    assert received.message.chat.type == "supergroup" and received.message.from_user.id == 7


async def test_wait_for_looks_after_the_last_customer_action(tg, bot) -> None:
    await bot.send_message(42, "old")
    tg.send_text(42, "hi")
    await bot.send_message(42, "new")
    assert (await tg.wait_for("sendMessage", chat_id=42)).text == "new"
    assert (await tg.wait_for("sendMessage", chat_id=42, since=0)).text == "old"
    with pytest.raises(AssertionError, match="no editMessageText call within 0.1s"):
        await tg.wait_for("editMessageText", timeout=0.1)


async def test_injected_errors_and_payments(tg, bot) -> None:
    tg.fail_next("sendMessage", 400, "Bad Request: something odd")
    with pytest.raises(BadRequest, match="(?i)something odd"):
        await bot.send_message(42, "x")
    await bot.send_message(42, "fine")
    await bot.send_invoice(42, "Top-up", "100 stars", "topup:42", "XTR", [LabeledPrice("Stars", 100)])
    assert tg.last_message(42).invoice["total_amount"] == 100
    tg.pre_checkout(42, "topup:42", 100)
    tg.successful_payment(42, "topup:42", 100, "charge-1")
    query_update, paid_update = await bot.get_updates(timeout=0)
    assert query_update.pre_checkout_query.invoice_payload == "topup:42"
    assert paid_update.message.successful_payment.telegram_payment_charge_id == "charge-1"
    assert await bot.refund_star_payment(42, "charge-1") is True


async def test_next_reply_accepts_an_edit(tg, bot) -> None:
    sent = await bot.send_message(42, "step 1", reply_markup=keyboard(("Next", "next")))
    tg.press_button(42, tg.last_message(42), "Next")
    await bot.edit_message_text("step 2", chat_id=42, message_id=sent.message_id)
    reply = await tg.next_reply(42)
    assert reply.plain == "step 2" and reply.message_id == sent.message_id


async def test_a_callback_query_is_answered_once(tg, bot) -> None:
    await bot.send_message(42, "menu", reply_markup=keyboard(("A", "a")))
    tg.press(42, tg.last_message(42), "a")
    [update] = await bot.get_updates(timeout=0)
    await update.callback_query.answer()
    with pytest.raises(BadRequest, match="(?i)query is too old"):
        await update.callback_query.answer()
