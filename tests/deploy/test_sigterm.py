"""SIGTERM to `python -m bot` while a customer's order (and a status sync cycle) waits on a slow panel.

Within SHUTDOWN_GRACE_SECONDS the order is placed, the customer told, the sync cycle's answers
applied and the process exits 0; past it the order is interrupted, held as unknown for
reconciliation, and the process still exits 0 promptly. Either way nothing is half-written: the
ledger and the order agree.
"""

from __future__ import annotations

import asyncio
import time
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

from bot.config import PanelConfig
from bot.domain import catalogue, ordering, wallet
from bot.domain.order_results import Placed
from bot.money import to_minor
from bot.panel.hub import PanelHub
from bot.panel.models import OrderRequest
from bot.storage import orders
from bot.storage.db import Database
from bot.storage.orders import OUTCOME_UNKNOWN
from tests.chat_order.conftest import Customer
from tests.deploy.process import BotProcess, process_env


async def stock_shop(database_path: Path, panel, user_id: int, amount: str) -> None:
    """The catalogue fetched from the fake panel and funds credited, before the process starts."""
    db = await Database.open(database_path)
    try:
        async with PanelHub([PanelConfig(name="main", url=panel.url, key=panel.key)]) as hub:
            report = await catalogue.refresh_catalogue(db, hub)
            assert report.ok, report
        await wallet.credit(db, user_id, to_minor(Decimal(amount)), note="test funds")
    finally:
        await db.close()


async def seed_open_order(database_path: Path, panel, user_id: int) -> tuple[int, str]:
    """An order placed through the domain before the process starts; (our id, the panel's id)."""
    db = await Database.open(database_path)
    try:
        await wallet.credit(db, user_id, to_minor(Decimal("5")), note="test funds")
        async with PanelHub([PanelConfig(name="main", url=panel.url, key=panel.key)]) as hub:
            result = await ordering.place_order(
                db, hub, user_id=user_id, panel="main", client_token="seeded", default_markup=Decimal(0),
                request=OrderRequest(service="1", link="https://instagram.com/p/seeded", quantity=500))
        assert isinstance(result, Placed), result
        return result.order_id, result.panel_order_id
    finally:
        await db.close()


async def panel_received(panel, label: str, timeout: float = 10.0) -> float:  # noqa: ASYNC109
    """Wait until the fake panel has a `label` request; the monotonic time it was seen."""
    deadline = time.monotonic() + timeout
    while panel.requests[label] < 1:
        assert time.monotonic() < deadline, f"no {label} request"
        await asyncio.sleep(0.02)
    return time.monotonic()


async def reach_the_check(tg) -> Customer:
    """A customer goes from /order to the "Check your order" screen (Confirm not pressed yet)."""
    customer = Customer(SimpleNamespace(tg=tg), 42)  # type: ignore[arg-type]
    await customer.send("/order")
    for label in ("Instagram", "Instagram Followers", "Instagram Followers", "Order this"):
        await customer.press(label)
    await customer.send("https://instagram.com/p/graceful")
    await customer.send("1000")
    assert "Check your order" in (await customer.press("Skip")).plain
    return customer


async def confirm(customer: Customer, panel) -> None:
    """Press Confirm with the panel's `add` hanging; returns once the panel has the `add` request."""
    panel.inject("add", "hang")  # the panel takes the order, then answers after hang_seconds
    await customer.press("Confirm")
    await panel_received(panel, "add")


async def confirm_an_order(tg, panel) -> Customer:
    """A customer goes from /order to Confirm; returns once the panel has the `add` request."""
    customer = await reach_the_check(tg)
    await confirm(customer, panel)
    return customer


async def orders_and_balance(database_path: Path) -> tuple[list[orders.Order], int]:
    db = await Database.open(database_path)
    try:
        found = [o for status in ("pending", OUTCOME_UNKNOWN, "submitting")
                 for o in await orders.with_status(db.conn, status)]
        return found, await wallet.balance(db, 42)
    finally:
        await db.close()


async def test_sigterm_lets_the_order_in_flight_finish_and_exits_0(tmp_path: Path, tg, panel) -> None:
    database_path = tmp_path / "data" / "bot.db"
    await stock_shop(database_path, panel, 42, "5")
    panel.hang_seconds = 2.0
    env = process_env(tg, panel, database_path, SHUTDOWN_GRACE_SECONDS="10")
    async with BotProcess(tmp_path, env) as bot:
        await bot.wait_for_line("receiving updates by long polling")
        customer = await confirm_an_order(tg, panel)
        terminating = asyncio.create_task(bot.terminate())
        await bot.wait_for_line("Application is stopping")  # polling has stopped by now
        late = tg.send_text(77, "/order")
        elapsed, code = await terminating
    assert code == 0, bot.log[-3000:]
    assert 1.0 < elapsed < 10, elapsed  # waited for the panel (2 s), well within the grace
    placed = await customer.wait_screen("is placed", timeout=1)
    assert "0.90 USD" in placed.plain
    [order] = panel.orders.values()
    assert (order.link, order.quantity) == ("https://instagram.com/p/graceful", 1000)
    [stored], balance = await orders_and_balance(database_path)
    assert stored.status == "pending" and stored.panel_order_id == str(order.id)
    assert balance == to_minor(Decimal("4.10"))
    assert tg.messages_to(77) == [] and tg._confirmed_offset <= late["update_id"]  # left for the next start
    bot.assert_clean_log(tg.token, tg.token.split(":")[1], panel.key)
    assert "interrupting" not in bot.log and " INFO bot.app: stopped" in bot.log


async def test_sigterm_lets_a_sync_cycle_and_an_order_in_flight_both_finish(tmp_path: Path, tg, panel) -> None:
    database_path = tmp_path / "data" / "bot.db"
    await stock_shop(database_path, panel, 42, "5")
    seeded, seeded_panel_id = await seed_open_order(database_path, panel, 7)
    panel.complete(seeded_panel_id)  # what the first status cycle will be told
    panel.hang_seconds = 3.0  # both the status answer and the add answer
    panel.inject("status_multi", "hang")
    env = process_env(tg, panel, database_path, SHUTDOWN_GRACE_SECONDS="10", STATUS_POLL_SECONDS="5")
    async with BotProcess(tmp_path, env) as bot:
        await bot.wait_for_line("receiving updates by long polling")
        customer = await reach_the_check(tg)
        asked = await panel_received(panel, "status_multi")  # the first cycle, STATUS_POLL_SECONDS in
        await confirm(customer, panel)
        assert time.monotonic() - asked < panel.hang_seconds - 1, "the status answer is no longer in flight"
        elapsed, code = await bot.terminate()
    assert code == 0, bot.log[-3000:]
    assert 1.0 < elapsed < 10 + 3, elapsed  # waited for the hanging answers, within the grace + a margin
    assert "interrupting" not in bot.log and " INFO bot.app: stopped" in bot.log
    assert "status sync: 1 request(s), 1 change(s)" in bot.log
    await customer.wait_screen("is placed", timeout=1)
    placed = next(o for o in panel.orders.values() if o.link == "https://instagram.com/p/graceful")
    db = await Database.open(database_path)
    try:
        [stored] = await orders.with_status(db.conn, "pending")
        assert stored.user_id == 42 and stored.panel_order_id == str(placed.id)
        assert (await orders.get(db.conn, seeded)).status == "completed"  # the cycle's answer was applied
    finally:
        await db.close()
    bot.assert_clean_log(tg.token, tg.token.split(":")[1], panel.key)


async def test_past_the_grace_the_order_is_held_as_unknown_and_the_exit_is_prompt(tmp_path: Path, tg, panel) -> None:
    database_path = tmp_path / "data" / "bot.db"
    await stock_shop(database_path, panel, 42, "5")
    panel.hang_seconds = 60.0
    env = process_env(tg, panel, database_path, SHUTDOWN_GRACE_SECONDS="1")
    async with BotProcess(tmp_path, env) as bot:
        await bot.wait_for_line("receiving updates by long polling")
        customer = await confirm_an_order(tg, panel)
        elapsed, code = await bot.terminate()
    assert code == 0, bot.log[-3000:]
    assert elapsed < 6, elapsed  # 1 s grace + clean-up, not the panel's 60 s
    assert "is placed" not in customer.tg.last_message(42).plain
    [stored], balance = await orders_and_balance(database_path)
    # the panel did take it: an admin links or refunds it; the charge stays held meanwhile
    assert stored.status == OUTCOME_UNKNOWN and stored.panel_order_id is None
    assert balance == to_minor(Decimal("4.10"))
    bot.assert_clean_log(tg.token, tg.token.split(":")[1], panel.key)
    assert "after the 1s grace: interrupting" in bot.log and " INFO bot.app: stopped" in bot.log
    assert "never awaited" not in bot.log
