"""The demo panel's books: orders and refills that move on with time, and its API v2 answers.

Nothing here is stored: a restart of the bot restarts the demo panel empty (the shop's own
database keeps its orders; the demo answers "Incorrect order ID" for ones it no longer knows,
which the sync counts as misses like a real panel's). Every order moves one step each `step`
seconds: Pending (1 step) → In progress (5 steps, remains falling) → final. The final status
follows the order's number, so an operator trying the shop sees every outcome: every 7th
order ends Canceled (nothing charged), every 3rd Partial (a third undelivered), the rest
Completed. Refills: Pending → In progress → Completed, one step each.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from bot.panel.demo_catalogue import DEMO_BALANCE, DEMO_CURRENCY, DEMO_SERVICES
from bot.panel.order_types import PACKAGE_TYPES, parse_order_type

IN_PROGRESS_STEPS = 5
_CENT = Decimal("0.00001")
_BY_QUANTITY_LIST = {"comments": "\n", "usernames": "\n"}  # types without quantity: count the lines


class DemoRefusal(Exception):
    """An `{"error": ...}` answer."""


@dataclass
class DemoOrder:
    id: int
    number: int  # 1 for the demo's first order, 2 for the next...
    service: dict
    quantity: int
    charge: Decimal
    created: float
    canceled_at: float | None = None
    refills: list[int] = field(default_factory=list)

    def outcome(self) -> str:
        if self.number % 7 == 0:
            return "Canceled"
        if self.number % 3 == 0 and self.quantity >= 3:
            return "Partial"
        return "Completed"


@dataclass
class DemoRefill:
    id: int
    order_id: int
    created: float


def _quantity(kind: str, form: dict[str, str]) -> int:
    if "quantity" in form:
        try:
            return int(form["quantity"])
        except ValueError:
            raise DemoRefusal("Incorrect quantity") from None
    for name in ("comments", "usernames"):
        if form.get(name):
            return len([line for line in form[name].splitlines() if line.strip()])
    return 1


class DemoBook:
    """The demo panel's state; `clock` is time.monotonic unless a test brings its own."""

    def __init__(self, step_seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.step = step_seconds
        self.clock = clock
        self.balance = Decimal(DEMO_BALANCE)
        self.services = {str(s["service"]): s for s in DEMO_SERVICES}
        self.orders: dict[str, DemoOrder] = {}
        self.refills: dict[str, DemoRefill] = {}
        self._next_order = 7001
        self._next_refill = 301

    # --- actions ----------------------------------------------------------------------------
    def answer(self, action: str, form: dict[str, str]) -> Any:
        """The body of one API v2 request (the key already checked)."""
        handlers = {"services": lambda: DEMO_SERVICES, "balance": self._balance, "add": lambda: self._add(form),
                    "status": lambda: self._status(form), "refill": lambda: self._refill(form),
                    "refill_status": lambda: self._refill_status(form), "cancel": lambda: self._cancel(form)}
        handler = handlers.get(action)
        if handler is None:
            return {"error": "Incorrect request"}
        try:
            return handler()
        except DemoRefusal as refusal:
            return {"error": str(refusal)}

    def _balance(self) -> dict:
        return {"balance": str(self.balance.quantize(_CENT)), "currency": DEMO_CURRENCY}

    def _add(self, form: dict[str, str]) -> dict:
        service = self.services.get(form.get("service", ""))
        if service is None:
            raise DemoRefusal("Incorrect service ID")
        kind = parse_order_type(service["type"])
        if not (form.get("link") or form.get("username")):
            raise DemoRefusal("Incorrect link")
        quantity = _quantity(service["type"], form)
        if quantity < service["min"]:
            raise DemoRefusal(f"Quantity less than minimal {service['min']}")
        if quantity > service["max"]:
            raise DemoRefusal(f"Quantity more than maximum {service['max']}")
        rate = Decimal(service["rate"])
        charge = rate if kind in PACKAGE_TYPES else rate * quantity / 1000
        charge = charge.quantize(_CENT, ROUND_HALF_UP)
        if charge > self.balance:
            raise DemoRefusal("Not enough funds on balance")
        self.balance -= charge
        order_id = self._next_order
        self._next_order += 1
        self.orders[str(order_id)] = DemoOrder(order_id, len(self.orders) + 1, service, quantity, charge,
                                               self.clock())
        return {"order": order_id}

    def order_state(self, order: DemoOrder) -> dict:
        now = self.clock()
        steps = (now - order.created) / self.step
        start_count = 100 + (order.number * 137) % 5000
        status, remains, charge = "Pending", order.quantity, order.charge
        if order.canceled_at is not None:
            status = "Canceled"
        elif steps >= 1 + IN_PROGRESS_STEPS:
            status = order.outcome()
            remains = {"Completed": 0, "Partial": order.quantity // 3, "Canceled": order.quantity}[status]
        elif steps >= 1:
            status = "In progress"
            remains = max(1, int(order.quantity * (1 - (steps - 1) / IN_PROGRESS_STEPS)))
        if status == "Canceled":
            charge = Decimal(0)
        elif status == "Partial":
            charge = (order.charge * (order.quantity - remains) / order.quantity).quantize(_CENT, ROUND_HALF_UP)
        return {"charge": str(charge), "start_count": str(start_count), "status": status,
                "remains": str(remains), "currency": DEMO_CURRENCY}

    def _status(self, form: dict[str, str]) -> dict:
        if "orders" in form:
            return {oid: (self.order_state(self.orders[oid]) if oid in self.orders
                          else {"error": "Incorrect order ID"}) for oid in form["orders"].split(",")}
        order = self.orders.get(form.get("order", ""))
        if order is None:
            raise DemoRefusal("Incorrect order ID")
        return self.order_state(order)

    def _refill_one(self, oid: str) -> int | dict:
        order = self.orders.get(oid)
        if order is None:
            return {"error": "Incorrect order ID"}
        if not order.service["refill"]:
            return {"error": "Refill is disabled for this service"}
        if self.order_state(order)["status"] not in ("Completed", "Partial"):
            return {"error": "The order is not completed yet"}
        refill_id = self._next_refill
        self._next_refill += 1
        self.refills[str(refill_id)] = DemoRefill(refill_id, order.id, self.clock())
        order.refills.append(refill_id)
        return refill_id

    def _refill(self, form: dict[str, str]) -> Any:
        if "orders" in form:
            return [{"order": int(oid) if oid.isdigit() else oid, "refill": self._refill_one(oid)}
                    for oid in form["orders"].split(",")]
        result = self._refill_one(form.get("order", ""))
        if isinstance(result, dict):
            raise DemoRefusal(result["error"])
        return {"refill": str(result)}

    def refill_state(self, refill: DemoRefill) -> str:
        steps = (self.clock() - refill.created) / self.step
        return "Pending" if steps < 1 else "In progress" if steps < 2 else "Completed"

    def _refill_status(self, form: dict[str, str]) -> Any:
        if "refills" in form:
            return [{"refill": int(rid) if rid.isdigit() else rid,
                     "status": self.refill_state(self.refills[rid]) if rid in self.refills
                     else {"error": "Refill not found"}} for rid in form["refills"].split(",")]
        refill = self.refills.get(form.get("refill", ""))
        if refill is None:
            raise DemoRefusal("Refill not found")
        return {"status": self.refill_state(refill)}

    def _cancel(self, form: dict[str, str]) -> list[dict]:
        ids = (form.get("orders") or form.get("order") or "").split(",")
        answers = []
        for oid in dict.fromkeys(ids):
            order = self.orders.get(oid)
            if order is None:
                answers.append({"order": oid, "cancel": {"error": "Incorrect order ID"}})
            elif not order.service["cancel"] or self.order_state(order)["status"] not in ("Pending", "In progress"):
                answers.append({"order": order.id, "cancel": {"error": "The order cannot be canceled"}})
            else:
                order.canceled_at = self.clock()
                self.balance += order.charge
                answers.append({"order": order.id, "cancel": 1})
        return answers
