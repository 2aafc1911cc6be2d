"""Checks over the locales/ tree and bot/ sources, importable so tests can also prove they fail."""

from __future__ import annotations

import ast
import re
import string
from collections import Counter
from pathlib import Path

from bot.i18n import SOURCE_LANGUAGE, read_catalogue

_TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9-]*)")
# call shapes that carry a message id: name -> position of the id argument (see bot/i18n.py)
ID_ARGUMENT = {"t": 1, "tr": 0, "N_": 0}


def placeholders(text: str) -> set[str]:
    """Field names of a str.format template."""
    try:
        return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}
    except ValueError:
        return {"<unparsable template>"}


def html_tags(text: str) -> Counter:
    return Counter(_TAG.findall(text))


def domains(root: Path) -> list[str]:
    """Every catalogue domain the English source has."""
    return sorted(p.stem for p in (root / SOURCE_LANGUAGE / "LC_MESSAGES").glob("*.po"))


def languages(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if (p / "LC_MESSAGES").is_dir())


def english_ids(root: Path) -> set[str]:
    ids: set[str] = set()
    for domain in domains(root):
        ids |= set(read_catalogue(root / SOURCE_LANGUAGE / "LC_MESSAGES" / f"{domain}.po"))
    return ids


def compare(root: Path, lang: str, domain: str) -> list[str]:
    """Problems of one locale's catalogue against the English one (empty list: fine)."""
    source = read_catalogue(root / SOURCE_LANGUAGE / "LC_MESSAGES" / f"{domain}.po")
    path = root / lang / "LC_MESSAGES" / f"{domain}.po"
    if not path.exists():
        return [f"{path} is missing"]
    target = read_catalogue(path)
    problems = []
    for msgid, text in source.items():
        if not msgid.startswith(f"{domain}."):
            problems.append(f"{msgid}: ids in {domain}.po must start with '{domain}.'")
        if msgid not in target:
            problems.append(f"{lang}/{domain}.po: {msgid} is missing, empty or fuzzy")
            continue
        if placeholders(text) != placeholders(target[msgid]):
            problems.append(f"{lang}/{domain}.po: {msgid} placeholders {sorted(placeholders(target[msgid]))}"
                            f" differ from English {sorted(placeholders(text))}")
        if html_tags(text) != html_tags(target[msgid]):
            problems.append(f"{lang}/{domain}.po: {msgid} HTML tags differ from English")
    problems += [f"{lang}/{domain}.po: {msgid} is not in English (stale?)" for msgid in set(target) - set(source)]
    return problems


def literal_ids(source: str, filename: str = "<string>") -> list[tuple[int, str]]:
    """(line, id) of every string literal passed as a message id in the standard call shapes."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
        candidates = [kw.value for kw in node.keywords if kw.arg == "msgid"]
        if name in ID_ARGUMENT and len(node.args) > ID_ARGUMENT[name]:
            candidates.append(node.args[ID_ARGUMENT[name]])
        found += [(c.lineno, c.value) for c in candidates if isinstance(c, ast.Constant) and isinstance(c.value, str)]
    return found


def unknown_ids_in_code(code_root: Path, known: set[str]) -> list[str]:
    """`file:line: id` for every literal id in code_root that no English catalogue has."""
    problems = []
    for path in sorted(code_root.rglob("*.py")):
        for line, msgid in literal_ids(path.read_text(encoding="utf-8"), str(path)):
            if msgid not in known:
                problems.append(f"{path}:{line}: {msgid}")
    return problems
