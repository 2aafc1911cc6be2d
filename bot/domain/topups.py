"""Top-ups of the Crypto Pay, card and manual methods: record first, credit exactly once, close, refund.

Every credit is one transaction: a conditional status move (open → credited) in `topups` and the
ledger rows (TOPUP, and TOPUP_BONUS when the bonus rule applies) naming the method and the
provider's id. Whoever comes second — a webhook after the poll, a second admin pressing Approve,
a report replayed after a restart — finds the row credited and credits nothing (first_time False).
Nothing here knows Telegram or HTTP; the methods' provider calls are in bot/payments/.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from bot.config_payments import BonusRule
from bot.domain.errors import AlreadyApplied, InsufficientBalance, NotFound, WrongState
from bot.domain.topup_money import Conversion, bonus
from bot.storage import ledger, topups, users
from bot.storage.clock import now_text
from bot.storage.db import Database
from bot.storage.ledger import LedgerKind
from bot.storage.topups import OPEN, Topup, TopupStatus

log = logging.getLogger(__name__)

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed into bank apps


def new_reference(prefix: str, length: int = 8) -> str:
    """A fresh unguessable reference such as `PAY-7KQ2M9XA` (unique in the table)."""
    return f"{prefix}-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def ledger_reference(topup: Topup) -> str:
    """The ledger reference of a top-up's credit, bonus and refund: method and the provider's id."""
    return f"{topup.method}:{topup.external_id or topup.reference}"


def expiry(seconds: float) -> str:
    return (datetime.now(UTC) + timedelta(seconds=seconds)).isoformat(timespec="seconds")


async def record(db: Database, *, method: str, user_id: int, conversion: Conversion, prefix: str,
                 status: TopupStatus, expires_in: float | None) -> Topup:
    """Write a top-up before anyone is asked to pay it."""
    async with db.transaction() as conn:
        await users.ensure(conn, user_id)
        return await topups.insert(
            conn, method=method, user_id=user_id, reference=new_reference(prefix), amount=conversion.credit,
            pay_amount=conversion.pay, pay_currency=conversion.currency, rate=conversion.rate, status=status,
            expires_at=expiry(expires_in) if expires_in else None)


async def opened(db: Database, topup_id: int, *, external_id: str | None = None, pay_url: str | None = None) -> bool:
    """The provider created it: `creating` → `pending` with its id and pay link."""
    async with db.transaction() as conn:
        fields: dict[str, object] = {}
        if external_id is not None:
            fields["external_id"] = external_id
        if pay_url is not None:
            fields["pay_url"] = pay_url
        return await topups.move(conn, topup_id, TopupStatus.PENDING, expected=(TopupStatus.CREATING,), **fields)


@dataclass(frozen=True)
class Settled:
    """A credit decided: the row now, what went to the wallet (bonus apart), the balance after."""

    topup: Topup
    credited: int
    bonus: int
    balance: int
    first_time: bool


async def credit(db: Database, topup_id: int, *, rule: BonusRule | None, amount: int | None = None,
                 external_id: str | None = None, actor: int | None = None,
                 also_from: Collection[TopupStatus] = (), paid_with: tuple[str, Decimal] | None = None) -> Settled:
    """Credit a top-up once: `amount` (default: the row's) plus the bonus; a repeat credits nothing.

    NotFound; WrongState when it was closed (rejected, expired, failed) and not in `also_from`.
    """
    async with db.transaction() as conn:
        row = await topups.get(conn, topup_id)
        if row is None:
            raise NotFound(f"no top-up {topup_id}")
        if row.status in (TopupStatus.CREDITED, TopupStatus.REFUNDING, TopupStatus.REFUNDED):
            return Settled(row, row.credited or 0, row.bonus or 0, await ledger.balance(conn, row.user_id), False)
        expected = (*OPEN, *also_from)
        if row.status not in expected:
            raise WrongState(f"top-up {topup_id} is {row.status}")
        paid = row.amount if amount is None else amount
        extra = bonus(rule, paid)
        fields: dict[str, object] = {"credited": paid, "bonus": extra, "decided_by": actor,
                                     "settled_at": now_text()}
        if external_id is not None and row.external_id is None:
            fields["external_id"] = external_id
        if paid_with is not None:  # what the customer actually paid in (a Crypto Pay refund sends it back)
            fields["paid_asset"], fields["paid_amount"] = paid_with[0], str(paid_with[1])
        if not await topups.move(conn, topup_id, TopupStatus.CREDITED, expected=expected, **fields):
            raise WrongState(f"top-up {topup_id} changed meanwhile")  # cannot happen under the write lock
        row = await topups.get(conn, topup_id)
        reference = ledger_reference(row)
        if paid > 0:
            await ledger.add(conn, row.user_id, paid, LedgerKind.TOPUP, reference=reference, note=row.method,
                             actor=actor)
        if extra > 0:
            await ledger.add(conn, row.user_id, extra, LedgerKind.TOPUP_BONUS, reference=reference,
                             note=row.method, actor=actor)
        return Settled(row, paid, extra, await ledger.balance(conn, row.user_id), True)


async def close(db: Database, topup_id: int, status: TopupStatus, *, actor: int | None = None,
                note: str | None = None) -> Topup | None:
    """Close an open top-up (expired, rejected, failed); None when it was no longer open."""
    async with db.transaction() as conn:
        if not await topups.move(conn, topup_id, status, expected=OPEN, decided_by=actor, note=note,
                                 settled_at=now_text()):
            return None
        return await topups.get(conn, topup_id)


async def expire_due(db: Database, method_prefix: str, statuses: Collection[TopupStatus] = OPEN) -> list[Topup]:
    """Close every open top-up of these methods past its expiry; the ones closed now."""
    due = await topups.expired_open(db.conn, now_text(), statuses)
    closed = []
    for row in due:
        if not row.method.startswith(method_prefix):
            continue
        done = await close(db, row.id, TopupStatus.EXPIRED)
        if done is not None:
            closed.append(done)
    return closed


@dataclass(frozen=True)
class Refund:
    topup: Topup
    debit: int
    balance: int


async def refund_by_debit(db: Database, topup_id: int, *, admin_id: int, note: str, force: bool = False) -> Refund:
    """Take a credited top-up (and its bonus) back from the wallet, once; the money goes back outside the bot."""
    async with db.transaction() as conn:
        row = await topups.get(conn, topup_id)
        if row is None:
            raise NotFound(f"no top-up {topup_id}")
        if row.status == TopupStatus.REFUNDED:
            raise AlreadyApplied(f"top-up {topup_id} was already refunded")
        if row.status != TopupStatus.CREDITED:
            raise WrongState(f"top-up {topup_id} is {row.status}, not credited")
        debit = (row.credited or 0) + (row.bonus or 0)
        current = await ledger.balance(conn, row.user_id)
        if current < debit and not force:
            raise InsufficientBalance(current, debit)
        if not await topups.move(conn, topup_id, TopupStatus.REFUNDED, expected=(TopupStatus.CREDITED,),
                                 decided_by=admin_id, note=note[:200]):
            raise AlreadyApplied(f"top-up {topup_id} changed meanwhile")
        if debit:
            await ledger.add(conn, row.user_id, -debit, LedgerKind.ADMIN_ADJUSTMENT, reference=ledger_reference(row),
                             note=f"refund: {note}"[:200], actor=admin_id)
        return Refund(await topups.get(conn, topup_id), debit, await ledger.balance(conn, row.user_id))


async def receipt_received(db: Database, topup_id: int, chat_id: int, message_id: int) -> bool:
    """A manual top-up's receipt arrived: `pending` → `receipt`; False when it had one already (or closed)."""
    async with db.transaction() as conn:
        return await topups.move(conn, topup_id, TopupStatus.RECEIPT, expected=(TopupStatus.PENDING,),
                                 receipt_chat=chat_id, receipt_msg=message_id)


async def card_posted(db: Database, topup_id: int, chat_id: int, message_id: int) -> None:
    """Where the admin card of a manual top-up is (to edit it when decided)."""
    async with db.transaction() as conn:
        await topups.set_card(conn, topup_id, chat_id, message_id)


async def mark_notified(db: Database, topup_id: int) -> None:
    async with db.transaction() as conn:
        await topups.mark_notified(conn, topup_id)


async def untold(db: Database, days: int = 7) -> list[Settled]:
    """Credits whose notice a stop swallowed (within `days`), as Settled to announce again."""
    since = (datetime.now(UTC) - timedelta(days=days)).isoformat(timespec="seconds")
    found = []
    for row in await topups.untold(db.conn, since):
        found.append(Settled(row, row.credited or 0, row.bonus or 0, await ledger.balance(db.conn, row.user_id),
                             first_time=False))
    return found


async def get(db: Database, topup_id: int) -> Topup | None:
    return await topups.get(db.conn, topup_id)


async def by_reference(db: Database, reference: str) -> Topup | None:
    return await topups.by_reference(db.conn, reference)


async def open_of(db: Database, *, method: str | None = None, method_prefix: str | None = None,
                  statuses: Collection[TopupStatus] = OPEN, user_id: int | None = None) -> list[Topup]:
    return await topups.in_status(db.conn, statuses, method=method, method_prefix=method_prefix, user_id=user_id)


async def user_topups(db: Database, user_id: int, limit: int = 10) -> list[Topup]:
    return await topups.user_topups(db.conn, user_id, limit)


@dataclass(frozen=True)
class MethodTotal:
    method: str
    count: int
    credited: int
    bonus: int


async def totals_since(db: Database, since: datetime) -> list[MethodTotal]:
    """Top-ups credited since `since`, per method, Stars included."""
    from bot.storage import payments as stars_store

    stamp = since.astimezone(UTC).isoformat(timespec="seconds")
    rows = [MethodTotal(*row) for row in await topups.credited_since(db.conn, stamp)]
    count, amount, extra = await stars_store.credited_since(db.conn, stamp)
    if count:
        rows.insert(0, MethodTotal("stars", count, amount, extra))
    return rows


def pay_text(amount: Decimal, currency: str) -> str:
    """An exact payment-currency amount as shown: `476.20 RUB`."""
    return f"{amount:f} {currency}"
