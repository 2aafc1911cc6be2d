"""One page of a longer list, with the total so the chat can draw pagination buttons."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


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
