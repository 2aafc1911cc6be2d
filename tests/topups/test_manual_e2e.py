"""Manual transfers over the fake Bot API: instructions with a reference, the receipt, the admin card,
approval once even with two admins pressing at once, rejection with a reason, /payments, refunds."""

from __future__ import annotations

from bot.domain import wallet
from bot.storage import ledger
from bot.storage import topups as store
from bot.storage.ledger import LedgerKind
from bot.storage.topups import TopupStatus
from tests.e2e.harness import ADMIN_CHAT_ID
from tests.topups.conftest import ADMIN1, ADMIN2, ALICE, BOB


async def _request(env, amount: str = "10", user_id: int = ALICE, lang: str = "en"):
    env.tg.send_text(user_id, "/balance", language_code=lang)
    env.tg.press_button(user_id, await env.tg.next_message(user_id), "Top up" if lang == "en" else "Пополн")
    env.tg.press_button(user_id, await env.tg.next_reply(user_id), "🏦 Bank")
    prompt = await env.tg.next_message(user_id)
    env.tg.reply(user_id, prompt, amount)
    instructions = await env.tg.next_message(user_id)
    rows = await store.in_status(env.db.conn, (TopupStatus.PENDING,), user_id=user_id, method="manual:Bank")
    return instructions, rows[-1]


async def _with_receipt(env, amount: str = "10", user_id: int = ALICE, lang: str = "en"):
    instructions, row = await _request(env, amount, user_id, lang)
    env.tg.send_photo(user_id)
    await env.tg.next_message(user_id)
    card = await env.tg.wait_for("sendMessage", lambda c: "Manual top-up" in (c.text or "")
                                 or "Ручное пополнение" in (c.text or ""), chat_id=ADMIN_CHAT_ID)
    return row, card.message


async def test_instructions_carry_the_reference_and_exact_transfer(bot) -> None:
    instructions, row = await _request(bot, "10")  # 10 USD at 1.25 USD per EUR -> 8.00 EUR
    assert row.reference in instructions.plain and "8.00 EUR" in instructions.plain
    assert "IBAN DE00 1234 5678" in instructions.plain and "10.00 USD" in instructions.plain
    assert any("Send receipt" in label for label, _ in instructions.buttons)


async def test_a_receipt_posts_a_card_and_approval_credits_once_for_two_admins(bot) -> None:
    row, card = await _with_receipt(bot)
    assert bot.tg.calls_of("copyMessage", chat_id=ADMIN_CHAT_ID)
    assert row.reference in card.plain and "8.00 EUR" in card.plain and "10.00 USD" in card.plain
    approve = next(data for label, data in card.buttons if label.startswith("✅"))
    bot.tg.press(ADMIN1, card, approve)
    bot.tg.press(ADMIN2, card, approve)  # at the same moment
    await bot.tg.settle()
    assert await wallet.balance(bot.db, ALICE) == 10_000_000
    rows = await ledger.by_reference(bot.db.conn, f"manual:Bank:{row.reference}")
    assert [(r.kind, r.amount, r.actor) for r in rows] == [(LedgerKind.TOPUP, 10_000_000, ADMIN1)]
    answers = [c.params.get("text", "") for c in bot.tg.calls_of("answerCallbackQuery")]
    assert any("already approved" in text for text in answers)
    told = [c for c in bot.tg.calls_of("sendMessage", chat_id=ALICE) if "Payment received" in (c.text or "")]
    assert len(told) == 1


async def test_approve_another_amount_credits_what_the_admin_typed(bot) -> None:
    row, card = await _with_receipt(bot)
    bot.tg.press_button(ADMIN1, card, "another amount")
    prompt = await bot.tg.next_message(ADMIN_CHAT_ID)
    bot.tg.reply(ADMIN1, prompt, "abc", chat_id=ADMIN_CHAT_ID, chat_type="supergroup")
    assert "not an amount" in (await bot.tg.next_message(ADMIN_CHAT_ID)).plain
    bot.tg.reply(ADMIN2, prompt, "9.5", chat_id=ADMIN_CHAT_ID, chat_type="supergroup")  # not the admin asked
    await bot.tg.settle()
    assert await wallet.balance(bot.db, ALICE) == 0
    bot.tg.reply(ADMIN1, prompt, "9.5", chat_id=ADMIN_CHAT_ID, chat_type="supergroup")
    await bot.tg.next_message(ADMIN_CHAT_ID)
    assert await wallet.balance(bot.db, ALICE) == 9_500_000


async def test_a_rejected_transfer_credits_nothing_and_the_customer_reads_why_in_russian(bot) -> None:
    row, card = await _with_receipt(bot, user_id=BOB, lang="ru")
    approve = next(data for label, data in card.buttons if label.startswith("✅"))
    bot.tg.press_button(ADMIN1, card, "Reject")
    prompt = await bot.tg.next_message(ADMIN_CHAT_ID)
    bot.tg.reply(ADMIN1, prompt, "no such transfer on the account", chat_id=ADMIN_CHAT_ID, chat_type="supergroup")
    notice = await bot.tg.next_message(BOB)
    assert "не подтверждён" in notice.plain and "no such transfer" in notice.plain
    bot.tg.press(ADMIN2, card, approve)  # too late
    await bot.tg.settle()
    assert await wallet.balance(bot.db, BOB) == 0
    assert (await store.get(bot.db.conn, row.id)).status == TopupStatus.REJECTED


async def test_receipts_without_a_request_and_second_receipts_get_answers(bot) -> None:
    bot.tg.send_photo(ALICE)
    assert "no transfer waiting" in (await bot.tg.next_message(ALICE)).plain
    await _with_receipt(bot)
    bot.tg.send_photo(ALICE)
    assert "already have the receipt" in (await bot.tg.next_message(ALICE)).plain
    assert len(bot.tg.calls_of("copyMessage")) == 1


async def test_a_text_receipt_as_a_reply_to_the_prompt(bot) -> None:
    instructions, row = await _request(bot)
    bot.tg.press_button(ALICE, instructions, "Send receipt")
    prompt = await bot.tg.next_message(ALICE)
    bot.tg.reply(ALICE, prompt, "Paid 8 EUR from DE99, ref " + row.reference)
    assert "received" in (await bot.tg.next_message(ALICE)).plain
    assert (await store.get(bot.db.conn, row.id)).status == TopupStatus.RECEIPT


async def test_payments_lists_pending_and_refund_topup_debits_once(bot) -> None:
    row, card = await _with_receipt(bot)
    await _request(bot, "20", user_id=BOB)
    bot.tg.send_group_text(ADMIN1, "/payments")
    listing = await bot.tg.next_message(ADMIN_CHAT_ID)
    assert "waiting: 2" in listing.plain and row.reference in listing.plain
    bot.tg.press_button(ADMIN1, card, "Approve")
    await bot.tg.settle()
    bot.tg.send_group_text(ADMIN1, f"/refund_topup {row.id} wrong account")
    assert "refunded" in (await bot.tg.next_message(ADMIN_CHAT_ID)).plain
    bot.tg.send_group_text(ADMIN1, f"/refund_topup {row.id}")
    assert "already refunded" in (await bot.tg.next_message(ADMIN_CHAT_ID)).plain
    assert await wallet.balance(bot.db, ALICE) == 0
    bot.tg.send_group_text(ADMIN1, f"/user {ALICE}")
    profile = await bot.tg.next_message(ADMIN_CHAT_ID)
    assert row.reference in profile.plain and "refunded" in profile.plain


async def test_stats_split_top_ups_by_method(bot) -> None:
    _, card = await _with_receipt(bot)
    bot.tg.press_button(ADMIN1, card, "Approve")
    await bot.tg.settle()
    bot.tg.send_group_text(ADMIN1, "/stats")
    stats = await bot.tg.next_message(ADMIN_CHAT_ID)
    assert "Top-ups by method" in stats.plain and "manual:Bank: 1 · 10.00 USD" in stats.plain


async def test_requests_expire_the_customer_is_told_and_the_card_closes(make_bot) -> None:
    env = await make_bot(crypto=False, manual_expire_hours=0.0005)  # under two seconds
    row, card = await _with_receipt(env)
    # the minutely expiry job runs a few seconds after start-up
    edit = await env.tg.wait_for("editMessageText", lambda c: "Expired" in (c.text or ""), chat_id=ADMIN_CHAT_ID,
                                 since=0, timeout=20)
    assert row.reference in edit.text and card.buttons == []
    notice = await env.tg.wait_for("sendMessage", lambda c: "expired" in (c.text or ""), chat_id=ALICE, since=0)
    assert row.reference in notice.text
    assert (await store.get(env.db.conn, row.id)).status == TopupStatus.EXPIRED
    env.tg.send_photo(ALICE)
    assert "no transfer waiting" in (await env.tg.next_message(ALICE)).plain
    assert await wallet.balance(env.db, ALICE) == 0


async def test_admins_edit_methods_from_the_group_and_customers_see_them_at_once(bot) -> None:
    bot.tg.send_group_text(ADMIN1, "/manual set UPI INR 0.012 2 300\nPay to shop@upi, note the reference")
    listing = await bot.tg.next_message(ADMIN_CHAT_ID)
    assert "UPI" in listing.plain and "Bank" in listing.plain
    bot.tg.send_group_text(ADMIN1, "/manual set Bad XX 0 1 2\nx")
    assert "not valid" in (await bot.tg.next_message(ADMIN_CHAT_ID)).plain
    bot.tg.send_group_text(ADMIN1, "/manual off bank")
    assert "Bank" not in (await bot.tg.next_message(ADMIN_CHAT_ID)).plain
    bot.tg.send_text(ALICE, "/topup")
    labels = [label for label, _ in (await bot.tg.next_message(ALICE)).buttons]
    assert "🏦 UPI" in labels and "🏦 Bank" not in labels
    await bot.restart()  # stored, so it survives a restart
    bot.tg.send_text(ALICE, "/topup")
    labels = [label for label, _ in (await bot.tg.next_message(ALICE)).buttons]
    assert "🏦 UPI" in labels and "🏦 Bank" not in labels
    bot.tg.send_group_text(ADMIN1, "/manual on Bank")
    assert "Bank" in (await bot.tg.next_message(ADMIN_CHAT_ID)).plain
