"""`python -m bot check` as a real process against the fake Bot API and the fake panel: each failure is a
✗ line with what to do and exit 1; a healthy shop is all ✓ and exit 0; nothing is changed."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.deploy.process import free_port
from tests.fakes.panel_catalogue import UNKNOWN_TYPE_SERVICE
from tests.fakes.telegram_records import BOT_ID
from tests.fakes.telegram_server import ADMIN_CHAT_ID
from tests.ops.conftest import ADMIN_ID, run_tool, tool_env

AREAS = ["settings", "token", "admin group", "ADMIN_IDS", "panel main", "database", "payments", "webhook"]


def line_of(out: str, area: str) -> str:
    found = [line for line in out.splitlines() if line[2:].startswith(area + ":")]
    assert found, f"no {area!r} line in:\n{out}"
    return found[0]


async def test_a_healthy_shop_passes_every_check_in_order_and_changes_nothing(tmp_path, tg, panel) -> None:
    code, out, err = await run_tool(tmp_path, tool_env(tg, panel, tmp_path, STARS_PER_UNIT="50"), "check")
    assert code == 0, out + err
    lines = out.splitlines()
    assert [next(i for i, line in enumerate(lines) if line[2:].startswith(a + ":")) for a in AREAS] == \
        sorted(next(i for i, line in enumerate(lines) if line[2:].startswith(a + ":")) for a in AREAS)
    assert all(line.startswith("✓") for line in lines[:-1]), out
    assert "@smm_test_bot" in line_of(out, "token")
    assert "18 services of 17 order types" in line_of(out, "panel main")
    assert "balance 1000" in line_of(out, "panel main")
    assert "created at the first start" in line_of(out, "database")
    assert "Telegram Stars" in line_of(out, "payments")
    assert not (tmp_path / "data").exists()  # the database was not created
    assert {c.method for c in tg.calls} <= {"getMe", "getChat", "getChatMember", "getWebhookInfo"}
    assert {c.label for c in panel.calls} == {"balance", "services"}
    assert tg.token not in out + err and panel.key not in out + err


async def test_services_of_a_type_the_bot_does_not_know_are_named_with_the_mapping(tmp_path, tg, panel) -> None:
    panel.services.append(dict(UNKNOWN_TYPE_SERVICE))
    code, out, err = await run_tool(tmp_path, tool_env(tg, panel, tmp_path, STARS_PER_UNIT="50"), "check")
    assert code == 0, out + err  # advice, not a failure: the rest of the catalogue sells
    line = line_of(out, "panel main")
    assert "19 services of 17 order types" in line
    assert "1 service(s) of types the bot does not know stay hidden from customers: “Views Special” (1)" in out
    assert '"types": {"Views Special": "default"}' in out


@pytest.mark.parametrize(("case", "area", "words"), [
    ("placeholder token", "settings", "BOT_TOKEN is still the placeholder"),
    ("unauthorized token", "token", "Telegram refused BOT_TOKEN (401 Unauthorized)"),
    ("telegram unreachable", "token", "Telegram cannot be reached"),
    ("bot not in group", "admin group", "the bot is not in the group"),
    ("bot may not post", "admin group", "the bot may not post in"),
    ("admin not in group", "ADMIN_IDS", f"not in the admin group: {ADMIN_ID}"),
    ("panel key refused", "panel main", "the panel refused the key"),
    ("panel unreachable", "panel main", "cannot be reached"),
    ("empty catalogue", "panel main", "the panel lists no services"),
    ("webhook failing", "webhook", "Telegram cannot deliver to https://bot.example.com/tg: Connection refused"),
])
async def test_each_failure_is_a_cross_with_what_to_do_and_exit_1(tmp_path, tg, panel, case, area, words) -> None:
    env = tool_env(tg, panel, tmp_path)
    if case == "placeholder token":
        env["BOT_TOKEN"] = "123456789:replace-with-the-token-from-BotFather"
    elif case == "unauthorized token":
        env["BOT_TOKEN"] = "123456789:AAAnotTheTokenTelegramKnows_0123456789"
    elif case == "telegram unreachable":
        env["TELEGRAM_API_URL"] = f"http://127.0.0.1:{free_port()}"
    elif case == "bot not in group":
        tg.members[(ADMIN_CHAT_ID, BOT_ID)] = "left"
    elif case == "bot may not post":
        tg.members[(ADMIN_CHAT_ID, BOT_ID)] = "restricted"
    elif case == "admin not in group":
        tg.members[(ADMIN_CHAT_ID, ADMIN_ID)] = "left"
    elif case == "panel key refused":
        env["PANEL_KEY"] = "not-the-panel-key-000"
    elif case == "panel unreachable":
        env["PANEL_URL"] = f"http://127.0.0.1:{free_port()}/api/v2"
    elif case == "empty catalogue":
        panel.services.clear()
    elif case == "webhook failing":
        env.update(WEBHOOK_URL="https://bot.example.com/tg", WEBHOOK_SECRET="webhook-secret-0123456789")
        tg.webhook_info = {"url": "https://bot.example.com/tg", "has_custom_certificate": False,
                           "pending_update_count": 7, "last_error_date": 1700000000,
                           "last_error_message": "Connection refused"}
    code, out, err = await run_tool(tmp_path, env, "check")
    assert code == 1, out + err
    line = line_of(out, area)
    assert line.startswith("✗") and words in line and " → " in line, line
    assert "Traceback" not in out + err
    assert out.splitlines()[-1].startswith("Fix the ✗ lines")


async def test_the_database_is_read_not_migrated_and_a_negative_balance_is_reported(tmp_path, tg, panel) -> None:
    from bot.storage.db import Database

    path = tmp_path / "data" / "bot.db"
    db = await Database.open(path, up_to=1)
    await db.conn.execute("INSERT INTO users(id, first_seen, last_seen) VALUES (42, 'x', 'x')")
    await db.conn.execute("INSERT INTO ledger(user_id, amount, kind, created_at) VALUES (42, -5, 'credit', 'x')")
    await db.close()
    code, out, _ = await run_tool(tmp_path, tool_env(tg, panel, tmp_path), "check")
    assert code == 1
    assert "schema 1 of" in line_of(out, "database") and line_of(out, "database").startswith("✓")
    assert line_of(out, "ledger").startswith("✗ ledger: 1 customer(s) with a negative balance")
    with sqlite3.connect(path) as conn:  # still at version 1: check changed nothing
        assert conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == 1


async def test_a_database_newer_than_the_bot_fails(tmp_path, tg, panel) -> None:
    from bot.storage.db import Database

    path = tmp_path / "data" / "bot.db"
    db = await Database.open(path)
    await db.conn.execute("INSERT INTO schema_version VALUES (9999, '9999_future.sql', 'x')")
    await db.close()
    code, out, _ = await run_tool(tmp_path, tool_env(tg, panel, tmp_path), "check")
    assert code == 1
    assert "this bot knows up to" in line_of(out, "database") and line_of(out, "database").startswith("✗")


async def test_missing_settings_are_one_cross_line(tmp_path: Path, tg, panel) -> None:
    env = tool_env(tg, panel, tmp_path)
    del env["BOT_TOKEN"]
    code, out, err = await run_tool(tmp_path, env, "check")
    assert code == 1
    assert out.strip() == "✗ settings: Configuration error: BOT_TOKEN: Field required → fill .env from " \
                          ".env.example (README: Configuration)"


async def test_the_demo_panel_passes_without_a_key(tmp_path, tg, panel) -> None:
    env = tool_env(tg, panel, tmp_path, PANEL_URL="demo")
    del env["PANEL_KEY"]
    code, out, err = await run_tool(tmp_path, env, "check")
    assert code == 0, out + err
    assert "DEMO" in line_of(out, "panel demo") and "17 order types" in line_of(out, "panel demo")
    assert json.dumps(out)  # printable


async def test_crypto_pay_is_asked_whether_it_takes_the_token(tmp_path, tg, panel) -> None:
    from tests.fakes.cryptopay_server import FakeCryptoPay

    async with FakeCryptoPay() as crypto:
        env = tool_env(tg, panel, tmp_path, CRYPTO_PAY_TOKEN=crypto.token, CRYPTO_PAY_API_URL=crypto.url)
        code, out, err = await run_tool(tmp_path, env, "check")
        assert code == 0, out + err
        assert line_of(out, "payments").startswith("✓ payments: Crypto Pay: app «")
        assert "invoices in USD" in line_of(out, "payments")
        env["CRYPTO_PAY_TOKEN"] = "12345:AAnotTheCryptoPayToken"
        code, out, err = await run_tool(tmp_path, env, "check")
    assert code == 1
    line = line_of(out, "payments")
    assert line.startswith("✗ payments: Crypto Pay did not accept CRYPTO_PAY_TOKEN") and "@CryptoBot" in line
    assert "AAnotTheCryptoPayToken" not in out + err


async def test_the_smm_bot_console_script_runs_check_too(tmp_path, tg, panel) -> None:
    import asyncio
    import sys

    script = Path(sys.executable).parent / "smm-bot"
    if not script.exists():
        pytest.skip("the package is not installed with its console script here")
    process = await asyncio.create_subprocess_exec(str(script), "check", cwd=tmp_path,
                                                   env=tool_env(tg, panel, tmp_path), stdout=asyncio.subprocess.PIPE,
                                                   stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, out.decode() + err.decode()
    assert "✓ token: @smm_test_bot" in out.decode()


async def test_a_wallet_that_disagrees_with_its_ledger_is_a_failure(tmp_path, tg, panel) -> None:
    from decimal import Decimal

    from bot.domain import wallet
    from bot.money import to_minor
    from bot.storage.db import Database

    path = tmp_path / "data" / "bot.db"
    db = await Database.open(path)
    await wallet.credit(db, 42, to_minor(Decimal("10")), note="test funds")
    await wallet.credit(db, 43, to_minor(Decimal("5")), note="test funds")
    code, out, _ = await run_tool(tmp_path, tool_env(tg, panel, tmp_path), "check")
    assert code == 0 and line_of(out, "balances").startswith("✓ balances: every wallet equals the sum")
    assert "2 customer(s), balances sum to 15.00" in line_of(out, "ledger")
    await db.conn.execute("UPDATE balances SET amount = amount + 1 WHERE user_id = 43")
    await db.close()
    code, out, _ = await run_tool(tmp_path, tool_env(tg, panel, tmp_path), "check")
    assert code == 1
    assert line_of(out, "balances").startswith("✗ balances: 1 wallet(s) whose balance is not the sum of their "
                                               "ledger (users 43)")


async def test_a_sqlite_database_url_is_the_file_checked(tmp_path, tg, panel) -> None:
    from bot.storage.db import Database

    path = tmp_path / "elsewhere" / "shop.db"
    await (await Database.open(path)).close()
    env = tool_env(tg, panel, tmp_path, DATABASE_URL=f"sqlite:///{path}")
    code, out, err = await run_tool(tmp_path, env, "check")
    assert code == 0, out + err
    assert line_of(out, "database") == f"✓ database: {path}: migrations current"
    assert f"database {path}" in line_of(out, "settings") and not (tmp_path / "data").exists()
