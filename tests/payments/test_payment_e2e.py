"""Paying over the fake Bot API: pre-checkout answers, one credit per charge id, restarts, the sweep."""

from __future__ import annotations

import time

from bot.domain import payments, wallet
from bot.storage import payments as store
from bot.storage import users
from bot.storage.payments import PaymentStatus
from tests.payments.conftest import ALICE, BOB


async def _invoice(env, user_id: int = ALICE, amount: str = "5") -> tuple[str, int]:
    """(payload, stars) of an invoice the bot sends for /topup <amount>."""
    mark = len(env.tg.calls)
    env.tg.send_text(user_id, f"/topup {amount}")
    call = await env.tg.wait_for("sendInvoice", lambda c: c.ok, chat_id=user_id, since=mark)
    return call.params["payload"], call.params["prices"][0]["amount"]


async def _pre_checkout(env, user_id: int, payload: str, stars: int, currency: str = "XTR"):
    sent = time.monotonic()
    env.tg.pre_checkout(user_id, payload, stars, currency)
    answer = await env.tg.wait_for("answerPreCheckoutQuery")
    assert answer.at - sent < 2.0  # Telegram allows 10 s; a check is one indexed read
    return answer.params


async def test_pre_checkout_says_yes_to_the_invoice_as_issued(bot) -> None:
    payload, stars = await _invoice(bot)
    assert stars == 250
    assert (await _pre_checkout(bot, ALICE, payload, stars))["ok"] is True


async def test_pre_checkout_declines_tampered_foreign_or_mispriced_invoices(bot) -> None:
    payload, stars = await _invoice(bot)
    for user_id, sent_payload, sent_stars, currency in (
            (ALICE, payload[:-1] + ("A" if payload[-1] != "A" else "B"), stars, "XTR"),  # tampered payload
            (ALICE, "topup:made-up", stars, "XTR"),
            (BOB, payload, stars, "XTR"),                                                # someone else's
            (ALICE, payload, 1, "XTR"),                                                  # not the price
            (ALICE, payload, stars, "USD")):
        answer = await _pre_checkout(bot, user_id, sent_payload, sent_stars, currency)
        assert answer["ok"] is False and "not valid" in answer["error_message"]
    assert await wallet.balance(bot.db, ALICE) == 0


async def test_pre_checkout_declines_banned_customers_and_paid_invoices_in_their_language(bot) -> None:
    payload, stars = await _invoice(bot, BOB)
    bot.tg.user(BOB, language_code="ru")
    async with bot.db.transaction() as conn:
        await users.set_banned(conn, BOB, True)
        await users.set_language(conn, BOB, "ru")
    answer = await _pre_checkout(bot, BOB, payload, stars)
    assert answer["ok"] is False and "недоступна" in answer["error_message"]
    payload, stars = await _invoice(bot, ALICE)
    bot.tg.pay(ALICE, payload, stars, "ch-1")
    await bot.tg.next_message(ALICE)
    answer = await _pre_checkout(bot, ALICE, payload, stars)
    assert answer["ok"] is False and "already been paid" in answer["error_message"]


async def test_pre_checkout_is_declined_once_top_ups_are_off(bot) -> None:
    payload, stars = await _invoice(bot)
    bot.settings.shop.stars_per_unit = None  # the operator unset STARS_PER_UNIT and restarted
    await bot.restart()
    answer = await _pre_checkout(bot, ALICE, payload, stars)
    assert answer["ok"] is False and "turned off" in answer["error_message"]


async def test_a_duplicated_successful_payment_credits_once_and_tells_once(bot) -> None:
    payload, stars = await _invoice(bot)
    bot.tg.pay(ALICE, payload, stars, "ch-1")
    notice = await bot.tg.next_message(ALICE)
    assert "250 ⭐" in notice.plain and "5.00 USD added" in notice.plain and "balance: 5.00 USD" in notice.plain
    bot.tg.successful_payment(ALICE, payload, stars, "ch-1")  # Telegram delivers it again
    await bot.tg.settle()
    assert bot.tg.calls_of("sendMessage", chat_id=ALICE, since=notice_index(bot, notice) + 1) == []
    assert await wallet.balance(bot.db, ALICE) == 5_000_000
    bot.tg.send_text(ALICE, "/balance")
    assert "5.00 USD" in (await bot.tg.next_message(ALICE)).plain


async def test_the_credit_notice_is_in_the_customers_language(bot) -> None:
    payload, stars = await _invoice(bot, BOB)
    bot.tg.send_text(BOB, "/start", language_code="ru")
    await bot.tg.next_message(BOB)
    async with bot.db.transaction() as conn:
        await users.set_language(conn, BOB, "ru")
    bot.tg.pay(BOB, payload, stars, "ch-ru")
    notice = await bot.tg.next_message(BOB)
    assert "Платёж получен" in notice.plain and "Ваш баланс: 5.00 USD" in notice.plain


async def test_a_restart_between_credit_and_redelivery_credits_once(bot) -> None:
    payload, stars = await _invoice(bot)
    bot.tg.pay(ALICE, payload, stars, "ch-1")
    await bot.tg.next_message(ALICE)
    await bot.restart()
    bot.tg.successful_payment(ALICE, payload, stars, "ch-1")
    await bot.tg.settle()
    assert len([c for c in bot.tg.calls_of("sendMessage", chat_id=ALICE) if "Payment received" in c.text]) == 1
    assert await wallet.balance(bot.db, ALICE) == 5_000_000


async def test_a_payment_credited_before_a_crash_is_still_announced_once(bot) -> None:
    payload, stars = await _invoice(bot)
    # the bot credited it, then died before telling the customer; Telegram delivers it again
    await payments.record_payment(bot.db, user_id=ALICE, payload=payload, currency="XTR", total_amount=stars,
                                  charge_id="ch-1")
    for _ in range(2):
        bot.tg.successful_payment(ALICE, payload, stars, "ch-1")
    await bot.tg.settle()
    notices = [c for c in bot.tg.calls_of("sendMessage", chat_id=ALICE) if "Payment received" in c.text]
    assert len(notices) == 1 and await wallet.balance(bot.db, ALICE) == 5_000_000


async def test_a_payment_that_fits_no_invoice_is_kept_and_reported(bot) -> None:
    payload, stars = await _invoice(bot)
    bot.tg.pay(BOB, payload, stars, "ch-bob")  # paid by someone else, somehow
    notice = await bot.tg.next_message(BOB)
    assert "could not match" in notice.plain
    alert = await bot.tg.wait_for("sendMessage", lambda c: "matches no invoice" in (c.text or ""))
    assert "/refund_stars ch-bob" in alert.message.plain
    assert await wallet.balance(bot.db, BOB) == 0
    assert (await store.payment(bot.db.conn, "ch-bob")).status == PaymentStatus.UNMATCHED


async def test_the_sweep_credits_a_payment_whose_update_was_lost(bot) -> None:
    payload, stars = await _invoice(bot)
    bot.tg.withdraw(1000)
    bot.tg.pay(ALICE, payload, stars, "ch-lost", deliver=False)
    await bot.restart()  # the sweep runs shortly after start-up
    notice = await bot.tg.next_message(ALICE, timeout=10)
    assert "Payment received" in notice.plain and await wallet.balance(bot.db, ALICE) == 5_000_000
    bot.tg.successful_payment(ALICE, payload, stars, "ch-lost")  # the update turns up after all
    await bot.tg.settle()
    assert len([c for c in bot.tg.calls_of("sendMessage", chat_id=ALICE) if "Payment received" in c.text]) == 1
    assert await wallet.balance(bot.db, ALICE) == 5_000_000


def notice_index(env, message) -> int:
    """The index of the call that sent `message`."""
    return next(c.index for c in env.tg.calls if c.message is message)
