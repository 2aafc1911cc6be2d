"""A fake Crypto Pay API (@CryptoBot) on 127.0.0.1 for tests (aiohttp.web), speaking the real API.

    async with FakeCryptoPay(token) as cp:            # cp.url -> CRYPTO_PAY_API_URL
        ...                                           # the bot calls createInvoice / getInvoices / getMe
        cp.pay(invoice_id)                            # the customer pays (status paid, paid_* filled)
        await cp.send_webhook(url, invoice_id)        # Crypto Pay posts invoice_paid, signed with the token
        await cp.send_webhook(url, invoice_id, sign_with="wrong")   # ...or a forgery

Methods: `POST /api/<method>` with the header Crypto-Pay-API-Token; JSON or form bodies; answers
{"ok": true, "result": ...} or {"ok": false, "error": {"code", "name"}}. A wrong token answers
401 UNAUTHORIZED. Every call is recorded in `calls` as (method, params).
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from typing import Any

import aiohttp
from aiohttp import web

FIATS = {"USD", "EUR", "RUB"}


class FakeCryptoPay:
    def __init__(self, token: str = "12345:AAfakeCryptoPayTokenForTests") -> None:
        self.token = token
        self.url = ""
        self.invoices: dict[int, dict] = {}
        self.calls: list[tuple[str, dict]] = []
        self.fail_next: list[str] = []  # error names to answer the next calls with
        self.balance: dict[str, str] = {"USDT": "1000", "TON": "1000", "BTC": "1"}  # the app's, for transfers
        self.transfers: dict[str, dict] = {}  # by spend_id
        self.drop_next_answer = False  # carry out the next call but answer nothing readable
        self._ids = itertools.count(1001)
        self._updates = itertools.count(1)
        self._runner: web.AppRunner | None = None

    async def start(self) -> str:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._handle)
        self._runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"  # type: ignore[union-attr]
        return self.url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeCryptoPay:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # --- what happens on Crypto Pay's side ------------------------------------------------------

    def pay(self, invoice_id: int | str, asset: str = "USDT") -> dict:
        invoice = self.invoices[int(invoice_id)]
        invoice.update(status="paid", paid_asset=asset, paid_amount=invoice["amount"], paid_at=_now(),
                       paid_fiat_rate="1.0")
        return invoice

    def expire(self, invoice_id: int | str) -> None:
        self.invoices[int(invoice_id)]["status"] = "expired"

    def update_body(self, invoice_id: int | str) -> bytes:
        return json.dumps({"update_id": next(self._updates), "update_type": "invoice_paid",
                           "request_date": _now(), "payload": self.invoices[int(invoice_id)]}).encode()

    def signature(self, body: bytes, token: str | None = None) -> str:
        secret = hashlib.sha256((token or self.token).encode()).digest()
        return hmac.new(secret, body, hashlib.sha256).hexdigest()

    async def send_webhook(self, url: str, invoice_id: int | str, *, sign_with: str | None = None,
                           signature: str | None = None, body: bytes | None = None) -> int:
        """POST the invoice_paid update to the bot; the HTTP status of its answer."""
        body = body if body is not None else self.update_body(invoice_id)
        headers = {"Content-Type": "application/json"}
        sig = signature if signature is not None else self.signature(body, sign_with)
        if sig:
            headers["crypto-pay-api-signature"] = sig
        async with aiohttp.ClientSession() as session, session.post(url, data=body, headers=headers) as response:
            return response.status

    # --- the API --------------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params: dict[str, Any] = dict(request.query)
        if request.can_read_body:
            if request.content_type == "application/json":
                params.update(await request.json())
            else:
                params.update({k: v for k, v in (await request.post()).items() if isinstance(v, str)})
        self.calls.append((method, params))
        if request.headers.get("Crypto-Pay-API-Token") != self.token:
            return web.json_response({"ok": False, "error": {"code": 401, "name": "UNAUTHORIZED"}}, status=401)
        if self.fail_next:
            return web.json_response({"ok": False, "error": {"code": 400, "name": self.fail_next.pop(0)}},
                                     status=400)
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return web.json_response({"ok": False, "error": {"code": 405, "name": "METHOD_NOT_FOUND"}}, status=405)
        try:
            result = handler(params)
        except ValueError as exc:
            return web.json_response({"ok": False, "error": {"code": 400, "name": str(exc)}}, status=400)
        if self.drop_next_answer:
            self.drop_next_answer = False
            return web.Response(status=502, text="Bad Gateway")
        return web.json_response({"ok": True, "result": result})

    def _api_getMe(self, params: dict) -> dict:  # noqa: N802 - API names
        return {"app_id": 7, "name": "Fake shop", "payment_processing_bot_username": "CryptoTestnetBot"}

    def _api_createInvoice(self, params: dict) -> dict:  # noqa: N802
        kind = params.get("currency_type", "crypto")
        amount = str(params.get("amount", ""))
        if not amount or float(amount) <= 0:  # a float is fine in a fake's own validation
            raise ValueError("AMOUNT_INVALID")
        if kind == "fiat" and params.get("fiat") not in FIATS:
            raise ValueError("FIAT_INVALID")
        if len(str(params.get("payload", ""))) > 4096:
            raise ValueError("PAYLOAD_TOO_LONG")
        invoice_id = next(self._ids)
        invoice = {
            "invoice_id": invoice_id, "hash": f"IV{invoice_id}", "currency_type": kind, "amount": amount,
            "status": "active", "created_at": _now(), "allow_comments": True, "allow_anonymous": False,
            "bot_invoice_url": f"https://t.me/CryptoTestnetBot?start=IV{invoice_id}",
            "description": params.get("description"), "payload": params.get("payload"),
        }
        if kind == "fiat":
            invoice.update(fiat=params["fiat"], accepted_assets=str(params.get("accepted_assets", "")).split(","))
        else:
            invoice["asset"] = params.get("asset")
        self.invoices[invoice_id] = invoice
        return invoice

    def _api_transfer(self, params: dict) -> dict:  # noqa: N802
        spend = str(params.get("spend_id") or "")
        if not spend:
            raise ValueError("SPEND_ID_REQUIRED")
        if spend in self.transfers:  # idempotent: the same spend_id is carried out once
            return self.transfers[spend]
        asset, amount = str(params.get("asset")), str(params.get("amount"))
        from decimal import Decimal

        if Decimal(self.balance.get(asset, "0")) < Decimal(amount):
            raise ValueError("INSUFFICIENT_FUNDS")
        self.balance[asset] = str(Decimal(self.balance[asset]) - Decimal(amount))
        made = {"transfer_id": len(self.transfers) + 1, "spend_id": spend, "user_id": int(params["user_id"]),
                "asset": asset, "amount": amount, "status": "completed", "completed_at": _now()}
        self.transfers[spend] = made
        return made

    def _api_getInvoices(self, params: dict) -> dict:  # noqa: N802
        wanted = [int(i) for i in str(params.get("invoice_ids") or "").split(",") if i.strip()]
        found = [self.invoices[i] for i in wanted if i in self.invoices] if wanted else list(self.invoices.values())
        if params.get("status"):
            found = [i for i in found if i["status"] == params["status"]]
        return {"items": found[: int(params.get("count") or 100)]}


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())
