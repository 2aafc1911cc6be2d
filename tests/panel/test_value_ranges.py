"""Numbers outside a sane range are unreadable values, never crashes further down (storage, pricing)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.panel.answers import parse_order_states, parse_services
from bot.panel.values import MAX_AMOUNT, MAX_COUNT, BadValue, to_amount, to_count

HUGE = ("1e30", 1e30, "18446744073709551615", 18446744073709551615, "1e999999999", "-1", -5, "-0.5")


@pytest.mark.parametrize("raw", HUGE)
def test_counts_outside_the_range_are_unreadable(raw) -> None:
    with pytest.raises(BadValue):
        to_count(raw)


@pytest.mark.parametrize(("raw", "expected"), [("157", 157), (0, 0), ("0", 0), (None, None), ("", None),
                                               (str(MAX_COUNT), MAX_COUNT)])
def test_counts_in_range_read_as_before(raw, expected) -> None:
    assert to_count(raw) == expected


@given(st.integers())
def test_a_count_is_either_in_range_or_refused(value: int) -> None:
    try:
        result = to_count(value)
    except BadValue:
        assert not 0 <= value <= MAX_COUNT
    else:
        assert result == value and 0 <= value <= MAX_COUNT


@pytest.mark.parametrize("raw", ["1e30", "-0.01", 1e300, "1e999999999"])
def test_amounts_outside_the_range_are_unreadable(raw) -> None:
    with pytest.raises(BadValue):
        to_amount(raw)
    assert to_amount(str(MAX_AMOUNT)) == MAX_AMOUNT


def test_an_entry_with_absurd_numbers_keeps_its_status_and_loses_only_those_numbers() -> None:
    body = {"1": {"status": "In progress", "remains": "1e30", "start_count": "18446744073709551615",
                  "charge": "1e30", "runs": -3, "posts": "1e40"},
            "2": {"status": "Canceled", "remains": "100", "start_count": "5"}}
    states = parse_order_states(["1", "2"], body)
    bad, good = states["1"], states["2"]
    assert (bad.status_raw, bad.remains, bad.start_count, bad.charge, bad.runs, bad.posts) == (
        "In progress", None, None, None, None, None)
    assert bad.raw["remains"] == "1e30"  # the raw answer is kept for admins
    assert (good.remains, good.start_count) == (100, 5)


def test_a_service_with_absurd_numbers_is_skipped_not_stored() -> None:
    services = parse_services("p", [
        {"service": 1, "name": "ok", "rate": "0.9", "min": 10, "max": 1000},
        {"service": 2, "name": "huge max", "rate": "0.9", "min": 10, "max": "1e30"},
        {"service": 3, "name": "huge rate", "rate": "1e30", "min": 10, "max": 1000},
    ])
    assert [s.id for s in services] == ["1"]
