"""A final answer that does not say what to refund holds the order: the customer is told the shop will
check, the admins get it in the reconciliation list, and /resolve <id> refund [amount] settles it once."""

from __future__ import annotations

from bot.domain import lookups, wallet
from bot.domain.order_results import Placed
from bot.telegram.sync_job import STATUS_JOB, sync_service
from tests.admin.conftest import ADMIN, CUSTOMER
from tests.admin.helpers import Ops, customer_starts, fund, place
from tests.e2e.harness import ADMIN_CHAT_ID


async def run_status_job(env) -> None:
    """One status cycle now (the timer is left alone); waits until its pushes were delivered."""
    (job,) = env.app.job_queue.get_jobs_by_name(STATUS_JOB)
    await job.run(env.app)
    await sync_service(env.app).notifier.queue.join()


async def test_a_partial_without_remains_is_held_listed_and_settled_by_an_admin(shop):
    await customer_starts(shop, CUSTOMER)
    await fund(shop, CUSTOMER, "10")
    order = await place(shop, CUSTOMER, quantity=1000)  # 0.90 USD
    assert isinstance(order, Placed)
    shop.panel.set_status(order.panel_order_id, "In progress", remains=1000)
    await run_status_job(shop)
    shop.panel.set_status(order.panel_order_id, "Partial", remains="text")
    mark = len(shop.tg.calls)
    await run_status_job(shop)

    stored = await lookups.order(shop.db, order.order_id)
    assert (stored.status, stored.refunded) == ("partial", 0) and "remains" in stored.held
    assert await wallet.balance(shop.db, CUSTOMER) == 9_100_000  # no money moved, not a full refund
    told = await shop.tg.wait_for("sendMessage", lambda c: "partly" in (c.text or ""), chat_id=CUSTOMER, since=mark)
    assert "The shop will check what is owed to you" in told.message.plain
    assert "returned to your balance" not in told.message.plain
    alert = await shop.tg.wait_for("sendMessage", lambda c: "await reconciliation" in (c.text or ""),
                                   chat_id=ADMIN_CHAT_ID, since=mark)
    assert f"#{order.order_id} · main" in alert.message.plain
    assert f"/resolve {order.order_id} refund [amount]" in alert.message.plain

    ops = Ops(shop, ADMIN)
    card = await ops.say(f"/order {order.order_id}")
    assert "Settle by hand: held: partial, remains missing" in card.plain
    listed = await ops.say("/unknown")
    assert f"#{order.order_id} · main" in listed.plain and "held: partial" in listed.plain
    refused = await ops.say(f"/refund {order.order_id}")
    assert refused.plain.startswith(f"⛔ Order #{order.order_id} is held for settlement")
    linked = await ops.say(f"/resolve {order.order_id} 12345")
    assert linked.plain.startswith(f"⛔ Order #{order.order_id} is held for settlement")
    too_much = await ops.say(f"/resolve {order.order_id} refund 0.91")
    assert too_much.plain == f"⛔ Only 0.90 USD of order #{order.order_id} is left to refund."

    reply = await ops.say(f"/resolve {order.order_id} refund 0.45")
    assert f"Order #{order.order_id} is settled; 0.45 USD refunded." in reply.plain
    assert "The customer was told." in reply.plain
    assert await wallet.balance(shop.db, CUSTOMER) == 9_550_000
    stored = await lookups.order(shop.db, order.order_id)
    assert (stored.status, stored.refunded, stored.held) == ("partial", 450_000, None)
    again = await ops.say(f"/resolve {order.order_id} refund 0.45")
    assert again.plain.endswith("that is not possible now.")
    assert (await ops.say("/unknown")).plain == "No orders await reconciliation. 👍"
    assert await wallet.balance(shop.db, CUSTOMER) == 9_550_000
    assert await wallet.check_balances(shop.db) == []


async def test_a_held_order_may_be_settled_with_nothing_refunded(shop):
    await customer_starts(shop, CUSTOMER)
    await fund(shop, CUSTOMER, "10")
    order = await place(shop, CUSTOMER, quantity=1000)
    shop.panel.set_status(order.panel_order_id, "Partial", remains="")
    await run_status_job(shop)
    ops = Ops(shop, ADMIN)
    reply = await ops.say(f"/resolve {order.order_id} refund 0")
    assert reply.plain == f"✅ Order #{order.order_id} is settled; 0.00 USD refunded."
    assert await wallet.balance(shop.db, CUSTOMER) == 9_100_000
    assert (await lookups.order(shop.db, order.order_id)).held is None
    assert (await ops.say(f"/resolve {order.order_id} refund -1")).plain.startswith("Usage:")
