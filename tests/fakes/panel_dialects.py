"""How each documented panel shapes its answers (named after docs 000-004 in shared/panel-api-docs).

folgen = 000 smmfolgen, server = 001 smmserver, proxy = 002 smmproxy, gen = 003 smmgen,
sofia = 004 smmsofia. Differences reproduced: id types, number types, flag encodings, field
names, status spellings, refill/cancel answer shapes, error extras, and doc 001's lenient JSON.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

DIALECTS = ("folgen", "server", "proxy", "gen", "sofia")


@dataclass(frozen=True)
class Dialect:
    name: str
    string_ids: bool = False  # order ids in `add` answers as "23501"
    float_charge: bool = False  # charge as a JSON number (0.08011655652)
    number_rates: bool = False  # rate/min/max as JSON numbers
    flags: str = "bool"  # bool | str01 | int01
    desc_field: str | None = None  # "desc" / "description" / none
    snake_types: bool = False  # "custom_comments" instead of "Custom Comments"
    trailing_commas: bool = False  # doc 001's services body
    canceled_word: str = "Canceled"
    in_progress_word: str = "In progress"
    cancel_reads: str = "orders"  # the single-cancel field this panel reads: "order" or "orders"
    single_refill: str = "plain"  # plain {"refill": "1"} | success {..., "refill": 12345} | status200
    single_cancel: str = "list"  # list | success | status_success
    error_code: bool = False  # doc 002: {"error": ..., "status": "104"}
    runs_entries: bool = False  # doc 002: drip-feed orders answer {"status", "runs"}


_ALL = {
    "folgen": Dialect("folgen", flags="bool"),
    "server": Dialect("server", string_ids=True, float_charge=True, desc_field="description",
                      snake_types=True, trailing_commas=True, canceled_word="Cancelled",
                      cancel_reads="order", single_refill="success", single_cancel="success"),
    "proxy": Dialect("proxy", number_rates=True, desc_field="desc", in_progress_word="In Progress",
                     cancel_reads="order", single_refill="status200", single_cancel="status_success",
                     error_code=True, runs_entries=True),
    "gen": Dialect("gen", flags="str01"),
    "sofia": Dialect("sofia", flags="int01", desc_field="description"),
}


def dialect(name: str) -> Dialect:
    """The dialect called `name`; ValueError for an unknown one."""
    if name not in _ALL:
        raise ValueError(f"unknown dialect {name!r}; choose from {', '.join(DIALECTS)}")
    return _ALL[name]


def dumps(value: Any, d: Dialect | None = None) -> str:
    """JSON text; for doc 001's dialect with the trailing commas that panel really sends."""
    text = json.dumps(value, indent=1, ensure_ascii=False)
    if d is not None and d.trailing_commas:
        text = re.sub(r'([^\s{\[,])\n(\s*[}\]])', r"\1,\n\2", text)
    return text


def spell(d: Dialect, status: str) -> str:
    """A status word in this panel's spelling."""
    key = status.strip().lower()
    if key in ("canceled", "cancelled"):
        return d.canceled_word
    if key == "in progress":
        return d.in_progress_word
    return status


def _flag(d: Dialect, value: bool) -> Any:
    return {"bool": value, "str01": "1" if value else "0", "int01": 1 if value else 0}[d.flags]


def service_entry(d: Dialect, svc: dict) -> dict:
    """One catalogue entry in this panel's shape."""
    kind = str(svc.get("type", "Default"))
    entry: dict[str, Any] = {
        "service": int(svc["service"]) if str(svc["service"]).isdigit() else svc["service"],
        "name": svc["name"],
        "type": "_".join(kind.lower().split()) if d.snake_types else kind,
        "category": svc.get("category", ""),
        "rate": float(Decimal(str(svc["rate"]))) if d.number_rates else str(svc["rate"]),
        "min": int(svc["min"]) if d.number_rates else str(svc["min"]),
        "max": int(svc["max"]) if d.number_rates else str(svc["max"]),
    }
    if d.desc_field and svc.get("desc"):
        entry[d.desc_field] = svc["desc"]
    for flag in ("dripfeed", "refill", "cancel"):
        entry[flag] = _flag(d, bool(svc.get(flag, False)))
    return entry


def money(d: Dialect, amount: Decimal) -> Any:
    return float(amount) if d.float_charge else f"{amount:.5f}"


def order_id(d: Dialect, oid: str) -> Any:
    return oid if d.string_ids or not oid.isdigit() else int(oid)


def error(d: Dialect, message: str, code: str = "104") -> dict:
    """An error object in this panel's shape."""
    return {"error": message, "status": code} if d.error_code else {"error": message}


def refill_created(d: Dialect, refill_id: str) -> dict:
    if d.single_refill == "success":
        return {"success": "Your order will be refill asap. Thank you for patience",
                "refill": int(refill_id)}
    if d.single_refill == "status200":
        return {"refill": refill_id, "status": 200, "message": "Refill has been placed successfully!"}
    return {"refill": refill_id}


def cancel_accepted(d: Dialect) -> dict:
    if d.single_cancel == "success":
        return {"success": "We will attempt to cancel this order. Cancellation is not guaranteed."}
    return {"status": "success", "message": "Cancellation request added, we'll try our best to cancel it."}
