"""Status words of every panel's spelling -> one enum; unknown words stay raw, never an error."""

from __future__ import annotations

import difflib
import re

from bot.panel.models import OrderStatus, RefillStatus

_CLOSE = 0.85
_ORDER_WORDS: dict[str, OrderStatus] = {}
_REFILL_WORDS: dict[str, RefillStatus] = {}


def _spellings(table: dict, status, *words: str) -> None:
    for word in words:
        table[word] = status


_spellings(_ORDER_WORDS, OrderStatus.PENDING, "pending", "awaiting", "queued", "in queue", "waiting", "new",
           "order received", "received", "pending order", "not started", "on hold", "hold", "holding")
_spellings(_ORDER_WORDS, OrderStatus.IN_PROGRESS, "in progress", "inprogress", "processing", "progress",
           "in process", "started", "running", "in proccess", "proccessing", "processed", "inprocess",
           "in work", "working")
_spellings(_ORDER_WORDS, OrderStatus.COMPLETED, "completed", "complete", "done", "finished", "delivered",
           "success", "successful", "succeeded", "completado")
_spellings(_ORDER_WORDS, OrderStatus.PARTIAL, "partial", "partially completed", "partial completed",
           "partially", "partial complete", "partially complete", "partialy", "partial refund",
           "partially refunded")
_spellings(_ORDER_WORDS, OrderStatus.CANCELED, "canceled", "cancelled", "cancel", "canceled and refunded",
           "cancelled and refunded", "cancelled refunded", "canceled refunded")
_spellings(_ORDER_WORDS, OrderStatus.REFUNDED, "refunded", "refund", "fully refunded")
_spellings(_ORDER_WORDS, OrderStatus.FAILED, "fail", "failed", "failure")
_spellings(_ORDER_WORDS, OrderStatus.ACTIVE, "active")
_spellings(_ORDER_WORDS, OrderStatus.PAUSED, "paused", "pause")
_spellings(_ORDER_WORDS, OrderStatus.EXPIRED, "expired")

_spellings(_REFILL_WORDS, RefillStatus.PENDING, "pending", "awaiting", "queued", "in queue", "waiting", "new")
_spellings(_REFILL_WORDS, RefillStatus.IN_PROGRESS, "in progress", "inprogress", "processing", "progress",
           "in process", "started", "running")
_spellings(_REFILL_WORDS, RefillStatus.COMPLETED, "completed", "complete", "done", "finished", "success",
           "refilled")
# a refill the panel "Cancelled" was refused by it, whatever the word: a rejected refill
_spellings(_REFILL_WORDS, RefillStatus.REJECTED, "rejected", "reject", "refused", "denied", "declined",
           "fail", "failed", "error", "canceled", "cancelled", "cancel", "not eligible")


def status_key(raw: str) -> str:
    """'In_Progress ', 'in-progress', 'IN PROGRESS' -> 'in progress'."""
    return " ".join(re.split(r"[\s_-]+", raw.strip().lower())).strip()


def _lookup(table: dict, raw: str, unknown):
    """The word's status; a misspelling ("Compleated", "Cancled") is read when it is close to exactly one
    status's words (difflib ratio ≥ 0.85, words of 6+ letters) and to no other status's, else UNKNOWN."""
    key = status_key(raw)
    if key in table:
        return table[key]
    if len(key) < 6:
        return unknown
    close = {table[word] for word in difflib.get_close_matches(key, list(table), n=5, cutoff=_CLOSE)}
    return close.pop() if len(close) == 1 else unknown


def order_status(raw: str) -> OrderStatus:
    """A panel's order status word -> OrderStatus (UNKNOWN when the word is new to us)."""
    return _lookup(_ORDER_WORDS, raw, OrderStatus.UNKNOWN)


def refill_status(raw: str) -> RefillStatus:
    """A panel's refill status word -> RefillStatus (UNKNOWN when the word is new to us)."""
    return _lookup(_REFILL_WORDS, raw, RefillStatus.UNKNOWN)
