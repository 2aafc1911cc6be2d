"""Mass order rules (bot/domain/mass_order.py) against the fake panel: reading lines, placing each once."""

from __future__ import annotations

import asyncio
import itertools
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.domain import mass_order, wallet
from bot.domain.order_results import Placed, Unknown
from bot.storage import ledger
from bot.storage.ledger import LedgerKind

PANELS = ["main"]
_users = itertools.count(1000)


async def test_separators_and_reasons(shop):
    text = ("1 | https://instagram.com/p/a | 100\n1,https://instagram.com/p/b,100\n  1   https://x.io/c 100  \n\n"
            "1 | not-a-link | 100\n1 | https://instagram.com/p/a\n1 | https://instagram.com/p/a | ten\n"
            "3 | https://instagram.com/p/a | 100\n1 | https://instagram.com/p/a | 1")
    preview = await mass_order.preview(shop, PANELS, 5, text, Decimal(0))
    assert [(line.number, line.problem) for line in preview.lines] == [
        (1, None), (2, None), (3, None), (5, "bad_link"), (6, "format"), (7, "quantity"), (8, "not_simple"),
        (9, "bounds")]
    assert preview.total == 3 * 90_000 and preview.balance == 0 and preview.balance_after == -270_000


def test_more_than_100_lines_is_refused():
    with pytest.raises(mass_order.TooManyLines):
        mass_order.split_lines("\n".join(["1 a 1"] * 101))
    assert len(mass_order.split_lines("\n".join(["1 a 1"] * 100))) == 100


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(quantities=st.lists(st.integers(min_value=1, max_value=20_000), min_size=1, max_size=6),
       confirms=st.integers(min_value=1, max_value=3))
async def test_each_line_is_charged_once_at_its_previewed_price(shop, hub, quantities, confirms):
    user = next(_users)  # a fresh customer per example (the database lives for the whole test)
    await wallet.credit(shop, user, 10**12)
    text = "\n".join(f"1 | https://instagram.com/p/{i} | {q}" for i, q in enumerate(quantities))
    preview = await mass_order.preview(shop, PANELS, user, text, Decimal(0))
    lines = mass_order.kept(preview)
    batch = f"b{user}"
    runs = await asyncio.gather(*(mass_order.place_all(shop, hub, user_id=user, batch=batch, lines=lines,
                                                       default_markup=Decimal(0)) for _ in range(confirms)))
    charges = [-e.amount for e in await ledger.history(shop.conn, user, limit=1000)
               if e.kind == LedgerKind.ORDER_CHARGE]
    assert sorted(charges) == sorted(line.offer.quote.price for line in preview.valid)
    for results in runs:  # a Confirm racing another sees its lines placed, or still being placed (repeated)
        assert all(isinstance(r, Placed) or (isinstance(r, Unknown) and r.repeated) for _, r in results)
        assert [n for n, _ in results] == [line.number for line in preview.valid]
    rows = await shop.fetchall("SELECT client_token FROM orders WHERE user_id = ?", (user,))
    assert sorted(r[0] for r in rows) == sorted(f"{batch}:{line.number}" for line in preview.valid)
