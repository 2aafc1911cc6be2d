"""Answers to what is asked about a placed order (refill, refill_status, cancel) -> typed models,
in every shape the panels send: single or multi, object keyed by id or list of objects naming it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.panel.answers import UNREADABLE, BadAnswer, collect, entries_by_id, single
from bot.panel.models import CancelResult, EntryError, RefillState, RefillStatus
from bot.panel.refusals import error_message
from bot.panel.statuses import refill_status
from bot.panel.values import BadValue, lookup, optional_text, to_flag, to_id, to_text

_NO_WORDS = frozenset({"", "0", "false", "no"})  # a cancel flag that says no


def refill_id(order_id: str, entry: Any) -> str | EntryError:
    """One refill-creation entry -> the refill id, or an EntryError."""
    value = entry
    if isinstance(entry, dict):
        message = error_message(entry)
        if message is not None:
            return EntryError(id=order_id, message=message)
        value = lookup(entry, "refill", "refill_id", "id")
    if isinstance(value, dict):
        return EntryError(id=order_id, message=error_message(value) or UNREADABLE)
    if value is None or isinstance(value, bool | list):
        return EntryError(id=order_id, message=UNREADABLE)
    try:
        return to_id(value)
    except BadValue:
        return EntryError(id=order_id, message=UNREADABLE)


def parse_refill_id(panel: str, order_id: str, body: Any) -> str:
    """Single refill answer (`{"refill": "1"}`, `{"success":..., "refill": 12345}`, ...) -> id."""
    if isinstance(body, list) or (isinstance(body, dict) and order_id in body and "refill" not in body):
        body = entries_by_id(body, ("order", "id")).get(order_id)
    return single(panel, refill_id(order_id, body), "no refill id in the answer")


def parse_refill_ids(ids: Sequence[str], body: Any) -> dict[str, str | EntryError]:
    """Multi refill answer -> {order id: refill id | EntryError}."""
    return collect(ids, entries_by_id(body, ("order", "order_id")), refill_id)


def refill_state(refill: str, entry: Any) -> RefillState | EntryError:
    """One refill-status entry (`{"status": "Completed"}`, nested error, bare word)."""
    value = entry
    if isinstance(entry, dict):
        message = error_message(entry)
        if message is not None:
            return EntryError(id=refill, message=message)
        value = entry.get("status")
    if isinstance(value, dict):
        return EntryError(id=refill, message=error_message(value) or UNREADABLE)
    if not isinstance(value, str | int) or isinstance(value, bool):
        return EntryError(id=refill, message=UNREADABLE)
    word = to_text(value)
    status = refill_status(word)
    if status is RefillStatus.UNKNOWN and not isinstance(entry, dict):
        return EntryError(id=refill, message=word or UNREADABLE)  # a bare string that is no status
    return RefillState(refill_id=refill, status=status, status_raw=word)


def parse_refill_state(panel: str, refill: str, body: Any) -> RefillState:
    """Single refill status answer -> RefillState; an error -> PanelRefused."""
    if isinstance(body, list) or (isinstance(body, dict) and "status" not in body and refill in body):
        body = entries_by_id(body, ("refill", "id")).get(refill)
    return single(panel, refill_state(refill, body), "no refill status in the answer")


def parse_refill_states(ids: Sequence[str], body: Any) -> dict[str, RefillState | EntryError]:
    """Multi refill status answer -> {refill id: RefillState | EntryError}."""
    return collect(ids, entries_by_id(body, ("refill", "id", "refill_id")), refill_state)


def cancel_result(order_id: str, entry: Any) -> CancelResult | EntryError:
    """One cancel entry: `{"cancel": 1}`, `{"success": ...}`, `{"status": "success", ...}`, errors."""
    if not isinstance(entry, dict):
        if to_flag(entry):
            return CancelResult(order_id=order_id)
        return EntryError(id=order_id, message=to_text(entry) or UNREADABLE)
    message = error_message(entry)
    if message is not None:
        return EntryError(id=order_id, message=message)
    if "cancel" in entry:
        value = entry["cancel"]
        if isinstance(value, dict):
            return EntryError(id=order_id, message=error_message(value) or UNREADABLE)
        if not to_flag(value) and not (isinstance(value, str) and value.strip().lower() not in _NO_WORDS):
            return EntryError(id=order_id, message="the panel did not accept the cancel")
    said = lookup(entry, "message", "success")
    return CancelResult(order_id=order_id, message=optional_text(said) if isinstance(said, str) else None)


def parse_cancel(panel: str, order_id: str, body: Any) -> CancelResult:
    """Single cancel answer, whichever of the list or object shapes the panel chose."""
    if isinstance(body, list) or (isinstance(body, dict) and order_id in body):
        body = entries_by_id(body, ("order", "id")).get(order_id)
        if body is None:
            raise BadAnswer("the cancel answer does not mention the order")
    return single(panel, cancel_result(order_id, body), "unreadable cancel answer")


def parse_cancels(ids: Sequence[str], body: Any) -> dict[str, CancelResult | EntryError]:
    """Multi cancel answer -> {order id: CancelResult | EntryError}."""
    return collect(ids, entries_by_id(body, ("order", "id", "order_id")), cancel_result)
