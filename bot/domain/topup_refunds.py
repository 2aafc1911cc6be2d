"""Refunding a Crypto Pay top-up through Crypto Pay's `transfer`, once, like Stars refunds.

The debit is reserved first (one transaction: balance check, ledger row, status `refunding`),
then Crypto Pay is asked to transfer what the customer paid (paid_asset, paid_amount) back to
them with spend_id `refund-<id>`, which Crypto Pay accepts once: a retry after no answer can
never send twice. Done → `refunded`; a clear refusal (ok=false: no balance, transfers off) →
the money goes back to the wallet (a second ledger row) and the row is `credited` again; no
answer → it stays `refunding` and the same command asks again without debiting twice.
Manual top-ups are refunded by a wallet debit alone (topups.refund_by_debit).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.domain.errors import AlreadyApplied, DomainError, InsufficientBalance, NotFound, WrongState
from bot.domain.topups import ledger_reference
from bot.payments.cryptopay import CryptoPayError
from bot.payments.methods import CRYPTO
from bot.storage import ledger, topups
from bot.storage.db import Database
from bot.storage.ledger import LedgerKind
from bot.storage.topups import Topup, TopupStatus

log = logging.getLogger(__name__)

SendBack = Callable[[Topup, str], Awaitable[None]]  # (top-up, spend_id): returns when Crypto Pay sent it


class RefundRefused(DomainError):
    """Crypto Pay refused the transfer (the money was put back); its error name is the message."""


class RefundPending(DomainError):
    """No clear answer: the top-up stays `refunding`; run the refund again to finish it."""


@dataclass(frozen=True)
class CryptoRefund:
    topup: Topup
    debit: int
    balance: int
    resumed: bool


def spend_id(topup: Topup) -> str:
    return f"refund-{topup.id}"


async def _reserve(db: Database, topup_id: int, admin_id: int, force: bool) -> tuple[Topup, int, bool]:
    async with db.transaction() as conn:
        row = await topups.get(conn, topup_id)
        if row is None or row.method != CRYPTO:
            raise NotFound(f"no Crypto Pay top-up {topup_id}")
        if row.status == TopupStatus.REFUNDED:
            raise AlreadyApplied(f"top-up {topup_id} was already refunded")
        debit = (row.credited or 0) + (row.bonus or 0)
        if row.status == TopupStatus.REFUNDING:
            return row, debit, True
        if row.status != TopupStatus.CREDITED:
            raise WrongState(f"top-up {topup_id} is {row.status}, not credited")
        if not row.paid_asset or not row.paid_amount:
            raise WrongState(f"top-up {topup_id} has no paid asset on record")
        current = await ledger.balance(conn, row.user_id)
        if current < debit and not force:
            raise InsufficientBalance(current, debit)
        await topups.move(conn, topup_id, TopupStatus.REFUNDING, expected=(TopupStatus.CREDITED,), decided_by=admin_id)
        if debit:
            await ledger.add(conn, row.user_id, -debit, LedgerKind.ADMIN_ADJUSTMENT, reference=ledger_reference(row),
                             note="Crypto Pay refund", actor=admin_id)
        return await topups.get(conn, topup_id), debit, False


async def refund_crypto(db: Database, topup_id: int, *, admin_id: int, send_back: SendBack,
                        force: bool = False) -> CryptoRefund:
    """Refund a credited Crypto Pay top-up; NotFound, AlreadyApplied, WrongState, InsufficientBalance,
    RefundRefused (money put back), RefundPending."""
    row, debit, resumed = await _reserve(db, topup_id, admin_id, force)
    try:
        await send_back(row, spend_id(row))
    except CryptoPayError as exc:
        if not exc.answered:
            log.warning("Crypto Pay refund of top-up %s: no clear answer (%s); left refunding", row.id, exc.name)
            raise RefundPending(f"Crypto Pay did not confirm the refund of top-up {row.id}; try again") from exc
        async with db.transaction() as conn:
            if await topups.move(conn, row.id, TopupStatus.CREDITED, expected=(TopupStatus.REFUNDING,)) and debit:
                await ledger.add(conn, row.user_id, debit, LedgerKind.ADMIN_ADJUSTMENT,
                                 reference=ledger_reference(row), note="Crypto Pay refund refused: money put back",
                                 actor=admin_id)
        raise RefundRefused(exc.name) from exc
    async with db.transaction() as conn:
        await topups.move(conn, row.id, TopupStatus.REFUNDED, expected=(TopupStatus.REFUNDING,),
                          note="refunded through Crypto Pay")
        done = await topups.get(conn, row.id)
        balance = await ledger.balance(conn, row.user_id)
    return CryptoRefund(done, debit, balance, resumed)
