"""/refund_stars over the fake Bot API: admins in the admin group only, one debit, Telegram's answer settles it."""

from __future__ import annotations

import pytest

from bot.domain import wallet
from bot.handlers import admin
from bot.handlers.admin import stars as admin_stars
from bot.storage import audit
from bot.storage import payments as store
from bot.storage.payments import PaymentStatus
from tests.e2e.harness import ADMIN_CHAT_ID
from tests.payments.conftest import ALICE, CUSTOMER_FEATURES

ADMIN, STRANGER = 1, 3
FEATURES = [*CUSTOMER_FEATURES, admin, admin_stars]


@pytest.fixture
async def shop(make_bot):
    return await make_bot(features=FEATURES, admin_ids={ADMIN, 2})


async def _paid(env, charge_id: str = "ch-1", user_id: int = ALICE, amount: str = "5") -> None:
    """The customer asks for an invoice and pays it; the credit notice has arrived."""
    mark = len(env.tg.calls)
    env.tg.send_text(user_id, f"/topup {amount}")
    invoice = await env.tg.wait_for("sendInvoice", lambda c: c.ok, chat_id=user_id, since=mark)
    env.tg.pay(user_id, invoice.params["payload"], invoice.params["prices"][0]["amount"], charge_id)
    await env.tg.next_message(user_id)


async def _admin_says(env, text: str, user_id: int = ADMIN) -> str:
    """An admin writes in the admin group; the bot's answer there (plain text)."""
    env.tg.send_group_text(user_id, text)
    call = await env.tg.wait_for("sendMessage", lambda c: c.ok, chat_id=ADMIN_CHAT_ID)
    return call.message.plain


async def _ledger(env) -> list[tuple]:
    return [tuple(r) for r in await env.db.fetchall("SELECT user_id, amount, kind, actor FROM ledger ORDER BY id")]


async def test_an_admin_refunds_a_top_up_once(shop) -> None:
    await _paid(shop)
    answer = await _admin_says(shop, "/refund_stars ch-1")
    assert "Refunded 250 ⭐" in answer and "Taken from the wallet: 5.00 USD" in answer and "0.00 USD" in answer
    refund = shop.tg.calls_of("refundStarPayment")
    assert [(c.params["user_id"], c.params["telegram_payment_charge_id"]) for c in refund] == [(ALICE, "ch-1")]
    notice = await shop.tg.wait_for("sendMessage", lambda c: "refunded" in (c.text or ""), chat_id=ALICE)
    assert "5.00 USD was taken" in notice.message.plain
    assert await wallet.balance(shop.db, ALICE) == 0
    assert "already refunded" in await _admin_says(shop, "/refund_stars ch-1")
    assert len(shop.tg.calls_of("refundStarPayment")) == 1 and await wallet.balance(shop.db, ALICE) == 0
    actions = [(e.action, e.arguments["outcome"]) for e in await audit.recent(shop.db.conn)]
    assert actions[:2] == [("refund_stars", "refused"), ("refund_stars", "ok")]


@pytest.mark.parametrize("where", ["stranger_in_group", "admin_in_private", "customer_in_private"])
async def test_refund_stars_is_refused_outside_the_admin_group_or_from_non_admins(shop, where) -> None:
    await _paid(shop)
    before = await _ledger(shop)
    if where == "stranger_in_group":
        shop.tg.send_group_text(STRANGER, "/refund_stars ch-1")
    elif where == "admin_in_private":
        shop.tg.send_text(ADMIN, "/refund_stars ch-1")
    else:
        shop.tg.send_text(ALICE, "/refund_stars ch-1")
    await shop.tg.settle()
    assert shop.tg.calls_of("refundStarPayment") == []
    assert not any("Refunded" in (c.text or "") for c in shop.tg.calls_of("sendMessage"))
    assert await _ledger(shop) == before
    assert (await store.payment(shop.db.conn, "ch-1")).status == PaymentStatus.CREDITED


async def test_spent_money_needs_force_and_then_goes_below_zero(shop) -> None:
    await _paid(shop)
    await wallet.debit(shop.db, ALICE, 4_000_000, note="an order")
    answer = await _admin_says(shop, "/refund_stars ch-1")
    assert "Already spent" in answer and "1.00 USD" in answer and "force" in answer
    assert shop.tg.calls_of("refundStarPayment") == [] and await wallet.balance(shop.db, ALICE) == 1_000_000
    answer = await _admin_says(shop, "/refund_stars ch-1 FORCE")
    assert "Refunded 250 ⭐" in answer and "-4.00 USD" in answer
    assert await wallet.balance(shop.db, ALICE) == -4_000_000


async def test_a_refusal_by_telegram_puts_the_money_back(shop) -> None:
    await _paid(shop)
    shop.tg.fail_next("refundStarPayment", 400, "Bad Request: CHARGE_NOT_FOUND")
    answer = await _admin_says(shop, "/refund_stars ch-1")
    assert "Telegram refused the refund" in answer and "CHARGE_NOT_FOUND" in answer.upper()
    assert await wallet.balance(shop.db, ALICE) == 5_000_000
    assert (await store.payment(shop.db.conn, "ch-1")).status == PaymentStatus.CREDITED


async def test_no_answer_from_telegram_is_finished_by_sending_the_command_again(shop) -> None:
    await _paid(shop)
    shop.tg.fail_next("refundStarPayment", 502, "Bad Gateway")
    answer = await _admin_says(shop, "/refund_stars ch-1")
    assert "did not confirm" in answer and await wallet.balance(shop.db, ALICE) == 0
    assert (await store.payment(shop.db.conn, "ch-1")).status == PaymentStatus.REFUNDING
    answer = await _admin_says(shop, "/refund_stars ch-1")
    assert "Refunded 250 ⭐" in answer and await wallet.balance(shop.db, ALICE) == 0  # debited once
    assert (await store.payment(shop.db.conn, "ch-1")).status == PaymentStatus.REFUNDED


async def test_an_unmatched_payment_is_refunded_without_touching_the_wallet(shop) -> None:
    await wallet.credit(shop.db, ALICE, 2_000_000, note="other money")
    shop.tg.pay(ALICE, "topup:not-ours", 100, "odd-1")
    await shop.tg.next_message(ALICE)
    answer = await _admin_says(shop, "/refund_stars odd-1")
    assert "Refunded 100 ⭐" in answer and await wallet.balance(shop.db, ALICE) == 2_000_000


@pytest.mark.parametrize("text", ["/refund_stars", "/refund_stars ch-1 please", "/refund_stars a b c"])
async def test_wrong_arguments_get_the_usage_line(shop, text) -> None:
    answer = await _admin_says(shop, text)
    assert "/refund_stars <charge id> [force]" in answer
    assert shop.tg.calls_of("refundStarPayment") == []


async def test_unknown_charge_id(shop) -> None:
    assert "No Stars payment with charge id nope" in await _admin_says(shop, "/refund_stars nope")


async def test_help_lists_refund_stars(shop) -> None:
    assert "/refund_stars" in await _admin_says(shop, "/help")


async def test_already_refunded_by_telegram_after_a_lost_answer_counts_as_done(shop) -> None:
    await _paid(shop)
    shop.tg.fail_next("refundStarPayment", 502, "Bad Gateway")  # the refund went through, the answer did not
    await _admin_says(shop, "/refund_stars ch-1")
    shop.tg.fail_next("refundStarPayment", 400, "Bad Request: CHARGE_ALREADY_REFUNDED")
    assert "Refunded 250 ⭐" in await _admin_says(shop, "/refund_stars ch-1")
    assert await wallet.balance(shop.db, ALICE) == 0
    assert (await store.payment(shop.db.conn, "ch-1")).status == PaymentStatus.REFUNDED


async def test_user_lists_the_customers_stars_payments_with_their_charge_ids(shop) -> None:
    await _paid(shop, "ch-1")
    await _paid(shop, "ch-2", amount="2")
    await _admin_says(shop, "/refund_stars ch-1")
    profile = await _admin_says(shop, f"/user {ALICE}")
    assert "Stars payments" in profile
    assert "100 ⭐ → 2.00 USD · credited · ch-2" in profile and "250 ⭐ → 5.00 USD · refunded · ch-1" in profile
    assert profile.index("ch-2") < profile.index("ch-1")  # newest first


@pytest.mark.parametrize(("status", "description"), [(403, "Forbidden: bot was blocked by the user"),
                                                     (400, "Bad Request: CHARGE_NOT_FOUND")])
async def test_a_retry_refused_after_a_lost_answer_never_puts_the_credit_back(shop, status, description) -> None:
    """The first attempt's answer was lost, so Telegram may have returned the Stars: a later refusal
    proves nothing about the first attempt and must not credit the wallet again."""
    await _paid(shop)
    shop.tg.fail_next("refundStarPayment", 502, "Bad Gateway")
    await _admin_says(shop, "/refund_stars ch-1")
    assert await wallet.balance(shop.db, ALICE) == 0
    shop.tg.fail_next("refundStarPayment", status, description)
    answer = await _admin_says(shop, "/refund_stars ch-1")
    assert "did not confirm" in answer
    assert await wallet.balance(shop.db, ALICE) == 0  # still taken once, never put back
    assert (await store.payment(shop.db.conn, "ch-1")).status == PaymentStatus.REFUNDING


async def test_a_pending_refund_is_settled_from_the_bots_star_transactions(shop) -> None:
    await _paid(shop)
    shop.tg.fail_next("refundStarPayment", 502, "Bad Gateway")  # the refund went through, the answer did not
    await _admin_says(shop, "/refund_stars ch-1")
    shop.tg.refund_listed(ALICE, "ch-1", 250)
    shop.tg.fail_next("refundStarPayment", 403, "Forbidden: bot was blocked by the user")
    assert "Refunded 250 ⭐" in await _admin_says(shop, "/refund_stars ch-1")
    assert len(shop.tg.calls_of("refundStarPayment")) == 1  # the transactions settled it: not asked again
    assert await wallet.balance(shop.db, ALICE) == 0
    assert (await store.payment(shop.db.conn, "ch-1")).status == PaymentStatus.REFUNDED
