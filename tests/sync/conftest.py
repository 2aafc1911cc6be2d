"""Fixtures of the sync tests: a fresh database, two fake panels behind one PanelHub, a recording notifier."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from bot.config import PanelConfig
from bot.domain.sync import StatusSync
from bot.panel.hub import PanelHub
from bot.storage.db import Database
from tests.fakes.panel_server import FakePanel
from tests.sync.support import RecordingNotifier

MISS_ALERT = 3


def hub_for(panels: dict[str, FakePanel], timeout: float = 2.0) -> PanelHub:
    """A PanelHub over fake panels, with tiny retry delays so outages stay fast."""
    configs = [PanelConfig(name=name, url=p.url, key=SecretStr(p.key), timeout_seconds=timeout)
               for name, p in panels.items()]
    return PanelHub(configs, retry_delays=(0.01,))


@pytest.fixture
async def db(tmp_path):
    database = await Database.open(tmp_path / "bot.db")
    yield database
    await database.close()


@pytest.fixture
async def panel():
    async with FakePanel(dialect="folgen", key="main-key-0123456789") as fake:
        yield fake


@pytest.fixture
async def second():
    async with FakePanel(dialect="server", key="second-key-0123456789") as fake:
        yield fake


@pytest.fixture
async def hub(panel, second):
    async with hub_for({"main": panel, "second": second}) as panels:
        yield panels


@pytest.fixture
def notifier() -> RecordingNotifier:
    return RecordingNotifier()


@pytest.fixture
def sync() -> StatusSync:
    return StatusSync(concurrency=2, miss_alert=MISS_ALERT, poll_seconds=60)
