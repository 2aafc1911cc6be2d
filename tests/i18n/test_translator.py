"""Translator: loading .po files at run time, choosing a language, falling back, never raising."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.i18n import Translator
from tests.i18n.po_files import write_po


def test_loads_every_language_folder(tmp_locales: Path) -> None:
    tr = Translator.load(tmp_locales)
    assert tr.languages == ["en", "pt_BR", "ru"]
    assert tr.t("ru", "demo.hello", name="Аня") == "Привет, Аня!"


def test_adding_a_language_is_dropping_a_folder(tmp_locales: Path) -> None:
    write_po(tmp_locales / "de/LC_MESSAGES/demo.po", "de", {"demo.bye": "Tschüss"})
    tr = Translator.load(tmp_locales)
    assert "de" in tr.languages
    assert tr.t("de", "demo.bye") == "Tschüss"


@pytest.mark.parametrize(
    ("stored", "telegram", "default", "expected"),
    [
        ("ru", "en", "en", "ru"),            # a stored choice wins
        (None, "ru", "en", "ru"),            # Telegram's code, exact
        (None, "pt-br", "en", "pt_BR"),      # exact match across spellings
        (None, "ru-RU", "en", "ru"),         # base language
        (None, "pt-pt", "en", "en"),         # pt is not loaded (only pt_BR): default
        (None, "de", "ru", "ru"),            # unknown: default
        ("xx", None, "en", "en"),            # a stored language that was removed: default
        (None, None, "pt_br", "pt_BR"),      # the default is normalised too
    ],
)
def test_resolve(tmp_locales: Path, stored, telegram, default, expected) -> None:
    assert Translator.load(tmp_locales).resolve(stored, telegram, default) == expected


def test_fallback_chain(tmp_locales: Path) -> None:
    tr = Translator.load(tmp_locales, default="ru")
    assert tr.t("pt_BR", "demo.only_en") == "English only"  # missing in pt_BR and default ru: English
    assert tr.t("pt_BR", "demo.bye") == "Пока"  # fuzzy pt_BR entry is not used: default locale
    assert tr.t("en", "demo.nowhere") == "demo.nowhere"  # missing everywhere: the id itself
    assert tr.has("ru", "demo.bye") and not tr.has("ru", "demo.only_en")


def test_missing_placeholder_is_logged_not_raised(tmp_locales: Path, caplog) -> None:
    tr = Translator.load(tmp_locales)
    with caplog.at_level(logging.WARNING, logger="bot.i18n"):
        assert tr.t("en", "demo.hello") == "Hello, {name}!"
    assert "placeholder {name}" in caplog.text


def test_broken_template_is_logged_not_raised(tmp_path: Path, caplog) -> None:
    write_po(tmp_path / "en/LC_MESSAGES/x.po", "en", {"x.pos": "value {} and {0}", "x.attr": "{a.b} {c[1]}"})
    tr = Translator.load(tmp_path)
    with caplog.at_level(logging.WARNING, logger="bot.i18n"):
        assert tr.t("en", "x.pos", a=1) == "value {} and {0}"
        assert tr.t("en", "x.attr") == "{a.b} {c[1]}"
    assert "not a valid template" in caplog.text


def test_params_are_not_reformatted(tmp_locales: Path) -> None:
    """A customer's text containing braces is inserted verbatim, never parsed as a template."""
    assert Translator.load(tmp_locales).t("en", "demo.hello", name="{evil} {0}") == "Hello, {evil} {0}!"


def test_bind(tmp_locales: Path) -> None:
    tr = Translator.load(tmp_locales).bind("ru")
    assert tr("demo.bye") == "Пока"


def test_language_names() -> None:
    tr = Translator.load()
    assert tr.language_name("en") == "English"
    assert tr.language_name("ru") == "Русский"
    assert tr.language_name("pt_BR").startswith("Português")
    assert tr.language_name("zz-not-a-lang") == "zz-not-a-lang"


def test_repo_catalogues_load() -> None:
    tr = Translator.load()
    assert {"en", "ru"} <= set(tr.languages)
    assert tr.t("ru", "common.flood_notice", seconds=7).count("7") == 1
