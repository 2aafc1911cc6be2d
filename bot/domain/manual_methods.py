"""Manual transfer methods: MANUAL_PAYMENTS from the environment, edited from the admin group.

The effective list is MANUAL_PAYMENTS with the stored rows laid over it by name (case-insensitive):
a stored row replaces the method of its name, an inactive one hides it, a new name is added.
Every edit is validated by the same model as MANUAL_PAYMENTS (bot/config_payments.ManualMethod).
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import ValidationError

from bot.config_payments import ManualMethod
from bot.domain.errors import DomainError, NotFound
from bot.storage import manual_methods as store
from bot.storage.db import Database
from bot.storage.manual_methods import StoredMethod


class BadMethod(DomainError):
    """A method the admin typed does not validate; the message names the field."""


def effective(env: Sequence[ManualMethod], stored: Sequence[StoredMethod]) -> list[ManualMethod]:
    found = {m.name.lower(): m for m in env}
    for row in stored:
        key = row.name.lower()
        if not row.active:
            found.pop(key, None)
            continue
        found[key] = ManualMethod(name=row.name, instructions=row.instructions, currency=row.currency,
                                  rate=row.rate, min=row.min, max=row.max)
    return list(found.values())


async def load(db: Database, env: Sequence[ManualMethod]) -> list[ManualMethod]:
    return effective(env, await store.all_methods(db.conn))


def build(name: str, currency: str, rate: str, low: str, high: str, instructions: str) -> ManualMethod:
    """A method from what an admin typed; BadMethod naming the first wrong field."""
    try:
        return ManualMethod(name=name, instructions=instructions, currency=currency.upper(), rate=rate, min=low,
                            max=high)
    except ValidationError as exc:
        err = exc.errors(include_input=False, include_url=False)[0]
        where = ".".join(str(p) for p in err.get("loc", ())) or "method"
        raise BadMethod(f"{where}: {err.get('msg', 'invalid').removeprefix('Value error, ')}") from None


async def save(db: Database, method: ManualMethod, admin_id: int) -> None:
    async with db.transaction() as conn:
        await store.upsert(conn, StoredMethod(method.name, method.instructions, method.currency, method.rate,
                                              method.min, method.max, True), admin_id)


async def set_active(db: Database, current: Sequence[ManualMethod], name: str, active: bool, admin_id: int) -> None:
    """Turn a method off (kept, hidden) or on again; NotFound when no method has that name."""
    async with db.transaction() as conn:
        stored = {m.name.lower(): m for m in await store.all_methods(conn)}
        shown = {m.name.lower(): m for m in current}
        key = name.lower()
        if key in stored:
            row = stored[key]
        elif key in shown:
            m = shown[key]
            row = StoredMethod(m.name, m.instructions, m.currency, m.rate, m.min, m.max, True)
        else:
            raise NotFound(f"no manual method {name}")
        await store.upsert(conn, StoredMethod(row.name, row.instructions, row.currency, row.rate, row.min, row.max,
                                              active), admin_id)
