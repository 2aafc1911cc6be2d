"""A pre-checkout is answered at once even while another customer's button waits on a hanging panel."""

from __future__ import annotations

import time
from decimal import Decimal

from bot.domain import ordering, wallet
from bot.domain.order_results import Placed
from bot.handlers import balance, my_orders, order_flow, start, topup
from bot.money import to_minor
from bot.panel.models import OrderRequest
from bot.render.order_list_views import action_data
from tests.payments.conftest import ALICE, BOB


async def test_pre_checkout_does_not_wait_for_a_slow_panel(make_bot) -> None:
    env = await make_bot(features=[start, topup, order_flow, my_orders, balance])
    await env.load_catalogue()
    await wallet.credit(env.db, BOB, to_minor(Decimal(10)), note="test funds")
    placed = await ordering.place_order(
        env.db, env.runtime.panels, user_id=BOB, panel="main", client_token="t-1", default_markup=Decimal(0),
        request=OrderRequest(service="1", link="https://instagram.com/p/x", quantity=1000))
    assert isinstance(placed, Placed)
    env.tg.send_text(ALICE, "/topup 5")
    invoice = await env.tg.wait_for("sendInvoice", lambda c: c.ok, chat_id=ALICE)
    env.tg.send_text(BOB, "/orders")
    orders_message = await env.tg.next_message(BOB)

    env.panel.hang_seconds = 3.0
    env.panel.inject("status", "hang")  # Bob's Refresh now waits on the panel for seconds
    pressed = len(env.tg.calls)
    env.tg.press(BOB, orders_message, action_data("refresh", placed.order_id, 0))
    await env.tg.wait_for("answerCallbackQuery")
    started = time.monotonic()
    env.tg.pre_checkout(ALICE, invoice.params["payload"], invoice.params["prices"][0]["amount"])
    answer = await env.tg.wait_for("answerPreCheckoutQuery", timeout=env.panel.hang_seconds)
    assert answer.params["ok"] is True
    assert answer.at - started < 1.5 < env.panel.hang_seconds
    assert env.tg.calls_of("editMessageText", chat_id=BOB, since=pressed) == []  # Bob's Refresh still waits
    await env.tg.wait_for("editMessageText", chat_id=BOB, since=pressed, timeout=env.panel.hang_seconds + 5)
