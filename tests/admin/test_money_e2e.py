"""/credit and /debit: ledger rows with the admin's id and note; the customer hears of a credit in their language."""

from __future__ import annotations

from bot.domain import wallet
from bot.storage.ledger import LedgerKind
from tests.admin.conftest import ADMIN, CUSTOMER
from tests.admin.helpers import Ops, customer_starts, fund


async def test_a_credit_reaches_balance_ledger_and_the_customer_in_their_language(shop):
    await customer_starts(shop, CUSTOMER, lang="ru")
    reply = await Ops(shop, ADMIN).say("/credit 42 12,5 goodwill for the delay")
    assert "Credited 12.50 USD to 42" in reply.plain and "Balance: 12.50 USD" in reply.plain
    assert "The customer was told." in reply.plain

    notice = await shop.tg.next_message(CUSTOMER)
    assert notice.plain == "💰 Ваш баланс пополнен на 12.50 USD. Баланс: 12.50 USD."
    assert await wallet.balance(shop.db, CUSTOMER) == 12_500_000
    (entry,) = await wallet.history(shop.db, CUSTOMER)
    assert (entry.amount, entry.kind, entry.actor, entry.note) == (
        12_500_000, LedgerKind.ADMIN_ADJUSTMENT, ADMIN, "goodwill for the delay")
    shop.tg.send_text(CUSTOMER, "/balance", language_code="ru")
    assert "12.50 USD" in (await shop.tg.next_message(CUSTOMER)).plain


async def test_a_credit_by_username_in_english(shop):
    await customer_starts(shop, CUSTOMER, username="Alice_B")
    await Ops(shop, ADMIN).say("/credit @alice_b 0.000001", contains="Credited")
    assert (await shop.tg.next_message(CUSTOMER)).plain.startswith("💰 Your balance was topped up by 0.000001 USD")
    assert await wallet.balance(shop.db, CUSTOMER) == 1


async def test_a_customer_who_blocked_the_bot_is_credited_and_marked(shop):
    await customer_starts(shop, CUSTOMER)
    shop.tg.blocked.add(CUSTOMER)
    reply = await Ops(shop, ADMIN).say("/credit 42 3", contains="Credited")
    assert "could not be told" in reply.plain
    assert await wallet.balance(shop.db, CUSTOMER) == 3_000_000
    assert (await shop.db.fetchone("SELECT blocked FROM users WHERE id = ?", (CUSTOMER,)))[0] == 1


async def test_a_debit_never_goes_below_zero(shop):
    await customer_starts(shop, CUSTOMER)
    await fund(shop, CUSTOMER, "5")
    ops = Ops(shop, ADMIN)
    told = len(shop.tg.messages_to(CUSTOMER))
    reply = await ops.say("/debit 42 5.01 too much")
    assert reply.plain == "⛔ The balance is only 5.00 USD; 5.01 USD cannot be taken."
    assert await wallet.balance(shop.db, CUSTOMER) == 5_000_000
    reply = await ops.say("/debit 42 2 fee")
    assert "Debited 2.00 USD from 42. Balance: 3.00 USD." in reply.plain
    newest = (await wallet.history(shop.db, CUSTOMER))[0]
    assert (newest.amount, newest.actor, newest.note) == (-2_000_000, ADMIN, "fee")
    assert len(shop.tg.messages_to(CUSTOMER)) == told  # a debit is not announced


async def test_wrong_amounts_and_unknown_customers_change_nothing(shop):
    await customer_starts(shop, CUSTOMER)
    ops = Ops(shop, ADMIN)
    for command in ("/credit 42 abc", "/credit 42 -5", "/credit 42 0", "/debit 42 1e3", "/credit"):
        assert (await ops.say(command)).plain.startswith("Usage:"), command
    assert (await ops.say("/credit 999 5")).plain == "⛔ No customer 999: they must have written to the bot first."
    assert (await ops.say("/credit @nobody 5")).plain.startswith("⛔ No customer @nobody")
    assert await shop.db.fetchall("SELECT * FROM ledger") == []
    assert await shop.db.fetchone("SELECT 1 FROM users WHERE id = 999") is None
