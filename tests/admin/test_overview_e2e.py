"""/stats, /panels, /user, /ban, /unban and /audit, over orders placed through the domain."""

from __future__ import annotations

from decimal import Decimal

from bot.domain import reconcile, statuses, wallet
from bot.domain.order_results import Placed, Refused
from bot.storage import markups, panel_state
from tests.admin.conftest import ADMIN, CUSTOMER, OTHER_ADMIN
from tests.admin.helpers import Ops, customer_starts, fund, place


async def test_stats_counts_customers_orders_and_money(shop):
    await customer_starts(shop, CUSTOMER)
    await customer_starts(shop, 43)
    await fund(shop, CUSTOMER, "10")
    async with shop.db.transaction() as conn:
        await markups.put(conn, markups.SHOP_WIDE, Decimal(50))
    completed = await place(shop, CUSTOMER)  # 1.35 paid, the panel charges 0.90
    shop.panel.complete(completed.panel_order_id)
    state = await shop.runtime.panels.get("main").status(completed.panel_order_id)
    await statuses.apply_status(shop.db, completed.order_id, state)
    part_refunded = await place(shop, CUSTOMER)  # 1.35 paid, 0.35 back; no charge reported: 0.90 estimated
    await reconcile.refund_order(shop.db, part_refunded.order_id, 350_000, actor=ADMIN)
    shop.panel.inject("add", "error", message="Not enough funds on balance")
    refused = await place(shop, CUSTOMER)  # refunded in full, never taken by the panel
    assert isinstance(completed, Placed) and isinstance(part_refunded, Placed) and isinstance(refused, Refused)

    text = (await Ops(shop, ADMIN).say("/stats")).plain
    assert "Stats: today" in text
    assert "Customers: 2 in all · 2 new · 2 active · 1 ordered" in text
    assert "Orders: 3" in text and "completed: 1" in text and "pending: 1" in text and "failed: 1" in text
    assert "Turnover (paid, net of refunds): 2.35 USD" in text
    assert "Cost (what the panels charged): 1.80 USD" in text
    assert "Profit: 0.55 USD" in text
    assert "Stats: the last 30 days" in (await Ops(shop, ADMIN).say("/stats 30D")).plain


async def test_panels_shows_balance_open_orders_sync_and_catalogue(shop):
    await customer_starts(shop, CUSTOMER)
    await fund(shop, CUSTOMER, "10")
    await place(shop, CUSTOMER)
    ops = Ops(shop, ADMIN)
    text = (await ops.say("/panels")).plain
    assert f"main: balance {shop.panel.panel_balance} USD · open orders 1 · services 18" in text
    assert "last status sync: never" in text and "catalogue fetched: 20" in text

    async with shop.db.transaction() as conn:
        await panel_state.record_failure(conn, "main", "502 Bad Gateway")
    shop.panel.inject("balance", "html502", times=5)
    text = (await ops.say("/panels")).plain
    assert "balance unknown (" in text and "⚠️ sync error: 502 Bad Gateway (down since 20" in text


async def test_user_profile_ban_and_unban(shop):
    await customer_starts(shop, CUSTOMER, lang="ru", username="alice")
    await fund(shop, CUSTOMER, "10")
    order = await place(shop, CUSTOMER)
    ops = Ops(shop, ADMIN)
    text = (await ops.say("/user @Alice")).plain
    assert "👤 @alice · id 42" in text and "Language: ru" in text and "Balance: 9.10 USD" in text
    assert "Orders: 1; the latest:" in text and f"#{order.order_id} · pending · Instagram Followers" in text
    assert "Banned" not in text

    assert (await ops.say("/ban 42")).plain == "⛔ 42 (@alice) is banned."
    assert "⛔ Banned" in (await ops.say("/user 42")).plain
    shop.tg.send_text(CUSTOMER, "/start", language_code="ru")  # the customer side checks the flag
    assert "доступ к магазину приостановлен" in (await shop.tg.next_message(CUSTOMER)).plain
    assert (await ops.say("/ban @alice")).plain == "42 (@alice) was already banned."
    assert (await ops.say("/unban 42")).plain == "✅ 42 (@alice) is no longer banned."
    assert (await shop.db.fetchone("SELECT banned FROM users WHERE id = 42"))[0] == 0
    assert (await ops.say("/user 7")).plain.startswith("⛔ No customer 7")
    assert await wallet.balance(shop.db, CUSTOMER) == 9_100_000


async def test_audit_lists_who_did_what(shop):
    await customer_starts(shop, CUSTOMER)
    await Ops(shop, ADMIN).say("/credit 42 1 thanks", contains="Credited")
    await Ops(shop, OTHER_ADMIN).say("/ban 42")
    text = (await Ops(shop, ADMIN).say("/audit 5")).plain
    lines = text.splitlines()
    assert "Latest admin actions" in lines[0]
    assert f"· {OTHER_ADMIN} · /ban 42 · ok" in lines[1]
    assert f"· {ADMIN} · /credit 42 1 thanks · ok" in lines[2]
