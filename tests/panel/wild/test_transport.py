"""Transports of real panels (issue 19): GET-only and JSON-only panels, redirects, other field names,
rate-limit headers, and proxy challenge pages that never reached the panel's application."""

from __future__ import annotations

import time
from email.utils import formatdate

import pytest
from aiohttp import web

from bot.config import PanelConfig
from bot.panel import OrderRequest, OutcomeUnknown, PanelHub, PanelUnavailable
from bot.panel.proxies import wait_seconds
from tests.panel.wild.server import ScriptedPanel, Seen, answer

REQUEST = OrderRequest(service="1", link="https://instagram.com/p/x", quantity=100)
KEY = "wild-key-123"
CHALLENGE = ("<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>"
             "<script src='/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1'></script></body></html>")


def _adds(panel: ScriptedPanel) -> list[Seen]:
    return [s for s in panel.seen if s.fields.get("action") == "add"]


async def test_a_get_only_panel_is_detected_from_its_405(connect) -> None:
    """Source: sources.GET_ONLY."""

    def respond(seen: Seen) -> web.Response:
        if seen.method != "GET":
            return web.Response(status=405, text="Method Not Allowed")
        return answer('{"order": 777}') if seen.fields.get("key") == KEY else answer('{"error": "Invalid API key"}')

    async with ScriptedPanel(respond) as panel:
        client = await connect(panel.url, key=KEY)
        assert await client.add(REQUEST) == "777"
        assert await client.add(REQUEST) == "777"
        assert [s.method for s in panel.seen] == ["POST", "GET", "GET"]  # detected once, remembered
        assert len([s for s in panel.seen if s.method == "GET"]) == 2  # one order each time, never doubled


async def test_a_json_only_panel_is_detected_from_its_415(connect) -> None:
    """Source: sources.JSON_ONLY."""

    def respond(seen: Seen) -> web.Response:
        if seen.content_type != "application/json":
            return web.Response(status=415, text="Unsupported Media Type")
        return answer('{"balance": "12.50", "currency": "USD"}')

    async with ScriptedPanel(respond) as panel:
        client = await connect(panel.url, key=KEY)
        assert (await client.balance()).currency == "USD"
        assert panel.seen[-1].fields["key"] == KEY and panel.seen[-1].fields["action"] == "balance"


async def test_a_configured_method_and_field_alias_are_used_from_the_start() -> None:
    """Source: sources.GET_ONLY."""

    async with ScriptedPanel(lambda seen: answer('{"order": 5}')) as panel:
        config = PanelConfig(name="main", url=panel.url, key=KEY, method="get", aliases={"link": "url"})
        async with PanelHub([config], retry_delays=(0.01,)) as hub:
            assert await hub.get("main").add(REQUEST) == "5"
        (seen,) = panel.seen
        assert seen.method == "GET" and seen.fields["url"] == REQUEST.link and "link" not in seen.fields


async def test_a_redirect_to_the_same_host_is_followed_once_and_remembered(connect) -> None:
    """Source: sources.FOLLOWS_REDIRECTS."""

    def respond(seen: Seen) -> web.Response:
        if not seen.path.endswith("/"):
            raise web.HTTPMovedPermanently(location="/api/v2/")
        return answer('{"order": 9}')

    async with ScriptedPanel(respond) as panel:
        client = await connect(panel.url, key=KEY)
        assert await client.add(REQUEST) == "9" and await client.add(REQUEST) == "9"
        assert [s.path for s in panel.seen] == ["/api/v2", "/api/v2/", "/api/v2/"]
        assert all(s.method == "POST" and s.fields.get("key") == KEY for s in panel.seen)


async def test_a_redirect_to_another_host_is_not_followed_with_the_key(connect) -> None:
    async with ScriptedPanel(lambda seen: web.Response(status=302, headers={"Location": "http://evil.invalid/x"})) \
            as panel:
        client = await connect(panel.url, key=KEY)
        with pytest.raises(PanelUnavailable, match="another host"):
            await client.add(REQUEST)


async def test_an_upgrade_to_https_on_the_same_host_is_followed_and_any_other_port_is_not(connect) -> None:
    """Panels answer http:// with 301 to https:// (the same host): followed, so every later request is encrypted."""
    async with ScriptedPanel(lambda seen: web.Response(status=301, headers={"Location": "/"})) as panel:
        here = panel.url.split("/api")[0]  # http://127.0.0.1:PORT
        upgrade, elsewhere = here.replace("http://", "https://") + "/api/v2", "https://127.0.0.1:9/api/v2"
        panel.responder = lambda seen: web.Response(status=301, headers={"Location": upgrade})
        client = await connect(panel.url, key=KEY)
        with pytest.raises(PanelUnavailable) as followed:  # the fake speaks no TLS: the handshake fails
            await client.balance()
        assert "another host" not in str(followed.value) and len(panel.seen) == 1
        assert client.transport.route.url == upgrade  # remembered, and what `check` names
        panel.responder = lambda seen: web.Response(status=301, headers={"Location": elsewhere})
        other = await connect(panel.url, key=KEY)
        with pytest.raises(PanelUnavailable, match="another host"):
            await other.balance()


async def test_a_cloudflare_challenge_on_add_is_never_reached_not_unknown(connect) -> None:
    """Source: sources.CLOUDFLARE."""
    headers = {"cf-mitigated": "challenge", "Server": "cloudflare"}
    async with ScriptedPanel(lambda seen: answer(CHALLENGE, 403, headers)) as panel:
        client = await connect(panel.url, key=KEY)
        with pytest.raises(PanelUnavailable, match="never reached the panel's application"):
            await client.add(REQUEST)


async def test_a_ddos_guard_page_on_status_says_what_it_is(connect) -> None:
    """Source: sources.DDOS_GUARD."""
    page = "<html><head><title>DDoS-Guard</title></head><body>Checking your browser</body></html>"
    async with ScriptedPanel(lambda seen: answer(page, 403, {"Server": "ddos-guard"})) as panel:
        client = await connect(panel.url, key=KEY)
        with pytest.raises(PanelUnavailable, match="DDoS-Guard"):
            await client.status("1")


async def test_a_gateway_error_page_on_add_stays_unknown(connect) -> None:
    """A 502 from the proxy means the origin may have run the order: not a challenge, so held."""
    page = "<html><head><title>502 Bad Gateway</title></head><body>cloudflare</body></html>"
    async with ScriptedPanel(lambda seen: answer(page, 502, {"Server": "cloudflare"})) as panel:
        client = await connect(panel.url, key=KEY)
        with pytest.raises(OutcomeUnknown):
            await client.add(REQUEST)


@pytest.mark.parametrize(("headers", "low", "high"), [
    (lambda now: {"Retry-After": "7"}, 7, 7),
    (lambda now: {"Retry-After": formatdate(now + 20, usegmt=True)}, 15, 21),
    (lambda now: {"X-RateLimit-Reset": "12"}, 12, 12),
    (lambda now: {"RateLimit-Reset": str(int(now) + 30)}, 25, 31),
    (lambda now: {"X-Rate-Limit-Reset": "3"}, 3, 3),
], ids=["retry-after", "retry-after-date", "x-ratelimit-reset", "ratelimit-reset-epoch", "x-rate-limit-reset"])
def test_rate_limit_headers_say_how_long_to_wait(headers, low, high) -> None:
    """Sources: sources.NOTPANEL_ERRORS, sources.RFC9110."""
    now = time.time()
    assert low <= wait_seconds(headers(now), now) <= high


async def test_a_429_with_a_reset_header_is_waited_for_on_reads(connect) -> None:
    calls = []

    def respond(seen: Seen) -> web.Response:
        calls.append(seen)
        if len(calls) == 1:
            return answer('{"error": "Too many requests"}', 429, {"X-RateLimit-Reset": "0.05"})
        return answer('{"balance": "1", "currency": "USD"}')

    async with ScriptedPanel(respond) as panel:
        client = await connect(panel.url, key=KEY, delays=(0.01,), max_retry_after=1)
        assert (await client.balance()).currency == "USD" and len(panel.seen) == 2


async def test_an_unknown_wording_is_reported_once_per_panel(connect) -> None:
    async with ScriptedPanel(lambda seen: answer('{"error": "Zzz frobnicated by the gremlins"}')) as panel:
        config = PanelConfig(name="main", url=panel.url, key=KEY)
        reported: list[tuple[str, str]] = []
        async with PanelHub([config], retry_delays=(0.01,)) as hub:
            hub.on_unknown_wording(lambda name, words: reported.append((name, words)))
            for _ in range(3):
                with pytest.raises(Exception):  # noqa: B017 - the refusal itself is tested elsewhere
                    await hub.get("main").add(REQUEST)
        assert reported == [("main", "Zzz frobnicated by the gremlins")]
