"""Fixtures for the i18n tests: the repo's catalogues and a throwaway locales folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.i18n import DEFAULT_LOCALES_DIR
from tests.i18n.po_files import write_po


@pytest.fixture
def locales_dir() -> Path:
    return DEFAULT_LOCALES_DIR


@pytest.fixture
def tmp_locales(tmp_path: Path) -> Path:
    """en + ru + pt_BR catalogues with a few messages (ru misses one, pt_BR has a fuzzy one)."""
    root = tmp_path / "locales"
    write_po(root / "en/LC_MESSAGES/demo.po", "en", {
        "demo.hello": "Hello, {name}!",
        "demo.only_en": "English only",
        "demo.bye": "Bye",
    })
    write_po(root / "ru/LC_MESSAGES/demo.po", "ru", {"demo.hello": "Привет, {name}!", "demo.bye": "Пока"})
    write_po(root / "pt_BR/LC_MESSAGES/demo.po", "pt_BR",
             {"demo.hello": "Olá, {name}!", "demo.bye": "Tchau"}, fuzzy=frozenset({"demo.bye"}))
    return root
