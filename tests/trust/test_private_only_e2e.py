"""Customer features live in private chats: in any other group a customer command gets one line and a
button to the private chat, and nothing of the shop (menu, order flow, balance) shows there."""

from __future__ import annotations

import pytest

from tests.admin.conftest import CUSTOMER
from tests.admin.helpers import customer_starts, fund, quiet, snapshot
from tests.fakes.telegram_server import BOT_USER

PUBLIC_GROUP = -100777


@pytest.mark.parametrize("command", ["/order", "/orders", "/balance", "/start", "/help", "/topup", "/promo X",
                                     "/referrals", f"/order@{BOT_USER['username']}"])
async def test_a_customer_command_in_a_group_gets_one_line_and_a_way_to_the_private_chat(shop, command):
    await customer_starts(shop, CUSTOMER)
    await fund(shop, CUSTOMER, "50")
    before, mark = await snapshot(shop), len(shop.tg.calls)
    shop.tg.send_group_text(CUSTOMER, command, chat_id=PUBLIC_GROUP)
    await quiet(shop)
    sent = [c for c in shop.tg.calls[mark:] if c.chat_id == PUBLIC_GROUP and c.method.startswith("send")]
    assert len(sent) == 1 and sent[0].method == "sendMessage"
    text, buttons = sent[0].message.plain, shop.tg.buttons(sent[0].message)
    assert "private chat" in text and "50" not in text  # no balance, no menu, no order card in public
    assert len(buttons) == 1 and buttons[0][1] is None  # a URL button, not a callback into a group flow
    markup = sent[0].params["reply_markup"]
    assert f"t.me/{BOT_USER['username']}" in str(markup)
    assert await snapshot(shop) == before


async def test_plain_talk_in_a_group_is_left_alone(shop):
    mark = len(shop.tg.calls)
    shop.tg.send_group_text(CUSTOMER, "hello everyone", chat_id=PUBLIC_GROUP)
    await quiet(shop)
    assert [c for c in shop.tg.calls[mark:] if c.chat_id == PUBLIC_GROUP] == []


async def test_many_commands_in_a_group_get_one_line_per_minute(shop):
    mark = len(shop.tg.calls)
    for _ in range(5):
        shop.tg.send_group_text(CUSTOMER, "/order", chat_id=PUBLIC_GROUP)
    await quiet(shop)
    assert len([c for c in shop.tg.calls[mark:] if c.chat_id == PUBLIC_GROUP]) == 1
