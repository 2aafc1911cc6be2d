"""What a customer types during a new order: accepted values come back clean, wrong ones name why."""

import time
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.order_input import (
    MAX_TEXT_CHARS,
    FieldContext,
    InputError,
    parse_delay,
    parse_expiry,
    parse_field,
    parse_hashtag,
    parse_lines,
    parse_link,
    parse_runs,
    parse_username,
    parse_username_lines,
    parse_whole_number,
)

TODAY = date(2030, 6, 15)


def code_of(call, *args):
    with pytest.raises(InputError) as caught:
        call(*args)
    return caught.value.code


@pytest.mark.parametrize("text", [
    "https://instagram.com/p/Cx1_aB/", "http://t.me/channel/15", "https://www.youtube.com/watch?v=a&t=1s",
    "HTTPS://Example.COM", "https://пример.рф/путь", "https://xn--e1afmkfd.xn--p1ai/x", "https://a.io:8443/x",
])
def test_links_accepted(text):
    assert parse_link(f"  {text}\n") == text


@pytest.mark.parametrize("text", [
    "instagram.com/p/1", "ftp://example.com/x", "https://", "https://localhost/x", "https://exa mple.com",
    "javascript:alert(1)", "https://example.com/a b", "https://-bad.com", "https://example.com:0/x",
    "https://example.com:99999/", "https://[::1/", "https://example.c0m", "https://example.com/\u200b\x00",
])
def test_bad_links_refused(text):
    assert code_of(parse_link, text) == "not_link"


def test_empty_and_huge_inputs_refused_quickly():
    assert code_of(parse_link, "   ") == "empty"
    assert code_of(parse_link, None) == "empty"
    huge = "https://example.com/" + "a" * 10_000_000
    started = time.perf_counter()
    for call in (parse_link, parse_username, parse_hashtag):
        assert code_of(call, huge) == "too_long"
    assert code_of(parse_lines, "x\n" * 5_000_000, 1, 10) == "too_long"
    assert code_of(parse_whole_number, "9" * 10_000_000, 1, 10) == "too_long"
    assert time.perf_counter() - started < 1


def test_long_hostname_does_not_backtrack():
    started = time.perf_counter()
    assert code_of(parse_link, "https://" + "a-" * 1000 + "_.com") == "not_link"
    assert time.perf_counter() - started < 1


@pytest.mark.parametrize(("text", "value"), [("100", 100), (" 1 000 ", 1000), ("10_000", 10000), ("0050", 50)])
def test_whole_numbers(text, value):
    assert parse_whole_number(text, 50, 10_000) == value


@pytest.mark.parametrize(("text", "code"), [
    ("12.5", "not_number"), ("-5", "not_number"), ("1e3", "not_number"), ("ten", "not_number"),
    ("١٢٣", "not_number"), ("49", "out_of_range"), ("10001", "out_of_range"), ("9" * 13, "not_number"),
])
def test_bad_numbers(text, code):
    with pytest.raises(InputError) as caught:
        parse_whole_number(text, 50, 10_000)
    assert caught.value.code == code
    assert caught.value.params == {"low": 50, "high": 10_000}


@given(st.integers(min_value=-10**15, max_value=10**15), st.integers(0, 10**6), st.integers(0, 10**6))
def test_numbers_accepted_exactly_inside_bounds(value, low, span):
    high = low + span
    try:
        assert parse_whole_number(str(value), low, high) == value
        assert low <= value <= high
    except InputError as exc:
        assert exc.code in ("not_number", "out_of_range")
        assert not low <= value <= high


@given(st.text(max_size=200))
def test_any_text_gives_a_value_or_input_error(text):
    for call in (parse_link, parse_username, parse_hashtag, lambda t: parse_whole_number(t, 1, 10)):
        try:
            call(text)
        except InputError:
            pass


@given(st.text(max_size=300))
def test_accepted_links_are_http_without_spaces(text):
    try:
        link = parse_link(text)
    except InputError:
        return
    assert link.lower().startswith(("http://", "https://"))
    assert not any(ch.isspace() for ch in link)


@given(st.lists(st.text(min_size=1, max_size=30), min_size=0, max_size=30), st.integers(1, 10), st.integers(0, 10))
def test_lines_count_and_content(items, low, span):
    high = low + span
    text = "\r\n".join(items)
    try:
        lines = parse_lines(text, low, high)
    except InputError as exc:
        assert exc.code in ("empty", "line_count", "line_too_long")
        return
    assert low <= len(lines) <= high
    assert all(line and line == line.strip() and "\n" not in line for line in lines)


def test_lines_errors_name_the_problem():
    with pytest.raises(InputError) as caught:
        parse_lines("a\n\n b \n", 3, 5)
    assert (caught.value.code, caught.value.params) == ("line_count", {"count": 2, "low": 3, "high": 5})
    with pytest.raises(InputError) as caught:
        parse_lines("ok\n" + "x" * 1001, 1, 5)
    assert (caught.value.code, caught.value.params) == ("line_too_long", {"line": 2, "limit": 1000})


def test_usernames():
    assert parse_username("@some.user_1") == "some.user_1"
    assert parse_username("https://instagram.com/some") == "https://instagram.com/some"
    assert code_of(parse_username, "two words") == "not_username"
    assert parse_username_lines("@a\nb\n\nhttps://x.com/c", 1, 5) == ("a", "b", "https://x.com/c")
    with pytest.raises(InputError) as caught:
        parse_username_lines("a\nb c", 1, 5)
    assert (caught.value.code, caught.value.params) == ("bad_line_username", {"line": 2})


def test_runs_bound_the_total():
    assert parse_runs("5", 100, 50, 1000) == 5
    assert code_of(parse_runs, "1", 100, 50, 1000) == "out_of_range"
    with pytest.raises(InputError) as caught:
        parse_runs("20", 100, 50, 1000)
    assert (caught.value.code, caught.value.params) == ("dripfeed_total", {"total": 2000, "low": 50, "high": 1000})


def test_delay_and_expiry():
    assert parse_delay("30", (0, 5, 30)) == 30
    with pytest.raises(InputError) as caught:
        parse_delay("7", (0, 5, 30))
    assert caught.value.params == {"allowed": "0, 5, 30"}
    assert parse_expiry("1/7/2030", TODAY) == date(2030, 7, 1)
    assert parse_expiry("31.12.2031", TODAY) == date(2031, 12, 31)
    assert code_of(parse_expiry, "15/06/2030", TODAY) == "date_not_future"
    assert code_of(parse_expiry, "31/02/2031", TODAY) == "not_date"
    assert code_of(parse_expiry, "2031-01-01", TODAY) == "not_date"


def test_fields_use_the_service_bounds():
    ctx = FieldContext(min=10, max=20, quantity_is_count=True, answers={"quantity": 5})
    assert parse_field("comments", "\n".join(f"c{i}" for i in range(10)), ctx) == tuple(f"c{i}" for i in range(10))
    assert code_of(parse_field, "comments", "one\ntwo", ctx) == "line_count"
    assert parse_field("runs", "3", ctx) == 3
    free = FieldContext(min=10, max=20)
    assert parse_field("usernames", "@one", free) == ("one",)
    sub = FieldContext(min=10, max=20, answers={"min": 15}, allowed_delays=(0, 5), today=TODAY)
    assert code_of(parse_field, "max", "12", sub) == "out_of_range"
    assert parse_field("max", "15", sub) == 15
    assert parse_field("delay", "5", sub) == 5
    with pytest.raises(ValueError):
        parse_field("nonsense", "x", sub)


def test_telegram_sized_comment_list_is_fine():
    text = "\n".join(f"comment number {i}" for i in range(200))
    assert len(text) < MAX_TEXT_CHARS
    assert len(parse_lines(text, 1, 1000)) == 200
