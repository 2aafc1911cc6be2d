"""`python -m bot check` says how the bot talks to each panel (issue 19): the request style in use and
whether it was detected (with the exact "method" that skips the detection), field aliases, and a
redirected API address (with the URL to use). Real processes against the fake panel acting as a
GET-only, JSON-only or redirecting web server; following the printed advice makes it go away; /setup
shows the same lines."""

from __future__ import annotations

import json
import re

import pytest

from tests.fakes.panel_server import FakePanel
from tests.ops.conftest import run_tool, tool_env
from tests.ops.test_check_cli import line_of

KEY = "route-panel-key-0123456789"


def advice_of(out: str, area: str) -> list[str]:
    """The indented lines under an area's line."""
    lines = out.splitlines()
    start = lines.index(line_of(out, area)) + 1
    found = []
    for line in lines[start:]:
        if not line.startswith("    "):
            break
        found.append(line.strip())
    return found


def panels_env(tg, panel: FakePanel, tmp_path, **entry: object) -> dict[str, str]:
    """The healthy shop's environment with the panel given as a PANELS entry instead of PANEL_URL."""
    env = tool_env(tg, panel, tmp_path)
    del env["PANEL_URL"], env["PANEL_KEY"]
    env["PANELS"] = json.dumps([{"name": "main", "url": panel.url, "key": panel.key, **entry}])
    return env


async def test_a_plain_form_post_panel_says_so_and_gives_no_advice(tmp_path, tg, panel) -> None:
    code, out, err = await run_tool(tmp_path, tool_env(tg, panel, tmp_path), "check")
    assert code == 0, out + err
    assert line_of(out, "panel main").endswith("categories; sends form POST")
    assert advice_of(out, "panel main") == []
    assert panel.turned_away == []


@pytest.mark.parametrize(("accepts", "words", "refused"), [
    ("get", "sends GET query (detected)", "405 POST /api/v2"),
    ("json", "sends JSON body (detected)", "415 POST /api/v2"),
])
async def test_a_detected_style_is_reported_with_the_method_that_skips_the_detection(
        tmp_path, tg, accepts, words, refused) -> None:
    async with FakePanel(key=KEY, accepts=accepts) as panel:
        code, out, err = await run_tool(tmp_path, tool_env(tg, panel, tmp_path), "check")
        assert code == 0, out + err
        assert line_of(out, "panel main").startswith("✓ panel main: balance 1000.00 USD; 18 services")
        assert words in line_of(out, "panel main")
        (advice,) = advice_of(out, "panel main")
        assert advice == f'the panel refused form POST: set "method": "{accepts}" in a PANELS entry instead of ' \
                         'PANEL_URL/PANEL_KEY to skip the detection'  # PANEL_URL has no "method" of its own
        assert refused in panel.turned_away
        assert {c.label for c in panel.calls} == {"balance", "services"} and all(c.key_ok for c in panel.calls)

        # the advice, followed: the style is configured, nothing is refused any more, no advice
        panel.turned_away.clear()
        code, out, err = await run_tool(tmp_path, panels_env(tg, panel, tmp_path, method=accepts), "check")
        assert code == 0, out + err
        assert line_of(out, "panel main").endswith(words.replace(" (detected)", ""))
        assert advice_of(out, "panel main") == [] and panel.turned_away == []
    assert KEY not in out + err


async def test_a_redirected_api_address_is_reported_with_the_url_to_use(tmp_path, tg) -> None:
    async with FakePanel(key=KEY, moved_to="/api/v2/") as panel:
        code, out, err = await run_tool(tmp_path, tool_env(tg, panel, tmp_path), "check")
        assert code == 0, out + err
        assert line_of(out, "panel main").endswith("sends form POST via a redirect")
        (advice,) = advice_of(out, "panel main")
        assert advice == f"the API address redirects to {panel.url}/: put that URL in PANEL_URL to skip the redirect"
        assert "301 POST /api/v2" in panel.turned_away

        panel.turned_away.clear()
        url = re.search(r"redirects to (\S+):", advice).group(1)
        code, out, err = await run_tool(tmp_path, tool_env(tg, panel, tmp_path, PANEL_URL=url), "check")
        assert code == 0, out + err
        assert line_of(out, "panel main").endswith("sends form POST")
        assert advice_of(out, "panel main") == [] and panel.turned_away == []


async def test_a_redirect_and_a_detection_of_a_panels_entry_give_both_lines_of_advice(tmp_path, tg) -> None:
    async with FakePanel(key=KEY, accepts="get", moved_to="/api/v2/") as panel:
        code, out, err = await run_tool(tmp_path, panels_env(tg, panel, tmp_path), "check")
    assert code == 0, out + err
    assert line_of(out, "panel main").endswith("sends GET query (detected) via a redirect")
    assert advice_of(out, "panel main") == [
        'the panel refused form POST: set "method": "get" for this panel in PANELS to skip the detection',
        f'the API address redirects to {panel.url}/: put that URL in this panel\'s "url" in PANELS to skip the '
        "redirect"]


async def test_configured_method_and_aliases_are_reported_without_advice(tmp_path, tg) -> None:
    async with FakePanel(key=KEY, accepts="json") as panel:
        env = panels_env(tg, panel, tmp_path, method="json", aliases={"link": "url", "quantity": "qty"})
        code, out, err = await run_tool(tmp_path, env, "check")
    assert code == 0, out + err
    assert line_of(out, "panel main").endswith("sends JSON body, fields link→url, quantity→qty")
    assert advice_of(out, "panel main") == [] and panel.turned_away == []


async def test_a_refused_key_still_says_how_the_panel_was_asked(tmp_path, tg) -> None:
    async with FakePanel(key=KEY, accepts="get") as panel:
        env = tool_env(tg, panel, tmp_path, PANEL_KEY="not-the-panel-key-000")
        code, out, err = await run_tool(tmp_path, env, "check")
    assert code == 1, out + err
    line = line_of(out, "panel main")
    assert line.startswith("✗ panel main: the panel refused the key") and "sends GET query (detected)" in line
    assert " → copy the API key" in line
    assert '"method": "get"' in advice_of(out, "panel main")[0]


async def test_setup_in_the_admin_group_shows_the_same_route_and_advice(tmp_path) -> None:
    from tests.e2e.harness import BotEnv
    from tests.ops.test_ops_e2e import ADMIN, admin_post

    env = BotEnv(tmp_path, admin_ids={ADMIN})
    env.panel.accepts, env.panel.moved_to = "get", "/api/v2/"  # before the fake starts listening
    async with env:
        env.tg.send_group_text(ADMIN, "/setup")
        text = await admin_post(env, "Set-up check")
    assert "sends GET query (detected) via a redirect\n    the panel refused form POST: set " in text, text
    assert "set \"method\": \"get\" for this panel in PANELS to skip the detection" in text, text
    assert f"redirects to {env.panel.url}/: put that URL in this panel" in text
