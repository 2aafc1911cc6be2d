"""Refunding a Stars top-up: debit the wallet, have Telegram return the Stars, once per charge.

The debit is reserved first (one transaction: balance check, ledger row, payment `refunding`),
then Telegram is asked; the database write lock is never held across that request. Telegram's
answer settles it: done → `refunded`; a clear refusal of a first attempt → the money goes back (a
second ledger row) and the payment is as before; no answer → the payment stays `refunding` and the
same command later finishes it without debiting twice.

Finishing a `refunding` payment first looks for the refund among the bot's Star transactions
(`find_refund`): listed → done without asking again. Otherwise Telegram is asked again, but a
refusal now proves nothing (the lost first attempt may have returned the Stars), so the money is
never put back on that path: the payment stays `refunding` until Telegram or its transactions say so.

The Telegram call is passed in (`send_refund(user_id, charge_id)`), so these rules stay free of
Telegram: it returns when the Stars were refunded, raises RefundRefused when Telegram said no,
and raises anything else when the outcome is unknown.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.domain.errors import AlreadyApplied, DomainError, InsufficientBalance, NotFound
from bot.domain.payments import topup_reference
from bot.storage import ledger, payments
from bot.storage.db import Database
from bot.storage.ledger import LedgerKind
from bot.storage.payments import Payment, PaymentStatus

log = logging.getLogger(__name__)

SendRefund = Callable[[int, str], Awaitable[None]]
FindRefund = Callable[[str], Awaitable[bool]]  # whether the bot's Star transactions list this charge's refund


class RefundRefused(DomainError):
    """Telegram refused the refund; its reason is the message (the money was put back)."""


class RefundPending(DomainError):
    """Telegram did not answer: the payment stays `refunding`; run the refund again to finish it."""


@dataclass(frozen=True)
class Refunded:
    """A finished refund: the payment now, what was taken from the wallet, the balance after."""

    payment: Payment
    debit: int
    balance: int
    resumed: bool  # it finished a refund left `refunding` earlier (no second debit)


@dataclass(frozen=True)
class _Reserved:
    payment: Payment
    debit: int
    before: PaymentStatus
    resumed: bool


async def _reserve(db: Database, charge_id: str, *, admin_id: int, force: bool) -> _Reserved:
    """Check the payment and the balance, take the money and mark the payment `refunding`."""
    async with db.transaction() as conn:
        found = await payments.payment(conn, charge_id)
        if found is None:
            raise NotFound(f"no Stars payment with charge id {charge_id}")
        if found.status == PaymentStatus.REFUNDED:
            raise AlreadyApplied(f"Stars payment {charge_id} was already refunded")
        before = PaymentStatus.UNMATCHED if found.invoice_id is None else PaymentStatus.CREDITED
        if found.status == PaymentStatus.REFUNDING:
            return _Reserved(found, found.refund_debit or 0, before, resumed=True)
        rows = await ledger.by_reference(conn, topup_reference(charge_id))
        debit = found.amount + sum(r.amount for r in rows if r.kind == LedgerKind.TOPUP_BONUS)  # bonus goes back too
        if debit:
            current = await ledger.balance(conn, found.user_id)
            if current < debit and not force:
                raise InsufficientBalance(current, debit)  # spent already; `force` may take it below zero
            await ledger.add(conn, found.user_id, -debit, LedgerKind.ADMIN_ADJUSTMENT,
                             reference=topup_reference(charge_id), note="Stars refund", actor=admin_id)
        if not await payments.start_refund(conn, charge_id, expected=found.status, debit=debit, admin_id=admin_id):
            raise AlreadyApplied(f"Stars payment {charge_id} changed meanwhile")  # rolls the debit back
        return _Reserved(await payments.payment(conn, charge_id), debit, before, resumed=False)


async def _put_back(db: Database, reserved: _Reserved, *, admin_id: int) -> None:
    """Telegram said no: credit the reserved debit back and restore the payment's status."""
    charge_id = reserved.payment.charge_id
    async with db.transaction() as conn:
        if not await payments.undo_refund(conn, charge_id, reserved.before):
            return  # settled meanwhile by another attempt
        if reserved.debit:
            await ledger.add(conn, reserved.payment.user_id, reserved.debit, LedgerKind.ADMIN_ADJUSTMENT,
                             reference=topup_reference(charge_id), note="Stars refund refused: money put back",
                             actor=admin_id)


async def refund_topup(db: Database, charge_id: str, *, admin_id: int, send_refund: SendRefund,
                       find_refund: FindRefund | None = None, force: bool = False) -> Refunded:
    """Refund a Stars payment and take its credit back from the wallet.

    NotFound, AlreadyApplied (refunded before), InsufficientBalance (already spent; `force` takes
    it anyway, the balance may go below zero), RefundRefused (first attempt only: money put back),
    RefundPending (no clear answer, or a resumed attempt refused: the money stays taken).
    """
    reserved = await _reserve(db, charge_id, admin_id=admin_id, force=force)
    user_id = reserved.payment.user_id
    if reserved.resumed and find_refund is not None and await _listed(find_refund, charge_id):
        return await _finish(db, reserved)
    try:
        await send_refund(user_id, charge_id)
    except RefundRefused as exc:
        if reserved.resumed:  # the lost first attempt may have gone through: never credit twice
            log.warning("Stars refund %s: a resumed attempt was refused (%s); left refunding", charge_id, exc)
            raise RefundPending(f"Telegram refused a repeated refund of {charge_id}; still pending") from exc
        await _put_back(db, reserved, admin_id=admin_id)
        raise
    except Exception as exc:
        log.warning("Stars refund %s: no clear answer from Telegram (%s); left refunding", charge_id,
                    type(exc).__name__)
        raise RefundPending(f"Telegram did not confirm the refund of {charge_id}; try again") from exc
    return await _finish(db, reserved)


async def _listed(find_refund: FindRefund, charge_id: str) -> bool:
    """Whether the transactions list the refund; a failed look-up counts as not listed (Telegram is asked)."""
    try:
        return await find_refund(charge_id)
    except Exception as exc:
        log.warning("Stars refund %s: could not read the Star transactions (%s)", charge_id, type(exc).__name__)
        return False


async def _finish(db: Database, reserved: _Reserved) -> Refunded:
    charge_id, user_id = reserved.payment.charge_id, reserved.payment.user_id
    async with db.transaction() as conn:
        await payments.finish_refund(conn, charge_id)
        done = await payments.payment(conn, charge_id)
        balance = await ledger.balance(conn, user_id)
    return Refunded(payment=done, debit=reserved.debit, balance=balance, resumed=reserved.resumed)
