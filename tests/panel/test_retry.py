"""Retry policy: reads retry transient failures; writes are never repeated once they may have left."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.panel import (
    OrderRequest,
    OutcomeUnknown,
    PanelRateLimited,
    PanelRefused,
    PanelUnavailable,
    RefusalKind,
)
from tests.fakes.panel_server import FakePanel
from tests.panel.conftest import free_port

REQUEST = OrderRequest(service="1", link="https://example.com/p/1", quantity=100)
# every way an answer can be lost or unreadable after the request left
TRANSIENT = ["html502", "html503", "html200", "empty", "invalid_json", "drop", "http500"]
# for a write, a 5xx stays unknown even with a JSON error: the server may have failed after writing
LOST_ANSWERS = TRANSIENT + ["http500_json_error"]


async def test_status_of_250_orders_is_sent_as_3_requests(panel: FakePanel, client) -> None:
    ids = [panel.seed_order() for _ in range(250)]
    states = await client.statuses(ids)
    assert list(states) == ids and all(states[i].order_id == i for i in ids)
    assert panel.requests["status_multi"] == 3
    assert panel.ids_per_request == [100, 100, 50]


async def test_batches_run_concurrently_when_asked(panel: FakePanel, client) -> None:
    ids = [panel.seed_order() for _ in range(201)] + ["404404"]
    states = await client.statuses(ids, concurrency=3)
    assert panel.requests["status_multi"] == 3 and sorted(panel.ids_per_request) == [2, 100, 100]
    assert states["404404"].message == "Incorrect order ID"


async def test_many_refills_and_cancels_are_split_too(panel: FakePanel, client) -> None:
    done = [panel.seed_order("1", status="Completed") for _ in range(130)]
    refills = await client.refills(done)
    assert panel.ids_per_request == [100, 30] and len(set(refills.values())) == 130
    states = await client.refill_statuses(list(refills.values()))
    assert len(states) == 130 and panel.requests["refill_status_multi"] == 2


async def test_a_failed_batch_becomes_entry_errors_and_the_rest_is_kept(panel: FakePanel, client) -> None:
    ids = [panel.seed_order() for _ in range(150)]
    panel.inject("status_multi", "html502", times=3)  # the first batch fails on every attempt
    states = await client.statuses(ids)
    assert all(states[i].message.startswith("status: HTTP 502") for i in ids[:100])
    assert all(states[i].status == "pending" for i in ids[100:])


async def test_every_batch_failing_raises(panel: FakePanel, client) -> None:
    panel.inject("status_multi", "html502", times=10)
    with pytest.raises(PanelUnavailable):
        await client.statuses([panel.seed_order() for _ in range(120)])


@pytest.mark.parametrize("fault", TRANSIENT + ["rate_limit", "hang"])
async def test_reads_retry_transient_failures(connect, fault: str) -> None:
    async with FakePanel(hang_seconds=2) as panel:
        client = await connect(panel, timeout_seconds=0.3)
        panel.inject("services", fault)
        panel.inject("balance", fault)
        assert len(await client.services()) == len(panel.services)
        assert (await client.balance()).amount > 0
        assert panel.requests["services"] == 2 and panel.requests["balance"] == 2


async def test_reads_give_up_after_the_bounded_retries(connect) -> None:
    async with FakePanel() as panel:
        client = await connect(panel, delays=(0.01, 0.01, 0.01))
        panel.inject("status", "html502", times=10)
        with pytest.raises(PanelUnavailable) as caught:
            await client.status(panel.seed_order())
        assert panel.requests["status"] == 4
        assert "HTML page" in caught.value.message and not isinstance(caught.value, OutcomeUnknown)


async def test_rate_limit_is_backed_off_then_reported(connect) -> None:
    async with FakePanel() as panel:
        client = await connect(panel, delays=(0.01,), max_retry_after=0.25)
        panel.inject("balance", "rate_limit", retry_after="0.2")
        started = time.monotonic()
        await client.balance()
        assert time.monotonic() - started >= 0.2  # the panel's Retry-After, not our 0.01
        panel.inject("balance", "rate_limit", times=2, retry_after="3600")
        started = time.monotonic()
        with pytest.raises(PanelRateLimited):
            await client.balance()
        assert time.monotonic() - started < 1.5  # capped by max_retry_after


async def test_add_is_not_repeated_after_a_timeout(connect) -> None:
    async with FakePanel(hang_seconds=3) as panel:
        client = await connect(panel, timeout_seconds=0.3)
        panel.inject("add", "hang")
        with pytest.raises(OutcomeUnknown) as caught:
            await client.add(REQUEST)
        assert "no answer within 0.3s" in caught.value.message
        assert panel.requests["add"] == 1
        assert len(panel.orders) == 1  # the panel did place it: only reconciliation can tell


@pytest.mark.parametrize("fault", LOST_ANSWERS)
@pytest.mark.parametrize("action", ["add", "refill", "cancel"])
async def test_writes_are_not_repeated_when_the_answer_is_lost(connect, action: str, fault: str) -> None:
    async with FakePanel() as panel:
        client = await connect(panel)
        order_id = panel.seed_order("1", status="Completed" if action == "refill" else "Pending")
        panel.inject(action, fault)
        call = {"add": lambda: client.add(REQUEST), "refill": lambda: client.refill(order_id),
                "cancel": lambda: client.cancel(order_id)}[action]
        with pytest.raises(OutcomeUnknown):
            await call()
        assert panel.requests[action] + panel.requests[f"{action}_multi"] == 1


async def test_add_refusals_and_rate_limits_are_not_retried(panel: FakePanel, client) -> None:
    for fault, error in (("error", PanelRefused), ("status_error", PanelRefused),
                         ("http400_json_error", PanelRefused), ("rate_limit", PanelRateLimited)):
        panel.requests.clear()
        panel.inject("add", fault)
        with pytest.raises(error):
            await client.add(REQUEST)
        assert panel.requests["add"] == 1, fault
    assert panel.orders == {}  # each of these answered before the panel acted


async def test_add_is_retried_while_the_connection_is_refused_then_unavailable(connect, dead_url, caplog) -> None:
    client = await connect(dead_url, delays=(0.01, 0.01))
    with caplog.at_level("WARNING", logger="bot.panel"):
        with pytest.raises(PanelUnavailable) as caught:
            await client.add(REQUEST)
    assert not isinstance(caught.value, OutcomeUnknown)
    assert "nothing was sent" in caught.value.message
    assert len([r for r in caplog.records if "not sent" in r.getMessage()]) == 2  # two retries


async def test_add_retried_after_refused_connection_reaches_the_panel_once(connect) -> None:
    port = free_port()
    panel = FakePanel(port=port)
    client = await connect(f"http://127.0.0.1:{port}/api/v2", key=panel.key, delays=(0.3, 0.3))

    async def come_up_late() -> None:
        await asyncio.sleep(0.1)
        await panel.start()

    starter = asyncio.create_task(come_up_late())
    try:
        order_id = await client.add(REQUEST)
        assert list(panel.orders) == [order_id] and panel.requests["add"] == 1
    finally:
        await starter
        await panel.stop()


async def test_refusal_with_an_http_error_code_is_a_refusal(panel: FakePanel, client) -> None:
    panel.script("status", '{"error": "Incorrect order ID"}', status=404)
    with pytest.raises(PanelRefused) as caught:
        await client.status("1")
    assert caught.value.kind is RefusalKind.NOT_FOUND
    panel.script("balance", '{"status": "fail", "message": "  API key   disabled "}', status=403)
    with pytest.raises(PanelRefused) as caught:
        await client.balance()
    assert (caught.value.kind, caught.value.message) == (RefusalKind.INVALID_KEY, "API key disabled")


async def test_a_read_with_a_5xx_json_error_is_the_panels_refusal(panel: FakePanel, client) -> None:
    panel.inject("balance", "http500_json_error", message="Service temporarily unavailable")
    with pytest.raises(PanelRefused) as caught:
        await client.balance()
    assert caught.value.message == "Service temporarily unavailable"
    assert panel.requests["balance"] == 1
