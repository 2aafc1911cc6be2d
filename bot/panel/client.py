"""PanelClient: every API v2 action of one panel, typed results in, typed errors out."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, TypeVar

from bot.panel import answers, request_answers
from bot.panel.answers import BadAnswer
from bot.panel.errors import InvalidOrder, PanelError
from bot.panel.models import (
    Balance,
    CancelResult,
    EntryError,
    OrderRequest,
    OrderState,
    OrderType,
    RefillState,
    Service,
)
from bot.panel.order_types import build_add_params
from bot.panel.transport import PanelTransport
from bot.panel.type_names import type_keys

MAX_IDS_PER_REQUEST = 100  # every doc: "up to 100 IDs"
T = TypeVar("T")


def _clean_ids(ids: Sequence[str]) -> tuple[list[str], dict[str, EntryError]]:
    """Unique ids in order, and the ones that cannot go into a comma-separated list."""
    good: list[str] = []
    bad: dict[str, EntryError] = {}
    for raw in dict.fromkeys(str(i) for i in ids):
        if not raw or "," in raw or raw != raw.strip():
            bad[raw] = EntryError(id=raw, message="not a valid id")
        else:
            good.append(raw)
    return good, bad


class PanelClient:
    """One panel; created by PanelHub and using the hub's shared session."""

    def __init__(self, transport: PanelTransport, types: Mapping[str, OrderType] | None = None) -> None:
        self.transport = transport  # the hub sets its unknown-wording report on it
        self.name = transport.name
        self.types = type_keys(types or {})  # the panel's own words for order types (PANELS "types")

    def __repr__(self) -> str:
        return f"PanelClient(name={self.name!r})"

    async def _read(self, action: str, form: dict[str, str], parse: Callable[[Any], T]) -> T:
        body = await self.transport.read(action, {"action": action, **form})
        answers.raise_if_refused(self.name, body)
        try:
            return parse(body)
        except ValueError as exc:  # BadAnswer, or a value no model accepts
            reason = str(exc) if isinstance(exc, BadAnswer) else "an answer we cannot read"
            raise self.transport.unavailable(action, reason) from None

    async def _write(self, action: str, form: dict[str, str], parse: Callable[[Any], T]) -> T:
        body = await self.transport.write(action, {"action": action, **form})
        answers.raise_if_refused(self.name, body)
        try:
            return parse(body)
        except ValueError as exc:  # BadAnswer, or a value no model accepts
            reason = str(exc) if isinstance(exc, BadAnswer) else "an answer we cannot read"
            raise self.transport.unknown(action, reason) from None

    async def _batched(self, ids: Sequence[str], run: Callable[[list[str]], Awaitable[dict[str, T]]],
                       concurrency: int) -> dict[str, T | EntryError]:
        """Split ids into requests of at most 100.

        A batch that fails turns into EntryError for its ids; when every batch failed, the
        first error is raised instead (a panel that is down or refuses the key says so).
        """
        good, bad = _clean_ids(ids)
        if not good:
            return dict(bad)
        batches = [good[i:i + MAX_IDS_PER_REQUEST] for i in range(0, len(good), MAX_IDS_PER_REQUEST)]
        gate = asyncio.Semaphore(max(1, concurrency))

        async def one(batch: list[str]) -> dict[str, T] | PanelError:
            async with gate:
                try:
                    return await run(batch)
                except PanelError as exc:
                    return exc

        results = await asyncio.gather(*(one(batch) for batch in batches))
        failures = [r for r in results if isinstance(r, PanelError)]
        if len(failures) == len(results):
            raise failures[0]
        merged: dict[str, T | EntryError] = dict(bad)
        for batch, result in zip(batches, results, strict=True):
            if isinstance(result, PanelError):
                merged.update({i: EntryError(id=i, message=result.message) for i in batch})
            else:
                merged.update(result)
        return merged

    async def services(self) -> list[Service]:
        """The panel's catalogue (unreadable entries are skipped and logged)."""
        return await self._read("services", {}, lambda body: answers.parse_services(self.name, body, self.types))

    async def add(self, request: OrderRequest, service: Service | None = None) -> str:
        """Place one order; returns the panel's order id. Validates before sending (InvalidOrder).

        Never retried once the request may have left: a lost answer raises OutcomeUnknown.
        """
        try:
            params = build_add_params(request, service)
        except InvalidOrder as exc:
            raise InvalidOrder(self.name, exc.field, exc.code, exc.detail) from None
        return await self._write("add", params, answers.parse_order_id)

    async def status(self, order_id: str) -> OrderState:
        """One order's state; PanelRefused (NOT_FOUND for an unknown id) on an error body."""
        return await self._read("status", {"order": order_id},
                                lambda body: answers.parse_order_state(self.name, order_id, body))

    async def statuses(self, order_ids: Sequence[str], *,
                       concurrency: int = 1) -> dict[str, OrderState | EntryError]:
        """Many orders' states, in requests of at most 100 ids, `concurrency` at a time."""
        async def run(batch: list[str]) -> dict[str, OrderState | EntryError]:
            return await self._read("status", {"orders": ",".join(batch)},
                                    lambda body: answers.parse_order_states(batch, body))
        return await self._batched(order_ids, run, concurrency)  # type: ignore[return-value]

    async def refill(self, order_id: str) -> str:
        """Ask for a refill of one order; returns the refill id."""
        return await self._write("refill", {"order": order_id},
                                 lambda body: request_answers.parse_refill_id(self.name, order_id, body))

    async def refills(self, order_ids: Sequence[str]) -> dict[str, str | EntryError]:
        """Refills of many orders (requests of at most 100, one after another)."""
        async def run(batch: list[str]) -> dict[str, str | EntryError]:
            return await self._write("refill", {"orders": ",".join(batch)},
                                     lambda body: request_answers.parse_refill_ids(batch, body))
        return await self._batched(order_ids, run, 1)  # type: ignore[return-value]

    async def refill_status(self, refill_id: str) -> RefillState:
        """One refill's state."""
        return await self._read("refill_status", {"refill": refill_id},
                                lambda body: request_answers.parse_refill_state(self.name, refill_id, body))

    async def refill_statuses(self, refill_ids: Sequence[str], *,
                              concurrency: int = 1) -> dict[str, RefillState | EntryError]:
        """Many refills' states, in requests of at most 100 ids."""
        async def run(batch: list[str]) -> dict[str, RefillState | EntryError]:
            return await self._read("refill_status", {"refills": ",".join(batch)},
                                    lambda body: request_answers.parse_refill_states(batch, body))
        return await self._batched(refill_ids, run, concurrency)  # type: ignore[return-value]

    async def cancel(self, order_id: str) -> CancelResult:
        """Ask the panel to cancel one order; the order's later status tells the outcome."""
        # Docs 001/002 read `order=`, docs 000/003/004 document only `orders=`. Sending the one id
        # in both fields works with either kind; a panel reading both sees the same single order,
        # and a repeated cancel of one order is harmless (at worst "not eligible").
        return await self._write("cancel", {"order": order_id, "orders": order_id},
                                 lambda body: request_answers.parse_cancel(self.name, order_id, body))

    async def cancels(self, order_ids: Sequence[str]) -> dict[str, CancelResult | EntryError]:
        """Cancel many orders (`orders=`, requests of at most 100, one after another)."""
        async def run(batch: list[str]) -> dict[str, CancelResult | EntryError]:
            return await self._write("cancel", {"orders": ",".join(batch)},
                                     lambda body: request_answers.parse_cancels(batch, body))
        return await self._batched(order_ids, run, 1)  # type: ignore[return-value]

    async def balance(self) -> Balance:
        """The operator's balance on this panel."""
        return await self._read("balance", {}, answers.parse_balance)
