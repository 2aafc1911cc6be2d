"""A slow panel delays nobody else: with the real bot (every FEATURE), a second customer's /start is
answered while the first customer's `add` still hangs on the panel, and the first order is then placed."""

from __future__ import annotations

import time
from pathlib import Path

from tests.chat_menu.conftest import Chat, start_menu_bot
from tests.sync.support import until

ADD_HANGS_SECONDS = 3.0
START_ANSWER_SECONDS = 1.0


async def test_a_second_customers_start_is_answered_while_the_first_customers_add_hangs(tmp_path: Path) -> None:
    env = await start_menu_bot(tmp_path, features=None)  # None: bot.app.FEATURES, so /start is the real one
    try:
        alice, bob = Chat(env, 42), Chat(env, 43)
        await alice.fund("5")
        screen = await alice.send("/order")
        for label in ("Instagram", "Instagram Followers", "Instagram Followers", "Order this"):
            screen = await alice.press(screen, label)
        await alice.send("https://instagram.com/p/busy")
        check = await alice.press(await alice.send("1000"), "Skip")
        assert "Check your order" in check.plain
        env.panel.hang_seconds = ADD_HANGS_SECONDS
        env.panel.inject("add", "hang")  # the panel takes the order, then answers after ADD_HANGS_SECONDS
        mark = len(env.tg.calls)
        await alice.press(check, "Confirm")
        await until(lambda: env.panel.requests["add"] == 1)
        asked = time.monotonic()

        welcome = await bob.send("/start")
        waited = time.monotonic() - asked
        assert welcome.plain.startswith("Hi,") and "New order" in " ".join(bob.labels(welcome)), welcome.plain
        assert waited < START_ANSWER_SECONDS, waited
        rows = await env.db.fetchall("SELECT status FROM orders WHERE user_id = ?", (42,))
        assert [r["status"] for r in rows] == ["submitting"]  # the add was still hanging then

        placed = await env.tg.wait_for(("sendMessage", "editMessageText"),
                                       lambda c: c.ok and c.message is not None and "is placed" in c.message.plain,
                                       chat_id=42, since=mark, timeout=ADD_HANGS_SECONDS + 5)
        assert time.monotonic() - asked > ADD_HANGS_SECONDS - 0.5  # it did wait on the panel
        [panel_order] = env.panel.orders.values()
        assert panel_order.link == "https://instagram.com/p/busy"
        [stored] = await env.db.fetchall("SELECT status, panel_order_id FROM orders WHERE user_id = ?", (42,))
        assert (stored["status"], stored["panel_order_id"]) == ("pending", str(panel_order.id)), placed.message.plain
    finally:
        await env.stop()
