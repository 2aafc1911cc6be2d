"""The admin error post: redacted, escaped, within Telegram's limits, throttled per error site."""

from __future__ import annotations

import html

from telegram import Chat, Message, Update, User

from bot.telegram.errors import TRACE_LIMIT, ErrorReporter, admin_report, describe_update, escaped_tail
from bot.telegram.redact import register_secret

SECRET = "panel-secret-key-0042"


def raised(exc: BaseException) -> BaseException:
    try:
        raise exc
    except BaseException as caught:
        return caught


def deep(n: int) -> None:
    if n == 0:
        raise ValueError(f"<bad> & {SECRET} " + "x" * 500)
    deeper(n - 1)  # alternating frames: Python does not fold them, so the traceback is long


def deeper(n: int) -> None:
    deep(n)


def test_escaped_tail_keeps_the_end_within_the_limit() -> None:
    for text in ("a" * 5000, "<" * 5000, "x<&" * 2000, "short <b>"):
        tail = escaped_tail(text, 100)
        assert len(tail) <= 100
        assert html.unescape(tail.removeprefix("…")) == text[-len(html.unescape(tail.removeprefix("…"))):]
    assert escaped_tail("short <b>", 100) == "short &lt;b&gt;"


def test_admin_report_of_a_long_traceback() -> None:
    register_secret(SECRET)
    try:
        deep(200)
    except ValueError as exc:
        report = admin_report("update 7 (user 1, chat 1)", exc, repeats=2)
    assert report.startswith("⚠️ <b>ValueError</b> while handling update 7 (user 1, chat 1) (+2 similar")
    body = report.split("<pre>", 1)[1].removesuffix("</pre>")
    assert len(body) <= TRACE_LIMIT and len(report) <= 4096
    assert body.startswith("…") and "ValueError: &lt;bad&gt; &amp; ***" in body
    assert SECRET not in report


def test_describe_update_names_ids_not_text() -> None:
    user = User(1, "Ann", False)
    message = Message(5, date=None, chat=Chat(9, "private"), from_user=user, text="my secret link")
    assert describe_update(Update(3, message=message)) == "update 3 (user 1, chat 9)"
    assert describe_update(None) == "no update"
    assert describe_update("job") == "str"


def test_throttle_posts_a_site_once_per_window() -> None:
    clock = [0.0]
    reporter = ErrorReporter(clock=lambda: clock[0])
    first, again = raised(KeyError("a")), raised(KeyError("a"))
    other = raised(TypeError("b"))
    assert reporter._should_post(first) == (True, 0)
    assert reporter._should_post(again) == (False, 0)
    assert reporter._should_post(other) == (True, 0)  # a different error is news
    clock[0] += 61
    assert reporter._should_post(again) == (True, 1)  # posted again, with the count it hid
