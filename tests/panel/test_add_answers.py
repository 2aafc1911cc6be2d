"""An `add` answer that holds an order id is never a clear refusal, and 0 / negative / empty is no id."""

from __future__ import annotations

import pytest

from bot.panel import OrderType, OutcomeUnknown, PanelRefused
from tests.panel.sample_requests import REQUESTS


@pytest.mark.parametrize("body", [
    '{"order": 23506, "error": "Not enough funds on balance"}',
    '{"order": "23506", "error": {"message": "link is private"}}',
    '{"order": 0, "error": "Incorrect link"}',
    '{"order_id": 23506, "status": "error", "message": "try later"}',
    '{"order": 0}', '{"order": -5}', '{"order": "-5"}', '{"order": ""}', '{"order": "  "}', '{"order": "0"}',
    '{"order": 0.0}', '{"order": null}',
])
async def test_an_answer_naming_an_order_or_a_non_id_is_an_unknown_outcome(panel, client, body):
    panel.script("add", body)
    with pytest.raises(OutcomeUnknown):
        await client.add(REQUESTS[OrderType.DEFAULT])


@pytest.mark.parametrize("body", ['{"error": "Incorrect link"}', '{"error": "Not enough funds"}',
                                  '{"status": "error", "message": "Service disabled"}'])
async def test_a_plain_error_is_still_a_clear_refusal(panel, client, body):
    panel.script("add", body)
    with pytest.raises(PanelRefused):
        await client.add(REQUESTS[OrderType.DEFAULT])


@pytest.mark.parametrize("body", ['{"order": 23506}', '{"order": "A-17"}', '{"order": 1}'])
async def test_a_real_id_is_taken(panel, client, body):
    panel.script("add", body)
    assert await client.add(REQUESTS[OrderType.DEFAULT]) in {"23506", "A-17", "1"}
