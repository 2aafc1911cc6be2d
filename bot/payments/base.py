"""The one interface every payment method implements (implementations in bot/payments/adapters.py).

    create(db, user_id, requested)      price the amount, write the record BEFORE anyone is asked to
                                        pay, ask the provider where it has an API → Created
    learn(db)                           ask the provider what was paid meanwhile (poll / sweep) and
                                        credit it → what changed now (first credits, closings)
    (credit)                            every path that learns of a payment — learn(), a webhook, a
                                        successful_payment, an admin's Approve — ends in the same
                                        once-only credit (bot/domain/topups.credit, payments.record_payment)
    refund(db, ref, admin_id, force,    give the money back where the method can (`refundable`)
           note)

Telegram and HTTP stay outside: what a method needs from them (getStarTransactions,
refundStarPayment, the Crypto Pay client) is passed in when it is built, as the domain's other
rules take their provider calls (bot/domain/payment_refunds.py).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from bot.domain.errors import DomainError
from bot.payments.methods import Method
from bot.storage.db import Database


class NotRefundable(DomainError):
    """This method has no way to give money back (card providers in the Bot API)."""


@dataclass(frozen=True)
class Created:
    """A payment ready to be paid: our reference (the payload), what it credits, what it costs."""

    reference: str
    credit: int            # minor units of the shop currency
    pay: Decimal           # in `currency`, exact
    pay_units: int         # the same in the currency's smallest units (Telegram's total_amount)
    currency: str
    pay_url: str | None = None
    record_id: int | None = None


@dataclass(frozen=True)
class Learned:
    """A payment the provider reported when asked: credited now for the first time, or closed unpaid.

    `detail` is the method's own record of it (its notices need more than the common fields).
    """

    user_id: int
    amount: int            # credited now, bonus apart (0 when closed or unmatched)
    bonus: int
    reference: str
    credited: bool
    detail: Any = None


@dataclass(frozen=True)
class Refunded:
    """A refund done: what left the wallet, the balance after, whether it finished an earlier try."""

    user_id: int
    debit: int
    balance: int
    resumed: bool = False
    detail: Any = None


class PaymentMethod(ABC):
    """A payment method: see the module docstring."""

    def __init__(self, method: Method) -> None:
        self.method = method

    @property
    def refundable(self) -> bool:
        return self.method.refundable

    @abstractmethod
    async def create(self, db: Database, user_id: int, requested: int) -> Created:
        """Record a payment of `requested` minor units for this customer (and open it at the provider)."""

    async def learn(self, db: Database) -> list[Learned]:
        """Credit what the provider reports paid; methods whose payments are pushed to us have nothing to ask."""
        return []

    async def refund(self, db: Database, reference: str, *, admin_id: int, force: bool = False,
                     note: str = "refund") -> Refunded:
        """Give a credited payment back (`force`: even when the wallet no longer covers it); NotRefundable
        unless the method can."""
        raise NotRefundable(f"{self.method.name} payments cannot be refunded by the bot")
