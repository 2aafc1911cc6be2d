"""Crypto Pay glue: the client's life, the getInvoices poll job, and the signed webhook server.

The poll runs every CRYPTO_PAY_POLL_SECONDS; while no Crypto Pay top-up is open it only reads
the database (no request), so "every few seconds while any invoice is active" costs nothing
otherwise, and polling mode needs nothing else. With CRYPTO_PAY_WEBHOOK_PORT set, Crypto Pay's
webhook is also served (bot/payments/cryptopay.WebhookServer; PTB's own webhook server is
tornado's and cannot mount an aiohttp route): both paths end in crypto_topups.apply_invoice,
whose credit is once per row, so the poll and the webhook reporting one invoice credit once.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram.ext import Application, CallbackContext

from bot.domain import crypto_topups
from bot.handlers.topup_methods.shared import CLIENT_KEY, announce, crypto_client, tell
from bot.payments import adapters
from bot.payments.cryptopay import CryptoInvoice, CryptoPayClient, CryptoPayError, WebhookServer, webhook_app
from bot.payments.cryptopay import webhook_handler as make_handler
from bot.payments.methods import find
from bot.runtime import Runtime, app_runtime, runtime
from bot.telegram.hooks import hooks
from bot.telegram.redact import redact

log = logging.getLogger(__name__)

POLL_JOB = "cryptopay-poll"
SERVER_KEY = "cryptopay_webhook"


async def _report(application: Application, rt: Runtime, outcomes: list[crypto_topups.Outcome]) -> None:
    for outcome in outcomes:
        if outcome.settled is not None:
            await announce(application.bot, rt, outcome.settled)
        elif outcome.closed:
            await tell(application.bot, rt, outcome.topup.user_id, "topups.crypto_expired",
                       reference=outcome.topup.reference)


async def poll_job(context: CallbackContext[Any, Any, Any, Any]) -> None:
    rt, client = runtime(context), crypto_client(context.application)
    if client is None:
        return
    method = find(rt.settings, "crypto")
    if method is None:
        return
    try:
        learned = await adapters.build(rt.settings, method, crypto_client=client).learn(rt.db)
    except CryptoPayError as exc:  # the next round asks again
        log.warning("Crypto Pay poll failed: %s", redact(exc.name))
        return
    await _report(context.application, rt, [item.detail for item in learned])


def invoice_receiver(application: Application[Any, Any, Any, Any, Any, Any]):
    """What the webhook does with a verified invoice_paid update."""

    async def receive(invoice: CryptoInvoice) -> None:
        rt = app_runtime(application)
        outcome = await crypto_topups.apply_invoice(rt.db, invoice, rt.settings.payments.topup_bonus)
        if outcome is not None:
            await _report(application, rt, [outcome])

    return receive


def webhook_subapp(application: Application[Any, Any, Any, Any, Any, Any], path: str = "/"):
    """The Crypto Pay webhook as an aiohttp sub-application for another aiohttp server of this bot to mount
    (`app.add_subapp("/cryptopay", webhook_subapp(application))`); None while Crypto Pay is off."""
    rt = app_runtime(application)
    token = rt.settings.payments.crypto_pay_token
    if token is None or find(rt.settings, "crypto") is None:
        return None
    return webhook_app(path, make_handler(token.get_secret_value(), invoice_receiver(application)))


async def on_startup(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """While Crypto Pay is on: the client, the poll job, and (with a port) the webhook server."""
    rt = app_runtime(application)
    pay = rt.settings.payments
    if find(rt.settings, "crypto") is None or pay.crypto_pay_token is None:
        return
    token = pay.crypto_pay_token.get_secret_value()
    client = application.bot_data[CLIENT_KEY] = CryptoPayClient(token, pay.crypto_pay_api_url)
    hooks(application, "app.shutdown").append(client.close)
    try:
        me = await client.get_me()
        log.info("Crypto Pay: app %s ready", str(me.get("name") or me.get("app_id") or "?")[:64])
    except CryptoPayError as exc:
        log.warning("Crypto Pay getMe failed (%s); invoices will fail until it answers", redact(exc.name))
    if application.job_queue is not None:
        application.job_queue.run_repeating(poll_job, interval=pay.crypto_pay_poll_seconds,
                                            first=pay.crypto_pay_poll_seconds, name=POLL_JOB)
    if pay.crypto_pay_webhook_port is None and rt.settings.telegram.webhook_url:
        log.info("Crypto Pay: no CRYPTO_PAY_WEBHOOK_PORT, so no webhook; open invoices are polled every %s s",
                 pay.crypto_pay_poll_seconds)
    if pay.crypto_pay_webhook_port is not None:
        app = webhook_subapp(application, pay.crypto_pay_webhook_path)
        server = WebhookServer(app, rt.settings.telegram.webhook_listen, pay.crypto_pay_webhook_port)
        try:
            await server.start()
        except OSError as exc:  # the port is taken or not ours: the poll still credits every invoice
            log.error("Crypto Pay webhook could not listen on port %d (%s); relying on the poll alone",
                      pay.crypto_pay_webhook_port, exc.strerror or type(exc).__name__)
            await server.stop()
            return
        application.bot_data[SERVER_KEY] = server
        hooks(application, "app.shutdown").append(server.stop)
