"""Every locale has every English message with the same placeholders; code uses only known ids.

Parametrised from the locales/ tree at collection time, so .po files and languages added later
are covered without touching this file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.i18n import DEFAULT_LOCALES_DIR, SOURCE_LANGUAGE
from tests.i18n.catalogue_checks import (
    compare,
    domains,
    english_ids,
    languages,
    literal_ids,
    unknown_ids_in_code,
)
from tests.i18n.po_files import write_po

BOT_DIR = Path(__file__).resolve().parents[2] / "bot"
PAIRS = [(lang, domain) for lang in languages(DEFAULT_LOCALES_DIR) for domain in domains(DEFAULT_LOCALES_DIR)]


def test_there_is_something_to_check() -> None:
    assert "common" in domains(DEFAULT_LOCALES_DIR)
    assert {"en", "ru"} <= set(languages(DEFAULT_LOCALES_DIR))


@pytest.mark.parametrize(("lang", "domain"), PAIRS, ids=[f"{lang}-{domain}" for lang, domain in PAIRS])
def test_locale_is_complete(lang: str, domain: str) -> None:
    assert compare(DEFAULT_LOCALES_DIR, lang, domain) == []


def test_no_catalogue_without_an_english_source() -> None:
    orphans = [str(p) for p in DEFAULT_LOCALES_DIR.glob("*/LC_MESSAGES/*.po")
               if not (DEFAULT_LOCALES_DIR / SOURCE_LANGUAGE / "LC_MESSAGES" / p.name).exists()]
    assert orphans == []


def test_code_uses_only_known_ids() -> None:
    assert unknown_ids_in_code(BOT_DIR, english_ids(DEFAULT_LOCALES_DIR)) == []


# --- the checks themselves must be able to fail ---

def test_compare_reports_each_kind_of_problem(tmp_path: Path) -> None:
    write_po(tmp_path / "en/LC_MESSAGES/x.po", "en", {
        "x.a": "Hi {name}", "x.b": "<b>Bold</b>", "x.c": "C", "y.wrong_prefix": "P",
    })
    write_po(tmp_path / "ru/LC_MESSAGES/x.po", "ru", {
        "x.a": "Привет {nmae}", "x.b": "Жирный", "x.c": "", "y.wrong_prefix": "П", "x.old": "Старое",
    })
    problems = "\n".join(compare(tmp_path, "ru", "x"))
    assert "x.a placeholders" in problems
    assert "x.b HTML tags differ" in problems
    assert "x.c is missing" in problems
    assert "must start with 'x.'" in problems
    assert "x.old is not in English" in problems
    assert compare(tmp_path, "de", "x") == [f"{tmp_path / 'de/LC_MESSAGES/x.po'} is missing"]


def test_scanner_finds_literal_ids_in_every_call_shape(tmp_path: Path) -> None:
    code = (
        'rt.i18n.t(lang, "common.help")\n'
        't(lang, "common.typo", n=1)\n'
        'tr("order.nope")\n'
        'LABEL = N_("common.menu_help")\n'
        'render(msgid="admin.x")\n'
        'rt.i18n.t(lang, dynamic_id)\n'
    )
    assert sorted(i for _, i in literal_ids(code)) == sorted(
        ["common.help", "common.typo", "order.nope", "common.menu_help", "admin.x"])
    (tmp_path / "m.py").write_text(code)
    bad = unknown_ids_in_code(tmp_path, {"common.help", "common.menu_help"})
    assert sorted(b.rsplit(": ", 1)[1] for b in bad) == ["admin.x", "common.typo", "order.nope"]
