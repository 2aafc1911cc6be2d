"""Promo codes: admins make them, customers redeem each once for a credit to their wallet.

- A code credits its amount once per customer, while uses remain, up to and including its
  expiry day (UTC), unless an admin switched it off. Codes are case-insensitive (stored upper).
- Redemption is one transaction: the writer lock and BEGIN IMMEDIATE serialise redemptions, the
  use is taken with a guarded UPDATE, and the schema refuses a second redemption or a use beyond
  the limit anyway. So two customers racing for the last use: one is credited, one is told.
- Guessing is slowed twice: the chat's anti-flood drops bursts, and a customer with
  MAX_FAILED_ATTEMPTS failed attempts in FAILED_WINDOW is refused without the code being looked at.
  Unknown, switched-off, expired and used-up codes count as failures; one's own repeat does not.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from bot.domain.errors import DomainError, NotFound, WrongState
from bot.money import parse_amount
from bot.storage import ledger, users
from bot.storage import promo as store
from bot.storage.db import Database
from bot.storage.ledger import LedgerKind
from bot.storage.promo import PromoCode

MAX_FAILED_ATTEMPTS = 5
FAILED_WINDOW = timedelta(hours=1)
CODE_PATTERN = re.compile(r"[A-Z0-9_-]{3,32}", re.ASCII)
MAX_USES_LIMIT = 1_000_000

__all__ = ["CodeTaken", "Outcome", "PromoCode", "PromoSpec", "PromoSpecError", "Redemption", "create",
           "count_codes", "deactivate", "list_codes", "normalize_code", "parse_spec", "redeem", "redemption_totals"]


class Outcome(StrEnum):
    """How a redemption ended."""

    REDEEMED = "redeemed"
    UNKNOWN = "unknown"
    INACTIVE = "inactive"
    EXPIRED = "expired"
    USED_UP = "used_up"
    ALREADY_REDEEMED = "already_redeemed"
    TOO_MANY_ATTEMPTS = "too_many_attempts"


_FAILURES = (Outcome.UNKNOWN, Outcome.INACTIVE, Outcome.EXPIRED, Outcome.USED_UP)


@dataclass(frozen=True)
class Redemption:
    """The answer to one attempt: the outcome, and the credit and new balance when redeemed."""

    outcome: Outcome
    code: str
    amount: int = 0
    balance: int | None = None
    retry_after: timedelta | None = None  # TOO_MANY_ATTEMPTS: when the customer may try again

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.REDEEMED


@dataclass(frozen=True)
class PromoSpec:
    """A code an admin asked for: `/promo add <CODE> <amount> [max uses] [expires YYYY-MM-DD]`."""

    code: str
    amount: int
    max_uses: int | None = None
    expires_on: date | None = None


class PromoSpecError(ValueError):
    """An admin's /promo add arguments are wrong; `reason` names which (code, amount, ...)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class CodeTaken(DomainError):
    """A promo code with this name exists already (codes are never reused)."""


def normalize_code(text: str | None) -> str | None:
    """A typed code as stored (upper case), or None when it cannot be a code."""
    code = (text or "").strip().upper()
    return code if CODE_PATTERN.fullmatch(code) else None


def _today(now: datetime | None) -> date:
    return (now or datetime.now(UTC)).astimezone(UTC).date()


def parse_spec(args: list[str], *, today: date | None = None) -> PromoSpec:
    """<CODE> <amount> then, in any order, a number of uses and/or an expiry date; PromoSpecError otherwise."""
    if len(args) < 2 or len(args) > 4:
        raise PromoSpecError("usage")
    code = normalize_code(args[0])
    if code is None:
        raise PromoSpecError("code")
    try:
        amount = parse_amount(args[1])
    except ValueError:
        raise PromoSpecError("amount") from None
    if amount <= 0:
        raise PromoSpecError("amount")
    max_uses: int | None = None
    expires_on: date | None = None
    for extra in args[2:]:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", extra, re.ASCII) and expires_on is None:
            try:
                expires_on = date.fromisoformat(extra)
            except ValueError:
                raise PromoSpecError("expires") from None
            if expires_on < (today or _today(None)):
                raise PromoSpecError("expires_past")
        elif re.fullmatch(r"\d{1,7}", extra, re.ASCII) and max_uses is None:
            max_uses = int(extra)
            if not 1 <= max_uses <= MAX_USES_LIMIT:
                raise PromoSpecError("max_uses")
        else:
            raise PromoSpecError("usage")
    return PromoSpec(code, amount, max_uses, expires_on)


async def create(db: Database, spec: PromoSpec, *, actor: int) -> PromoCode:
    """Make a code (`actor` is kept as its author); CodeTaken when the name exists, even switched off."""
    try:
        async with db.transaction() as conn:
            made = await store.insert(conn, spec.code, spec.amount, max_uses=spec.max_uses,
                                      expires_on=spec.expires_on, created_by=actor)
    except sqlite3.IntegrityError:
        raise CodeTaken(f"promo code {spec.code} exists already") from None
    return made


async def deactivate(db: Database, code: str) -> PromoCode:
    """Switch a code off for good; NotFound / WrongState when there is nothing to switch off.

    The admin guard audits both commands with their arguments, so nothing is audited twice here.
    """
    name = normalize_code(code)
    async with db.transaction() as conn:
        found = await store.get(conn, name) if name else None
        if found is None:
            raise NotFound(f"no promo code {code!r}")
        if not await store.deactivate(conn, found.code):
            raise WrongState(f"promo code {found.code} is off already")
        return await store.get(conn, found.code)


async def list_codes(db: Database, limit: int = 50) -> list[PromoCode]:
    """Codes, newest first."""
    return await store.newest(db.conn, limit)


async def count_codes(db: Database) -> int:
    """How many codes exist (on or off)."""
    return await store.count(db.conn)


async def redemption_totals(
    db: Database, user_id: int | None = None, *, since: datetime | None = None
) -> tuple[int, int]:
    """(redemptions, minor units credited) of everyone or one customer, since a moment (None: ever)."""
    return await store.redemption_totals(db.conn, user_id=user_id, since=since)


def _refusal(found: PromoCode | None, today: date) -> Outcome | None:
    """Why this code cannot be redeemed today by anyone (None: it can)."""
    if found is None:
        return Outcome.UNKNOWN
    if not found.active:
        return Outcome.INACTIVE
    if found.expires_on is not None and found.expires_on < today:
        return Outcome.EXPIRED
    if found.uses_left == 0:
        return Outcome.USED_UP
    return None


async def redeem(db: Database, user_id: int, text: str, *, now: datetime | None = None) -> Redemption:
    """The customer types a code: credit it once, or say why not (see the module docstring)."""
    now = (now or datetime.now(UTC)).astimezone(UTC)
    normalized = normalize_code(text)
    code = normalized or (text or "").strip()[:32]  # as typed, for the answer only
    async with db.transaction() as conn:
        tries = await store.attempts(conn, user_id)
        if tries is not None and now - tries.window_start >= FAILED_WINDOW:
            tries = None  # an old window: start counting afresh
        if tries is not None and tries.failures >= MAX_FAILED_ATTEMPTS:
            return Redemption(Outcome.TOO_MANY_ATTEMPTS, code, retry_after=tries.window_start + FAILED_WINDOW - now)
        found = await store.get(conn, normalized) if normalized else None
        if found is not None and await store.redeemed(conn, found.id, user_id):
            return Redemption(Outcome.ALREADY_REDEEMED, found.code)
        refusal = _refusal(found, now.date())
        if refusal is None and not await store.take_use(conn, found.id):
            refusal = Outcome.USED_UP
        if refusal is not None:
            failures = (tries.failures if tries else 0) + 1
            await store.set_attempts(conn, user_id, failures, tries.window_start if tries else now)
            return Redemption(refusal, found.code if found else code)
        await users.ensure(conn, user_id)
        entry = await ledger.add(conn, user_id, found.amount, LedgerKind.PROMO, reference=f"promo:{found.code}",
                                 note=f"promo code {found.code}")
        await store.record_redemption(conn, found.id, user_id, found.amount, entry)
        await store.clear_attempts(conn, user_id)
        balance = await ledger.balance(conn, user_id)
    return Redemption(Outcome.REDEEMED, found.code, amount=found.amount, balance=balance)
