"""The import rules of docs/architecture.md's layer table hold for every module under bot/.

The table is the source: each row names folders/modules, what they may import from bot/, and the
third-party packages they never import. Imports inside `if TYPE_CHECKING:` count too.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BOT = ROOT / "bot"
DOC = ROOT / "docs" / "architecture.md"
TICKED = re.compile(r"`([^`]+)`")


def _layer_of_path(rel: str) -> str:
    """`bot/panel/` -> panel, `bot/app.py` -> app, `bot/config_shop.py` -> config (an area of settings)."""
    name = rel.removeprefix("bot/").rstrip("/").removesuffix(".py")
    return "config" if name.startswith("config_") else name


def rules() -> dict[str, tuple[set[str] | None, set[str]]]:
    """layer -> (what it may import from bot/, None for everything; third-party packages it never imports)."""
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index("## Layers"):]
    table: dict[str, tuple[set[str] | None, set[str]]] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 4 or not cells[0].startswith("`bot/"):
            continue
        may = cells[2]
        # explanations in brackets are prose, not names
        allowed = None if may == "everything" else set(TICKED.findall(re.sub(r"\([^)]*\)", "", may)))
        never = set(TICKED.findall(cells[3]))
        for folder in TICKED.findall(cells[0]):
            table[_layer_of_path(folder)] = (allowed, never)
    return table


def layer_of(module: str) -> str:
    """bot.panel.client -> panel; bot.money -> money; bot.config_shop -> config."""
    return _layer_of_path(module.split(".")[1])


def imports_of(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every import in a file, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            # `from bot.panel import models` imports the module bot.panel.models; `from bot.x import Name`, bot.x
            submodules = [f"{base}.{a.name}" for a in node.names if _is_module(f"{base}.{a.name}")]
            found += [(node.lineno, m) for m in submodules] or [(node.lineno, base)]
    return found


def _is_module(dotted: str) -> bool:
    path = ROOT.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def modules() -> list[Path]:
    return sorted(p for p in BOT.rglob("*.py") if "__pycache__" not in p.parts)


def test_the_table_names_every_folder_and_module_of_bot():
    table = rules()
    missing = {_layer_of_path(str(p.relative_to(ROOT))).split("/")[0] for p in modules()} - set(table) - {"__init__"}
    assert not missing, f"add a row to the layer table of docs/architecture.md for: {sorted(missing)}"


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_follow_the_layer_table(path: Path):
    rel = str(path.relative_to(ROOT))
    layer = _layer_of_path(rel).split("/")[0]
    if layer == "__init__":
        return
    allowed, never = rules()[layer]
    wrong = []
    for line, module in imports_of(path):
        top = module.split(".")[0]
        if top in never:
            wrong.append(f"{rel}:{line} imports {module} (never {top})")
        if top != "bot" or module == "bot" or allowed is None:
            continue
        target = layer_of(module)
        if target == layer:
            continue
        dotted = ".".join(module.split(".")[1:3])
        if target not in allowed and dotted not in allowed:
            wrong.append(f"{rel}:{line} imports {module}: {layer} may import only {sorted(allowed) or 'nothing'}")
    assert not wrong, "\n".join(wrong)
