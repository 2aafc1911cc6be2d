"""SQL as text: the few lexical steps bot/storage/dialect.py's translation is made of.

Literals and comments are masked before any rewriting (`mask`/`unmask`), so nothing inside a string is
ever changed; function calls are found with their top-level arguments (`rewrite_calls`); a migration
file is split into statements on top-level semicolons (`split_script`). Nothing here knows a dialect.
"""

from __future__ import annotations

import re

# literals and comments are masked before any rewriting, so nothing inside them is ever changed
_LITERAL = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|/\*.*?\*/", re.S)
_MASK = re.compile(r"\x00(\d+)\x00")


def mask(sql: str) -> tuple[str, list[str]]:
    """The SQL with every literal replaced by a numbered mark and every comment by a space; the literals."""
    literals: list[str] = []

    def keep(match: re.Match[str]) -> str:
        text = match.group(0)
        if text.startswith(("--", "/*")):
            return " "
        literals.append(text)
        return f"\x00{len(literals) - 1}\x00"

    return _LITERAL.sub(keep, sql), literals


def unmask(sql: str, literals: list[str]) -> str:
    """The literals back in place of their marks."""
    return _MASK.sub(lambda m: literals[int(m.group(1))], sql)


def close_paren(text: str, open_at: int) -> int:
    """Index of the parenthesis closing the one at open_at."""
    depth = 0
    for i in range(open_at, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return i
    raise ValueError("unbalanced parentheses in SQL")


def top_level_args(inner: str) -> list[str]:
    """A call's arguments, split on the commas outside nested parentheses."""
    args, depth, start = [], 0, 0
    for i, ch in enumerate(inner):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            args.append(inner[start:i])
            start = i + 1
    args.append(inner[start:])
    return args


def rewrite_calls(sql: str, name: str, rewrite, *, rescan: bool = True) -> str:
    """Replace every call name(...) by rewrite(args, rest) -> (replacement, consumed_after)."""
    pattern = re.compile(rf"\b{name}\s*\(", re.I)
    pos = 0
    while True:
        match = pattern.search(sql, pos)
        if match is None:
            return sql
        open_at = match.end() - 1
        close_at = close_paren(sql, open_at)
        args = top_level_args(sql[open_at + 1:close_at])
        replacement, consumed = rewrite(args, sql[close_at + 1:])
        if replacement is None:
            pos = match.end()
            continue
        sql = sql[:match.start()] + replacement + sql[close_at + 1 + consumed:]
        # calls nested in the arguments are rewritten too (rescan), unless the replacement names itself
        pos = match.start() + 1 if rescan else match.start() + len(replacement)


def split_script(script: str) -> list[str]:
    """The statements of a migration file (split on top-level semicolons; comments dropped)."""
    text, literals = mask(script)
    return [unmask(part, literals).strip() for part in text.split(";") if part.strip()]
