"""/export (issue #15): the customer's orders and ledger as CSV files, their rows and nobody else's."""

from __future__ import annotations

import csv
import io

import pytest

from bot.handlers import export
from tests.chat_menu.conftest import MENU_FEATURES, Chat, start_menu_bot


@pytest.fixture
async def shop(tmp_path):
    env = await start_menu_bot(tmp_path / "bot", features=[*MENU_FEATURES, export])
    yield env
    await env.stop()


def _rows(message) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(message.document["content"].decode("utf-8-sig"))))


async def test_the_csv_has_my_rows_and_nobody_elses(shop):
    alice, bob = Chat(shop, 42), Chat(shop, 43)
    await alice.fund("10")
    await bob.fund("20")
    mine = [await alice.place(quantity=1000, link="=HYPERLINK(\"https://evil\")"), await alice.place(quantity=2000)]
    await bob.place(quantity=3000)
    mark = len(shop.tg.calls)
    shop.tg.send_text(42, "/export")
    first = await shop.tg.wait_for("sendDocument", chat_id=42, since=mark)
    second = await shop.tg.wait_for("sendDocument", lambda c: c.index != first.index, chat_id=42, since=mark)
    assert first.message.document["file_name"] == "orders.csv" and "Your orders" in first.message.plain
    orders = _rows(first.message)
    assert [int(r["order_id"]) for r in orders] == mine
    assert orders[0]["price"] == "0.9" and orders[1]["quantity"] == "2000" and orders[0]["currency"] == "USD"
    assert orders[0]["link"].startswith("'=")  # a spreadsheet shows it, never runs it
    ledger = _rows(second.message)
    assert second.message.document["file_name"] == "ledger.csv"
    assert [(r["kind"], r["amount"]) for r in ledger] == [("credit", "10"), ("order_charge", "-0.9"),
                                                         ("order_charge", "-1.8")]
    assert not shop.tg.calls_of("sendDocument", chat_id=43)


async def test_a_customer_without_orders_gets_headers_only(shop):
    mark = len(shop.tg.calls)
    shop.tg.send_text(44, "/export")
    call = await shop.tg.wait_for("sendDocument", chat_id=44, since=mark)
    assert _rows(call.message) == []
