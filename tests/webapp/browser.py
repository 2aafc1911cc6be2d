"""Real headless Chromium (Debian's package) driven by Playwright, opening the Mini App the way
Telegram does: telegram-web-app.js is answered by a stand-in that carries the signed initData and
the theme colours (no network leaves the machine; `playwright install` is never needed).
Screenshots go to docs/webapp/ only when UPDATE_SCREENSHOTS=1, so CI never dirties the tree.
"""

from __future__ import annotations

import json
import os
import shutil
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-proxy-server"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "webapp"
VIEWPORT = {"width": 390, "height": 720}
LIGHT_THEME = {"bg_color": "#ffffff", "text_color": "#1c1c1e", "hint_color": "#8e8e93", "link_color": "#2678b6",
               "button_color": "#2481cc", "button_text_color": "#ffffff", "secondary_bg_color": "#f0f0f4",
               "destructive_text_color": "#e53935"}

DARK_THEME = {"bg_color": "#17212b", "text_color": "#f5f5f5", "hint_color": "#708499", "link_color": "#6ab3f3",
              "button_color": "#5288c1", "button_text_color": "#ffffff", "secondary_bg_color": "#232e3c",
              "destructive_text_color": "#ec3942"}


def sdk_stand_in(init_data: str, theme: dict[str, str] = LIGHT_THEME) -> str:
    """What telegram-web-app.js provides that the page uses, with Telegram's CSS variables set."""
    css = "".join(f"document.documentElement.style.setProperty('--tg-theme-{k.replace('_', '-')}',"
                  f"{json.dumps(v)});" for k, v in theme.items())
    web_app = ("{initData:" + json.dumps(init_data) + ",themeParams:" + json.dumps(theme)
               + ",colorScheme:'light',ready(){},expand(){},close(){window.__closed=true},"
               "BackButton:{show(){},hide(){},onClick(){}},HapticFeedback:{notificationOccurred(){}}}")
    return "window.Telegram={WebApp:" + web_app + "};" + css


def chromium_available() -> bool:
    try:
        import playwright  # noqa: F401
    except ImportError:
        return False
    return shutil.which(CHROMIUM) is not None or Path(CHROMIUM).exists()


needs_chromium = pytest.mark.skipif(not chromium_available(),
                                    reason="needs Debian's chromium and the playwright package (.ci/run installs both)")


@asynccontextmanager
async def browser():
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        chromium = await p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        try:
            yield chromium
        finally:
            await chromium.close()


async def open_app(chromium: Any, url: str, init_data: str, *, lang: str = "en",
                   theme: dict[str, str] = LIGHT_THEME) -> Any:
    """A new page with the SDK stand-in routed, opened on the Mini App, catalogue loaded."""
    context = await chromium.new_context(viewport=VIEWPORT, locale=lang, device_scale_factor=1)
    page = await context.new_page()
    script = sdk_stand_in(init_data, theme)
    await page.route("https://telegram.org/**", lambda route: route.fulfill(
        status=200, content_type="text/javascript", body=script))
    await page.goto(url)
    return page


def screenshot_path(name: str) -> Path | None:
    """Where a screenshot goes when UPDATE_SCREENSHOTS=1 (else None: take none)."""
    if os.environ.get("UPDATE_SCREENSHOTS") != "1":
        return None
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"


async def snap(page: Any, name: str) -> None:
    path = screenshot_path(name)
    if path is not None:
        await page.screenshot(path=str(path))
