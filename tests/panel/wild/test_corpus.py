"""Every real-world answer of the corpus, over real HTTP, reaches its meaning (issue 19); the share is printed."""

from __future__ import annotations

import pytest

from bot.panel import OrderRequest, OutcomeUnknown, PanelRefused
from bot.panel.models import EntryError
from tests.panel.wild.corpus import (
    CASES,
    ERROR,
    OK,
    UNKNOWN,
    Cancels,
    Case,
    Placed,
    RefillId,
    RefillStatus,
    Refused,
    Status,
    Statuses,
    Types,
)
from tests.panel.wild.server import ScriptedPanel, answer

REQUEST = OrderRequest(service="1", link="https://instagram.com/p/x", quantity=100)


async def _ask(client, case: Case):
    """Run the case's action; its outcome as a comparable meaning."""
    try:
        if case.action == "add":
            return Placed(await client.add(REQUEST))
        if case.action == "status":
            return Status((await client.status(case.ids[0])).status.value)
        if case.action == "statuses":
            found = await client.statuses(list(case.ids))
            return Statuses({i: ERROR if isinstance(s, EntryError) else s.status.value for i, s in found.items()})
        if case.action == "refill":
            return RefillId(await client.refill(case.ids[0]))
        if case.action == "refills":
            found = await client.refills(list(case.ids))
            return Statuses({i: ERROR if isinstance(r, EntryError) else r for i, r in found.items()})
        if case.action == "refill_status":
            return RefillStatus((await client.refill_status(case.ids[0])).status.value)
        if case.action == "cancel":
            await client.cancel(case.ids[0])
            return Cancels({case.ids[0]: OK})
        if case.action == "services":
            return Types({s.id: s.type.value for s in await client.services()})
        if case.action == "cancels":
            found = await client.cancels(list(case.ids))
            return Cancels({i: ERROR if isinstance(r, EntryError) else OK for i, r in found.items()})
    except PanelRefused as exc:
        return Refused(exc.kind.value, exc.bound)
    except OutcomeUnknown:
        return UNKNOWN
    raise AssertionError(f"unknown action {case.action}")


@pytest.mark.parametrize("case", CASES, ids=[f"{c.action}:{c.body[:40]}" for c in CASES])
async def test_a_real_world_answer_reaches_its_meaning(connect, case: Case) -> None:
    async with ScriptedPanel(lambda seen: answer(case.body, case.status, case.headers)) as panel:
        client = await connect(panel.url, key="wild-key-123")
        assert await _ask(client, case) == case.meaning, case.source


async def test_the_share_of_the_corpus_handled(connect, capsys) -> None:
    """Prints the figure the README quotes; every case is expected to pass."""
    handled = 0
    for case in CASES:
        async with ScriptedPanel(lambda seen, case=case: answer(case.body, case.status, case.headers)) as panel:
            client = await connect(panel.url, key="wild-key-123", delays=(0.0,))
            try:
                handled += await _ask(client, case) == case.meaning
            except Exception:  # noqa: S112 - a crash is a miss, counted
                continue
    with capsys.disabled():
        print(f"\npanel corpus: {handled}/{len(CASES)} real-world answers reach their meaning "
              f"({100 * handled // len(CASES)}%)")
    assert handled == len(CASES)
