"""Fixtures of the sync tests: a second fake panel beside the shared `panel` in `hub`, a recording notifier."""

from __future__ import annotations

import pytest

from bot.domain.sync import StatusSync
from tests import dbs
from tests.conftest import hub_for
from tests.fakes.panel_server import FakePanel
from tests.sync.support import RecordingNotifier

# the `db` fixture (and its target) over both databases: SQLite and PostgreSQL (tests/dbs.py)
db, db_target = dbs.db, dbs.db_target

MISS_ALERT = 3


@pytest.fixture
async def second():
    async with FakePanel(dialect="server", key="second-key-0123456789") as fake:
        yield fake


@pytest.fixture
async def hub(panel, second):
    async with hub_for(panel, second) as panels:
        yield panels


@pytest.fixture
def notifier() -> RecordingNotifier:
    return RecordingNotifier()


@pytest.fixture
def sync() -> StatusSync:
    return StatusSync(concurrency=2, miss_alert=MISS_ALERT, poll_seconds=60)
