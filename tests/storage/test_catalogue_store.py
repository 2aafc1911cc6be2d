"""Catalogue cache storage: stable category ids, hidden flags kept, paging, escaped word search."""

from __future__ import annotations

from decimal import Decimal

from bot.panel.models import OrderType, Service
from bot.storage import catalogue


def _svc(sid: str, name: str, category: str, rate: str = "1") -> Service:
    return Service(panel="p", id=sid, name=name, type=OrderType.DEFAULT, type_raw="Default",
                   category=category, rate=Decimal(rate), min=10, max=1000)


async def _store(db, services):
    ids = await catalogue.category_ids(db.conn, {s.category: "instagram" for s in services})
    await catalogue.replace_panel_services(db.conn, "p", services, ids)
    return ids


async def test_category_ids_are_stable_across_refreshes(db):
    first = await _store(db, [_svc("1", "A", "Insta Likes"), _svc("2", "B", "Insta Followers")])
    again = await _store(db, [_svc("2", "B", "Insta Followers"), _svc("3", "C", "Insta Views")])
    assert again["Insta Followers"] == first["Insta Followers"]
    assert again["Insta Views"] not in first.values()


async def test_removed_services_become_unavailable_and_hidden_flag_survives(db):
    await _store(db, [_svc("1", "A", "Cat"), _svc("2", "B", "Cat")])
    assert await catalogue.set_service_hidden(db.conn, "p", "2", True)
    await _store(db, [_svc("1", "A", "Cat")])
    assert not (await catalogue.get_service(db.conn, "p", "2")).available
    await _store(db, [_svc("1", "A", "Cat"), _svc("2", "B", "Cat")])
    back = await catalogue.get_service(db.conn, "p", "2")
    assert back.available and back.hidden


async def test_paging_and_hidden_categories(db):
    ids = await _store(db, [_svc(str(i), f"S{i}", "Cat") for i in range(25)] + [_svc("x", "X", "Other")])
    page = await catalogue.services_in_category(db.conn, ids["Cat"], offset=20, limit=10)
    assert [s.service_id for s in page.items] == ["20", "21", "22", "23", "24"]
    assert page.total == 25 and page.has_previous and not page.has_next
    cats = await catalogue.categories(db.conn, "instagram", offset=0, limit=10)
    assert [(c.name, c.service_count) for c in cats.items] == [("Cat", 25), ("Other", 1)]
    await catalogue.set_category_hidden(db.conn, ids["Other"], True)
    assert (await catalogue.categories(db.conn, None, offset=0, limit=10)).total == 1
    assert (await catalogue.categories(db.conn, None, offset=0, limit=10, include_hidden=True)).total == 2
    assert await catalogue.platform_counts(db.conn) == {"instagram": 1}


async def test_search_needs_every_word_and_takes_wildcards_literally(db):
    await _store(db, [
        _svc("1", "Real Followers 100%", "Instagram Followers"),
        _svc("2", "Followers_fast", "Instagram Followers"),
        _svc("3", "Likes", "Instagram Likes"),
        _svc("4", "ПОДПИСЧИКИ живые", "Telegram"),
    ])
    async def ids(*words):
        return [s.service_id for s in (await catalogue.search(db.conn, list(words), offset=0, limit=10)).items]
    assert await ids("instagram", "FOLLOWERS") == ["1", "2"]
    assert await ids("100%") == ["1"]
    assert await ids("%") == ["1"]
    assert await ids("_") == ["2"]
    assert await ids("followers", "likes") == []
    assert await ids("подписчики") == ["4"]  # case-insensitive beyond ASCII


async def test_fetch_records_keep_the_last_success(db):
    await catalogue.record_fetch(db.conn, "p", error=None, service_count=3)
    await catalogue.record_fetch(db.conn, "p", error="down")
    record = (await catalogue.fetch_records(db.conn))[0]
    assert (record.last_error, record.service_count) == ("down", 3)
    assert record.fetched_at is not None
