"""The demo panel's books: orders and refills that move on with time, and its API v2 answers.

Nothing here is stored, yet a restart of the bot loses nothing: an order's id carries what its
answers need (number, wall-clock second of placing, service, quantity, charge), so the demo
answers for orders placed before the restart as if it had run all along. Every order moves one step each `step`
seconds: Pending (1 step) → In progress (5 steps, remains falling) → final. The final status
follows the order's number, so an operator trying the shop sees every outcome: every 7th
order ends Canceled (nothing charged), every 3rd Partial (a third undelivered), the rest
Completed. Refills: Pending → In progress → Completed, one step each.
"""

from __future__ import annotations

import re
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


# number-placed(ms)-service-quantity-charge(1e-5 units); a refill: R<placed(ms)>-<order id>
_ORDER_ID = re.compile(r"^(\d+)-(\d+)-(\d+)-(\d+)-(\d+)$")
_REFILL_ID = re.compile(r"^R(\d+)-(.+)$")


@dataclass
class DemoOrder:
    id: str
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
    id: str
    order_id: str
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
    """The demo panel's state; `clock` is the wall clock (ids outlive the process) unless a test brings its own."""

    def __init__(self, step_seconds: float, clock: Callable[[], float] = time.time) -> None:
        self.step = step_seconds
        self.clock = clock
        self.balance = Decimal(DEMO_BALANCE)
        self.services = {str(s["service"]): s for s in DEMO_SERVICES}
        self.orders: dict[str, DemoOrder] = {}
        self.refills: dict[str, DemoRefill] = {}
        self._count = 0

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
        self._count += 1
        created = round(self.clock(), 3)
        order_id = f"{self._count}-{round(created * 1000)}-{service['service']}-{quantity}-{int(charge / _CENT)}"
        self.orders[order_id] = DemoOrder(order_id, self._count, service, quantity, charge, created)
        return {"order": order_id}

    def _order(self, order_id: str) -> DemoOrder | None:
        """An order placed by this process, or one from before a restart rebuilt from its id."""
        found = self.orders.get(order_id)
        match = _ORDER_ID.match(order_id) if found is None else None
        if match is not None and match.group(3) in self.services:
            number, created, sid, quantity, charge = match.groups()
            found = self.orders[order_id] = DemoOrder(order_id, int(number), self.services[sid], int(quantity),
                                                      Decimal(charge) * _CENT, int(created) / 1000)
        return found

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
            return {oid: (self.order_state(order) if (order := self._order(oid)) is not None
                          else {"error": "Incorrect order ID"}) for oid in form["orders"].split(",")}
        order = self._order(form.get("order", ""))
        if order is None:
            raise DemoRefusal("Incorrect order ID")
        return self.order_state(order)

    def _refill_one(self, oid: str) -> str | dict:
        order = self._order(oid)
        if order is None:
            return {"error": "Incorrect order ID"}
        if not order.service["refill"]:
            return {"error": "Refill is disabled for this service"}
        if self.order_state(order)["status"] not in ("Completed", "Partial"):
            return {"error": "The order is not completed yet"}
        created = round(self.clock(), 3)
        refill_id = f"R{round(created * 1000)}-{order.id}"
        self.refills[refill_id] = DemoRefill(refill_id, order.id, created)
        order.refills.append(refill_id)
        return refill_id

    def _refill(self, form: dict[str, str]) -> Any:
        if "orders" in form:
            return [{"order": oid, "refill": self._refill_one(oid)} for oid in form["orders"].split(",")]
        result = self._refill_one(form.get("order", ""))
        if isinstance(result, dict):
            raise DemoRefusal(result["error"])
        return {"refill": result}

    def _find_refill(self, refill_id: str) -> DemoRefill | None:
        found = self.refills.get(refill_id)
        match = _REFILL_ID.match(refill_id) if found is None else None
        if match is not None and self._order(match.group(2)) is not None:
            found = self.refills[refill_id] = DemoRefill(refill_id, match.group(2), int(match.group(1)) / 1000)
        return found

    def refill_state(self, refill: DemoRefill) -> str:
        steps = (self.clock() - refill.created) / self.step
        return "Pending" if steps < 1 else "In progress" if steps < 2 else "Completed"

    def _refill_status(self, form: dict[str, str]) -> Any:
        if "refills" in form:
            return [{"refill": rid, "status": self.refill_state(refill) if (refill := self._find_refill(rid)) is not None
                     else {"error": "Refill not found"}} for rid in form["refills"].split(",")]
        refill = self._find_refill(form.get("refill", ""))
        if refill is None:
            raise DemoRefusal("Refill not found")
        return {"status": self.refill_state(refill)}

    def _cancel(self, form: dict[str, str]) -> list[dict]:
        ids = (form.get("orders") or form.get("order") or "").split(",")
        answers = []
        for oid in dict.fromkeys(ids):
            order = self._order(oid)
            if order is None:
                answers.append({"order": oid, "cancel": {"error": "Incorrect order ID"}})
            elif not order.service["cancel"] or self.order_state(order)["status"] not in ("Pending", "In progress"):
                answers.append({"order": order.id, "cancel": {"error": "The order cannot be canceled"}})
            else:
                order.canceled_at = self.clock()
                self.balance += order.charge
                answers.append({"order": order.id, "cancel": 1})
        return answers
