"""Back and Cancel from every step, wrong values refused in place, search, and both languages."""

from __future__ import annotations

import pytest

from bot.render.callbacks import unpack
from tests.chat_order.conftest import Customer

# (how to get from the previous step to this one, what this step shows)
STEPS = [
    ("/order", "Choose a platform"),
    ("Instagram", "choose a category"),
    ("Instagram Followers", "choose a service"),
    ("Instagram Followers <Real>", "Minimum 50, maximum 10000"),
    ("Order this", "Send the link"),
    ("https://instagram.com/p/1", "How many?"),
    ("100", "Drip-feed"),
    ("3", "minutes between runs"),
    ("15", "Check your order"),
]
TYPED = {"/order", "https://instagram.com/p/1", "100", "3", "15"}


async def walk_to(customer: Customer, count: int) -> None:
    """Take the first `count` steps of STEPS, checking each screen."""
    for action, shows in STEPS[:count]:
        screen = await (customer.send(action) if action in TYPED else customer.press(action))
        assert shows in screen.plain, (action, screen.plain)


async def test_back_goes_one_step_back_from_every_step(shop, customer):
    await walk_to(customer, len(STEPS))
    for _, shows in reversed(STEPS[:-1]):
        screen = await customer.press("Back")
        assert shows in screen.plain
    assert not [label for label, _ in customer.screen.buttons if "Back" in label]  # the first step has none


async def test_back_keeps_earlier_answers_and_asks_later_ones_again(shop, customer):
    await walk_to(customer, len(STEPS))
    await customer.press("Back")  # interval
    await customer.press("Back")  # runs
    skipped = await customer.press("Skip")
    assert "Check your order" in skipped.plain and "Runs" not in skipped.plain
    assert "https://instagram.com/p/1" in skipped.plain and "Quantity: 100" in skipped.plain


@pytest.mark.parametrize("steps", range(1, len(STEPS) + 1))
async def test_cancel_from_every_step(shop, customer, steps):
    await walk_to(customer, steps)
    old_button = customer.screen.buttons[0][1]  # the message is edited in place: keep its data now
    cancelled = await customer.press("Cancel")
    assert "Cancelled" in cancelled.plain and not cancelled.buttons
    answer = await customer.press_data(old_button, cancelled)
    assert "out of date" in answer.params.get("text", "")
    assert not shop.panel.orders


async def test_cancel_command_leaves_the_flow(shop, customer):
    await walk_to(customer, 6)
    assert "Cancelled" in (await customer.send("/cancel")).plain


@pytest.mark.parametrize(("typed", "reason"), [
    ("instagram.com/p/1", "not a link I can use"),
    ("https://exa mple.com", "not a link I can use"),
    ("x" * 4096, "too long"),
])
async def test_wrong_links_are_refused_in_place(shop, customer, typed, reason):
    await walk_to(customer, 5)
    wrong = await customer.send(typed)
    assert reason in wrong.plain and "Send the link" in wrong.plain
    assert "How many?" in (await customer.send("https://instagram.com/p/ok")).plain


@pytest.mark.parametrize(("typed", "reason"), [
    ("ten", "not a whole number"), ("12.5", "not a whole number"), ("49", "from 50 to 10000"),
    ("10001", "from 50 to 10000"), ("-100", "not a whole number"),
])
async def test_wrong_quantities_are_refused_in_place(shop, customer, typed, reason):
    await walk_to(customer, 6)
    wrong = await customer.send(typed)
    assert reason in wrong.plain and "How many?" in wrong.plain
    assert "Drip-feed" in (await customer.send("50")).plain


async def test_sticker_where_text_is_expected(shop, customer):
    await walk_to(customer, 5)
    customer.tg.send_update({"message": {"message_id": 99, "date": 0, "chat": customer.tg.chat(42),
                                         "from": customer.tg.user(42), "sticker": {
                                             "file_id": "s", "file_unique_id": "s", "type": "regular",
                                             "width": 1, "height": 1, "is_animated": False,
                                             "is_video": False}}})
    reply = await customer.tg.next_message(42)
    assert "text message" in reply.plain and "Send the link" in reply.plain


async def test_search_by_typing_and_by_button(shop, customer):
    await customer.send("/order")
    found = await customer.send("hashtag")
    assert "matching «hashtag»" in found.plain
    assert [label for label, _ in found.buttons if "Mentions by #hashtag" in label]
    card = await customer.press("Mentions by #hashtag")
    assert "Minimum 100" in card.plain
    assert "matching «hashtag»" in (await customer.press("Back")).plain
    assert "Choose a platform" in (await customer.press("Back")).plain
    assert "Type a few words" in (await customer.press("Search")).plain
    nothing = await customer.send("zzzz qqqq")
    assert "Nothing matches «zzzz qqqq»" in nothing.plain
    assert "at least 2 letters" in (await customer.send("z")).plain


async def test_pages_of_a_long_list(shop):
    shop.panel.services[:] = [{"service": i, "name": f"Likes {i}", "type": "Default", "rate": "1.00", "min": 10,
                               "max": 1000, "category": f"Instagram Likes {i % 25:02d}"} for i in range(1, 60)]
    await shop.load_catalogue()
    customer = Customer(shop, 7)
    await customer.send("/order")

    def shown(screen):
        labels = [label for label, data in screen.buttons if unpack(data).action in ("cat", "cpage")]
        return labels[0], len(labels)

    assert shown(await customer.press("Instagram")) == ("Instagram Likes 01", 12)  # 10 + "1/3", "2 »"
    assert shown(await customer.press("2 »")) == ("Instagram Likes 11", 13)
    last = await customer.press("3 »")
    assert shown(last) == ("Instagram Likes 21", 7)  # 5 left + "« 2", "3/3"
    services = await customer.press("Instagram Likes 24")
    assert "Likes 24" in services.plain or [label for label, _ in services.buttons if "Likes 24" in label]
    assert shown(await customer.press("Back"))[0] == "Instagram Likes 21"  # back to the page it came from


@pytest.mark.parametrize(("lang", "texts"), [
    ("en", ["New order", "choose a category", "choose a service", "Price: 0.90 USD per 1000", "Send the link",
            "How many?", "Drip-feed", "Check your order", "is placed"]),
    ("ru", ["Новый заказ", "выберите категорию", "выберите услугу", "Цена: 0.90 USD за 1000",
            "Отправьте ссылку", "Сколько нужно?", "Постепенная", "Проверьте заказ", "оформлен"]),
])
async def test_both_languages_render(shop, lang, texts):
    customer = Customer(shop, 77, lang=lang)
    await customer.fund("1")
    steps = [lambda: customer.send("/order"), lambda: customer.press("Instagram"),
             lambda: customer.press("Instagram Followers"), lambda: customer.press("Instagram Followers <Real>"),
             lambda: customer.press("✅"), lambda: customer.send("https://instagram.com/p/9"),
             lambda: customer.send("100"), lambda: customer.press("⏭"), lambda: customer.press("✅")]
    shown = [(await step()).plain for step in steps]  # texts now: the message is edited in place later
    shown[-1] = (await customer.wait_screen("#")).plain
    for text, plain in zip(texts, shown, strict=True):
        assert text in plain, (text, plain)
