"""Writing small .po files for tests."""

from __future__ import annotations

from pathlib import Path


def write_po(path: Path, lang: str, messages: dict[str, str], fuzzy: frozenset[str] = frozenset()) -> None:
    """Write a minimal .po file with the given {msgid: text}."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ['msgid ""', 'msgstr ""', f'"Language: {lang}\\n"', '"Content-Type: text/plain; charset=UTF-8\\n"', ""]
    for msgid, text in messages.items():
        if msgid in fuzzy:
            lines.append("#, fuzzy")
        escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        lines += [f'msgid "{msgid}"', f'msgstr "{escaped}"', ""]
    path.write_text("\n".join(lines), encoding="utf-8")
