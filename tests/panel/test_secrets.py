"""The API key never shows in an error, a repr, a traceback, a log line or the URL, in any failure mode."""

from __future__ import annotations

import logging
import traceback

import pytest

from bot.config import PanelConfig
from bot.panel import OrderRequest, OrderType, PanelError, PanelHub
from tests.fakes.panel_server import FakePanel

SECRET = "SeCrEt-9f2c1e7a44b0d3"
REQUEST = OrderRequest(service="1", link="https://example.com/p/1", quantity=100)
FAULTS = ["html502", "html503", "html200", "empty", "invalid_json", "drop", "http500", "http500_json_error",
          "http400_json_error", "error", "status_error", "rate_limit", "hang"]


def assert_no_secret(exc: BaseException, caplog: pytest.LogCaptureFixture) -> None:
    seen = [str(exc), repr(exc), repr(exc.args), repr(vars(exc)),
            "".join(traceback.format_exception(exc)), caplog.text]
    seen += [repr(r.args) + str(r.exc_info) for r in caplog.records]
    for text in seen:
        assert SECRET not in text


async def _fail(client, action: str) -> PanelError:
    calls = {"add": lambda: client.add(REQUEST), "status": lambda: client.status("10001"),
             "statuses": lambda: client.statuses(["10001", "10002"]), "cancel": lambda: client.cancel("10001")}
    with pytest.raises(PanelError) as caught:
        await calls[action]()
    return caught.value


@pytest.mark.parametrize("action", ["add", "status", "statuses", "cancel"])
@pytest.mark.parametrize("fault", FAULTS)
async def test_no_key_in_any_fault(connect, caplog, fault: str, action: str) -> None:
    caplog.set_level(logging.DEBUG)
    async with FakePanel(key=SECRET, hang_seconds=2) as panel:
        client = await connect(panel, timeout_seconds=0.2, delays=(0.01,), max_retry_after=0.01)
        panel.seed_order(status="Pending")
        panel.inject("*", fault, times=5)
        exc = await _fail(client, action)
        assert_no_secret(exc, caplog)
        assert all(call.query == "" and call.key_ok for call in panel.calls)  # in the body, never the URL


@pytest.mark.parametrize("action", ["add", "status"])
async def test_no_key_when_refused_or_unreachable(connect, dead_url, caplog, action: str) -> None:
    caplog.set_level(logging.DEBUG)
    async with FakePanel(key="another-key") as panel:  # our key is wrong: still a secret
        assert_no_secret(await _fail(await connect(panel, key=SECRET), action), caplog)
        panel.script("*", f'{{"error": "Invalid API key: {SECRET}"}}')  # a panel quoting the key back
        echoed = await _fail(await connect(panel, key=SECRET), action)
        assert_no_secret(echoed, caplog)
        assert echoed.message == "Invalid API key: ***"
    assert_no_secret(await _fail(await connect(dead_url, key=SECRET), action), caplog)


async def test_no_key_in_validation_errors_or_reprs(connect, caplog) -> None:
    async with FakePanel(key=SECRET) as panel:
        client = await connect(panel)
        exc = await _fail_invalid(client)
        assert_no_secret(exc, caplog)
        hub = PanelHub([PanelConfig(name="p", url=panel.url, key=SECRET)])
        for thing in (hub, client, client.transport, vars(client), vars(client.transport)):
            assert SECRET not in repr(thing)


async def _fail_invalid(client) -> PanelError:
    with pytest.raises(PanelError) as caught:
        await client.add(OrderRequest(service="1", type=OrderType.POLL, link="x", quantity=5))
    return caught.value
