"""Crypto Pay over real HTTP: the bot, a FakeCryptoPay and the fake Bot API.

An invoice paid once is credited once whether the poll, the webhook, the Check button or all of
them report it, before and after a restart; a forged webhook is refused and changes nothing.
"""

from __future__ import annotations

import asyncio

from bot.domain import wallet
from bot.storage import ledger
from bot.storage import topups as store
from bot.storage.ledger import LedgerKind
from bot.storage.topups import TopupStatus
from tests.topups.conftest import ALICE, webhook_url


async def _methods(env, user_id: int = ALICE):
    env.tg.send_text(user_id, "/balance")
    screen = await env.tg.next_message(user_id)
    env.tg.press_button(user_id, screen, "Top up")
    return await env.tg.next_reply(user_id)


async def _crypto_invoice(env, amount: str = "5", user_id: int = ALICE):
    methods = await _methods(env, user_id)
    env.tg.press_button(user_id, methods, "Crypto")
    prompt = await env.tg.next_message(user_id)
    shop = env.settings.shop.shop_currency
    assert f"from 1.00 {shop} to 10,000.00 {shop}" in prompt.plain.replace("\u202f", ",")
    env.tg.reply(user_id, prompt, amount)
    invoice_msg = await env.tg.next_message(user_id)
    rows = await store.in_status(env.db.conn, (TopupStatus.PENDING,), method="cryptopay", user_id=user_id)
    return invoice_msg, rows[-1]


async def _credited_notices(env, user_id: int = ALICE) -> int:
    return len([c for c in env.tg.calls_of("sendMessage", chat_id=user_id) if "Payment received" in (c.text or "")])


async def _wait_balance(env, expected: int, user_id: int = ALICE) -> None:
    for _ in range(100):
        if await wallet.balance(env.db, user_id) == expected:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"balance is {await wallet.balance(env.db, user_id)}, not {expected}")


async def test_an_invoice_is_created_after_its_row_with_a_link_and_check(bot, cryptopay) -> None:
    message, row = await _crypto_invoice(bot)
    labels = dict(message.buttons)
    assert any("Pay" in label for label in labels) and any("Check" in label for label in labels)
    method, params = next(c for c in cryptopay.calls if c[0] == "createInvoice")
    assert params["currency_type"] == "fiat" and params["fiat"] == "USD" and params["amount"] == "5.00"
    assert params["accepted_assets"] == "USDT,TON,BTC" and params["payload"] == row.reference
    assert row.external_id == str(next(iter(cryptopay.invoices))) and row.amount == 5_000_000


async def test_paid_once_credited_once_by_poll_webhook_and_restart(bot, cryptopay) -> None:
    _, row = await _crypto_invoice(bot)
    cryptopay.pay(row.external_id)
    assert await cryptopay.send_webhook(webhook_url(bot), row.external_id) == 200
    await _wait_balance(bot, 5_000_000)
    # the poll reports it too, and the webhook is delivered again
    polls = len([c for c in cryptopay.calls if c[0] == "getInvoices"])
    assert await cryptopay.send_webhook(webhook_url(bot), row.external_id) == 200
    for _ in range(50):
        if len([c for c in cryptopay.calls if c[0] == "getInvoices"]) > polls:
            break
        await asyncio.sleep(0.1)
    await bot.restart()
    assert await cryptopay.send_webhook(webhook_url(bot), row.external_id) == 200
    await bot.tg.settle()
    assert await wallet.balance(bot.db, ALICE) == 5_000_000
    rows = await ledger.by_reference(bot.db.conn, f"cryptopay:{row.external_id}")
    assert [(r.kind, r.amount) for r in rows] == [(LedgerKind.TOPUP, 5_000_000)]
    assert await _credited_notices(bot) == 1


async def test_the_poll_alone_credits_in_polling_mode(make_bot, cryptopay) -> None:
    env = await make_bot(crypto_pay_webhook_port=None)
    _, row = await _crypto_invoice(env, "12.5")
    cryptopay.pay(row.external_id)
    await _wait_balance(env, 12_500_000)
    await env.tg.settle()
    assert await _credited_notices(env) == 1


async def test_a_forged_or_unsigned_webhook_is_refused(bot, cryptopay) -> None:
    _, row = await _crypto_invoice(bot)
    cryptopay.pay(row.external_id)  # paid, but the poll has not seen it yet when the forgeries arrive
    url = webhook_url(bot)
    assert await cryptopay.send_webhook(url, row.external_id, sign_with="someone-elses-token") == 401
    assert await cryptopay.send_webhook(url, row.external_id, signature="") == 401
    body = cryptopay.update_body(row.external_id)
    tampered = body.replace(b'"amount": "5.00"', b'"amount": "500.00"')
    assert await cryptopay.send_webhook(url, row.external_id, body=tampered,
                                        signature=cryptopay.signature(body)) == 401
    assert (await store.get(bot.db.conn, row.id)).status in (TopupStatus.PENDING, TopupStatus.CREDITED)
    await _wait_balance(bot, 5_000_000)  # the poll credits what the invoice says, not the forgery


async def test_an_expired_invoice_is_closed_and_the_customer_told(bot, cryptopay) -> None:
    _, row = await _crypto_invoice(bot)
    cryptopay.expire(row.external_id)
    for _ in range(60):
        if (await store.get(bot.db.conn, row.id)).status == TopupStatus.EXPIRED:
            break
        await asyncio.sleep(0.1)
    assert (await store.get(bot.db.conn, row.id)).status == TopupStatus.EXPIRED
    notice = await bot.tg.wait_for("sendMessage", lambda c: "expired" in (c.text or ""), chat_id=ALICE)
    assert row.reference in notice.text
    assert await wallet.balance(bot.db, ALICE) == 0


async def test_check_button_asks_crypto_pay_now(make_bot, cryptopay) -> None:
    env = await make_bot(crypto_pay_poll_seconds=300, crypto_pay_webhook_port=None)
    message, row = await _crypto_invoice(env)
    env.tg.press_button(ALICE, message, "Check")
    answer = await env.tg.wait_for("answerCallbackQuery")
    assert "No payment yet" in answer.params["text"]
    cryptopay.pay(row.external_id)
    env.tg.press_button(ALICE, message, "Check")
    answer = await env.tg.wait_for("answerCallbackQuery")
    assert "Paid" in answer.params["text"] and await wallet.balance(env.db, ALICE) == 5_000_000


async def test_crypto_pay_refusing_leaves_a_failed_row_and_a_clear_line(bot, cryptopay) -> None:
    methods = await _methods(bot)
    bot.tg.press_button(ALICE, methods, "Crypto")
    prompt = await bot.tg.next_message(ALICE)
    cryptopay.fail_next.append("AMOUNT_TOO_BIG")
    bot.tg.reply(ALICE, prompt, "5")
    assert "not answering" in (await bot.tg.next_message(ALICE)).plain
    rows = await store.in_status(bot.db.conn, (TopupStatus.FAILED,), method="cryptopay")
    assert len(rows) == 1 and rows[0].note == "AMOUNT_TOO_BIG"


async def test_bad_amounts_get_clear_answers_and_no_invoice(bot, cryptopay) -> None:
    methods = await _methods(bot)
    bot.tg.press_button(ALICE, methods, "Crypto")
    prompt = await bot.tg.next_message(ALICE)
    for text, words in (("abc", "not an amount"), ("-5", "not an amount"), ("0", "not an amount"),
                        ("0.5", "below the minimum"), ("20000", "above the maximum")):
        bot.tg.reply(ALICE, prompt, text)
        assert words in (await bot.tg.next_message(ALICE)).plain
    assert not [c for c in cryptopay.calls if c[0] == "createInvoice"]


async def test_a_credit_whose_notice_a_stop_swallowed_is_told_once_after_restart(make_bot, cryptopay) -> None:
    env = await make_bot(crypto_pay_poll_seconds=300)
    _, row = await _crypto_invoice(env)
    cryptopay.pay(row.external_id)
    from bot.domain import crypto_topups

    [invoice] = [i for i in await env.app.bot_data["cryptopay_client"].get_invoices([row.external_id])]
    await crypto_topups.apply_invoice(env.db, invoice, None)  # credited, then the bot stopped before telling
    await env.restart()
    await env.tg.settle()
    assert await _credited_notices(env) == 1
    assert await cryptopay.send_webhook(webhook_url(env), row.external_id) == 200
    await env.restart()
    await env.tg.settle()
    assert await _credited_notices(env) == 1 and await wallet.balance(env.db, ALICE) == 5_000_000


async def _paid_and_credited(env, cryptopay, amount: str = "5"):
    _, row = await _crypto_invoice(env, amount)
    cryptopay.pay(row.external_id, asset="USDT")
    assert await cryptopay.send_webhook(webhook_url(env), row.external_id) == 200
    await _wait_balance(env, int(amount) * 1_000_000)
    return row


async def test_a_crypto_refund_sends_the_coins_back_once_and_debits_once(bot, cryptopay) -> None:
    from tests.e2e.harness import ADMIN_CHAT_ID
    from tests.topups.conftest import ADMIN1

    row = await _paid_and_credited(bot, cryptopay)
    cryptopay.drop_next_answer = True  # the transfer happens, its answer is lost
    bot.tg.send_group_text(ADMIN1, f"/refund_topup {row.id}")
    assert "did not confirm" in (await bot.tg.next_message(ADMIN_CHAT_ID)).plain
    assert (await store.get(bot.db.conn, row.id)).status == TopupStatus.REFUNDING
    bot.tg.send_group_text(ADMIN1, f"/refund_topup {row.id}")  # again: same spend_id, no second debit
    done = await bot.tg.next_message(ADMIN_CHAT_ID)
    assert "refunded through Crypto Pay" in done.plain and "5.00 USDT" in done.plain
    assert len(cryptopay.transfers) == 1 and cryptopay.balance["USDT"] == "995.00"
    assert await wallet.balance(bot.db, ALICE) == 0
    bot.tg.send_group_text(ADMIN1, f"/refund_topup {row.id}")
    assert "already refunded" in (await bot.tg.next_message(ADMIN_CHAT_ID)).plain
    told = [c for c in bot.tg.calls_of("sendMessage", chat_id=ALICE) if "sent back to you" in (c.text or "")]
    assert len(told) == 1


async def test_a_refused_crypto_refund_puts_the_money_back(bot, cryptopay) -> None:
    from tests.e2e.harness import ADMIN_CHAT_ID
    from tests.topups.conftest import ADMIN1

    row = await _paid_and_credited(bot, cryptopay)
    cryptopay.balance["USDT"] = "1"
    bot.tg.send_group_text(ADMIN1, f"/refund_topup {row.id}")
    assert "INSUFFICIENT_FUNDS" in (await bot.tg.next_message(ADMIN_CHAT_ID)).plain
    assert await wallet.balance(bot.db, ALICE) == 5_000_000
    assert (await store.get(bot.db.conn, row.id)).status == TopupStatus.CREDITED


async def test_another_customers_check_button_changes_nothing(bot, cryptopay) -> None:
    from tests.topups.conftest import BOB

    message, row = await _crypto_invoice(bot)
    cryptopay.pay(row.external_id)
    bot.tg.press(BOB, message, f"pay:check:{row.id}")  # Bob presses (or forges) Alice's Check button
    answer = await bot.tg.wait_for("answerCallbackQuery")
    assert "out of date" in answer.params["text"] or "no longer" in answer.params["text"]
    assert await wallet.balance(bot.db, BOB) == 0


async def test_a_taken_webhook_port_leaves_the_poll_working(make_bot, cryptopay) -> None:
    import socket

    blocker = socket.socket()
    blocker.bind(("0.0.0.0", 0))  # noqa: S104 - the same interfaces the bot listens on
    blocker.listen()
    try:
        env = await make_bot(crypto_pay_webhook_port=blocker.getsockname()[1])
        _, row = await _crypto_invoice(env)
        cryptopay.pay(row.external_id)
        await _wait_balance(env, 5_000_000)
    finally:
        blocker.close()


async def test_the_webhook_mounts_on_any_aiohttp_server(make_bot, cryptopay) -> None:
    from aiohttp import web

    from bot.handlers.topup_methods.crypto import webhook_subapp

    env = await make_bot(crypto_pay_webhook_port=None, crypto_pay_poll_seconds=300)
    other = web.Application()  # e.g. the Mini App's server
    other.add_subapp("/hooks/cryptopay", webhook_subapp(env.app))
    runner = web.AppRunner(other, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}/hooks/cryptopay/"
        _, row = await _crypto_invoice(env)
        cryptopay.pay(row.external_id)
        assert await cryptopay.send_webhook(url, row.external_id, sign_with="forged") == 401
        assert await cryptopay.send_webhook(url, row.external_id) == 200
        await _wait_balance(env, 5_000_000)
    finally:
        await runner.cleanup()


async def test_a_shop_in_an_asset_gets_asset_invoices_credited_from_the_invoice(make_bot, cryptopay) -> None:
    env = await make_bot(shop={"shop_currency": "USDT"}, crypto_pay_webhook_port=None)
    _, row = await _crypto_invoice(env, "2.5")
    method, params = next(c for c in cryptopay.calls if c[0] == "createInvoice")
    assert params["currency_type"] == "crypto" and params["asset"] == "USDT" and params["amount"] == "2.500000"
    cryptopay.pay(row.external_id)
    await _wait_balance(env, 2_500_000)
