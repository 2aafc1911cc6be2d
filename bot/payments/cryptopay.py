"""A small Crypto Pay API client (@CryptoBot) and its webhook: signature check on the raw body.

Why not `aiocryptopay`: its base URL can be pointed anywhere (the `network` argument is a plain
string), but its models parse every amount as float, and money here never touches float. This
client is ~100 lines over the shared aiohttp: `POST {base}/api/<method>` with the header
`Crypto-Pay-API-Token`, JSON answers parsed with Decimal for numbers.

Webhook (https://help.crypt.bot/crypto-pay-api#webhooks): the header `crypto-pay-api-signature`
is hex HMAC-SHA256 of the raw body keyed with SHA-256 of the token; it is checked on the bytes as
received, in constant time, before anything is parsed. `webhook_app(...)` is a plain aiohttp
sub-application any aiohttp server can mount (`app.add_subapp(prefix, sub)`), and
`WebhookServer` serves it on a port of its own (PTB's webhook server is tornado's and cannot
mount aiohttp routes).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import aiohttp
from aiohttp import web

log = logging.getLogger(__name__)

TOKEN_HEADER = "Crypto-Pay-API-Token"
SIGNATURE_HEADER = "crypto-pay-api-signature"
MAX_BODY = 64 * 1024
PAGE = 1000  # getInvoices returns at most 1000 per call


class CryptoPayError(Exception):
    """Crypto Pay said no (`name` is its error name) or could not be understood.

    `answered`: Crypto Pay answered with ok=false, so nothing happened; False when no (readable)
    answer came and the request may have been carried out.
    """

    def __init__(self, name: str, *, status: int | None = None, answered: bool = False) -> None:
        super().__init__(name)
        self.name = name
        self.status = status
        self.answered = answered


@dataclass(frozen=True)
class CryptoInvoice:
    """What an invoice says (amounts exact). `pay_url` is bot_invoice_url (older answers: pay_url)."""

    invoice_id: str
    status: str
    currency_type: str
    asset: str | None
    fiat: str | None
    amount: Decimal
    payload: str | None
    pay_url: str | None
    paid_asset: str | None
    paid_amount: Decimal | None


def _decimal(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        found = Decimal(str(value))
    except InvalidOperation:
        return None
    return found if found.is_finite() else None


def parse_invoice(data: Any) -> CryptoInvoice:
    """An Invoice object from the API or a webhook; CryptoPayError when it is not one."""
    if not isinstance(data, dict) or "invoice_id" not in data or "status" not in data:
        raise CryptoPayError("malformed invoice")
    amount = _decimal(data.get("amount"))
    if amount is None:
        raise CryptoPayError("malformed invoice amount")
    payload = data.get("payload")
    return CryptoInvoice(
        invoice_id=str(data["invoice_id"]), status=str(data["status"]),
        currency_type=str(data.get("currency_type") or "crypto"), asset=data.get("asset"), fiat=data.get("fiat"),
        amount=amount, payload=payload if isinstance(payload, str) else None,
        pay_url=data.get("bot_invoice_url") or data.get("pay_url"), paid_asset=data.get("paid_asset"),
        paid_amount=_decimal(data.get("paid_amount")),
    )


class CryptoPayClient:
    """createInvoice, getInvoices, getMe over one aiohttp session (`await close()` when done)."""

    def __init__(self, token: str, base_url: str, *, timeout: float = 15.0) -> None:
        self._token = token
        self._base = base_url.rstrip("/")
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def call(self, method: str, **params: Any) -> Any:
        """One API call; its `result`, or CryptoPayError (the token is never part of the error)."""
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
        body = {key: value for key, value in params.items() if value is not None}
        try:
            async with self._session.post(f"{self._base}/api/{method}", json=body,
                                          headers={TOKEN_HEADER: self._token}) as response:
                text = await response.text()
                status = response.status
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise CryptoPayError(f"no answer ({type(exc).__name__})") from None
        try:
            answer = json.loads(text, parse_float=Decimal)
        except ValueError:
            raise CryptoPayError("not JSON", status=status) from None
        if not isinstance(answer, dict) or not answer.get("ok"):
            error = answer.get("error") if isinstance(answer, dict) else None
            name = error.get("name") if isinstance(error, dict) else None
            raise CryptoPayError(str(name or f"HTTP {status}")[:100], status=status,
                                 answered=isinstance(answer, dict) and status < 500)
        return answer.get("result")

    async def get_me(self) -> dict:
        result = await self.call("getMe")
        return result if isinstance(result, dict) else {}

    async def create_invoice(self, *, amount: Decimal, payload: str, description: str, expires_in: int,
                             fiat: str | None = None, asset: str | None = None,
                             accepted_assets: Sequence[str] = ()) -> CryptoInvoice:
        params: dict[str, Any] = {"amount": f"{amount:f}", "payload": payload, "description": description[:1024],
                                  "expires_in": expires_in, "allow_anonymous": False}
        if fiat is not None:
            params.update(currency_type="fiat", fiat=fiat, accepted_assets=",".join(accepted_assets) or None)
        else:
            params.update(currency_type="crypto", asset=asset)
        return parse_invoice(await self.call("createInvoice", **params))

    async def get_invoices(self, invoice_ids: Sequence[str]) -> list[CryptoInvoice]:
        """The invoices with these ids (in pages of 1000)."""
        found: list[CryptoInvoice] = []
        for start in range(0, len(invoice_ids), PAGE):
            chunk = invoice_ids[start:start + PAGE]
            result = await self.call("getInvoices", invoice_ids=",".join(chunk), count=len(chunk))
            items = result.get("items") if isinstance(result, dict) else result
            for item in items or []:
                try:
                    found.append(parse_invoice(item))
                except CryptoPayError:
                    log.warning("Crypto Pay listed a malformed invoice; skipped")
        return found


    async def transfer(self, *, user_id: int, asset: str, amount: Decimal, spend_id: str, comment: str) -> dict:
        """Send coins from the app's balance to a Telegram user; `spend_id` makes a repeat a no-op."""
        result = await self.call("transfer", user_id=user_id, asset=asset, amount=f"{amount:f}", spend_id=spend_id,
                                 comment=comment[:1024], disable_send_notification=False)
        return result if isinstance(result, dict) else {}


def signature(token: str, body: bytes) -> str:
    """What Crypto Pay sends in crypto-pay-api-signature for `body`."""
    secret = hashlib.sha256(token.encode()).digest()
    return hmac.new(secret, body, hashlib.sha256).hexdigest()


def verify(token: str, body: bytes, sent: str | None) -> bool:
    """Whether `sent` is the signature of `body` (constant-time comparison)."""
    if not sent:
        return False
    return hmac.compare_digest(signature(token, body).encode(), sent.strip().lower().encode())


OnInvoice = Callable[[CryptoInvoice], Awaitable[None]]


class _Refusals:
    """Log refused webhook requests once a minute at most (a flood must not flood the log)."""

    def __init__(self) -> None:
        self.count = 0
        self._last = 0.0

    def note(self, why: str, peer: str | None) -> None:
        self.count += 1
        now = time.monotonic()
        if now - self._last >= 60:
            self._last = now
            log.warning("Crypto Pay webhook refused (%s) from %s; %d refused so far", why, peer, self.count)


def webhook_handler(token: str, on_invoice: OnInvoice) -> Callable[[web.Request], Awaitable[web.Response]]:
    """The aiohttp handler: 401 unless signed with `token`; invoice_paid updates go to `on_invoice`."""
    refusals = _Refusals()

    async def handle(request: web.Request) -> web.Response:
        if request.content_length is not None and request.content_length > MAX_BODY:
            refusals.note("too large", request.remote)
            return web.json_response({"ok": False}, status=413)
        body = await request.content.read(MAX_BODY + 1)
        if len(body) > MAX_BODY:
            refusals.note("too large", request.remote)
            return web.json_response({"ok": False}, status=413)
        if not verify(token, body, request.headers.get(SIGNATURE_HEADER)):
            refusals.note("bad signature", request.remote)
            return web.json_response({"ok": False}, status=401)
        try:
            update = json.loads(body, parse_float=Decimal)
            if update.get("update_type") == "invoice_paid":
                invoice = parse_invoice(update.get("payload"))
            else:
                return web.json_response({"ok": True})
        except (ValueError, AttributeError, CryptoPayError):
            refusals.note("malformed update", request.remote)
            return web.json_response({"ok": False}, status=400)
        await on_invoice(invoice)
        return web.json_response({"ok": True})

    handle.refusals = refusals  # type: ignore[attr-defined] - tests read the count
    return handle


def webhook_app(path: str, handler: Callable[[web.Request], Awaitable[web.Response]]) -> web.Application:
    """A sub-application answering POST `path`; mount it on any aiohttp server."""
    app = web.Application(client_max_size=MAX_BODY)
    app.router.add_post(path, handler)
    return app


class WebhookServer:
    """The webhook sub-application on a port of its own."""

    def __init__(self, app: web.Application, host: str, port: int) -> None:
        self._runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=1.0, access_log=None)
        self.host, self.port = host, port

    async def start(self) -> None:
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr] - the port when 0 was asked
        log.info("Crypto Pay webhook served on %s:%d", self.host, self.port)

    async def stop(self) -> None:
        await self._runner.cleanup()
