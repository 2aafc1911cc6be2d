"""PanelHub: several panels, one shared session, per-panel timeouts, start/close life cycle."""

from __future__ import annotations

import asyncio

import pytest

from bot.config import PanelConfig
from bot.panel import OutcomeUnknown, PanelHub, PanelUnavailable
from tests.fakes.panel_server import FakePanel
from tests.panel.sample_requests import REQUESTS


def _config(name: str, panel: FakePanel, timeout: float = 2.0) -> PanelConfig:
    return PanelConfig(name=name, url=panel.url, key=panel.key, timeout_seconds=timeout)


async def test_two_panels_one_session() -> None:
    async with FakePanel(dialect="server", key="key-a1") as a, FakePanel(dialect="proxy", key="key-b1") as b:
        async with PanelHub([_config("alpha", a), _config("beta", b)], retry_delays=(0.01,)) as hub:
            assert hub.names == ["alpha", "beta"] and [c.name for c in hub] == hub.names and len(hub) == 2
            alpha, beta = hub.get("alpha"), hub.get("beta")
            assert alpha.transport._session() is beta.transport._session()  # one shared ClientSession
            first, second = await asyncio.gather(alpha.add(REQUESTS[next(iter(REQUESTS))]), beta.balance())
            assert list(a.orders) == [first] and b.orders == {}
            assert second.amount == b.panel_balance
            assert all(s.panel == "beta" for s in await beta.services())
            assert a.requests["add"] == 1 and b.requests["balance"] == 1


async def test_timeouts_are_per_panel() -> None:
    async with FakePanel(key="key-one", hang_seconds=0.6) as slow, FakePanel(key="key-two", hang_seconds=0.6) as patient:
        configs = [_config("quick", slow, timeout=0.2), _config("patient", patient, timeout=3)]
        async with PanelHub(configs, retry_delays=()) as hub:
            slow.inject("balance", "hang")
            patient.inject("balance", "hang")
            with pytest.raises(PanelUnavailable, match="no answer within 0.2s"):
                await hub.get("quick").balance()
            assert (await hub.get("patient").balance()).amount > 0
            slow.inject("add", "hang")
            with pytest.raises(OutcomeUnknown):
                await hub.get("quick").add(REQUESTS[next(iter(REQUESTS))])


async def test_life_cycle() -> None:
    async with FakePanel() as panel:
        hub = PanelHub([_config("main", panel)])
        client = hub.get("main")
        with pytest.raises(RuntimeError, match="not started"):
            await client.balance()
        await hub.start()
        session = hub._session
        await hub.start()  # idempotent: still the one session
        assert hub._session is session
        assert (await client.balance()).currency == "USD"
        await hub.close()
        assert session.closed
        await hub.close()  # twice is fine
        with pytest.raises(RuntimeError, match="not started"):
            await client.balance()
        assert "started=False" in repr(hub)


def test_unknown_panel_and_duplicate_names() -> None:
    config = PanelConfig(name="main", url="http://127.0.0.1:1/api/v2", key="key-main")
    hub = PanelHub([config])
    with pytest.raises(KeyError, match="nowhere"):
        hub.get("nowhere")
    with pytest.raises(ValueError, match="unique"):
        PanelHub([config, config])
