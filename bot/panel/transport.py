"""One panel's POSTs over the shared session, with the retry policy of read and write actions.

Read-only actions retry transient failures (no answer, HTML/empty/broken body, 5xx, 429) with
small bounded backoff. Writes (`add`, `refill`, `cancel`) are retried only when the request
surely never left this machine (aiohttp.ClientConnectorError: refused, DNS, TLS handshake);
any failure after sending is OutcomeUnknown, because the panel may have acted on it.
The key travels only in the POST body; every message is built from safe parts and scrubbed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import aiohttp
from pydantic import SecretStr
from yarl import URL

from bot.panel.decoding import BodyError, decode_body, plain_words
from bot.panel.errors import (
    OutcomeUnknown,
    PanelError,
    PanelRateLimited,
    PanelRefused,
    PanelUnavailable,
    RefusalKind,
)
from bot.panel.proxies import RequestStyle, proxy_challenge, wait_seconds
from bot.panel.refusals import classify, error_message, names_an_order, refusal

log = logging.getLogger("bot.panel")
MAX_BODY_BYTES = 32 * 1024 * 1024  # a catalogue of thousands of services is a few MB
MAX_HOPS = 4  # redirects and method changes one request may follow


@dataclass(frozen=True)
class RetryPolicy:
    """Backoff delays (one retry per delay) and the cap on a 429's Retry-After."""

    delays: tuple[float, ...] = (0.5, 2.0)
    max_retry_after: float = 30.0


@dataclass(frozen=True)
class Route:
    """How requests reach a panel now, beside what its settings said (`python -m bot check` reports it)."""

    url: str  # where requests go: the configured URL, or where a same-host redirect led
    style: RequestStyle  # the style in use: the configured one, or the one a 405/415 switched to
    aliases: Mapping[str, str]  # our field name -> the panel's
    configured_url: str
    configured_style: RequestStyle

    @property
    def redirected(self) -> bool:
        return self.url != self.configured_url

    @property
    def detected(self) -> bool:
        return self.style is not self.configured_style


class _NotSent(Exception):
    """The connection was never made, so the panel cannot have seen the request."""


class _NoClearAnswer(Exception):
    """The request left; what came back (nothing, HTML, a 5xx...) does not say what happened."""


def _describe(exc: BaseException, timeout: float) -> str:
    """A safe one-line reason for a transport failure (no URL, no body, no key)."""
    if isinstance(exc, aiohttp.ClientConnectorDNSError):
        return "cannot resolve the panel's host name"
    if isinstance(exc, aiohttp.ClientSSLError):
        return "TLS handshake with the panel failed"
    if isinstance(exc, aiohttp.ClientConnectorError):
        return f"cannot connect to the panel ({exc.strerror or 'connection refused'})"
    if isinstance(exc, TimeoutError):
        return f"no answer within {timeout:g}s"
    if isinstance(exc, aiohttp.ServerDisconnectedError):
        return "the panel closed the connection without answering"
    return f"connection problem ({type(exc).__name__})"


async def _read_capped(response: aiohttp.ClientResponse) -> bytes:
    chunks, size = [], 0
    async for chunk in response.content.iter_chunked(65536):
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise _NoClearAnswer("the answer is too large")
        chunks.append(chunk)
    return b"".join(chunks)


class PanelTransport:
    """POSTs `key` + form to one panel URL and turns every outcome into a body or a PanelError."""

    def __init__(self, name: str, url: str, key: SecretStr, timeout_seconds: float,
                 session: Callable[[], aiohttp.ClientSession], policy: RetryPolicy, *,
                 method: str = "post", aliases: dict[str, str] | None = None) -> None:
        self.name = name
        self._url = url
        self.style = RequestStyle(method)  # changes once when the panel answers 405/415 (see _exchange)
        self._configured = (url, self.style)  # what the settings said, for `route`
        self._aliases = dict(aliases or {})  # our field name -> the panel's (e.g. link -> url)
        self.on_unknown_wording: Callable[[str, str], None] | None = None  # (panel, words) of an unread refusal
        self._key = key  # SecretStr: revealed only into the POST body and the scrubber
        self._timeout_seconds = timeout_seconds
        self._timeout = aiohttp.ClientTimeout(total=timeout_seconds)
        self._session = session
        self._policy = policy

    def __repr__(self) -> str:
        return f"PanelTransport(name={self.name!r})"

    @property
    def route(self) -> Route:
        """A read-only snapshot of how requests reach the panel now (after redirects and detection)."""
        return Route(self._url, self.style, MappingProxyType(dict(self._aliases)), *self._configured)

    def scrub(self, text: str) -> str:
        """Remove the key from text that might echo it (a panel quoting the key it rejected)."""
        key = self._key.get_secret_value()
        return text.replace(key, "***") if len(key) >= 4 else text

    def _refused(self, message: str) -> PanelRefused:
        refused = refusal(self.name, self.scrub(message))
        if refused.kind is RefusalKind.OTHER and self.on_unknown_wording is not None:
            self.on_unknown_wording(self.name, refused.message)
        return refused

    async def _exchange(self, form: dict[str, str]) -> tuple[int, Any, bytes]:
        """Send once in this panel's style, following same-host redirects and method refusals.

        A redirect, a 405 and a 415 are answers of the web server before the panel's application
        ran, so sending again (to the new URL, as GET, as JSON) cannot place anything twice.
        """
        for _ in range(MAX_HOPS):
            style = self.style
            try:
                async with self._request(style, form) as response:
                    status, headers = response.status, response.headers
                    raw = await _read_capped(response)
            except aiohttp.ClientConnectorError as exc:
                raise _NotSent(_describe(exc, self._timeout_seconds)) from None
            except aiohttp.InvalidURL:
                raise _NotSent("the panel URL is not valid") from None
            except (TimeoutError, aiohttp.ClientError, OSError) as exc:
                raise _NoClearAnswer(_describe(exc, self._timeout_seconds)) from None
            if status in (301, 302, 303, 307, 308) and headers.get("Location"):
                self._url = self._redirect_target(headers["Location"])
                continue
            if status in (405, 415) and style.next_on(status) is not None:
                self.style = style.next_on(status)
                log.info("panel %s answers HTTP %d to %s: sending %s from now on (set \"method\" in PANELS to "
                         "skip the detection)", self.name, status, style.value, self.style.value)
                continue
            return status, headers, raw
        raise _NotSent("too many redirects or method changes; nothing reached the panel")

    def _request(self, style: RequestStyle, form: dict[str, str]) -> Any:
        fields = {"key": self._key.get_secret_value(), **{self._aliases.get(k, k): v for k, v in form.items()}}
        session, common = self._session(), {"timeout": self._timeout, "allow_redirects": False}
        if style is RequestStyle.GET:
            return session.get(self._url, params=fields, **common)
        if style is RequestStyle.JSON:
            return session.post(self._url, json=fields, **common)
        return session.post(self._url, data=fields, **common)

    def _redirect_target(self, location: str) -> str:
        """Only within the panel's own host: the key must never follow a redirect elsewhere.

        http:// -> https:// on the same host is followed too: the key already went out in clear text
        with the first request, and every later one is encrypted (the check names the https address).
        """
        here, target = URL(self._url), URL(self._url).join(URL(location))
        same_origin = (target.scheme, target.host, target.port) == (here.scheme, here.host, here.port)
        upgrade = (here.scheme, target.scheme) == ("http", "https") and target.host == here.host \
            and (target.port, here.port) in ((443, 80), (here.port, here.port))
        if not (same_origin or upgrade):
            raise _NotSent("the panel redirects to another host; not following it with the key")
        return str(target)

    async def _attempt(self, form: dict[str, str], *, write: bool) -> Any:
        """One request -> decoded body; raises PanelRefused, PanelRateLimited or an internal signal."""
        status, headers, raw = await self._exchange(form)
        challenge = proxy_challenge(status, headers, raw)
        if challenge:
            raise _NotSent(f"{challenge}: the request never reached the panel's application")
        if status == 429:
            raise PanelRateLimited(self.name, "too many requests (HTTP 429)", wait_seconds(headers))
        try:
            body = decode_body(raw)
        except BodyError as exc:
            words = plain_words(raw)  # "Invalid API key" as plain text is still the panel's no
            if words and status < 500 and classify(words) is not RefusalKind.OTHER:
                raise self._refused(words) from None
            raise _NoClearAnswer(f"HTTP {status}: {exc}") from None
        message = error_message(body)
        if message is not None:
            if write and status >= 500:  # the server failed mid-request: it may have written first
                raise _NoClearAnswer(f"HTTP {status} with the error {self.scrub(message)!r}")
            if form.get("action") == "add" and names_an_order(body):
                raise _NoClearAnswer(f"an order id next to the error {self.scrub(message)!r}")
            raise self._refused(message)
        if not 200 <= status < 300:
            raise _NoClearAnswer(f"HTTP {status} without an error message")
        return body

    async def read(self, action: str, form: dict[str, str]) -> Any:
        """A read-only action: retried with backoff on transient failures."""
        delays: Sequence[float] = self._policy.delays
        for attempt in range(len(delays) + 1):
            try:
                return await self._attempt(form, write=False)
            except PanelRefused:
                raise
            except (PanelRateLimited, _NotSent, _NoClearAnswer) as exc:
                reason = self.scrub(exc.message if isinstance(exc, PanelError) else str(exc))
                if attempt == len(delays):
                    if isinstance(exc, PanelRateLimited):
                        raise PanelRateLimited(self.name, f"{action}: {reason}", exc.retry_after) from None
                    raise PanelUnavailable(self.name, f"{action}: {reason}") from None
                delay = delays[attempt]
                if isinstance(exc, PanelRateLimited) and exc.retry_after is not None:
                    delay = min(max(exc.retry_after, delay), self._policy.max_retry_after)
                log.warning("panel %s: %s failed (%s); retry %d in %.2fs",
                            self.name, action, reason, attempt + 1, delay)
                await asyncio.sleep(delay)
        raise AssertionError("unreachable")

    async def write(self, action: str, form: dict[str, str]) -> Any:
        """A write (`add`/`refill`/`cancel`): retried only while the request surely never left."""
        delays: Sequence[float] = self._policy.delays
        for attempt in range(len(delays) + 1):
            try:
                return await self._attempt(form, write=True)
            except _NotSent as exc:
                reason = self.scrub(str(exc))
                if attempt == len(delays):
                    raise PanelUnavailable(self.name, f"{action}: {reason}; nothing was sent") from None
                log.warning("panel %s: %s not sent (%s); retry %d in %.2fs",
                            self.name, action, reason, attempt + 1, delays[attempt])
                await asyncio.sleep(delays[attempt])
            except _NoClearAnswer as exc:
                reason = self.scrub(str(exc))
                log.warning("panel %s: %s outcome unknown (%s)", self.name, action, reason)
                raise OutcomeUnknown(
                    self.name, f"{action}: {reason}; the panel may have acted on it, reconcile"
                ) from None
        raise AssertionError("unreachable")

    def unknown(self, action: str, reason: str) -> OutcomeUnknown:
        """A write whose 2xx answer we cannot read: it may have worked."""
        return OutcomeUnknown(self.name, f"{action}: {self.scrub(reason)}; the panel may have acted on it")

    def unavailable(self, action: str, reason: str) -> PanelUnavailable:
        """A read whose answer we cannot read."""
        return PanelUnavailable(self.name, f"{action}: {self.scrub(reason)}")
