"""The Mini App in a real headless Chromium against the bot's server, the fake panel and signed initData."""

from __future__ import annotations

import asyncio
import time

from tests.webapp.browser import DARK_THEME, browser, needs_chromium, open_app, snap

pytestmark = needs_chromium
COMMENTS = "\n".join(f"Nice post number {n}!" for n in range(1, 11))


async def _order(page, search: str, row_text: str, fields: dict[str, str], total: str, shot: str = "") -> str:
    await page.fill("#q", search)
    await page.wait_for_function("s => document.querySelector('#count').dataset.q === s", arg=search)
    await page.locator(".row:visible", has_text=row_text).first.click()
    await page.wait_for_selector("#order-form")
    for name, value in fields.items():
        await page.fill(f"#f-{name}", value)
    await page.wait_for_function("t => (document.querySelector('#total')||{}).textContent === t", arg=total)
    if shot:
        await page.locator("#confirm").scroll_into_view_if_needed()
        await snap(page, shot)
    await page.click("#confirm")
    outcome = page.locator("#outcome")
    await outcome.filter(has_text="#").wait_for()
    return await outcome.inner_text()


async def test_browse_search_and_order_a_default_and_a_custom_comments_service(shop):
    await shop.fund(42, "10")
    async with browser() as chromium:
        page = await open_app(chromium, shop.url, shop.sign(42, username="buyer"))
        await page.wait_for_selector("body[data-ready]")
        assert await page.locator("#count").inner_text() == f"Services found: {len(shop.env.panel.services)}"
        await snap(page, "catalogue-en")
        await page.select_option("#platform", "instagram")
        await page.check("#frefill")
        assert "Instagram Followers" in await page.locator("#list").inner_text()
        assert "YouTube" not in await page.locator("#list").inner_text()
        await page.uncheck("#frefill")
        await page.select_option("#platform", "")

        await page.fill("#q", "followers")
        await page.locator(".row", has_text="Followers").first.click()
        await page.fill("#f-link", "not a link")
        await page.fill("#f-quantity", "5")
        await page.wait_for_function("() => document.querySelector('#e-quantity').textContent.includes('50')")
        assert await page.locator("#confirm").is_disabled()
        await page.locator("button", has_text="Back").click()

        placed = await _order(page, "followers", "Followers",
                              {"link": "https://instagram.com/buyer", "quantity": "1000"}, "0.90 USD")
        assert "is placed" in placed
        await page.click("#confirm", force=True, no_wait_after=True)  # a second tap: disabled, nothing new
        await page.locator("button", has_text="Back").click()
        placed = await _order(page, "custom_comments", "Custom_Comments",
                              {"link": "https://instagram.com/p/1", "comments": COMMENTS}, "0.08 USD", "order-en")
        assert "is placed" in placed
        assert len(shop.env.panel.orders) == 2

        await page.click("nav button[data-tab=orders]")
        await page.wait_for_selector(".card")
        assert await page.locator(".card").count() == 2
        await page.locator(".card").first.locator("button[data-action=refresh]").click()
        await page.wait_for_selector(".notice")
        await snap(page, "orders-en")
        page.once("dialog", lambda dialog: asyncio.ensure_future(dialog.accept()))  # "Cancel this order?"
        await page.locator(".card").first.locator("button[data-action=cancel]").click()
        await page.locator(".card .notice", has_text="Cancellation requested").wait_for()
        await page.click("nav button[data-tab=balance]")
        await page.wait_for_selector("#balance-amount")
        assert await page.locator("#balance-amount").inner_text() == "9.02 USD"
        await snap(page, "balance-en")
        await page.click("#topup")
        await shop.env.tg.wait_for("sendMessage", chat_id=42)

    # the chat's My orders shows the same two orders
    shop.env.tg.send_text(42, "/orders")
    listing = await shop.env.tg.next_message(42)
    labels = " ".join(text for text, _ in listing.buttons)
    assert "Followers" in labels and "Custom_Comments" in labels


async def test_russian_customers_see_the_shop_in_russian_in_their_theme(shop):
    await shop.fund(43, "10")
    async with browser() as chromium:
        page = await open_app(chromium, shop.url, shop.sign(43, lang="ru"), lang="ru", theme=DARK_THEME)
        await page.wait_for_selector("body[data-ready]")
        colours = await page.evaluate("""() => [getComputedStyle(document.body).backgroundColor,
            getComputedStyle(document.querySelector('nav button.on')).backgroundColor]""")
        assert colours == ["rgb(23, 33, 43)", "rgb(82, 136, 193)"]  # Telegram's theme, not our defaults
        assert await page.locator("nav button[data-tab=shop]").inner_text() == "Каталог"
        assert (await page.locator("#count").inner_text()).startswith("Найдено услуг")
        await snap(page, "catalogue-ru")
        placed = await _order(page, "followers", "Followers",
                              {"link": "https://instagram.com/buyer", "quantity": "100"}, "0.09 USD", "order-ru")
        assert "Заказ" in placed
        await page.click("nav button[data-tab=orders]")
        await page.wait_for_selector(".card")
        await snap(page, "orders-ru")
        await page.click("nav button[data-tab=balance]")
        await page.wait_for_selector("#balance-amount")
        await snap(page, "balance-ru")


async def test_forged_or_stale_init_data_gets_nothing(shop):
    forged = shop.sign(42).replace("User42", "Admin")
    stale = shop.sign(42, auth_date=time.time() - 3 * 86400)
    async with browser() as chromium:
        for init_data in (forged, stale, ""):
            page = await open_app(chromium, shop.url, init_data)
            await page.wait_for_selector("#fatal:not([hidden])")
            assert "opened from the bot's menu" in await page.locator("#fatal").inner_text()
            assert await page.locator(".row").count() == 0


async def test_a_lost_answer_and_a_second_confirm_place_the_order_once(shop):
    await shop.fund(44, "10")
    lost: list[int] = []

    async def lose_the_first_answer(route):
        response = await route.fetch()  # the server placed the order ...
        if not lost:
            lost.append(response.status)
            await route.abort("connectionreset")  # ... but the answer never reaches the page
        else:
            await route.fulfill(response=response)

    async with browser() as chromium:
        page = await open_app(chromium, shop.url, shop.sign(44))
        await page.wait_for_selector("body[data-ready]")
        await page.route("**/api/order", lose_the_first_answer)
        await page.fill("#q", "followers")
        await page.locator(".row:visible", has_text="Followers").first.click()
        await page.fill("#f-link", "https://instagram.com/once")
        await page.fill("#f-quantity", "100")
        await page.wait_for_function("() => !document.querySelector('#confirm').disabled")
        await page.click("#confirm")
        await page.locator("#outcome", has_text="went wrong").wait_for()
        assert lost == [200] and len(shop.env.panel.orders) == 1
        await page.click("#confirm")  # the customer tries again: the same token
        await page.locator("#outcome", has_text="is placed").wait_for()
    assert len(shop.env.panel.orders) == 1
    _, body = await shop.call(44, "orders")
    assert body["total"] == 1


async def test_web_traffic_is_ordered_with_labelled_choices(shop):
    await shop.fund(45, "10")
    async with browser() as chromium:
        page = await open_app(chromium, shop.url, shop.sign(45))
        await page.wait_for_selector("body[data-ready]")
        await page.fill("#q", "visitors")
        await page.locator(".row:visible", has_text="Website visitors").first.click()
        await page.wait_for_selector("#order-form")
        labels = await page.locator("#f-device option").all_inner_texts()
        assert labels == ["🖥 Desktop", "🤖 Android phones", "🍏 iPhones", "📱 Android and iPhone",
                          "🔀 Phones and desktop"]
        for name, value in {"link": "https://shop.example", "quantity": "2000", "country": "de"}.items():
            await page.fill(f"#f-{name}", value)
        await page.select_option("#f-device", "3")
        assert await page.locator("#f-google_keyword").is_visible()  # Google search: the first source
        assert not await page.locator("#f-referring_url").is_visible()
        assert "optional" not in await page.locator("label[for=f-google_keyword]").inner_text()
        await page.select_option("#f-type_of_traffic", "2")
        assert not await page.locator("#f-google_keyword").is_visible()
        await page.fill("#f-referring_url", "https://news.example/a")
        await page.wait_for_function("() => (document.querySelector('#total')||{}).textContent === '1.60 USD'")
        await snap(page, "order-web-traffic-en")
        await page.click("#confirm")
        await page.locator("#outcome").filter(has_text="#").wait_for()
    [order] = shop.env.panel.orders.values()
    assert {k: order.params.get(k) for k in ("country", "device", "type_of_traffic", "referring_url")} == {
        "country": "DE", "device": "3", "type_of_traffic": "2", "referring_url": "https://news.example/a"}
