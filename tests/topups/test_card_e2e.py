"""Card invoices through Telegram Payments over the fake Bot API: conversion shown first, the provider
invoice, pre-checkout checked against the stored row, one credit per charge."""

from __future__ import annotations

import time

from bot.domain import wallet
from bot.storage import ledger, users
from bot.storage import topups as store
from bot.storage.topups import TopupStatus
from tests.topups.conftest import ALICE, BOB, PROVIDER_TOKEN


async def _card_invoice(env, amount: str = "5", user_id: int = ALICE):
    env.tg.send_text(user_id, "/balance")
    env.tg.press_button(user_id, await env.tg.next_message(user_id), "Top up")
    env.tg.press_button(user_id, await env.tg.next_reply(user_id), "Bank card")
    prompt = await env.tg.next_message(user_id)
    env.tg.reply(user_id, prompt, amount)
    line = await env.tg.next_message(user_id)
    call = await env.tg.wait_for("sendInvoice", lambda c: c.ok, chat_id=user_id)
    return line, call.params


async def _pre_checkout(env, user_id: int, payload: str, total: int, currency: str = "RUB") -> dict:
    sent = time.monotonic()
    env.tg.pre_checkout(user_id, payload, total, currency)
    answer = await env.tg.wait_for("answerPreCheckoutQuery")
    assert answer.at - sent < 3.0
    return answer.params


async def test_the_conversion_is_shown_and_the_provider_invoice_matches_it(bot) -> None:
    line, invoice = await _card_invoice(bot)  # 5 USD at 0.0105 USD per RUB -> 476.20 RUB
    assert "You pay 476.20 RUB" in line.plain and "5.0001 USD will be added" in line.plain
    assert invoice["currency"] == "RUB" and invoice["provider_token"] == PROVIDER_TOKEN
    assert invoice["prices"][0]["amount"] == 47620
    row = await store.by_reference(bot.db.conn, invoice["payload"])
    assert (row.user_id, row.amount, str(row.pay_amount), row.status) == (ALICE, 5_000_100, "476.20",
                                                                          TopupStatus.PENDING)


async def test_pre_checkout_accepts_only_the_invoice_as_stored(bot) -> None:
    _, invoice = await _card_invoice(bot)
    payload = invoice["payload"]
    for user_id, sent_payload, total, currency in (
            (BOB, payload, 47620, "RUB"),                 # someone else's
            (ALICE, payload, 100, "RUB"),                 # not the price
            (ALICE, payload, 47620, "USD"),               # not the currency
            (ALICE, "CARD-MADEUP", 47620, "RUB")):        # never issued
        answer = await _pre_checkout(bot, user_id, sent_payload, total, currency)
        assert answer["ok"] is False and answer["error_message"]
    assert (await _pre_checkout(bot, ALICE, payload, 47620))["ok"] is True


async def test_a_card_payment_credits_once_with_its_charge_id(bot) -> None:
    _, invoice = await _card_invoice(bot)
    payload = invoice["payload"]
    for _ in range(2):  # Telegram delivers it twice
        bot.tg.successful_payment(ALICE, payload, 47620, "tg-charge-1", currency="RUB")
    await bot.tg.settle()
    assert await wallet.balance(bot.db, ALICE) == 5_000_100
    row = await store.by_reference(bot.db.conn, payload)
    assert row.status == TopupStatus.CREDITED and row.external_id == "tg-charge-1"
    assert [r.amount for r in await ledger.by_reference(bot.db.conn, "card:tg-charge-1")] == [5_000_100]
    notices = [c for c in bot.tg.calls_of("sendMessage", chat_id=ALICE) if "Payment received" in (c.text or "")]
    assert len(notices) == 1
    answer = await _pre_checkout(bot, ALICE, payload, 47620)  # paid already
    assert answer["ok"] is False


async def test_a_banned_customer_is_declined_in_their_language(bot) -> None:
    _, invoice = await _card_invoice(bot, user_id=BOB)
    async with bot.db.transaction() as conn:
        await users.set_banned(conn, BOB, True)
        await users.set_language(conn, BOB, "ru")
    answer = await _pre_checkout(bot, BOB, invoice["payload"], 47620)
    assert answer["ok"] is False and "недоступна" in answer["error_message"]


async def test_amounts_outside_the_provider_limits_are_refused(bot) -> None:
    bot.tg.send_text(ALICE, "/balance")
    bot.tg.press_button(ALICE, await bot.tg.next_message(ALICE), "Top up")
    bot.tg.press_button(ALICE, await bot.tg.next_reply(ALICE), "Bank card")
    prompt = await bot.tg.next_message(ALICE)
    assert "1 RUB = 0.0105 USD" in prompt.plain
    for text, words in (("1", "below the minimum"), ("2000", "above the maximum"), ("ten", "not an amount")):
        bot.tg.reply(ALICE, prompt, text)
        assert words in (await bot.tg.next_message(ALICE)).plain
    assert bot.tg.calls_of("sendInvoice") == []


async def test_card_payments_are_not_refundable_by_the_bot(bot) -> None:
    from tests.e2e.harness import ADMIN_CHAT_ID
    from tests.topups.conftest import ADMIN1

    _, invoice = await _card_invoice(bot)
    bot.tg.successful_payment(ALICE, invoice["payload"], 47620, "tg-charge-9", currency="RUB")
    await bot.tg.settle()
    row = await store.by_reference(bot.db.conn, invoice["payload"])
    bot.tg.send_group_text(ADMIN1, f"/refund_topup {row.id}")
    assert "cannot be refunded by the bot" in (await bot.tg.next_message(ADMIN_CHAT_ID)).plain
    assert await wallet.balance(bot.db, ALICE) == 5_000_100


async def test_a_payment_with_another_customers_payload_credits_nobody(bot) -> None:
    _, invoice = await _card_invoice(bot)
    bot.tg.successful_payment(BOB, invoice["payload"], 47620, "tg-charge-bob", currency="RUB")
    notice = await bot.tg.next_message(BOB)
    assert "could not match" in notice.plain
    alert = await bot.tg.wait_for("sendMessage", lambda c: "matches no invoice" in (c.text or ""))
    assert "tg-charge-bob" in alert.text
    assert await wallet.balance(bot.db, BOB) == 0 and await wallet.balance(bot.db, ALICE) == 0
    row = await store.by_reference(bot.db.conn, invoice["payload"])
    assert row.status == TopupStatus.PENDING
