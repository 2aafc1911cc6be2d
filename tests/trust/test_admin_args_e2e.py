"""Admin arguments: ASCII digits only, amounts in range, and an @username two customers held is never guessed."""

from __future__ import annotations

import pytest

from bot.money import parse_amount
from bot.numbers import parse_whole
from tests.admin.conftest import ADMIN, CUSTOMER
from tests.admin.helpers import Ops, customer_starts, quiet, snapshot
from tests.e2e.harness import ADMIN_CHAT_ID


@pytest.mark.parametrize("command", ["/user ²", "/credit ² 1", "/credit 42 ²", "/order ²", "/refund ٣",
                                     "/audit ²", "/ban ²", "/credit 42 99999999999999999999999",
                                     "/user 99999999999999999999999", "/order 99999999999999999999"])
async def test_odd_numbers_get_an_answer_and_change_nothing(shop, command):
    await customer_starts(shop, CUSTOMER)
    before, mark = await snapshot(shop), len(shop.tg.calls)
    reply = await Ops(shop, ADMIN).say(command)
    assert reply.plain.removeprefix("⛔ ").startswith(("Usage:", "No customer", "No order")), reply.plain
    await quiet(shop)
    after = await snapshot(shop)
    after["audit"] = after["audit"][:len(before["audit"])]  # the refused attempt itself is audited
    assert after == before
    errors = [c for c in shop.tg.calls[mark:] if c.chat_id == ADMIN_CHAT_ID and c.text and "Traceback" in c.text]
    assert errors == []


def test_whole_numbers_are_ascii_digits_only():
    assert parse_whole("42") == 42 and parse_whole(" 7 ") == 7
    for text in ("²", "٣", "4²", "-1", "+1", "1e3", "", "1" * 19):
        assert parse_whole(text) is None
    assert parse_whole("-1", signed=True) == -1


@pytest.mark.parametrize("text", ["²", "1²", "٣", "9" * 30])
def test_typed_amounts_refuse_other_digits_and_huge_values(text):
    with pytest.raises(ValueError):
        parse_amount(text)


async def test_a_username_two_customers_held_is_refused_with_their_ids(shop):
    # 42 was @bob, then renamed; 43 is @bob now and 42 has not written since: both rows say bob
    await customer_starts(shop, 42, username="bob")
    await customer_starts(shop, 43, username="bob")
    before = await snapshot(shop)
    ops = Ops(shop, ADMIN)
    reply = await ops.say("/credit @bob 10")
    assert "42" in reply.plain and "43" in reply.plain and "Credited" not in reply.plain
    reply = await ops.say("/user @Bob")
    assert "42" in reply.plain and "43" in reply.plain
    after = await snapshot(shop)
    assert after["ledger"] == before["ledger"]
    # by id it works
    assert "Credited" in (await ops.say("/credit 43 10")).plain


async def test_a_username_one_customer_holds_still_works(shop):
    await customer_starts(shop, 42, username="alice")
    assert "Credited" in (await Ops(shop, ADMIN).say("/credit @alice 10")).plain
