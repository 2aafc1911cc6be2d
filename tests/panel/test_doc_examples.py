"""Every example answer of the five docs, served over HTTP by the fake panel, means what it says."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from bot.panel import EntryError, OrderRequest, PanelClient, PanelRefused
from bot.panel.decoding import decode_body
from tests.fakes.panel_server import FakePanel
from tests.panel.doc_examples import EXAMPLES, DocExample, Err, Refused

DIALECT_OF_DOC = {"000": "folgen", "001": "server", "002": "proxy", "003": "gen", "004": "sofia"}


def _id(example: DocExample) -> str:
    same = [e for e in EXAMPLES if (e.doc, e.action) == (example.doc, example.action)]
    return f"{example.doc}-{example.action}-{same.index(example)}"


def assert_fields(model: Any, expect: dict[str, Any]) -> None:
    """Each expected field is present with that value; Decimal values are Decimal, never float."""
    for name, value in expect.items():
        actual = getattr(model, name)
        assert actual == value, f"{name}: {actual!r} != {value!r}"
        if isinstance(value, Decimal):
            assert type(actual) is Decimal, f"{name} is {type(actual).__name__}"


def assert_multi(result: dict[str, Any], expect: dict[str, Any]) -> None:
    assert list(result) == list(expect)
    for key, wanted in expect.items():
        if isinstance(wanted, Err):
            assert isinstance(result[key], EntryError), (key, result[key])
            assert result[key].message == wanted.message
        elif isinstance(wanted, str):
            assert result[key] == wanted
        else:
            assert not isinstance(result[key], EntryError), (key, result[key])
            assert_fields(result[key], wanted)


async def _call(client: PanelClient, example: DocExample) -> Any:
    ids = list(example.ids)
    calls = {
        "services": client.services,
        "add": lambda: client.add(OrderRequest(service="1", link="https://example.com/p/1", quantity=100)),
        "status": lambda: client.status(ids[0]),
        "status_multi": lambda: client.statuses(ids),
        "refill": lambda: client.refill(ids[0]),
        "refill_multi": lambda: client.refills(ids),
        "refill_status": lambda: client.refill_status(ids[0]),
        "refill_status_multi": lambda: client.refill_statuses(ids),
        "cancel": lambda: client.cancel(ids[0]),
        "cancel_multi": lambda: client.cancels(ids),
        "balance": client.balance,
    }
    return await calls[example.action]()


@pytest.mark.parametrize("example", EXAMPLES, ids=_id)
async def test_doc_example_answer_parses_to_its_meaning(example: DocExample, connect) -> None:
    async with FakePanel(dialect=DIALECT_OF_DOC[example.doc]) as panel:
        panel.script(example.action.removesuffix("_multi"), example.body)
        client = await connect(panel)
        if isinstance(example.expect, Refused):
            with pytest.raises(PanelRefused) as caught:
                await _call(client, example)
            assert caught.value.kind == example.expect.kind
            assert caught.value.message == example.expect.message
            return
        result = await _call(client, example)
        assert sum(panel.requests.values()) == 1  # answered on the first try, nothing retried
    if example.action == "services":
        assert len(result) == len(example.expect)
        for service, wanted in zip(result, example.expect, strict=True):
            assert_fields(service, wanted)
    elif example.action.endswith("_multi"):
        assert_multi(result, example.expect)
    elif isinstance(example.expect, str):
        assert result == example.expect
    else:
        assert_fields(result, example.expect)


def test_every_doc_and_action_has_examples() -> None:
    covered = {(e.doc, e.action) for e in EXAMPLES}
    for doc in ("000", "003", "004"):
        for action in ("services", "add", "status", "status_multi", "refill", "refill_multi", "refill_status",
                       "refill_status_multi", "cancel_multi", "balance"):
            assert (doc, action) in covered
    assert {a for d, a in covered if d == "001"} >= {"services", "add", "status_multi", "refill", "cancel"}
    assert {a for d, a in covered if d == "002"} >= {"services", "status_multi", "refill", "cancel"}


@pytest.mark.parametrize("doc", ["001", "002"])
def test_lenient_bodies_of_the_docs_are_not_strict_json(doc: str) -> None:
    """Guards the data: doc 001/002 services bodies really are invalid JSON, and still decode."""
    import json

    body = next(e.body for e in EXAMPLES if (e.doc, e.action) == (doc, "services"))
    with pytest.raises(json.JSONDecodeError):
        json.loads(body)
    assert isinstance(decode_body(body.encode()), list)
