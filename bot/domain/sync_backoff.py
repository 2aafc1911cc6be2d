"""Which panels the next sync cycle skips: a failing panel is asked less and less often.

Counted in cycles, not seconds, so it follows STATUS_POLL_SECONDS and tests are exact. After the
k-th failure in a row the panel sits out 2^(k-1) - 1 cycles (0, 1, 3, 7, then at most
MAX_SKIPPED_CYCLES), or longer when the panel asked for a pause (429 with Retry-After).
Kept in memory: after a restart every panel is tried at once, which is what an operator wants.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MAX_SKIPPED_CYCLES = 15  # about a quarter of an hour at the default 60-s poll


@dataclass
class _Panel:
    failures: int = 0
    skip: int = 0


class PanelBackoff:
    """Per-panel failure streaks and the cycles each still sits out."""

    def __init__(self, poll_seconds: float, max_skipped: int = MAX_SKIPPED_CYCLES) -> None:
        self._poll_seconds = max(poll_seconds, 1e-9)
        self._max_skipped = max_skipped
        self._panels: dict[str, _Panel] = {}

    def should_try(self, panel: str) -> bool:
        """Called once per cycle and panel: True to ask it now, False to sit this cycle out."""
        state = self._panels.get(panel)
        if state is None or state.skip <= 0:
            return True
        state.skip -= 1
        return False

    def failed(self, panel: str, retry_after: float | None = None) -> int:
        """Count a failure; the number of cycles the panel now sits out."""
        state = self._panels.setdefault(panel, _Panel())
        state.failures += 1
        skip = min(2 ** (state.failures - 1) - 1, self._max_skipped)
        if retry_after:
            skip = max(skip, math.ceil(retry_after / self._poll_seconds) - 1)
        state.skip = skip
        return skip

    def succeeded(self, panel: str) -> None:
        """The panel answered: its streak is over."""
        self._panels.pop(panel, None)

    def failures(self, panel: str) -> int:
        """Failures in a row so far."""
        state = self._panels.get(panel)
        return state.failures if state else 0
