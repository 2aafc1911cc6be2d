"""A stateful fake SMM panel (API v2) on 127.0.0.1, speaking any of the five documented dialects.

    async with FakePanel(dialect="server") as panel:      # panel.url -> http://127.0.0.1:PORT/api/v2
        panel.set_status(order_id, "Completed", remains=0)
        panel.inject("add", "hang")                       # next `add` is processed, then the answer hangs
        panel.script("status", '{"status": "Weird"}')     # next `status` answers exactly this body

Faults ("html502", "html503", "html200", "empty", "invalid_json", "hang", "drop", "http500",
"http500_json_error", "http400_json_error", "error", "status_error", "rate_limit") hit the
first matching request: `action` may be a label ("status_multi"), an action ("status", both
kinds) or "*". Refusal-like faults (error, status_error, http400_json_error, rate_limit) answer
before the panel acts; the others after it acted, so a lost `add` answer leaves a real order
behind, which is the case reconciliation must handle. Several instances can run at once.

How the web server in front takes requests (issue 19's wild panels): `accepts="get"` answers
405 to a POST and reads a GET's query, `accepts="json"` answers 415 to a form and reads a JSON
body; `moved_to="/api/v2/"` answers 301 at /api/v2 and serves the API at that path. Requests the
web server refuses or redirects are not `calls` (the panel's application never saw them) but
`turned_away` ("405 POST /api/v2", "301 POST /api/v2").
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from aiohttp import web

from tests.fakes import panel_dialects as dialects
from tests.fakes.panel_book import FakeOrder, FakeRefill, PanelBook
from tests.fakes.panel_catalogue import DEFAULT_SERVICES, Refusal

__all__ = ["DEFAULT_SERVICES", "FakeCall", "FakeOrder", "FakePanel", "FakeRefill"]
_BEFORE = frozenset({"error", "status_error", "http400_json_error", "rate_limit", "raw"})
_HTML_502 = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1>" \
            "</center><hr><center>nginx</center></body></html>"
_HTML_503 = "<!DOCTYPE html><html><body><h1>We'll be back soon!</h1><p>Maintenance.</p></body></html>"
_HTML_CHALLENGE = "<!DOCTYPE html><html lang=\"en-US\"><head><title>Just a moment...</title></head>" \
                  "<body>Checking your browser before accessing the site.</body></html>"


@dataclass
class FakeCall:
    """One request as the panel saw it (the key is left out; `key_ok` says whether it matched)."""

    label: str
    form: dict[str, str]
    query: str
    key_ok: bool


@dataclass
class _Fault:
    match: str
    fault: str
    times: int
    before: bool
    message: str | None = None
    body: str = ""
    status: int = 200
    retry_after: str = "0"


class FakePanel(PanelBook):
    """The API of a panel at `url` with one key, a catalogue, orders, refills and a balance."""

    def __init__(self, *, dialect: str = "folgen", key: str = "test-key", services: list[dict] | None = None,
                 currency: str = "USD", balance: Decimal | str = Decimal("1000"),
                 reject_duplicate_links: bool = False, hang_seconds: float = 5.0, port: int = 0,
                 accepts: str = "post", moved_to: str | None = None) -> None:
        super().__init__(dialect=dialect, services=services, currency=currency, balance=balance,
                         reject_duplicate_links=reject_duplicate_links)
        self.key = key
        self.hang_seconds = hang_seconds
        self.port = port  # 0: any free port
        if accepts not in ("post", "get", "json"):
            raise ValueError(f"accepts must be post, get or json, not {accepts!r}")
        self.accepts, self.moved_to = accepts, moved_to
        self.turned_away: list[str] = []
        self.requests: Counter[str] = Counter()
        self.calls: list[FakeCall] = []
        self.url = ""
        self._faults: list[_Fault] = []
        self._runner: web.AppRunner | None = None
        self._stopping = asyncio.Event()

    def __repr__(self) -> str:
        return f"FakePanel(dialect={self.dialect.name!r}, url={self.url!r})"

    async def start(self) -> str:
        """Listen on 127.0.0.1 (a free port) and return the API url."""
        app = web.Application()
        if self.accepts == "post" and self.moved_to is None:
            app.router.add_post("/api/v2", self._handle)
        else:
            app.router.add_route("*", self.moved_to or "/api/v2", self._handle)
        if self.moved_to is not None:
            app.router.add_route("*", "/api/v2", self._moved)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.2)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", self.port)
        await site.start()
        host, self.port = self._runner.addresses[0][:2]
        self.url = f"http://{host}:{self.port}/api/v2"
        return self.url

    async def stop(self) -> None:
        self._stopping.set()  # wakes handlers stuck in a "hang" fault
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakePanel:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # ---- steering from tests -------------------------------------------------------------
    def inject(self, action: str, fault: str, times: int = 1, *, message: str | None = None,
               before: bool | None = None, retry_after: str = "0") -> None:
        """Make the next `times` matching requests fail with `fault` (see the module docstring)."""
        self._faults.append(_Fault(action, fault, times, fault in _BEFORE if before is None else before,
                                   message, retry_after=retry_after))

    def script(self, action: str, body: str, *, status: int = 200, times: int = 1, before: bool = True) -> None:
        """Answer the next `times` matching requests with exactly `body` (JSON content type)."""
        self._faults.append(_Fault(action, "raw", times, before, body=body, status=status))

    # ---- HTTP -----------------------------------------------------------------------------
    def _label(self, action: str, form: dict[str, str]) -> str:
        plural = {"status": "orders", "refill": "orders", "refill_status": "refills"}.get(action)
        if action == "cancel":
            reads_single = self.dialect.cancel_reads == "order" and "order" in form
            return "cancel" if reads_single else "cancel_multi"
        return f"{action}_multi" if plural and plural in form else action

    def _take_fault(self, label: str, action: str, before: bool) -> _Fault | None:
        for fault in self._faults:
            if fault.before == before and fault.match in (label, action, "*") and fault.times > 0:
                fault.times -= 1
                if fault.times == 0:
                    self._faults.remove(fault)
                return fault
        return None

    async def _moved(self, request: web.Request) -> web.StreamResponse:
        self.turned_away.append(f"301 {request.method} {request.path}")
        raise web.HTTPMovedPermanently(location=self.moved_to or "/api/v2")

    def _turn_away(self, request: web.Request, status: int, text: str, **headers: str) -> web.Response:
        self.turned_away.append(f"{status} {request.method} {request.path}")
        return web.Response(status=status, text=text, headers=headers)

    async def _fields(self, request: web.Request) -> dict[str, str] | web.StreamResponse:
        """The request's fields the way this panel's web server takes them, or its refusal."""
        if self.accepts == "get":
            if request.method != "GET":
                return self._turn_away(request, 405, "Method Not Allowed", Allow="GET")
            return dict(request.query)
        if request.method != "POST":
            return self._turn_away(request, 405, "Method Not Allowed", Allow="POST")
        if self.accepts == "json":
            if request.content_type != "application/json":
                return self._turn_away(request, 415, "Unsupported Media Type")
            return {k: str(v) for k, v in (await request.json()).items()}
        return {k: str(v) for k, v in (await request.post()).items()}

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        form = await self._fields(request)
        if isinstance(form, web.StreamResponse):
            return form
        action = form.get("action", "").strip()
        label = self._label(action, form)
        self.requests[label] += 1
        self.calls.append(FakeCall(label, {k: v for k, v in form.items() if k != "key"},
                                   request.query_string, form.get("key") == self.key))
        fault = self._take_fault(label, action, before=True)
        if fault is not None and fault.fault == "hang":
            await self._hang()
        elif fault is not None:
            return await self._faulty(request, fault, "")
        if form.get("key") != self.key:
            answer: Any = dialects.error(self.dialect, "Invalid API key", "101")
        else:
            try:
                answer = self._dispatch(action, label, form)
            except Refusal as refusal:
                answer = dialects.error(self.dialect, str(refusal))
        fault = self._take_fault(label, action, before=False)
        text = dialects.dumps(answer, self.dialect if action == "services" else None)
        if fault is not None:
            return await self._faulty(request, fault, text)
        return web.Response(text=text, content_type="application/json")

    async def _hang(self) -> None:
        try:
            await asyncio.wait_for(self._stopping.wait(), self.hang_seconds)
        except TimeoutError:
            pass

    async def _faulty(self, request: web.Request, fault: _Fault, text: str) -> web.StreamResponse:
        """The answer a fault makes; `text` is the normal answer (empty before the panel acted)."""
        kind = fault.fault
        if kind == "hang":
            await self._hang()
            return web.Response(text=text, content_type="application/json")
        if kind == "drop":
            request.transport.close()  # type: ignore[union-attr]
            return web.Response(text="")
        html = {"html502": (502, _HTML_502), "html503": (503, _HTML_503), "html200": (200, _HTML_CHALLENGE)}
        if kind in html:
            status, page = html[kind]
            return web.Response(status=status, text=page, content_type="text/html")
        if kind == "rate_limit":
            return web.Response(status=429, text="Too Many Requests", headers={"Retry-After": fault.retry_after})
        plain = {"empty": (200, ""), "invalid_json": (200, '{"order": 1'), "http500": (500, "Internal Server Error")}
        if kind in plain:
            status, text = plain[kind]
            return web.Response(status=status, text=text, content_type="application/json")
        errors = {"error": (200, {"error": fault.message or "Service temporarily unavailable"}),
                  "status_error": (200, {"status": "error", "message": fault.message or "Something went wrong"}),
                  "http500_json_error": (500, {"error": fault.message or "Internal server error"}),
                  "http400_json_error": (400, {"error": fault.message or "Incorrect request"})}
        if kind in errors:
            status, body = errors[kind]
            return web.json_response(body, status=status)
        if kind == "raw":
            return web.Response(status=fault.status, text=fault.body, content_type="application/json")
        raise ValueError(f"unknown fault {kind!r}")

