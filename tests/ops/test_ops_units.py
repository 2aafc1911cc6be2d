"""Small rules of the operator tools: demo settings, placeholders, terminal logging, the demo book's pace."""

from __future__ import annotations

import io
import logging

import pytest

from bot.config import ConfigError, load_settings
from bot.ops.startup import placeholder_problems
from bot.panel.demo_book import DemoBook
from bot.telegram.logs import configure_logging

TOKEN = "123456789:AAFakeTokenForOpsUnitTests_abcdefgh"


def settings(**panels):
    return load_settings(telegram={"bot_token": TOKEN}, panels={"panels": [], "panel_url": None,
                                                                "panel_key": None, **panels})


def test_the_demo_panel_needs_no_key_and_is_never_mixed_with_a_real_one() -> None:
    demo = settings(panel_url="demo")
    assert demo.panels.demo and [p.name for p in demo.panels.panels] == ["demo"]
    real = {"name": "real", "url": "https://panel.example.com/api/v2", "key": "real-key-123"}
    with pytest.raises(ConfigError, match="PANEL_URL=demo runs the demo panel alone"):
        settings(panel_url="demo", panels=[real])
    with pytest.raises(ConfigError, match="needs no PANEL_KEY"):
        settings(panel_url="demo", panel_key="some-key-1234")
    with pytest.raises(ConfigError, match="PANEL_URL=demo runs the demo panel alone"):
        settings(panels=[real, {"name": "d", "url": "demo", "key": "demo"}])


def test_the_env_example_placeholders_are_recognised() -> None:
    placeholder = load_settings(telegram={"bot_token": "123456789:replace-with-the-token-from-BotFather"},
                                panels={"panels": [], "panel_url": "https://your-panel.example/api/v2",
                                        "panel_key": "replace-with-your-panel-api-key"})
    problems = [what for what, _ in placeholder_problems(placeholder)]
    assert problems == ["BOT_TOKEN is still the placeholder from .env.example",
                        "PANEL_URL/PANEL_KEY is still the placeholder from .env.example"]
    assert placeholder_problems(settings(panel_url="https://panel.example.com/api/v2", panel_key="k" * 20)) == []


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _log_an_error(stream: io.StringIO) -> str:
    root = logging.getLogger()
    saved, level = list(root.handlers), root.level
    try:
        configure_logging("INFO", stream)
        try:
            raise ValueError("boom")
        except ValueError:
            logging.getLogger("bot").error("it broke", exc_info=True)
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in saved:
            root.addHandler(handler)
        root.setLevel(level)
    return stream.getvalue()


def test_a_traceback_keeps_its_lines_on_a_terminal_and_is_one_line_otherwise() -> None:
    terminal = _log_an_error(Terminal())
    assert terminal.count("\n") > 3 and "Traceback (most recent call last):\n" in terminal
    collected = _log_an_error(io.StringIO())
    assert collected.count("\n") == 1 and "\\nTraceback" in collected


def test_demo_orders_move_with_the_clock_and_end_in_every_outcome() -> None:
    now = [0.0]
    book = DemoBook(step_seconds=10, clock=lambda: now[0])
    ids = [book.answer("add", {"service": "101", "link": "https://x", "quantity": "300"})["order"] for _ in range(7)]
    states = lambda: [book.answer("status", {"order": str(i)})["status"] for i in ids]  # noqa: E731
    assert set(states()) == {"Pending"}
    now[0] = 25
    assert set(states()) == {"In progress"}
    now[0] = 60
    assert states() == ["Completed", "Completed", "Partial", "Completed", "Completed", "Partial", "Canceled"]
    assert book.answer("add", {"service": "101", "link": "https://x", "quantity": "1"}) == \
        {"error": "Quantity less than minimal 50"}
    assert book.answer("balance", {})["balance"] == "247.48000"  # 250 − 7 × 0.36


def test_a_restarted_demo_panel_still_answers_for_earlier_orders_and_refills() -> None:
    now = [1_700_000_000.0]
    before = DemoBook(step_seconds=10, clock=lambda: now[0])
    ids = [before.answer("add", {"service": "101", "link": "https://x", "quantity": "300"})["order"] for _ in range(3)]
    now[0] += 100
    refill = before.answer("refill", {"order": ids[0]})["refill"]
    after = DemoBook(step_seconds=10, clock=lambda: now[0])  # a new process: empty books
    answers = after.answer("status", {"orders": ",".join(ids)})
    assert [answers[i]["status"] for i in ids] == ["Completed", "Completed", "Partial"]
    assert answers[ids[2]]["remains"] == "100" and answers[ids[0]]["charge"] == "0.36000"
    assert after.answer("refill_status", {"refill": refill}) == {"status": "Pending"}
    now[0] += 30
    assert after.answer("refill_status", {"refills": refill}) == [{"refill": refill, "status": "Completed"}]
    assert after.answer("status", {"order": "12345"}) == {"error": "Incorrect order ID"}
