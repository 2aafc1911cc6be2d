"""Crypto Pay top-ups: create (row first), apply what an invoice says, the poll.

The client is passed in (bot/payments/cryptopay.CryptoPayClient or anything with its methods),
so these rules stay free of HTTP. The invoice's `payload` is our row's reference, so a report
is matched to its row (and so to its customer) whichever way it arrives; the credit is what the
invoice says was priced — its `amount` in the row's currency (a fiat invoice in the shop currency,
or an asset amount at the row's rate) — never what a customer typed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from bot.config_payments import BonusRule
from bot.domain import topups
from bot.domain.topup_money import Conversion, credit_for_paid
from bot.domain.topups import Settled
from bot.payments.cryptopay import CryptoInvoice, CryptoPayError
from bot.payments.methods import CRYPTO, Method
from bot.storage.db import Database
from bot.storage.topups import Topup, TopupStatus

log = logging.getLogger(__name__)

PREFIX = "CP"
STUCK_CREATING = timedelta(minutes=10)  # a row left `creating` this long: the createInvoice answer was lost
# money a customer sent is never dropped: a paid report credits even a row closed meanwhile
LATE = (TopupStatus.EXPIRED, TopupStatus.FAILED)


class Client(Protocol):
    async def create_invoice(self, **kwargs: object) -> CryptoInvoice: ...
    async def get_invoices(self, invoice_ids: list[str]) -> list[CryptoInvoice]: ...


@dataclass(frozen=True)
class Outcome:
    """What one invoice report did: a credit (first time or not), a closing, or nothing."""

    topup: Topup
    settled: Settled | None = None
    closed: bool = False


async def create(db: Database, client: Client, *, method: Method, user_id: int, conversion: Conversion,
                 description: str, expires_in: int, assets: tuple[str, ...]) -> Topup:
    """Write the row, then createInvoice; the row is `pending` with the link, or `failed` (CryptoPayError)."""
    row = await topups.record(db, method=CRYPTO, user_id=user_id, conversion=conversion, prefix=PREFIX,
                              status=TopupStatus.CREATING, expires_in=expires_in)
    try:
        if method.fiat:
            invoice = await client.create_invoice(amount=conversion.pay, payload=row.reference,
                                                  description=description, expires_in=expires_in,
                                                  fiat=conversion.currency, accepted_assets=assets)
        else:
            invoice = await client.create_invoice(amount=conversion.pay, payload=row.reference,
                                                  description=description, expires_in=expires_in,
                                                  asset=conversion.currency)
    except CryptoPayError as exc:
        await topups.close(db, row.id, TopupStatus.FAILED, note=exc.name)
        raise
    if invoice.payload not in (None, row.reference):
        log.warning("Crypto Pay answered createInvoice with another payload; invoice %s kept anyway",
                    invoice.invoice_id)
    await topups.opened(db, row.id, external_id=invoice.invoice_id, pay_url=invoice.pay_url)
    return await topups.get(db, row.id)


def paid_credit(row: Topup, invoice: CryptoInvoice) -> int | None:
    """What a paid invoice credits, from the invoice itself; None when it is not in the row's currency."""
    currency = invoice.fiat if invoice.currency_type == "fiat" else invoice.asset
    if (currency or "").upper() != row.pay_currency:
        return None
    return credit_for_paid(invoice.amount, row.rate)


async def apply_invoice(db: Database, invoice: CryptoInvoice, rule: BonusRule | None) -> Outcome | None:
    """Apply one report of an invoice (poll, webhook or Check button); None when it is not one of ours."""
    row = await topups.by_reference(db, invoice.payload) if invoice.payload else None
    if row is None or row.method != CRYPTO:
        log.warning("Crypto Pay invoice %s matches no top-up of ours; ignored", invoice.invoice_id)
        return None
    if row.external_id is not None and row.external_id != invoice.invoice_id:
        log.warning("Crypto Pay invoice %s carries the reference of invoice %s; ignored", invoice.invoice_id,
                    row.external_id)
        return None
    if invoice.status == "paid":
        amount = paid_credit(row, invoice)
        if amount is None or amount <= 0:
            log.error("Crypto Pay invoice %s is paid in another currency than issued; not credited, see top-up %s",
                      invoice.invoice_id, row.id)
            return Outcome(row)
        paid = (invoice.paid_asset, invoice.paid_amount) if invoice.paid_asset and invoice.paid_amount else None
        settled = await topups.credit(db, row.id, rule=rule, amount=amount, external_id=invoice.invoice_id,
                                      also_from=LATE, paid_with=paid)
        return Outcome(settled.topup, settled=settled)
    if invoice.status == "expired":
        closed = await topups.close(db, row.id, TopupStatus.EXPIRED)
        return Outcome(closed or row, closed=closed is not None)
    return Outcome(row)


async def poll(db: Database, client: Client, rule: BonusRule | None) -> list[Outcome]:
    """Ask getInvoices about every open Crypto Pay top-up; nothing is asked when none is open."""
    open_rows = await topups.open_of(db, method=CRYPTO)
    if not open_rows:
        return []
    stuck_before = datetime.now(UTC) - STUCK_CREATING
    for row in open_rows:
        if row.status == TopupStatus.CREATING and row.created_at < stuck_before:
            await topups.close(db, row.id, TopupStatus.FAILED, note="createInvoice not confirmed")
    ids = [row.external_id for row in open_rows if row.external_id]
    if not ids:
        return []
    outcomes = []
    for invoice in await client.get_invoices(ids):
        outcome = await apply_invoice(db, invoice, rule)
        if outcome is not None:
            outcomes.append(outcome)
    return outcomes
