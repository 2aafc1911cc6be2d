"""The curated catalogue: what admins change in what customers see, kept across every refresh.

- `/service <panel:id> name|desc <text|off>`: the shown name/description (off: the panel's again);
  `pin <n|off>`: its place in its category (lower first, unpinned after the pinned, panel order).
- `/category <id> name <text|off>`: the shown name; `platform <key>`: the platform it is listed
  under (name detection no longer moves it); `merge <target id>`: its services are shown in the
  target category from now on, refreshes included.
The panel's own texts stay beside the admins' (services.panel_name/panel_description), so a refresh
rewrites them and then re-applies the overrides in the same transaction (catalogue._store).
"""

from __future__ import annotations

from bot.domain import catalogue
from bot.domain.admin_catalogue import TargetNotFound
from bot.domain.errors import DomainError
from bot.domain.platforms import PLATFORM_LABELS
from bot.storage import curation as store
from bot.storage.catalogue import CachedService
from bot.storage.curation import ServiceOverride
from bot.storage.db import Database

MAX_NAME = 200
MAX_DESCRIPTION = 1500
MAX_PIN = 1_000_000


class BadCuration(DomainError):
    """A value the curated catalogue does not take (too long, not a number, unknown platform, a loop)."""


def clean(text: str, limit: int) -> str:
    value = " ".join(text.split()) if limit <= MAX_NAME else text.strip()
    if not value or len(value) > limit or (limit <= MAX_NAME and not value.isprintable()):
        raise BadCuration(f"text of 1..{limit} characters")
    return value


async def service(db: Database, panel: str, service_id: str) -> tuple[CachedService, ServiceOverride | None]:
    """A cached service (hidden ones too) and its override; TargetNotFound when it is not cached."""
    found = await catalogue.get_service(db, panel, service_id, for_customer=False)
    if found is None:
        raise TargetNotFound(f"{panel}:{service_id}")
    return found, await store.get_override(db.conn, panel, service_id)


async def set_service(db: Database, panel: str, service_id: str, field: str, value: str | None, *, actor: int) -> None:
    """name | desc | pin, or None to drop the admins' value."""
    await service(db, panel, service_id)
    stored: str | int | None = None
    if field == "name":
        column, stored = "name", None if value is None else clean(value, MAX_NAME)
    elif field == "desc":
        column, stored = "description", None if value is None else clean(value, MAX_DESCRIPTION)
    elif field == "pin":
        column = "pin"
        if value is not None:
            if not value.isascii() or not value.isdigit() or not 0 <= int(value) <= MAX_PIN:
                raise BadCuration("pin is a whole number")
            stored = int(value)
    else:
        raise BadCuration(f"unknown field {field}")
    async with db.transaction() as conn:
        await store.set_override(conn, panel, service_id, column, stored, actor)
        await store.apply_overrides(conn, panel, [service_id])


async def set_category(db: Database, category_id: int, field: str, value: str | None) -> int:
    """name | platform | merge on a category; for merge, how many services moved."""
    async with db.transaction() as conn:
        if not await store.category_exists(conn, category_id):
            raise TargetNotFound(str(category_id))
        if field == "name":
            await store.set_category_label(conn, category_id, None if value is None else clean(value, MAX_NAME))
            return 0
        if field == "platform":
            key = (value or "").strip().lower()
            if key not in PLATFORM_LABELS:
                raise BadCuration(f"platforms: {', '.join(PLATFORM_LABELS)}")
            await store.set_category_platform(conn, category_id, key)
            return 0
        if field == "merge":
            if value is None or not value.isascii() or not value.isdigit() or int(value) == category_id:
                raise BadCuration("merge into another category's id")
            if not await store.category_exists(conn, int(value)):
                raise TargetNotFound(value)
            return await store.merge_category(conn, category_id, int(value))
    raise BadCuration(f"unknown field {field}")
