"""Refresh has a per-order cooldown and concurrent presses share one panel request."""

from __future__ import annotations

import asyncio

from bot.domain.order_refresh import RefreshGate, RefreshOutcome, RefreshResult


def _status_requests(panel) -> int:
    return sum(1 for call in panel.calls if call.form.get("action") == "status")


async def test_forty_presses_on_one_order_are_a_few_panel_requests(bot, alice):
    await alice.fund("1")
    order_id = await alice.place(quantity=100)
    listing = await alice.send("/orders")
    card = await alice.press(listing, f"#{order_id} ")
    data = alice.data_of(card, "Refresh")
    before = _status_requests(bot.panel)
    for _ in range(40):
        bot.tg.press(alice.user_id, card, data)
    await bot.tg.settle(quiet=0.5)
    assert _status_requests(bot.panel) - before <= 2  # (the flood guard lets 20 of the 40 through)


async def test_the_gate_shares_one_request_and_rests_for_the_cooldown():
    now = [100.0]
    gate = RefreshGate(cooldown=10, clock=lambda: now[0])
    asked = 0
    release = asyncio.Event()

    async def ask() -> RefreshResult:
        nonlocal asked
        asked += 1
        await release.wait()
        return RefreshResult(RefreshOutcome.UPDATED, refund=5)

    presses = [asyncio.ensure_future(gate.run(7, ask)) for _ in range(40)]
    await asyncio.sleep(0)
    release.set()
    results = await asyncio.gather(*presses)
    assert asked == 1 and set(results) == {RefreshResult(RefreshOutcome.UPDATED, refund=5)}
    now[0] += 9
    assert await gate.run(7, ask) == RefreshResult(RefreshOutcome.NO_NEWS) and asked == 1
    assert (await gate.run(8, ask)).outcome is RefreshOutcome.UPDATED and asked == 2  # other orders are not held
    now[0] += 2
    assert (await gate.run(7, ask)).outcome is RefreshOutcome.UPDATED and asked == 3


async def test_a_failed_request_is_shared_too_and_does_not_raise_for_the_others():
    gate = RefreshGate(cooldown=0)

    async def ask() -> RefreshResult:
        await asyncio.sleep(0.01)
        return RefreshResult(RefreshOutcome.FAILED)

    results = await asyncio.gather(*(gate.run(1, ask) for _ in range(5)))
    assert {r.outcome for r in results} == {RefreshOutcome.FAILED}
