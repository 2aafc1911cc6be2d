"""Balance → Top up → an invoice in Stars, over the fake Bot API: presets, other amounts, the reply prompt."""

from __future__ import annotations

from bot.storage import payments as store
from tests.payments.conftest import ALICE, BOB


async def _balance_screen(env, user_id: int = ALICE, lang: str = "en"):
    env.tg.send_text(user_id, "/balance", language_code=lang)
    return await env.tg.next_message(user_id)


async def _invoice(env, user_id: int = ALICE):
    call = await env.tg.wait_for("sendInvoice", lambda c: c.ok, chat_id=user_id)
    return call.params


async def test_balance_top_up_preset_sends_an_invoice_recorded_first(bot) -> None:
    screen = await _balance_screen(bot)
    bot.tg.press_button(ALICE, screen, "Top up")
    topup = await bot.tg.next_reply(ALICE)
    assert "50 ⭐ = 1.00 USD" in topup.plain
    labels = [label for label, _ in topup.buttons]
    assert "250 ⭐ → 5.00 USD" in labels and "2500 ⭐ → 50.00 USD" in labels and "✏️ Other amount" in labels
    bot.tg.press_button(ALICE, topup, "250 ⭐")
    invoice = await _invoice(bot)
    assert invoice["currency"] == "XTR" and not invoice.get("provider_token")
    assert invoice["prices"] == [{"label": "Balance top-up", "amount": 250}]
    assert "5.00 USD" in invoice["title"] and len(invoice["title"]) <= 32
    stored = await store.invoice_by_payload(bot.db.conn, invoice["payload"])
    assert (stored.user_id, stored.stars, stored.amount) == (ALICE, 250, 5_000_000)


async def test_top_up_is_hidden_and_refused_when_off(make_bot) -> None:
    env = await make_bot(rate=None)
    screen = await _balance_screen(env)
    assert not any("Top up" in label for label, _ in screen.buttons)
    env.tg.send_text(ALICE, "/topup 5")
    assert "not available" in (await env.tg.next_message(ALICE)).plain
    env.tg.send_text(ALICE, "/topup")
    assert "not available" in (await env.tg.next_message(ALICE)).plain
    assert env.tg.calls_of("sendInvoice") == []


async def test_a_custom_amount_rounds_up_to_whole_stars_and_shows_both(make_bot) -> None:
    env = await make_bot(rate="3")  # one Star buys 0.333333 USD
    env.tg.send_text(ALICE, "/topup 1.1")
    invoice = await _invoice(env)
    assert invoice["prices"][0]["amount"] == 4
    assert "1.10 USD" in invoice["description"] and "1.333333 USD" in invoice["description"]
    stored = await store.invoice_by_payload(env.db.conn, invoice["payload"])
    assert stored.amount == 1_333_333
    env.tg.send_text(ALICE, "/topup 12,50")  # a comma works too; 37.5 -> 38 Stars
    assert (await _invoice(env))["prices"][0]["amount"] == 38


async def test_wrong_amounts_get_a_line_not_an_invoice(bot) -> None:
    for text, words in (("/topup abc", "not an amount"), ("/topup -5", "not an amount"), ("/topup 0", "not an amount"),
                        ("/topup 1000", "at most 200.00 USD")):
        bot.tg.send_text(ALICE, text)
        assert words in (await bot.tg.next_message(ALICE)).plain
    await bot.tg.settle()
    assert bot.tg.calls_of("sendInvoice") == []


async def test_other_amount_takes_only_a_reply_to_its_prompt(bot) -> None:
    bot.tg.send_text(ALICE, "/topup")
    topup = await bot.tg.next_message(ALICE)
    bot.tg.press_button(ALICE, topup, "Other amount")
    prompt_call = await bot.tg.wait_for("sendMessage", lambda c: c.ok, chat_id=ALICE)
    assert prompt_call.params["reply_markup"]["force_reply"] is True
    prompt = prompt_call.message
    bot.tg.send_text(ALICE, "7")  # typed, not a reply: the usual hint, no invoice
    await bot.tg.next_message(ALICE)
    await bot.tg.settle()
    assert bot.tg.calls_of("sendInvoice") == []
    _reply(bot.tg, ALICE, prompt, "seven")
    assert "not an amount" in (await bot.tg.next_message(ALICE)).plain
    _reply(bot.tg, ALICE, prompt, "7")
    assert (await _invoice(bot))["prices"][0]["amount"] == 350
    _reply(bot.tg, ALICE, prompt, "8")  # the prompt was answered: now it is just text
    await bot.tg.next_message(ALICE)
    await bot.tg.settle()
    assert len(bot.tg.calls_of("sendInvoice")) == 1


async def test_a_reply_to_the_prompt_wins_over_a_running_order_flow(bot) -> None:
    bot.tg.send_text(ALICE, "/order")  # the flow now reads typed text as a search
    await bot.tg.next_message(ALICE)
    bot.tg.press_button(ALICE, await _topup_screen(bot), "Other amount")
    prompt = await bot.tg.next_message(ALICE)
    _reply(bot.tg, ALICE, prompt, "2")
    assert (await _invoice(bot))["prices"][0]["amount"] == 100


async def test_russian_customer_gets_russian_texts(bot) -> None:
    screen = await _balance_screen(bot, BOB, lang="ru")
    bot.tg.press_button(BOB, screen, "Пополнить")
    topup = await bot.tg.next_reply(BOB)
    assert "Пополнение звёздами Telegram" in topup.plain
    bot.tg.press_button(BOB, topup, "Другая сумма")
    assert "Ответьте на это сообщение" in (await bot.tg.next_message(BOB)).plain


async def test_forged_top_up_buttons_are_refused(bot) -> None:
    topup = await _topup_screen(bot)
    for data in ("topup:stars:1", "topup:stars:99999999", "topup:stars:x", "topup:nope", "topup:"):
        bot.tg.press(ALICE, topup, data)
        answer = await bot.tg.wait_for("answerCallbackQuery")
        assert answer.params.get("text")
    await bot.tg.settle()
    assert bot.tg.calls_of("sendInvoice") == []


async def _topup_screen(env, user_id: int = ALICE):
    env.tg.send_text(user_id, "/topup")
    return await env.tg.next_message(user_id)


def _reply(tg, user_id: int, to, text: str) -> dict:
    """A customer replies to one of the bot's messages."""
    update = tg.send_text(user_id, text)
    update["message"]["reply_to_message"] = to.to_api()
    return update
