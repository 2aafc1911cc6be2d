"""One page of a longer list, with the total so the chat can draw pagination buttons."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")
MAX_PAGE = 1_000_000  # far beyond any real list; keeps offsets small whatever a button says


@dataclass(frozen=True)
class Page(Generic[T]):  # noqa: UP046 - Python 3.11 has no PEP 695 syntax
    """`items` starting at `offset`, at most `limit` of them, out of `total`."""

    items: list[T]
    total: int
    offset: int
    limit: int

    @property
    def has_previous(self) -> bool:
        return self.offset > 0

    @property
    def has_next(self) -> bool:
        return self.offset + len(self.items) < self.total


async def fetch_page(fetch: Callable[..., Awaitable[Page[T]]], page: int, per_page: int) -> tuple[Page[T], int]:
    """(the page, its number) of `fetch(offset=, limit=)`, clamped to the last page that exists.

    A page number comes from a button, which a stale list or a forger can set to anything:
    beyond the end (or so large that page × per_page would overflow a 64-bit column) shows the
    last page; below zero, the first.
    """
    page = max(page, 0)
    if page > MAX_PAGE:
        first = await fetch(offset=0, limit=per_page)
        page = max(0, -(-first.total // per_page) - 1)
        if page == 0:
            return first, 0
    result = await fetch(offset=page * per_page, limit=per_page)
    if not result.items and result.total and page > 0:
        page = max(0, -(-result.total // per_page) - 1)
        result = await fetch(offset=page * per_page, limit=per_page)
    return result, page
