"""initData validation as Telegram specifies (core.telegram.org/bots/webapps), and the WEBAPP_* settings."""

from __future__ import annotations

import hashlib
import hmac
import json
from urllib.parse import parse_qsl, urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.config import ConfigError, load_settings
from bot.webapp.auth import AuthError, sign_init_data, validate_init_data

TOKEN = "123456:AAHfakeTokenForTestsOnly_0123456789abcdef"
NOW = 1_750_000_000
USER = json.dumps({"id": 42, "first_name": "Ann", "username": "ann", "language_code": "ru"})


def fields(**extra: str) -> dict[str, str]:
    return {"auth_date": str(NOW), "query_id": "AAHdF6IQAAAAAN0XohDhrOrc", "user": USER, **extra}


def by_hand(values: dict[str, str], token: str) -> str:
    """Telegram's recipe written out independently of bot.webapp.auth."""
    check = "\n".join(f"{k}={v}" for k, v in sorted(values.items()))
    secret = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    return urlencode({**values, "hash": hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()})


def test_a_genuine_init_data_names_its_user():
    user = validate_init_data(by_hand(fields(), TOKEN), TOKEN, max_age_seconds=3600, now=NOW + 10)
    assert (user.id, user.username, user.language_code, user.auth_date) == (42, "ann", "ru", NOW)
    assert sign_init_data(fields(), TOKEN) == by_hand(fields(), TOKEN)


@pytest.mark.parametrize("mangle", [
    lambda q: q.replace("Ann", "Bob"),  # a field changed after signing
    lambda q: q + "&chat_type=private",  # a field added
    lambda q: q.replace("hash=", "hash=0"),  # a broken hash
    lambda q: "&".join(p for p in q.split("&") if not p.startswith("hash=")),  # no hash
    lambda q: q + "&user=" + USER,  # a field twice
    lambda q: "",
    lambda q: "x" * 10_000,
])
def test_forged_init_data_is_refused(mangle):
    with pytest.raises(AuthError):
        validate_init_data(mangle(by_hand(fields(), TOKEN)), TOKEN, max_age_seconds=3600, now=NOW)


def test_another_bots_signature_is_refused():
    with pytest.raises(AuthError):
        validate_init_data(by_hand(fields(), "999:" + "B" * 35), TOKEN, max_age_seconds=3600, now=NOW)


def test_stale_and_future_init_data_are_refused():
    data = by_hand(fields(), TOKEN)
    validate_init_data(data, TOKEN, max_age_seconds=3600, now=NOW + 3600)
    with pytest.raises(AuthError, match="too old"):
        validate_init_data(data, TOKEN, max_age_seconds=3600, now=NOW + 3601)
    with pytest.raises(AuthError, match="future"):
        validate_init_data(data, TOKEN, max_age_seconds=3600, now=NOW - 3600)


def test_signed_but_without_user_is_refused():
    with pytest.raises(AuthError):
        validate_init_data(by_hand({"auth_date": str(NOW)}, TOKEN), TOKEN, max_age_seconds=3600, now=NOW)


@given(st.dictionaries(st.text(st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1, max_size=8),
                       st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=20), max_size=4),
       st.integers(min_value=0, max_value=2))
def test_any_changed_value_breaks_the_signature(extra, which):
    values = {**{f"x_{k}": v for k, v in extra.items()}, **fields()}
    signed = sign_init_data(values, TOKEN)
    assert validate_init_data(signed, TOKEN, max_age_seconds=60, now=NOW).id == 42
    pairs = parse_qsl(signed, keep_blank_values=True)
    key, value = [p for p in pairs if p[0] != "hash"][which % (len(pairs) - 1)]
    changed = urlencode([(k, v + "!" if k == key else v) for k, v in pairs])
    with pytest.raises(AuthError):
        validate_init_data(changed, TOKEN, max_age_seconds=60, now=NOW)


def _settings(**webapp: object):
    return load_settings(telegram={"bot_token": TOKEN}, panels={"panel_url": "https://p.example/api/v2",
                                                                "panel_key": "k" * 8}, webapp=webapp)


def test_webapp_settings():
    assert not _settings().webapp.enabled
    on = _settings(webapp_url="https://shop.example.com/app/")
    assert on.webapp.enabled and on.webapp.path == "/app" and on.webapp.page_url == "https://shop.example.com/app/"
    for bad in ({"webapp_url": "http://hidden-host.test"}, {"webapp_url": "https://hidden-host.test/?q=1"},
                {"webapp_url": "https://hidden-host.test", "webapp_port": 0},
                {"webapp_url": "https://hidden-host.test", "webapp_auth_max_age_seconds": 5}):
        with pytest.raises(ConfigError) as exc:
            _settings(**bad)
        assert "WEBAPP_" in str(exc.value) and "hidden-host" not in str(exc.value)
