"""The referral program: personal links, attaching newcomers, commission on what orders kept.

- Every customer has a random personal code (never the Telegram id); their link is
  https://t.me/<bot username>?start=ref_<code>.
- A customer is attached to a referrer only at first contact (no users row yet), once and
  forever. Unknown codes, self-referral, loops and existing customers are refused silently.
- When an order of a referred customer becomes final, however it does (the sync, the chat's
  Refresh, an admin's refund: all go through statuses.apply_status or refunds.refund, which call
  `settle_order` in their own transaction), the referrer is credited REFERRAL_PERCENT of what the
  order kept (price minus refunds, half-up) as one `referral` ledger row referencing the order.
  A refund after that takes the difference back with a negative `referral` row, so an order's
  commission always equals percent × what it kept (the referrer's balance may go below zero).
- The percent is stored in the database at start-up (`set_percent`): settlement runs inside the
  order's transaction, far from the settings, and a restart with another percent applies it to
  orders settled from then on (0 switches commissions off).
- Referrers hear of a paying commission once, after the transaction that credited it: the Telegram
  layer polls `pending_notices` and calls `mark_announced` (bot/handlers/referrals.py). A take-back
  after that is not announced; one before it lowers what is announced (to nothing at 0).
"""

from __future__ import annotations

import logging
import re
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

import aiosqlite

from bot.storage import ledger, orders, users
from bot.storage import referrals as store
from bot.storage.db import Database
from bot.storage.ledger import LedgerKind, order_reference
from bot.storage.referrals import Commission, ProgramTotals
from bot.storage.users import User

log = logging.getLogger(__name__)

START_PREFIX = "ref_"
CODE_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no 0/o, 1/l: people copy links by hand too
CODE_LENGTH = 8
_CODE = re.compile(r"[a-z0-9]{4,32}", re.ASCII)
_CODE_TRIES = 5

__all__ = ["Commission", "CustomerReferrals", "ProgramTotals", "ReferralSummary", "arrive", "code_for",
           "commission_amount", "customer_referrals", "mark_announced", "pending_notices", "personal_link",
           "program_percent", "set_percent", "settle_order", "start_code", "summary", "totals"]


@dataclass(frozen=True)
class ReferralSummary:
    """What the customer's Referrals screen shows."""

    code: str
    referred: int
    earned: int  # minor, net of take-backs
    recent: list[Commission]


@dataclass(frozen=True)
class CustomerReferrals:
    """One customer's place in the program (admin /user)."""

    referrer: User | None
    referred: int
    earned: int


def personal_link(bot_username: str, code: str) -> str:
    """The customer's deep link (Telegram passes `ref_<code>` to /start)."""
    return f"https://t.me/{bot_username}?start={START_PREFIX}{code}"


def start_code(payload: str | None) -> str | None:
    """The referral code in a /start payload, or None when it is not a referral payload."""
    if not payload or not payload.startswith(START_PREFIX):
        return None
    code = payload[len(START_PREFIX):].lower()
    return code if _CODE.fullmatch(code) else None


def commission_amount(spent: int, percent: Decimal) -> int:
    """percent of spent (minor units), rounded half-up."""
    if spent <= 0 or percent <= 0:
        return 0
    return int((Decimal(spent) * percent / 100).to_integral_value(rounding=ROUND_HALF_UP))


async def set_percent(db: Database, percent: Decimal) -> None:
    """Store REFERRAL_PERCENT for the settlements to come (called at start-up)."""
    percent = Decimal(percent)
    if not percent.is_finite() or not 0 <= percent <= 100:
        raise ValueError("referral percent must be between 0 and 100")
    async with db.transaction() as conn:
        await store.set_program_percent(conn, percent)


async def program_percent(db: Database) -> Decimal:
    """The percent settlements use now (0: off)."""
    return await store.program_percent(db.conn)


async def code_for(db: Database, user_id: int) -> str:
    """The customer's personal code, made (randomly, once) the first time it is asked for."""
    existing = await store.code_of(db.conn, user_id)
    if existing is not None:
        return existing
    for _ in range(_CODE_TRIES):
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        try:
            async with db.transaction() as conn:
                mine = await store.code_of(conn, user_id)
                if mine is not None:  # made by a concurrent call meanwhile
                    return mine
                await users.ensure(conn, user_id)
                await store.insert_code(conn, user_id, code)
                return code
        except sqlite3.IntegrityError:
            continue  # another customer drew the same code: draw again
    raise RuntimeError("could not draw a free referral code")


async def arrive(db: Database, user_id: int, username: str | None, payload: str | None) -> bool:
    """A /start with a referral payload: attach a brand-new customer to the code's owner; whether attached."""
    code = start_code(payload)
    if code is None or await users.get(db.conn, user_id) is not None:
        return False  # checked before taking the writer lock too: a repeated /start costs one read
    async with db.transaction() as conn:
        if await users.get(conn, user_id) is not None:
            return False  # not their first contact: an existing customer is never (re)attached
        referrer = await store.owner_of(conn, code)
        if referrer is None or await store.in_upline(conn, referrer, user_id):
            return False
        await users.touch(conn, user_id, username)  # their first contact starts here, with the referrer
        attached = await store.attach(conn, user_id, referrer)
    if attached:
        log.info("customer %s attached to referrer %s", user_id, referrer)
    return attached


async def settle_order(conn: aiosqlite.Connection, order_id: int) -> int:
    """Inside the caller's transaction: make a final order's commission match what it kept; the change.

    Does nothing for open orders and customers nobody referred. The first settlement records the
    percent in force; later ones (a refund after the order was final) reuse it and take back.
    """
    order = await orders.get(conn, order_id)
    if order is None or not order.is_final or order.held:
        return 0  # open, or held for an admin: what it keeps is not known yet
    spent = max(order.price - order.refunded, 0)
    settled = await store.commission_of(conn, order.id)
    if settled is None:
        referrer = await store.referrer_of(conn, order.user_id)
        if referrer is None:
            return 0
        percent = await store.program_percent(conn)
        amount = commission_amount(spent, percent)
        # recorded even at 0: the order is settled, a later refund must not pay it at a newer percent
        await store.insert_commission(conn, order_id=order.id, referrer_id=referrer, user_id=order.user_id,
                                      percent=percent, spent=spent, amount=amount)
        if amount:
            await ledger.add(conn, referrer, amount, LedgerKind.REFERRAL, reference=order_reference(order.id),
                             note=f"{percent}% of order {order.id}")
        return amount
    due = commission_amount(spent, settled.percent)
    change = due - settled.amount
    if spent == settled.spent and change == 0:
        return 0
    await store.update_commission(conn, order.id, spent=spent, amount=due)
    if change:
        await ledger.add(conn, settled.referrer_id, change, LedgerKind.REFERRAL,
                         reference=order_reference(order.id), note=f"order {order.id} refunded after settlement")
    return change


async def pending_notices(db: Database, limit: int = 100) -> list[Commission]:
    """Paying commissions their referrer has not been told about yet, oldest first."""
    return await store.unannounced_commissions(db.conn, limit)


async def mark_announced(db: Database, order_id: int) -> None:
    """Never announce this order's commission again (told, or the referrer cannot be reached)."""
    async with db.transaction() as conn:
        await store.mark_announced(conn, order_id)


async def summary(db: Database, user_id: int, *, recent: int = 5) -> ReferralSummary:
    """The customer's code (made if needed), people brought, commission held, latest commissions."""
    code = await code_for(db, user_id)
    return ReferralSummary(
        code=code,
        referred=await store.count_referred(db.conn, user_id),
        earned=await store.earned(db.conn, user_id),
        recent=await store.recent_commissions(db.conn, user_id, recent),
    )


async def customer_referrals(db: Database, user_id: int) -> CustomerReferrals:
    """Who brought the customer, whom they brought, what they earned (for admins)."""
    referrer_id = await store.referrer_of(db.conn, user_id)
    return CustomerReferrals(
        referrer=await users.get(db.conn, referrer_id) if referrer_id is not None else None,
        referred=await store.count_referred(db.conn, user_id),
        earned=await store.earned(db.conn, user_id),
    )


async def totals(db: Database, since: datetime | None = None) -> ProgramTotals:
    """The whole program's counts and money since a moment (None: ever), for admins."""
    return await store.totals(db.conn, since)
