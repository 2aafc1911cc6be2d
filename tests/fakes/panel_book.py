"""The fake panel's books: catalogue, orders, refills, balance, and what each action does to them.

FakePanel (panel_server.py) adds HTTP and faults on top; tests steer the books through the
methods here (set_status, complete, set_refill_status, seed_order).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tests.fakes import panel_dialects as dialects
from tests.fakes.panel_catalogue import DEFAULT_SERVICES, Refusal, charge_for, check_add, type_key

MAX_IDS = 100
_REFILLABLE = {"completed", "partial"}
_CANCELLABLE = {"pending", "in progress", "processing"}


@dataclass
class FakeOrder:
    id: str
    service: str
    type: str  # the panel's type key: "default", "custom comments", ...
    link: str | None
    quantity: int
    charge: Decimal
    status: str = "Pending"
    start_count: int = 0
    remains: int = 0
    params: dict[str, str] = field(default_factory=dict)
    refills: list[str] = field(default_factory=list)
    runs: int | None = None  # drip-feed runs asked for (quantity and remains are over all of them)
    runs_done: int = 0
    posts: int = 0  # subscription progress


@dataclass
class FakeRefill:
    id: str
    order_id: str
    status: str = "Pending"


class PanelBook:
    """A panel's state and its answers to well-formed requests (dialect-shaped, before JSON)."""

    def __init__(self, *, dialect: str, services: list[dict] | None, currency: str,
                 balance: Decimal | str, reject_duplicate_links: bool) -> None:
        self.dialect = dialects.dialect(dialect)
        self.services: list[dict] = copy.deepcopy(services if services is not None else DEFAULT_SERVICES)
        self.currency = currency
        self.panel_balance = Decimal(str(balance))
        self.reject_duplicate_links = reject_duplicate_links
        self.orders: dict[str, FakeOrder] = {}
        self.refills: dict[str, FakeRefill] = {}
        self.ids_per_request: list[int] = []
        self._next_order = 10001
        self._next_refill = 501

    def set_status(self, order_id: str, status: str, *, remains: int | None = None,
                   start_count: int | None = None, charge: Decimal | str | None = None,
                   runs: int | None = None, posts: int | None = None) -> None:
        """Move an order on (the word is shown in this panel's spelling for Canceled/In progress)."""
        order = self.orders[str(order_id)]
        order.status = status
        for name, value in (("remains", remains), ("start_count", start_count), ("runs_done", runs),
                            ("posts", posts)):
            if value is not None:
                setattr(order, name, value)
        if charge is not None:
            order.charge = Decimal(str(charge))

    def complete(self, order_id: str) -> None:
        """The order is fully delivered."""
        self.set_status(order_id, "Completed", remains=0)

    def set_refill_status(self, refill_id: str, status: str) -> None:
        self.refills[str(refill_id)].status = status

    def seed_order(self, service: str = "1", *, link: str = "https://example.com/p/1", quantity: int = 100,
                   status: str = "Pending", charge: Decimal | str | None = None) -> str:
        """Put an order on the panel directly (as if placed earlier); returns its id."""
        svc = self._service(str(service))
        amount = Decimal(str(charge)) if charge is not None else charge_for(svc, quantity)
        return self._create(svc, link, quantity, amount, {}, None, status)

    # ---- the panel's behaviour ------------------------------------------------------------
    def _dispatch(self, action: str, label: str, form: dict[str, str]) -> Any:
        d = self.dialect
        multi = label.endswith("_multi")
        if action == "services":
            return [dialects.service_entry(d, svc) for svc in self.services]
        if action == "balance":
            return {"balance": f"{self.panel_balance:.5f}", "currency": self.currency}
        if action == "add":
            return {"order": dialects.order_id(d, self._add(form))}
        if action == "status" and multi:
            return {i: self._status_entry(i) for i in self._ids(form, "orders")}
        if action == "status":
            return self._status_entry(form.get("order", ""), raise_error=True)
        if action == "refill" and multi:
            return [{"order": dialects.order_id(d, i), "refill": self._refill_entry(i)}
                    for i in self._ids(form, "orders")]
        if action == "refill":
            return dialects.refill_created(d, self._refill(form.get("order", "")))
        if action == "refill_status" and multi:
            return [{"refill": dialects.order_id(d, i), "status": self._refill_word(i)}
                    for i in self._ids(form, "refills")]
        if action == "refill_status":
            return {"status": self._refill_word(form.get("refill", ""), raise_error=True)}
        if action == "cancel" and multi:
            if "orders" not in form:
                raise Refusal("Incorrect request")
            return [{"order": dialects.order_id(d, i), "cancel": self._cancel_entry(i)}
                    for i in self._ids(form, "orders")]
        if action == "cancel":
            self._cancel(form.get("order", ""))
            return dialects.cancel_accepted(d)
        raise Refusal("Incorrect request")

    def _ids(self, form: dict[str, str], name: str) -> list[str]:
        ids = [i.strip() for i in form.get(name, "").split(",") if i.strip()]
        if not ids:
            raise Refusal("Incorrect request")
        if len(ids) > MAX_IDS:
            raise Refusal(f"Maximum {MAX_IDS} IDs per request")
        self.ids_per_request.append(len(ids))
        return ids

    def _service(self, service_id: str) -> dict:
        for svc in self.services:
            if str(svc["service"]) == service_id:
                return svc
        raise Refusal("Incorrect service ID")

    def _add(self, form: dict[str, str]) -> str:
        svc = self._service(form.get("service", "").strip())
        units, runs = check_add(form, svc)
        amount = charge_for(svc, units)
        if amount > self.panel_balance:
            raise Refusal("Not enough funds on balance")
        link = form.get("link")
        if self.reject_duplicate_links and any(
            o.link == link and o.service == str(svc["service"]) and o.status.lower() in _CANCELLABLE
            for o in self.orders.values()
        ):
            raise Refusal("You have active order with this link. Please wait until order being completed.")
        params = {k: v for k, v in form.items() if k not in ("key", "action", "service", "link")}
        # a drip-feed's quantity and remains are over the whole order (quantity × runs), as the refund reads them
        quantity = units if type_key(str(svc.get("type", ""))) != "subscriptions" else 0
        status = "Active" if type_key(str(svc.get("type", ""))) == "subscriptions" else "Pending"
        self.panel_balance -= amount
        return self._create(svc, link, quantity, amount, params, runs, status)

    def _create(self, svc: dict, link: str | None, quantity: int, amount: Decimal, params: dict[str, str],
                runs: int | None, status: str) -> str:
        oid = str(self._next_order)
        self._next_order += 1
        self.orders[oid] = FakeOrder(id=oid, service=str(svc["service"]), type=type_key(str(svc.get("type", ""))),
                                     link=link, quantity=quantity, charge=amount, status=status,
                                     remains=quantity, params=params, runs=runs)
        return oid

    def _status_entry(self, oid: str, raise_error: bool = False) -> dict:
        d, order = self.dialect, self.orders.get(oid)
        if order is None:
            if raise_error:
                raise Refusal("Incorrect order ID")
            return dialects.error(d, "Incorrect order ID")
        word = dialects.spell(d, order.status)
        if order.type == "subscriptions":
            return {"status": word, "posts": order.posts}
        if order.runs is not None and d.runs_entries:
            return {"status": word, "runs": order.runs_done}
        return {"charge": dialects.money(d, order.charge), "start_count": str(order.start_count),
                "status": word, "remains": str(order.remains), "currency": self.currency}

    def _refill(self, oid: str) -> str:
        order = self.orders.get(oid)
        if order is None:
            raise Refusal("Incorrect order ID")
        if not self._service(order.service).get("refill") or order.status.lower() not in _REFILLABLE:
            raise Refusal("Order not eligible for refill.")
        rid = str(self._next_refill)
        self._next_refill += 1
        self.refills[rid] = FakeRefill(id=rid, order_id=oid)
        order.refills.append(rid)
        return rid

    def _refill_entry(self, oid: str) -> Any:
        try:
            return int(self._refill(oid))
        except Refusal as refusal:
            return {"error": str(refusal)}

    def _refill_word(self, rid: str, raise_error: bool = False) -> Any:
        refill = self.refills.get(rid)
        if refill is None:
            if raise_error:
                raise Refusal("Refill not found")
            return {"error": "Refill not found"}
        return dialects.spell(self.dialect, refill.status)

    def _cancel(self, oid: str) -> None:
        order = self.orders.get(oid)
        if order is None:
            raise Refusal("Incorrect order ID")
        if not self._service(order.service).get("cancel") or order.status.lower() not in _CANCELLABLE:
            raise Refusal("Order not eligible for cancellation.")
        self.panel_balance += order.charge
        delivered = order.runs_done * (order.quantity // order.runs) if order.runs else 0  # runs done are kept
        order.status, order.remains, order.charge = "Canceled", order.quantity - delivered, Decimal(0)

    def _cancel_entry(self, oid: str) -> Any:
        try:
            self._cancel(oid)
            return 1
        except Refusal as refusal:
            return {"error": str(refusal)}
