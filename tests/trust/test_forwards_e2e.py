"""Authority comes from who, where and how: a forwarded or relayed message never runs an admin command."""

from __future__ import annotations

import pytest

from tests.admin.conftest import ADMIN, CUSTOMER
from tests.admin.helpers import Ops, customer_starts, quiet, snapshot


def _forward_origin(update: dict) -> None:
    update["message"]["forward_origin"] = {"type": "user", "date": update["message"]["date"] - 60,
                                           "sender_user": {"id": CUSTOMER, "is_bot": False, "first_name": "C"}}


def _automatic_forward(update: dict) -> None:
    _forward_origin(update)
    update["message"]["is_automatic_forward"] = True


def _via_bot(update: dict) -> None:
    update["message"]["via_bot"] = {"id": 777, "is_bot": True, "first_name": "Inline", "username": "inline_bot"}


@pytest.mark.parametrize("relay", [_forward_origin, _automatic_forward, _via_bot],
                         ids=["forwarded", "automatic-forward", "via-inline-bot"])
async def test_a_relayed_admin_command_changes_nothing(shop, relay):
    """An admin forwarding a customer's "/credit 42 100" into the group must not credit it."""
    await customer_starts(shop, CUSTOMER)
    before, mark = await snapshot(shop), len(shop.tg.calls)
    for text in ("/credit 42 100", "/ban 42", "/broadcast hello"):
        update = shop.tg.send_group_text(ADMIN, text)
        relay(update)  # the update object is queued by reference: change it before the bot reads it
    await quiet(shop, 0.4)
    assert await snapshot(shop) == before
    assert shop.tg.calls_of("sendMessage", since=mark, chat_id=CUSTOMER) == []


async def test_the_same_command_typed_by_the_admin_still_works(shop):
    await customer_starts(shop, CUSTOMER)
    reply = await Ops(shop, ADMIN).say("/credit 42 100")
    assert "Credited" in reply.plain
