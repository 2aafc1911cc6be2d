"""Status words of every panel's spelling -> one enum; unknown words stay raw, never an error."""

from __future__ import annotations

import re

from bot.panel.models import OrderStatus, RefillStatus

_ORDER_WORDS: dict[str, OrderStatus] = {}
_REFILL_WORDS: dict[str, RefillStatus] = {}


def _spellings(table: dict, status, *words: str) -> None:
    for word in words:
        table[word] = status


_spellings(_ORDER_WORDS, OrderStatus.PENDING, "pending", "awaiting", "queued", "in queue", "waiting", "new")
_spellings(_ORDER_WORDS, OrderStatus.IN_PROGRESS, "in progress", "inprogress", "processing", "progress",
           "in process", "started", "running")
_spellings(_ORDER_WORDS, OrderStatus.COMPLETED, "completed", "complete", "done", "finished", "delivered",
           "success")
_spellings(_ORDER_WORDS, OrderStatus.PARTIAL, "partial", "partially completed", "partial completed",
           "partially")
_spellings(_ORDER_WORDS, OrderStatus.CANCELED, "canceled", "cancelled", "cancel")
_spellings(_ORDER_WORDS, OrderStatus.REFUNDED, "refunded", "refund")
_spellings(_ORDER_WORDS, OrderStatus.FAILED, "fail", "failed", "failure")
_spellings(_ORDER_WORDS, OrderStatus.ACTIVE, "active")
_spellings(_ORDER_WORDS, OrderStatus.PAUSED, "paused", "pause")
_spellings(_ORDER_WORDS, OrderStatus.EXPIRED, "expired")

_spellings(_REFILL_WORDS, RefillStatus.PENDING, "pending", "awaiting", "queued", "in queue", "waiting", "new")
_spellings(_REFILL_WORDS, RefillStatus.IN_PROGRESS, "in progress", "inprogress", "processing", "progress",
           "in process", "started", "running")
_spellings(_REFILL_WORDS, RefillStatus.COMPLETED, "completed", "complete", "done", "finished", "success",
           "refilled")
_spellings(_REFILL_WORDS, RefillStatus.REJECTED, "rejected", "reject", "refused", "denied", "declined",
           "fail", "failed", "error")
_spellings(_REFILL_WORDS, RefillStatus.CANCELED, "canceled", "cancelled", "cancel")


def status_key(raw: str) -> str:
    """'In_Progress ', 'in-progress', 'IN PROGRESS' -> 'in progress'."""
    return " ".join(re.split(r"[\s_-]+", raw.strip().lower())).strip()


def order_status(raw: str) -> OrderStatus:
    """A panel's order status word -> OrderStatus (UNKNOWN when the word is new to us)."""
    return _ORDER_WORDS.get(status_key(raw), OrderStatus.UNKNOWN)


def refill_status(raw: str) -> RefillStatus:
    """A panel's refill status word -> RefillStatus (UNKNOWN when the word is new to us)."""
    return _REFILL_WORDS.get(status_key(raw), RefillStatus.UNKNOWN)
