"""PanelHub: every configured panel behind one aiohttp.ClientSession, opened and closed once."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from types import TracebackType

import aiohttp

from bot.config import PanelConfig
from bot.panel.client import PanelClient
from bot.panel.demo import DemoPanel
from bot.panel.models import OrderType
from bot.panel.transport import PanelTransport, RetryPolicy

USER_AGENT = "smm-bot/0.1 (+aiohttp)"
MAX_REPORTED_WORDINGS = 1000


class PanelHub:
    """Every configured panel, one shared aiohttp.ClientSession (start at start-up, close at shutdown)."""

    def __init__(self, configs: Sequence[PanelConfig], *, retry_delays: Sequence[float] = (0.5, 2.0),
                 max_retry_after: float = 30.0) -> None:
        names = [c.name for c in configs]
        if len(names) != len(set(names)):
            raise ValueError("panel names must be unique")
        policy = RetryPolicy(delays=tuple(retry_delays), max_retry_after=max_retry_after)
        self._session: aiohttp.ClientSession | None = None
        # PANEL_URL=demo: the simulated panel runs in-process, reached over loopback like any panel
        self.demo = next((DemoPanel(c.key.get_secret_value(), c.demo_step_seconds) for c in configs if c.is_demo),
                         None)
        self._clients = {
            c.name: PanelClient(PanelTransport(c.name, self.demo.url if c.is_demo and self.demo else c.url, c.key,
                                               c.timeout_seconds, self._get_session, policy,
                                               method=c.method, aliases=c.aliases),
                                 {word: OrderType(name) for word, name in c.types.items()})
            for c in configs
        }

    def on_unknown_wording(self, report: Callable[[str, str], None]) -> None:
        """Call `report(panel, words)` the first time a panel refuses in words we cannot sort.

        Once per panel and wording for the life of the hub, so an operator sees each new wording
        once (with its raw text, to report it) and never a flood.
        """
        seen: set[tuple[str, str]] = set()

        def once(panel: str, words: str) -> None:
            if (panel, words) not in seen and len(seen) < MAX_REPORTED_WORDINGS:
                seen.add((panel, words))
                report(panel, words)

        for client in self._clients.values():
            client.transport.on_unknown_wording = once

    def __repr__(self) -> str:
        return f"PanelHub(panels={self.names!r}, started={self._session is not None})"

    def _get_session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            raise RuntimeError("PanelHub is not started (call `await hub.start()` first)")
        return self._session

    async def start(self) -> None:
        """Open the shared session (inside the running event loop), and start the demo panel if configured."""
        if self.demo is not None:
            await self.demo.start()
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=100, limit_per_host=20, ttl_dns_cache=300),
                headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
                raise_for_status=False,
            )

    async def close(self) -> None:
        """Close the shared session (and the demo panel); safe to call twice."""
        if self._session is not None:
            await self._session.close()
            self._session = None
        if self.demo is not None:
            await self.demo.stop()

    async def __aenter__(self) -> PanelHub:
        await self.start()
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        await self.close()

    def get(self, name: str) -> PanelClient:
        """The client of the panel called `name`; KeyError when no such panel is configured."""
        try:
            return self._clients[name]
        except KeyError:
            raise KeyError(f"no panel named {name!r}") from None

    @property
    def names(self) -> list[str]:
        """Configured panel names, in configuration order."""
        return list(self._clients)

    def __iter__(self) -> Iterator[PanelClient]:
        return iter(self._clients.values())

    def __len__(self) -> int:
        return len(self._clients)
