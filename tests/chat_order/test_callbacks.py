"""The callback-data codec: what it packs comes back unchanged; anything else is refused."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.render.callbacks import MAX_BYTES, BadCallback, Callback, pack, pattern, unpack

safe_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)


def test_round_trip_of_awkward_ids():
    data = pack("order", "svc", "n0nce", "main", "id:with/odd%chars")
    assert unpack(data) == Callback("order", "svc", ("n0nce", "main", "id:with/odd%chars"))
    assert unpack(pack("order", "cancel")) == Callback("order", "cancel", ())
    assert unpack(pack("order", "skip", "")) == Callback("order", "skip", ("",))


@given(st.lists(st.one_of(safe_text, st.integers(0, 10**9)), max_size=5))
def test_round_trip_property(args):
    try:
        data = pack("order", "act", *args)
    except ValueError:
        return  # too long for Telegram: refused at packing time, never sent
    assert len(data.encode()) <= MAX_BYTES
    assert unpack(data).args == tuple(str(a) for a in args)


def test_pack_refuses_what_telegram_would():
    with pytest.raises(ValueError):
        pack("order", "svc", "x" * 60)
    with pytest.raises(ValueError):
        pack("Order", "svc")
    with pytest.raises(ValueError):
        pack("order", "bad:action")


@pytest.mark.parametrize("data", [
    None, "", "order", "ORDER:x", "order:", ":x", "order:x:%zz", "order:x:%ff", "order:x:a b",
    "order:x:" + "a" * 60, "order:x:\u00e9", 12, b"order:x",
])
def test_forged_data_refused(data):
    with pytest.raises(BadCallback):
        unpack(data)


@given(st.one_of(st.text(max_size=80), st.binary(max_size=80), st.none(), st.integers()))
def test_anything_decodes_or_is_refused(data):
    try:
        decoded = unpack(data)
    except BadCallback:
        return
    assert isinstance(decoded, Callback)


def test_int_args_are_strict():
    cb = unpack(pack("order", "page", "7", "-1", "007", "x"))
    assert cb.int_arg(0) == 7
    for index in (1, 2, 3, 4):
        with pytest.raises(BadCallback):
            cb.int_arg(index)


def test_pattern_selects_one_feature():
    import re

    assert re.match(pattern("order"), pack("order", "x"))
    assert not re.match(pattern("order"), pack("orders", "x"))
