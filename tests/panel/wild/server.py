"""A panel that answers whatever a test scripts, on 127.0.0.1 over real HTTP, recording what it received."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiohttp import web

Responder = Callable[["Seen"], Awaitable[web.StreamResponse] | web.StreamResponse]


@dataclass(frozen=True)
class Seen:
    """One request as the panel saw it: method, path, and its fields from the query, form or JSON body."""

    method: str
    path: str
    content_type: str
    fields: dict[str, str]


class ScriptedPanel:
    """`async with ScriptedPanel(responder) as panel:` panel.url is http://127.0.0.1:PORT/api/v2."""

    def __init__(self, responder: Responder) -> None:
        self.responder = responder
        self.seen: list[Seen] = []
        self.url = ""
        self._runner: web.AppRunner | None = None

    async def __aenter__(self) -> ScriptedPanel:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.2)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.url = f"http://{host}:{port}/api/v2"
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        fields = dict(request.query)
        if request.content_type == "application/json":
            fields.update({k: str(v) for k, v in (await request.json()).items()})
        elif request.method == "POST":
            fields.update({k: str(v) for k, v in (await request.post()).items()})
        seen = Seen(request.method, request.path, request.content_type, fields)
        self.seen.append(seen)
        answer = self.responder(seen)
        return await answer if not isinstance(answer, web.StreamResponse) else answer


def answer(body: str, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """A scripted answer; JSON-looking bodies go out as application/json, the rest as text or HTML."""
    text = body.lstrip()
    kind = "application/json" if text[:1] in "{[" else ("text/html" if text[:1] == "<" else "text/plain")
    return web.Response(text=body, status=status, headers=headers, content_type=kind)
