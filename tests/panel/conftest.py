"""Fixtures: a FakePanel per dialect over real HTTP, and hubs/clients pointed at it."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AsyncExitStack

import pytest

from bot.config import PanelConfig
from bot.panel import PanelClient, PanelHub
from tests.fakes.panel_dialects import DIALECTS
from tests.fakes.panel_server import FakePanel

FAST_DELAYS = (0.01, 0.02)  # two retries, tiny waits: the policy is the same, the suite stays fast
Connect = Callable[..., Awaitable[PanelClient]]


@pytest.fixture(params=DIALECTS)
async def panel(request: pytest.FixtureRequest) -> AsyncIterator[FakePanel]:
    """A running fake panel, once per documented dialect."""
    async with FakePanel(dialect=request.param) as fake:
        yield fake


@pytest.fixture
async def connect() -> AsyncIterator[Connect]:
    """connect(url_or_panel, key=..., timeout_seconds=..., delays=...) -> a client on a started hub."""
    async with AsyncExitStack() as stack:
        async def _connect(target: FakePanel | str, *, key: str | None = None, timeout_seconds: float = 2.0,
                           delays: Sequence[float] = FAST_DELAYS, max_retry_after: float = 0.5,
                           name: str = "main") -> PanelClient:
            url = target if isinstance(target, str) else target.url
            secret = key if key is not None else (target.key if isinstance(target, FakePanel) else "k-e-y")
            hub = PanelHub([PanelConfig(name=name, url=url, key=secret, timeout_seconds=timeout_seconds)],
                           retry_delays=delays, max_retry_after=max_retry_after)
            await stack.enter_async_context(hub)
            return hub.get(name)

        yield _connect


@pytest.fixture
async def client(panel: FakePanel, connect: Connect) -> PanelClient:
    """A client of `panel` (every dialect)."""
    return await connect(panel)


@pytest.fixture
def dead_url() -> str:
    """An API url on a port where nothing listens (connection refused)."""
    return f"http://127.0.0.1:{free_port()}/api/v2"


def free_port() -> int:
    """A port that was free a moment ago (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
