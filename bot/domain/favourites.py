"""Favourites: ⭐ on a service card stars it; "⭐ Favourites" lists the starred services customers may order."""

from __future__ import annotations

from bot.storage import favourites as store
from bot.storage.catalogue import CachedService
from bot.storage.db import Database


async def toggle(db: Database, user_id: int, panel: str, service_id: str) -> bool:
    """Star or unstar a service; whether it is starred now."""
    async with db.transaction() as conn:
        if await store.has(conn, user_id, panel, service_id):
            await store.remove(conn, user_id, panel, service_id)
            return False
        await store.add(conn, user_id, panel, service_id)
        return True


async def is_favourite(db: Database, user_id: int, panel: str, service_id: str) -> bool:
    return await store.has(db.conn, user_id, panel, service_id)


async def listed(db: Database, user_id: int) -> list[CachedService]:
    """The starred services that customers may order now (hidden or vanished ones are left out)."""
    return await store.visible(db.conn, user_id)


async def any_listed(db: Database, user_id: int) -> bool:
    return await store.any_visible(db.conn, user_id)
