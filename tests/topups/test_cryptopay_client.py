"""The Crypto Pay client and webhook signature against the fake server, over real HTTP."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.payments.cryptopay import CryptoPayClient, CryptoPayError, parse_invoice, signature, verify


async def test_get_me_create_and_get_invoices(cryptopay) -> None:
    client = CryptoPayClient(cryptopay.token, cryptopay.url)
    try:
        assert (await client.get_me())["name"] == "Fake shop"
        made = await client.create_invoice(amount=Decimal("12.50"), payload="CP-X", description="d", expires_in=600,
                                           fiat="USD", accepted_assets=("USDT", "TON"))
        assert made.status == "active" and made.amount == Decimal("12.50") and made.pay_url
        cryptopay.pay(made.invoice_id)
        [found] = await client.get_invoices([made.invoice_id])
        assert found.status == "paid" and found.payload == "CP-X" and isinstance(found.amount, Decimal)
    finally:
        await client.close()


async def test_errors_name_the_problem_never_the_token(cryptopay) -> None:
    client = CryptoPayClient("999:wrong-token-value", cryptopay.url)
    try:
        with pytest.raises(CryptoPayError) as caught:
            await client.get_me()
        assert caught.value.name == "UNAUTHORIZED" and "wrong-token" not in str(caught.value)
    finally:
        await client.close()
    dead = CryptoPayClient(cryptopay.token, "http://127.0.0.1:9")
    try:
        with pytest.raises(CryptoPayError):
            await dead.get_me()
    finally:
        await dead.close()


def test_signature_is_hmac_of_the_raw_body_keyed_with_sha256_of_the_token() -> None:
    body = b'{"update_type":"invoice_paid"}'
    sent = signature("tok:en", body)
    assert verify("tok:en", body, sent) and verify("tok:en", body, sent.upper())
    assert not verify("tok:en", body + b" ", sent) and not verify("other", body, sent)
    assert not verify("tok:en", body, None) and not verify("tok:en", body, "")


def test_invoices_parse_amounts_exactly_and_refuse_garbage() -> None:
    invoice = parse_invoice({"invoice_id": 5, "status": "paid", "amount": "0.1", "currency_type": "crypto",
                             "asset": "TON", "pay_url": "https://t.me/x"})
    assert invoice.amount == Decimal("0.1") and invoice.invoice_id == "5" and invoice.pay_url
    for bad in (None, [], {"invoice_id": 1}, {"invoice_id": 1, "status": "paid", "amount": "x"}):
        with pytest.raises(CryptoPayError):
            parse_invoice(bad)
