"""FloodGuard: a sliding window per customer, one notice per window, bounded memory."""

from __future__ import annotations

from bot.telegram.antiflood import FloodGuard, Verdict


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_over_the_limit_one_notice_then_drops() -> None:
    clock = Clock()
    guard = FloodGuard(3, 10, clock=clock)
    verdicts = []
    for _ in range(6):
        verdicts.append(guard.check(1))
        clock.now += 0.1
    assert verdicts == [Verdict.ALLOW] * 3 + [Verdict.NOTIFY, Verdict.DROP, Verdict.DROP]


def test_customers_are_counted_separately() -> None:
    guard = FloodGuard(2, 10, clock=Clock())
    assert [guard.check(1) for _ in range(3)][-1] is Verdict.NOTIFY
    assert guard.check(2) is Verdict.ALLOW


def test_window_slides() -> None:
    clock = Clock()
    guard = FloodGuard(2, 10, clock=clock)
    guard.check(1)
    clock.now += 6
    guard.check(1)
    clock.now += 5  # the first one left the window
    assert guard.check(1) is Verdict.ALLOW
    assert guard.check(1) is Verdict.NOTIFY


def test_a_continuous_flood_is_told_once_per_window() -> None:
    clock = Clock()
    guard = FloodGuard(2, 10, clock=clock)
    notices = 0
    for _ in range(300):  # 30 s of 10 updates per second
        notices += guard.check(1) is Verdict.NOTIFY
        clock.now += 0.1
    assert notices == 3


def test_idle_customers_are_forgotten() -> None:
    clock = Clock()
    guard = FloodGuard(5, 10, clock=clock)
    for user_id in range(10_000):
        guard.check(user_id)
    assert len(guard) == 10_000
    clock.now += 11
    guard.check(-1)
    assert len(guard) == 1


def test_memory_is_capped_even_when_everyone_is_active() -> None:
    guard = FloodGuard(5, 10, max_tracked=100, clock=Clock())
    for user_id in range(1000):
        guard.check(user_id)
    assert len(guard) == 100
