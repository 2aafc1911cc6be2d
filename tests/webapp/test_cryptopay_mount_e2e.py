"""With Crypto Pay on and no port of its own, its signed webhook is served by the Mini App's server."""

from __future__ import annotations

import dataclasses

from bot.config_webapp import WebAppSettings
from bot.webapp.server import start_server, stop_server
from tests.topups.conftest import cryptopay, make_bot  # noqa: F401 - the top-up tests' fixtures
from tests.topups.test_crypto_e2e import _crypto_invoice, _wait_balance
from tests.webapp.conftest import free_port


async def test_crypto_pay_webhook_on_the_mini_app_server(make_bot, cryptopay):  # noqa: F811
    env = await make_bot(crypto_pay_webhook_port=None, crypto_pay_poll_seconds=300)
    port = free_port()
    settings = dataclasses.replace(env.settings, webapp=WebAppSettings(
        webapp_url=f"http://127.0.0.1:{port}/shop", webapp_listen="127.0.0.1", webapp_port=port))
    await start_server(env.app, settings)
    try:
        url = f"http://127.0.0.1:{port}{settings.payments.crypto_pay_webhook_path}/"
        _, row = await _crypto_invoice(env)
        cryptopay.pay(row.external_id)
        assert await cryptopay.send_webhook(url, row.external_id, sign_with="forged") == 401
        assert await cryptopay.send_webhook(url, row.external_id) == 200
        await _wait_balance(env, 5_000_000)
    finally:
        await stop_server(env.app)
