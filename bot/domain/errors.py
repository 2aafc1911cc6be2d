"""Errors of domain rules; their messages are short English lines safe to show an admin."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the shop said no."""


class NotFound(DomainError):
    """No such order, user, service or refill (or it is not this customer's)."""


class WrongState(DomainError):
    """The thing exists but is not in a state that allows this action."""


class InsufficientBalance(DomainError):
    """The wallet does not cover the amount."""

    def __init__(self, balance: int, needed: int) -> None:
        super().__init__(f"balance {balance} does not cover {needed} (minor units)")
        self.balance = balance
        self.needed = needed


class LimitExceeded(DomainError):
    """An amount goes beyond what is allowed (e.g. refunding more than the price)."""


class AlreadyApplied(DomainError):
    """This reference was already recorded once (e.g. a payment credited twice)."""
