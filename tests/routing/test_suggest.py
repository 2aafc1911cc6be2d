"""/route suggest's grouping, /route parsing and definition checks, on plain values and real storage."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.domain import routing_admin
from bot.domain.routing_admin import RouteRefused, group_offers, parse_spec
from bot.storage.routes import Member, Offer
from tests.routing.conftest import MEMBERS, make_route


def offer(panel: str, sid: str, name: str, type_: str = "default", low: int = 10, high: int = 1000) -> Offer:
    return Offer(panel, sid, name, type_, low, high, Decimal("1"))


def test_groups_need_the_same_type_a_similar_name_and_overlapping_bounds():
    offers = [
        offer("a", "1", "Instagram Followers Real HQ"), offer("a", "2", "TikTok Views Fast"),
        offer("b", "9", "Instagram Followers Real HQ [refill]"), offer("b", "8", "TikTok Views Fast", "package"),
        offer("c", "5", "instagram followers real hq", low=5000, high=9000),  # no overlap with a:1
        offer("c", "6", "Instagram Followers Real"),
    ]
    groups = group_offers(offers, ["a", "b", "c"])
    assert [[(o.panel, o.service_id) for o in g] for g in groups] == [[("a", "1"), ("b", "9"), ("c", "6")]]


def test_a_word_every_service_shares_does_not_make_the_search_slow():
    offers = [offer("a", str(i), f"Instagram thing{i}") for i in range(400)]
    offers += [offer("b", str(i), f"Instagram thing{i}") for i in range(400)]
    groups = group_offers(offers, ["a", "b"])
    assert len(groups) == 400 and all(g[0].service_id == g[1].service_id for g in groups)


@pytest.mark.parametrize(("args", "reason"), [
    (["x", "main:1"], "usage"), (["x", "main:1", "nonsense"], "bad_member"), (["x", "main:", "b:1"], "bad_member"),
    (["off", "a:1", "b:1"], "bad_name"), (["Ünï", "a:1", "b:1"], "bad_name"),
    (["x", *(f"p{i}:1" for i in range(11))], "member_count"),
])
def test_malformed_definitions_are_refused(args, reason):
    with pytest.raises(RouteRefused) as caught:
        parse_spec(args)
    assert caught.value.reason == reason


def test_a_definition_reads_policy_and_loss_anywhere():
    spec = parse_spec(["Subs", "main:1", "loss", "backup:2", "CHEAPEST"])
    assert (spec.name, spec.policy, spec.allow_loss) == ("subs", "cheapest", True)
    assert spec.members == [Member("main", "1"), Member("backup", "2")]


async def test_suggest_and_accept_on_real_catalogues(shop, hub):
    found = await routing_admin.suggest(shop, hub)
    followers = [s for s in found if ("main", "112") in {(o.panel, o.service_id) for o in s.offers}]
    assert [[str(m) for m in s.members] for s in followers] == [["main:112", "backup:134", "third:107"]]
    route = await routing_admin.accept(shop, hub, followers[0].key, actor=1)
    assert route.members == tuple(MEMBERS)
    with pytest.raises(RouteRefused) as caught:
        await routing_admin.accept(shop, hub, followers[0].key, actor=1)
    assert caught.value.reason == "stale"


async def test_redefining_a_route_replaces_it(shop, hub):
    await make_route(shop, hub)
    again = await make_route(shop, hub, policy="cheapest", members=[Member("backup", "134"), Member("main", "112")])
    assert (again.policy, [str(m) for m in again.members]) == ("cheapest", ["backup:134", "main:112"])
    assert [r.name for r in await routing_admin.all_routes(shop)] == ["followers"]
    assert await routing_admin.remove(shop, "FOLLOWERS") is True
    assert await routing_admin.remove(shop, "followers") is False


def test_route_list_marks_a_provider_cooling_off():
    from datetime import UTC, datetime

    from bot.i18n import Translator
    from bot.render.route_views import list_text
    from bot.storage.routes import Route

    tr = Translator.load().bind("en")
    route = Route(1, "subs", "cheapest", True, (Member("main", "1"), Member("backup", "2")))
    text = list_text(tr, [route], {"backup": datetime(2026, 1, 1, 12, 30, tzinfo=UTC)})
    assert "<b>subs</b> (cheapest, loss allowed): main:1 → backup:2 🧊12:30" in text
    assert "cooling off" in text
    assert "cooling off" not in list_text(tr, [route], {})
